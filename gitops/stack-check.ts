/**
 * The allow-list check of a synthesized cohort stack (`cdk.tf.json`) before Terraform runs it with
 * the App's credentials. The document comes from a pull request, so it is treated as hostile: it
 * may contain only what synthesis writes (contracts/stack-policy.ts), no expression Terraform
 * would evaluate except a collaborator's or file's reference to its own repository, and no form
 * that Terraform reads differently from JSON.parse (a duplicated key, an array of blocks).
 * Every refusal names its JSON path; all are reported at once.
 */
import { parseJsonText } from '../roster/json-text';
import {
  BlockPolicy,
  GITHUB_PROVIDER,
  PROVIDER_POLICY,
  ROOM_RESOURCES,
  TERRAFORM_NAME,
  TOP_LEVEL_KEYS,
  ValueRule,
} from '../contracts/stack-policy';
import { readTemplate, templateExcerpt } from '../contracts/terraform-template';

/** Settings of the run (from the trusted environment), which the configuration must repeat exactly. */
export interface TrustedSettings {
  owner: string;
  /** With its trailing slash, as contracts/settings.ts normalises it. */
  baseUrl: string;
}

type Path = readonly (string | number)[];
type Json = Record<string, unknown>;

/** `resource.github_repository_file["learner-a--x"].content`, `provider.github[0]`. */
export function formatPath(path: Path): string {
  if (path.length === 0) return '(the document)';
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function quote(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}...` : text);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${quote(value)}`;
  return `${typeof value} ${quote(value)}`;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length &&
    ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]))
  );
}

/** With the u flag a surrogate pair is one code point; only a lone half matches. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Why a string is not plain literal text for Terraform, or undefined when it is. */
function stringProblem(text: string): string | undefined {
  if (LONE_SURROGATE.test(text)) return 'a string with a lone UTF-16 surrogate (not valid Unicode text)';
  const reading = readTemplate(text);
  if (reading.literal) return undefined;
  return `a template expression ${quote(templateExcerpt(text, reading.at))} (Terraform would evaluate it; only literal text is allowed, where a literal "\${" is written "$\${" and "%{" is written "%%{")`;
}

const META_ARGUMENTS: Record<string, string> = {
  count: 'the meta-argument count is not allowed',
  for_each: 'the meta-argument for_each is not allowed',
  provider: 'the meta-argument provider is not allowed (a stack has one github provider)',
  depends_on: 'the meta-argument depends_on is not allowed',
  provisioner: 'provisioners are not allowed: they run commands where the credentials are',
  connection: 'connection blocks are not allowed',
  lifecycle: 'a lifecycle block is not allowed here',
};

const PROVIDER_REFUSALS: Record<string, string> = {
  alias: 'a second (aliased) provider configuration is not allowed',
  token:
    'a credential does not belong in the configuration: the provider reads GITHUB_TOKEN or the App key from its environment',
};

const REFUSED_TOP_LEVEL: Record<string, string> = {
  data: 'data sources are not allowed: they are read at plan time, with the credentials',
  output: 'outputs are not allowed: their values land in plan.json',
  module: 'modules are not allowed',
  check: 'check blocks are not allowed: their data sources and assertions run at plan time',
  locals: 'locals are not allowed',
  variable: 'variables are not allowed',
  moved: 'moved blocks are not allowed',
};

class Checker {
  readonly problems: string[] = [];
  /** github_repository names declared in the document (a collaborator or file may reference only these). */
  readonly repositories = new Set<string>();
  /** Every declared resource address `type.name`, for import blocks. */
  readonly addresses = new Set<string>();

  constructor(private readonly trusted: TrustedSettings) {}

  refuse(path: Path, why: string): void {
    this.problems.push(`${formatPath(path)}: ${why}`);
  }

  /** An object where Terraform expects one block; arrays (several blocks) are refused. */
  object(value: unknown, path: Path, what: string): value is Json {
    if (isObject(value)) return true;
    const arrayNote = Array.isArray(value) ? ' (an array here would be read as several blocks)' : '';
    this.refuse(path, `expected ${what} as one JSON object, found ${describe(value)}${arrayNote}`);
    return false;
  }

  /** Every string inside `value` must be literal; numbers finite. For content Terraform ignores (`//`) or that is compared exactly. */
  literalsOnly(value: unknown, path: Path): void {
    if (typeof value === 'string') {
      const p = stringProblem(value);
      if (p) this.refuse(path, p);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => this.literalsOnly(v, [...path, i]));
    } else if (isObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        const p = stringProblem(k);
        if (p) this.refuse([...path, k], `in the key: ${p}`);
        this.literalsOnly(v, [...path, k]);
      }
    } else if (typeof value === 'number' && !Number.isFinite(value)) {
      this.refuse(path, 'a number out of range');
    }
  }

  value(rule: ValueRule, value: unknown, path: Path): void {
    switch (rule.kind) {
      case 'string':
        if (typeof value !== 'string') return this.refuse(path, `expected a string, found ${describe(value)}`);
        this.literalsOnly(value, path);
        return;
      case 'boolean':
        if (typeof value !== 'boolean') this.refuse(path, `expected true or false, found ${describe(value)}`);
        return;
      case 'integer':
        if (!Number.isSafeInteger(value) || (value as number) < rule.min || (value as number) > rule.max) {
          this.refuse(path, `expected a whole number from ${rule.min} to ${rule.max}, found ${describe(value)}`);
        }
        return;
      case 'integers':
        if (!Array.isArray(value))
          return this.refuse(path, `expected an array of whole numbers, found ${describe(value)}`);
        value.forEach((v, i) => this.value({ kind: 'integer', min: rule.min, max: rule.max }, v, [...path, i]));
        return;
      case 'exact':
        if (!deepEqual(value, rule.value))
          this.refuse(path, `expected exactly ${rule.hint}, found ${quote(value, 120)}`);
        return;
      case 'object':
        if (this.object(value, path, 'a nested block'))
          this.block({ attributes: rule.attributes, required: rule.required }, value, path, 'this block');
        return;
      case 'repository-name': {
        const m =
          typeof value === 'string' ? /^\$\{github_repository\.([A-Za-z_][A-Za-z0-9_-]*)\.name\}$/.exec(value) : null;
        if (!m) {
          this.refuse(
            path,
            `expected exactly "\${github_repository.<name>.name}", a repository of this stack, found ${describe(value)}`,
          );
        } else if (!this.repositories.has(m[1])) {
          this.refuse(path, `references github_repository.${m[1]}, which this stack does not declare`);
        }
        return;
      }
      case 'repository-attribute': {
        const m =
          typeof value === 'string'
            ? /^\$\{github_repository\.([A-Za-z_][A-Za-z0-9_-]*)\.([a-z_]+)\}$/.exec(value)
            : null;
        if (!m || m[2] !== rule.attribute) {
          this.refuse(
            path,
            `expected exactly "\${github_repository.<name>.${rule.attribute}}", a repository of this stack, found ${describe(value)}`,
          );
        } else if (!this.repositories.has(m[1])) {
          this.refuse(path, `references github_repository.${m[1]}, which this stack does not declare`);
        }
        return;
      }
      case 'one-of':
        if (typeof value !== 'string' || !rule.values.includes(value))
          this.refuse(
            path,
            `expected one of ${rule.values.map((v) => JSON.stringify(v)).join(', ')}, found ${describe(value)}`,
          );
        return;
      case 'integer-text':
        if (typeof value !== 'string' || !/^[1-9][0-9]{0,18}$/.test(value))
          this.refuse(path, `expected a whole number written as text (a numeric id), found ${describe(value)}`);
        return;
      case 'blocks':
        // Terraform reads an array of objects as repeated blocks: each element is checked as one block.
        if (!Array.isArray(value)) return this.refuse(path, `expected an array of blocks, found ${describe(value)}`);
        if (value.length > rule.max) this.refuse(path, `expected at most ${rule.max} blocks, found ${value.length}`);
        value.forEach((v, i) => {
          if (this.object(v, [...path, i], 'a nested block'))
            this.block({ attributes: rule.attributes, required: rule.required }, v, [...path, i], 'this block');
        });
        return;
      case 'references':
        if (!Array.isArray(value))
          return this.refuse(path, `expected an array of resource addresses, found ${describe(value)}`);
        value.forEach((v, i) => {
          const m = typeof v === 'string' ? /^([a-z_]+)\.([A-Za-z_][A-Za-z0-9_-]*)$/.exec(v) : null;
          if (!m || !rule.types.includes(m[1]))
            this.refuse(
              [...path, i],
              `expected the address of a ${rule.types.join(' or ')} of this stack, found ${describe(v)}`,
            );
          else if (!this.addresses.has(v as string))
            this.refuse([...path, i], `${quote(v)} is not a resource of this stack`);
        });
        return;
      case 'trusted': {
        const expected = this.trusted[rule.setting];
        if (value !== expected) {
          const env = rule.setting === 'owner' ? 'PROVISIONING_STUDENT_OWNER' : 'GITHUB_BASE_URL';
          this.refuse(path, `expected ${quote(expected)} (${env} of this run), found ${describe(value)}`);
        }
        return;
      }
    }
  }

  /**
   * A block body: only the policy's attributes, the required ones present; `//` (a comment to
   * Terraform) where cdktf writes one; `refusals` names keys that get a specific explanation.
   */
  block(
    policy: BlockPolicy,
    body: Json,
    path: Path,
    what: string,
    opts: { comment?: boolean; refusals?: Record<string, string> } = {},
  ): void {
    for (const [key, value] of Object.entries(body)) {
      if (key === '//' && opts.comment) {
        this.literalsOnly(value, [...path, key]);
      } else if (
        opts.refusals &&
        Object.prototype.hasOwnProperty.call(opts.refusals, key) &&
        !Object.prototype.hasOwnProperty.call(policy.attributes, key)
      ) {
        this.refuse([...path, key], opts.refusals[key]);
      } else if (Object.prototype.hasOwnProperty.call(policy.attributes, key)) {
        this.value(policy.attributes[key], value, [...path, key]);
      } else {
        this.refuse(
          [...path, key],
          `not an attribute ${what} may set (allowed: ${Object.keys(policy.attributes).join(', ')})`,
        );
      }
    }
    for (const key of policy.required) {
      if (!Object.prototype.hasOwnProperty.call(body, key)) this.refuse(path, `${key} is missing`);
    }
  }

  document(doc: unknown): void {
    if (!this.object(doc, [], 'the configuration')) return;
    for (const key of Object.keys(doc)) {
      if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
        const why = Object.prototype.hasOwnProperty.call(REFUSED_TOP_LEVEL, key)
          ? REFUSED_TOP_LEVEL[key]
          : 'not a block a learning-rooms stack holds';
        this.refuse([key], `${why} (allowed: ${TOP_LEVEL_KEYS.join(', ')})`);
      }
    }
    if (doc['//'] !== undefined) this.literalsOnly(doc['//'], ['//']);
    if (doc.terraform === undefined)
      this.refuse(['terraform'], 'missing: the stack must pin its provider in terraform.required_providers');
    else this.terraform(doc.terraform);
    if (doc.provider === undefined) this.refuse(['provider'], 'missing: the stack must configure the github provider');
    else this.provider(doc.provider);
    // Names first: references and imports may point at any repository of the document.
    if (doc.resource !== undefined) this.resources(doc.resource);
    if (doc.import !== undefined) this.imports(doc.import);
    if (doc.removed !== undefined) this.removed(doc.removed);
  }

  terraform(value: unknown): void {
    const path = ['terraform'];
    if (!this.object(value, path, 'the terraform block')) return;
    for (const key of Object.keys(value)) {
      if (key !== 'required_providers' && key !== 'backend')
        this.refuse([...path, key], 'not allowed in the terraform block (allowed: required_providers, backend)');
    }
    const rp = value.required_providers;
    const rpPath = [...path, 'required_providers'];
    if (rp === undefined) this.refuse(rpPath, 'missing: expected the github provider pinned to its version');
    else if (this.object(rp, rpPath, 'required_providers')) {
      for (const name of Object.keys(rp)) {
        if (name !== 'github')
          this.refuse([...rpPath, name], `only the github provider (${GITHUB_PROVIDER.source}) may be required`);
      }
      const expected = { source: GITHUB_PROVIDER.source, version: GITHUB_PROVIDER.version };
      if (rp.github === undefined) this.refuse([...rpPath, 'github'], `missing: expected ${JSON.stringify(expected)}`);
      else if (!deepEqual(rp.github, expected))
        this.refuse(
          [...rpPath, 'github'],
          `expected exactly ${JSON.stringify(expected)}, found ${quote(rp.github, 120)}`,
        );
    }
    if (value.backend !== undefined && this.object(value.backend, [...path, 'backend'], 'the backend block')) {
      const bPath = [...path, 'backend'];
      for (const [type, settings] of Object.entries(value.backend)) {
        if (type !== 'local') {
          this.refuse(
            [...bPath, type],
            'only the local backend that synthesis writes is allowed (the run replaces it with its own)',
          );
        } else if (this.object(settings, [...bPath, type], 'the local backend')) {
          this.block(
            { attributes: { path: { kind: 'string' } }, required: [] },
            settings,
            [...bPath, type],
            'the local backend',
          );
        }
      }
    }
  }

  provider(value: unknown): void {
    const path = ['provider'];
    if (!this.object(value, path, 'the provider block')) return;
    for (const name of Object.keys(value)) {
      if (name !== 'github') this.refuse([...path, name], 'only the github provider may be configured');
    }
    let body = value.github;
    let bodyPath: Path = [...path, 'github'];
    if (body === undefined) return this.refuse(bodyPath, 'missing: the stack must configure the github provider');
    if (Array.isArray(body)) {
      // cdktf writes the provider as an array of one configuration; a second one would be an alias.
      if (body.length !== 1)
        return this.refuse(bodyPath, `expected exactly one provider configuration, found ${body.length}`);
      body = body[0];
      bodyPath = [...bodyPath, 0];
    }
    if (this.object(body, bodyPath, 'the provider configuration'))
      this.block(PROVIDER_POLICY, body, bodyPath, 'the github provider', { refusals: PROVIDER_REFUSALS });
  }

  resources(value: unknown): void {
    const path = ['resource'];
    if (!this.object(value, path, 'the resource block')) return;
    const repos = value.github_repository;
    if (isObject(repos)) for (const name of Object.keys(repos)) this.repositories.add(name);
    // Every address first: depends_on may name a resource declared further down.
    for (const [type, byName] of Object.entries(value)) {
      if (!Object.prototype.hasOwnProperty.call(ROOM_RESOURCES, type) || !isObject(byName)) continue;
      for (const name of Object.keys(byName)) if (TERRAFORM_NAME.test(name)) this.addresses.add(`${type}.${name}`);
    }
    for (const [type, byName] of Object.entries(value)) {
      const policy = Object.prototype.hasOwnProperty.call(ROOM_RESOURCES, type) ? ROOM_RESOURCES[type] : undefined;
      if (!policy) {
        this.refuse([...path, type], `resource type not allowed (allowed: ${Object.keys(ROOM_RESOURCES).join(', ')})`);
        continue;
      }
      if (!this.object(byName, [...path, type], `the ${type} resources (name to body)`)) continue;
      for (const [name, body] of Object.entries(byName)) {
        const at = [...path, type, name];
        if (!TERRAFORM_NAME.test(name))
          this.refuse(at, 'expected a resource name of letters, digits, "_" and "-", starting with a letter or "_"');
        if (this.object(body, at, 'a resource body'))
          this.block(policy, body, at, type, { comment: true, refusals: META_ARGUMENTS });
      }
    }
  }

  imports(value: unknown): void {
    const path = ['import'];
    if (!Array.isArray(value)) return this.refuse(path, `expected an array of import blocks, found ${describe(value)}`);
    value.forEach((entry, i) => {
      const at = [...path, i];
      if (!this.object(entry, at, 'an import block')) return;
      for (const key of Object.keys(entry))
        if (key !== 'to' && key !== 'id') this.refuse([...at, key], 'an import block holds only to and id');
      if (typeof entry.to !== 'string')
        this.refuse([...at, 'to'], `expected a resource address of this stack, found ${describe(entry.to)}`);
      else if (!this.addresses.has(entry.to))
        this.refuse([...at, 'to'], `${quote(entry.to)} is not a resource of this stack`);
      if (typeof entry.id !== 'string' || entry.id === '')
        this.refuse([...at, 'id'], `expected the imported object's id as a string, found ${describe(entry.id)}`);
      else this.literalsOnly(entry.id, [...at, 'id']);
    });
  }

  removed(value: unknown): void {
    const path = ['removed'];
    if (!Array.isArray(value))
      return this.refuse(path, `expected an array of removed blocks, found ${describe(value)}`);
    const types = Object.keys(ROOM_RESOURCES);
    value.forEach((entry, i) => {
      const at = [...path, i];
      if (!this.object(entry, at, 'a removed block')) return;
      for (const key of Object.keys(entry)) {
        if (key === 'provisioner' || key === 'connection') this.refuse([...at, key], META_ARGUMENTS[key]);
        else if (key !== 'from' && key !== 'lifecycle')
          this.refuse([...at, key], 'a removed block holds only from and lifecycle');
      }
      const from = entry.from;
      const m = typeof from === 'string' ? /^([a-z_]+)\.([A-Za-z0-9_-]+)$/.exec(from) : null;
      if (!m || !types.includes(m[1]) || !TERRAFORM_NAME.test(m[2])) {
        this.refuse(
          [...at, 'from'],
          `expected the address of a room resource (${types.join(', ')}).<name>, found ${describe(from)}`,
        );
      }
      if (!deepEqual(entry.lifecycle, { destroy: false })) {
        this.refuse(
          [...at, 'lifecycle'],
          `expected exactly {"destroy": false} (forget, never destroy), found ${quote(entry.lifecycle, 120)}`,
        );
      }
    });
  }
}

/** Every problem of a parsed configuration; empty when Terraform may run it. */
export function checkStackConfig(config: unknown, trusted: TrustedSettings): string[] {
  const checker = new Checker(trusted);
  checker.document(config);
  return checker.problems;
}

/**
 * The text of `cdk.tf.json` to a configuration: refused when JSON.parse and Terraform could read it
 * differently (a duplicated key, which JSON.parse drops and Terraform reads twice) or when the
 * check finds anything. The caller writes `config` back out, so Terraform reads what was checked.
 */
export function parseStackConfig(text: string, trusted: TrustedSettings): { config?: Json; problems: string[] } {
  if (text.trim() === '')
    return { problems: ['(the document): the file is empty: expected the synthesized Terraform JSON'] };
  const { value, errors } = parseJsonText(text);
  if (errors.length > 0) {
    return {
      problems: errors.map(
        (e) => `${e.path ? formatPath(e.path) : '(the document)'}: ${e.message} (line ${e.line}, column ${e.column})`,
      ),
    };
  }
  const problems = checkStackConfig(value, trusted);
  return problems.length > 0 ? { problems } : { config: value as Json, problems };
}
