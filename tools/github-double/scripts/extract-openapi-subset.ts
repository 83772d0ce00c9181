/**
 * Extracts from GitHub's OpenAPI description (package @octokit/openapi, ~400 MB, never a
 * dependency) the response schemas of the operations the GitHub double serves, into the committed
 * `generated/openapi-subset.json` of this package that the double's tests validate its answers against.
 *
 *   cd /tmp && npm pack @octokit/openapi && tar xzf octokit-openapi-*.tgz
 *   npm run -s build:double && node tools/github-double/dist/scripts/extract-openapi-subset.js /tmp/package [ghes-3.19]
 *
 * Without a version it takes the newest generated/ghes-3.NN.json (not the .deref variant).
 *
 * OpenAPI 3.0's `nullable: true` becomes JSON Schema (`type: [T, "null"]`, or `anyOf` with
 * `{type: "null"}` when there is no `type`), and keywords ajv does not know are dropped.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROUTES } from '../src/pipeline';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const DROP = new Set([
  'example',
  'examples',
  'discriminator',
  'xml',
  'externalDocs',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

/** OpenAPI 3.0 schema -> JSON Schema (draft 7 subset ajv accepts). */
export function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    if (DROP.has(k) || k.startsWith('x-') || k === 'nullable') continue;
    // `properties` maps names to schemas: convert each value, keep every name
    out[k] =
      k === 'properties' && v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, toJsonSchema(s)]))
        : toJsonSchema(v);
  }
  if ((node as Obj).nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
      return out;
    }
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

function collectRefs(node: Json, into: Set<string>): void {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, into));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') into.add(v);
      else collectRefs(v, into);
    }
  }
}

/** The package root: the nearest folder above this script (source or compiled) with a package.json. */
function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const shape = (path: string): string => path.replace(/\{[^}]+\}/g, '{}').replace(/:[^/]+|\*[^/]+/g, '{}');

function main(): number {
  const [pkgDir, wanted] = process.argv.slice(2);
  if (!pkgDir) {
    process.stderr.write('usage: extract-openapi-subset <unpacked @octokit/openapi dir> [ghes-3.NN]\n');
    return 2;
  }
  const generated = join(pkgDir, 'generated');
  const ghes = readdirSync(generated)
    .map((f) => /^ghes-(\d+)\.(\d+)\.json$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]) || Number(a[2]) - Number(b[2]));
  const pick = wanted ? ghes.find((m) => m[0] === `${wanted}.json`) : ghes[ghes.length - 1];
  if (!pick) {
    process.stderr.write(
      `no ${wanted ?? 'ghes-*'}.json in ${generated} (found: ${ghes.map((m) => m[0]).join(', ') || 'none'})\n`,
    );
    return 1;
  }
  const spec = JSON.parse(readFileSync(join(generated, pick[0]), 'utf8')) as Obj;
  const version = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as Obj).version;
  const paths = spec.paths as Record<string, Obj>;
  const components = spec.components as Record<string, Record<string, Obj>>;
  const byShape = new Map(Object.keys(paths).map((p) => [shape(p), p]));

  // GitHub.com's description, where GHES's leaves out an answer GHES does give (the 201 invitation
  // of PUT collaborators, seen from the provider in the recorded runs)
  const dotcomFile = join(generated, 'api.github.com.json');
  const dotcom = existsSync(dotcomFile) ? (JSON.parse(readFileSync(dotcomFile, 'utf8')) as Obj) : null;
  const dotcomPaths = (dotcom?.paths ?? {}) as Record<string, Obj>;
  const dotcomComponents = (dotcom?.components ?? {}) as Record<string, Record<string, Obj>>;

  const operations: Obj = {};
  const missing: string[] = [];
  const refs = new Set<string>();
  for (const route of ROUTES) {
    const specPath = byShape.get(shape(route.documentedAs ?? route.pattern));
    const op = specPath ? (paths[specPath][route.method.toLowerCase()] as Obj | undefined) : undefined;
    if (!specPath || !op) {
      missing.push(`${route.method} ${route.pattern}`);
      continue;
    }
    const responses: Obj = {};
    const fromDotcom: string[] = [];
    const add = (status: string, r0: Obj, comps: Record<string, Record<string, Obj>>) => {
      const r = typeof r0.$ref === 'string' ? comps.responses[r0.$ref.split('/').pop()!] : r0;
      const content = r.content as Record<string, Obj> | undefined;
      const schema = content?.['application/json']?.schema ?? null;
      responses[status] = schema === null ? null : toJsonSchema(schema);
      collectRefs(responses[status], refs);
    };
    for (const [status, r] of Object.entries(op.responses as Record<string, Obj>)) add(status, r, components);
    const dotcomOp = dotcomPaths[specPath]?.[route.method.toLowerCase()] as Obj | undefined;
    for (const [status, r] of Object.entries((dotcomOp?.responses ?? {}) as Record<string, Obj>)) {
      if (status in responses) continue;
      add(status, r, dotcomComponents);
      fromDotcom.push(status);
    }
    operations[`${route.method} ${route.pattern}`] = {
      path: specPath,
      operationId: op.operationId as string,
      responses,
      ...(fromDotcom.length ? { fromDotcom } : {}),
      ...(route.documentedAs ? { documentedAs: route.documentedAs } : {}),
    };
  }
  // the closure of referenced component schemas
  const schemas: Obj = {};
  // the generic error shapes, for errors an operation's description does not list
  const queue = [...refs, '#/components/schemas/basic-error', '#/components/schemas/validation-error'];
  while (queue.length) {
    const ref = queue.pop()!;
    const name = ref.replace('#/components/schemas/', '');
    if (name in schemas) continue;
    const s = toJsonSchema(components.schemas[name] ?? dotcomComponents.schemas[name]);
    schemas[name] = s;
    const more = new Set<string>();
    collectRefs(s, more);
    queue.push(...more);
  }
  const out = {
    $comment: `Generated by scripts/extract-openapi-subset.ts from @octokit/openapi ${String(version)} generated/${pick[0]}; do not edit.`,
    source: {
      package: '@octokit/openapi',
      version,
      file: `generated/${pick[0]}`,
      fallback: dotcom ? 'generated/api.github.com.json (statuses listed in fromDotcom)' : null,
    },
    operations,
    components: { schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : 1))) },
  };
  const target = join(packageRoot(), 'generated', 'openapi-subset.json');
  // Written beside and renamed, so an interrupted run never leaves half a file (the package has no product helpers).
  writeFileSync(`${target}.tmp`, `${JSON.stringify(out, null, 1)}\n`);
  renameSync(`${target}.tmp`, target);
  process.stdout.write(
    `${Object.keys(operations).length} operations, ${Object.keys(schemas).length} schemas from ${pick[0]} -> ${target}\n`,
  );
  if (missing.length) process.stdout.write(`not in the description (double-only): ${missing.join(', ')}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main();
