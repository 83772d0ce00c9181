/**
 * The floor plan (docs/architecture.md), checked on the import graph of the whole tree: every
 * import of every .ts file (relative ones resolved to their folder, packages by name). A folder
 * imports only folders of a lower layer; peers never import each other; nothing in the product
 * reaches the tests, the benchmarks, their kit or the GitHub double; tests and benchmarks share
 * code only through test-kit/ and the double's package; the product build holds the product only.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '..');

/** The product's layers, lowest first. A folder may import its own files and any folder of a lower layer. */
const LAYERS: readonly (readonly string[])[] = [
  ['shared'],
  ['roster'],
  ['contracts'],
  ['constructs'],
  ['synthesis', 'provisioning', 'progress', 'reconstruct', 'updates'],
  ['gitops'],
  ['dashboard', 'export'],
  ['commands'],
  ['cli'],
  ['main.ts'],
];
const PRODUCT = new Set(LAYERS.flat());
const DOUBLE = 'tools/github-double';
const DOUBLE_PACKAGE = '@learning-rooms/github-double';
/** Everything else that holds TypeScript, and what each may import besides itself. */
const OUTSIDE: Readonly<Record<string, readonly string[]>> = {
  'test-kit': [...PRODUCT, DOUBLE],
  test: [...PRODUCT, 'test-kit', DOUBLE],
  bench: [...PRODUCT, 'test-kit', DOUBLE],
  scripts: [...PRODUCT, 'test-kit'],
  [DOUBLE]: [],
};

const layerOf = (unit: string): number => LAYERS.findIndex((l) => l.includes(unit));

/** The folder a repository path belongs to: its top folder, `tools/<package>`, or a file at the root. */
function unitOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'tools' && parts.length > 2) return `tools/${parts[1]}`;
  return parts[0];
}

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (
      ['node_modules', 'dist', 'dist-bench', 'cdktf.out', 'fixtures', 'coverage'].includes(name) ||
      name.startsWith('.')
    )
      continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) tsFiles(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

interface Edge {
  from: string;
  /** A repository path for a relative import, else the package name. */
  to: string;
  specifier: string;
  relative: boolean;
}

function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(ROOT, candidate).split(sep).join('/');
  }
  return undefined;
}

const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const isBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]);

const files = tsFiles(ROOT).map((f) => relative(ROOT, f).split(sep).join('/'));
const unresolved: string[] = [];
const edges: Edge[] = files.flatMap((file) => {
  // preProcessFile finds static imports, re-exports, import() and require(), and skips comments.
  const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return info.importedFiles.flatMap(({ fileName: specifier }): Edge[] => {
    if (!specifier.startsWith('.'))
      return isBuiltin(specifier) ? [] : [{ from: file, to: packageName(specifier), specifier, relative: false }];
    const to = resolveRelative(join(ROOT, file), specifier);
    if (!to) unresolved.push(`${file}: ${specifier}`);
    return to ? [{ from: file, to, specifier, relative: true }] : [];
  });
});
const describeEdge = (e: Edge) => `${e.from} imports '${e.specifier}'`;
/** Relative imports between different folders, and every import of the double's package, as folder edges. */
const folderEdges = edges.flatMap((e) => {
  const from = unitOf(e.from);
  const to = e.relative ? unitOf(e.to) : e.to === DOUBLE_PACKAGE ? DOUBLE : undefined;
  return to !== undefined && to !== from ? [{ from, to, edge: e }] : [];
});

describe('the floor plan', () => {
  it('reads a sensible tree: every relative import resolves, every folder with TypeScript is placed', () => {
    expect(unresolved).toEqual([]);
    expect(files.length).toBeGreaterThan(150);
    const units = [...new Set(files.map(unitOf))].sort();
    expect(units.filter((u) => !PRODUCT.has(u) && !(u in OUTSIDE))).toEqual([]);
    for (const unit of PRODUCT) expect(units).toContain(unit);
  });

  it('no product folder imports a higher layer or a peer', () => {
    const wrong = folderEdges.filter(
      ({ from, to }) => PRODUCT.has(from) && (!PRODUCT.has(to) || layerOf(to) >= layerOf(from)),
    );
    expect(wrong.map(({ from, to, edge }) => `${from} -> ${to}: ${describeEdge(edge)}`)).toEqual([]);
  });

  it('nothing in the product imports tools/, test/, bench/, test-kit/ or the double’s package and its dependencies', () => {
    const doublesOwn = ['graphql', '@octokit/graphql-schema', DOUBLE_PACKAGE];
    const wrong = edges.filter(
      (e) => PRODUCT.has(unitOf(e.from)) && (e.relative ? !PRODUCT.has(unitOf(e.to)) : doublesOwn.includes(e.to)),
    );
    expect(wrong.map(describeEdge)).toEqual([]);
  });

  it('the product’s packages are its dependencies, not development ones (an install without them runs it)', () => {
    const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const wrong = edges.filter((e) => PRODUCT.has(unitOf(e.from)) && !e.relative && !(e.to in dependencies));
    expect(wrong.map(describeEdge)).toEqual([]);
  });

  it('tests, benchmarks, the test kit and the double import only what their place allows', () => {
    const wrong = folderEdges.filter(({ from, to }) => from in OUTSIDE && !OUTSIDE[from].includes(to));
    expect(wrong.map(({ from, to, edge }) => `${from} -> ${to}: ${describeEdge(edge)}`)).toEqual([]);
  });

  it('the double is used as a package, never by a relative path into it', () => {
    const wrong = edges.filter((e) => e.relative && unitOf(e.to) === DOUBLE && unitOf(e.from) !== DOUBLE);
    expect(wrong.map(describeEdge)).toEqual([]);
  });

  it('no cycle between folders', () => {
    const next = new Map<string, Set<string>>();
    for (const { from, to } of folderEdges) next.set(from, (next.get(from) ?? new Set()).add(to));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (unit: string, path: string[]): void => {
      if (state.get(unit) === 'done') return;
      if (state.get(unit) === 'open') {
        cycles.push([...path.slice(path.indexOf(unit)), unit].join(' -> '));
        return;
      }
      state.set(unit, 'open');
      for (const to of next.get(unit) ?? []) visit(to, [...path, unit]);
      state.set(unit, 'done');
    };
    for (const unit of next.keys()) visit(unit, []);
    expect(cycles).toEqual([]);
  });

  it('the product build (tsconfig.build.json -> dist/) compiles the product only', () => {
    const parsed = tsconfig('tsconfig.build.json');
    expect(parsed.options.outDir && relative(ROOT, parsed.options.outDir)).toBe('dist');
    const roots = parsed.fileNames.map((f) => relative(ROOT, f).split(sep).join('/'));
    expect(roots.filter((f) => !PRODUCT.has(unitOf(f)))).toEqual([]);
    // Everything a root imports is product too (checked above), so nothing else reaches dist/.
    expect(new Set(roots.map(unitOf))).toEqual(PRODUCT);
  });

  it('the type check (tsconfig.json, in npm test) names every file outside the double, which checks itself (tsc -b)', () => {
    const roots = new Set(tsconfig('tsconfig.json').fileNames.map((f) => relative(ROOT, f).split(sep).join('/')));
    expect(files.filter((f) => unitOf(f) !== DOUBLE && !roots.has(f))).toEqual([]);
  });
});

function tsconfig(name: string): ts.ParsedCommandLine {
  const host = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d: ts.Diagnostic) => {
      throw new Error(`${name}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(join(ROOT, name), {}, host);
  if (!parsed) throw new Error(`${name}: not readable`);
  expect(parsed.errors).toEqual([]);
  return parsed;
}
