/**
 * Typed readers for Terraform's machine-readable output:
 * - `terraform show -json PLANFILE` (one JSON document, `format_version` 1.x), and
 * - the `terraform apply -json` stream (JSON Lines, UI `1.x`).
 *
 * Only the fields the post-step and the plan comment use are typed; everything else is kept as
 * `unknown`. Both readers tolerate what Terraform adds over time (extra warning diagnostics, message
 * types we do not know, fields we do not use) and report what they cannot read instead of throwing.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { formatTextProblem, nestingBeyond } from '../shared/text-input';

/** Attribute values of a resource before/after a change, as `show -json` prints them. */
export type ResourceValues = Record<string, unknown>;

export interface ResourceChangeBody {
  actions: string[];
  before: ResourceValues | null;
  after: ResourceValues | null;
}

export interface ResourceChange {
  address: string;
  mode?: string;
  type: string;
  name?: string;
  change: ResourceChangeBody;
  /** e.g. `delete_because_no_resource_config`, `replace_because_tainted`. */
  action_reason?: string;
  /** Present when an import block brings an existing object under management in this plan. */
  importing?: { id?: string };
}

export interface TerraformPlanJson {
  format_version: string;
  terraform_version?: string;
  resource_changes: ResourceChange[];
  /** Objects that changed outside Terraform since the last apply (found by the refresh). */
  resource_drift: ResourceChange[];
  /** false/absent for a good plan; true when the plan failed and the file is incomplete. */
  errored: boolean;
  complete: boolean;
  applyable: boolean;
  /** Resources in state before the plan: address -> values (used to tell an archive from a delete). */
  prior_state: Map<string, ResourceValues>;
}

/** The part of a plan the checks read (the removal guard, reconstruct's adoption check). */
export type PlanResourceChanges = Pick<TerraformPlanJson, 'resource_changes'>;

export interface ReadProblem {
  /** 1-based line for streams; absent for whole-document problems. */
  line?: number;
  message: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readChange(raw: unknown, where: string, problems: ReadProblem[]): ResourceChange | undefined {
  if (
    !isRecord(raw) ||
    typeof raw.address !== 'string' ||
    !isRecord(raw.change) ||
    !Array.isArray(raw.change.actions)
  ) {
    problems.push({ message: `${where}: expected an object with "address" and "change.actions"` });
    return undefined;
  }
  const c = raw.change;
  const actions = (c.actions as unknown[]).filter((a): a is string => typeof a === 'string');
  const out: ResourceChange = {
    address: raw.address,
    type: typeof raw.type === 'string' ? raw.type : raw.address.split('.')[0],
    change: {
      actions,
      before: isRecord(c.before) ? c.before : null,
      after: isRecord(c.after) ? c.after : null,
    },
  };
  if (typeof raw.mode === 'string') out.mode = raw.mode;
  if (typeof raw.name === 'string') out.name = raw.name;
  if (typeof raw.action_reason === 'string') out.action_reason = raw.action_reason;
  if (isRecord(c.importing)) out.importing = typeof c.importing.id === 'string' ? { id: c.importing.id } : {};
  return out;
}

function collectStateResources(module: unknown, into: Map<string, ResourceValues>): void {
  if (!isRecord(module)) return;
  if (Array.isArray(module.resources)) {
    for (const r of module.resources) {
      if (isRecord(r) && typeof r.address === 'string' && isRecord(r.values)) into.set(r.address, r.values);
    }
  }
  if (Array.isArray(module.child_modules)) for (const child of module.child_modules) collectStateResources(child, into);
}

/**
 * Terraform nests blocks and modules, a plan of our stacks about a dozen levels; the bound keeps a
 * broken or hostile file from overflowing the stack in the recursive walks (child modules).
 */
export const PLAN_MAX_DEPTH = 256;

/** Reads `terraform show -json PLANFILE`. Throws only when the text is not a plan at all. */
export function parsePlanJson(text: string, source = 'plan'): { plan: TerraformPlanJson; problems: ReadProblem[] } {
  const tooDeep = nestingBeyond(text, PLAN_MAX_DEPTH);
  if (tooDeep)
    throw new Error(`${formatTextProblem(source, tooDeep)}; expected the output of \`terraform show -json PLANFILE\``);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(
      `${source}: not JSON (${(err as Error).message}); expected the output of \`terraform show -json PLANFILE\``,
      { cause: err },
    );
  }
  if (!isRecord(raw) || typeof raw.format_version !== 'string') {
    throw new Error(
      `${source}: expected a Terraform plan document with "format_version" (the output of \`terraform show -json PLANFILE\`)`,
    );
  }
  if (!raw.format_version.startsWith('1.')) {
    throw new Error(`${source}: plan format_version ${raw.format_version} is not supported; expected 1.x`);
  }
  if ('values' in raw && !('resource_changes' in raw) && !('planned_values' in raw)) {
    throw new Error(
      `${source}: this is a state document (\`terraform show -json\` without a plan file); expected a plan`,
    );
  }
  const problems: ReadProblem[] = [];
  const read = (key: string): ResourceChange[] => {
    const list = raw[key as keyof typeof raw];
    if (list === undefined) return [];
    if (!Array.isArray(list)) {
      problems.push({ message: `${source}: "${key}" should be an array` });
      return [];
    }
    return list
      .map((c, i) => readChange(c, `${source}: ${key}[${i}]`, problems))
      .filter((c): c is ResourceChange => !!c);
  };
  const prior = new Map<string, ResourceValues>();
  if (isRecord(raw.prior_state) && isRecord(raw.prior_state.values))
    collectStateResources(raw.prior_state.values.root_module, prior);
  const plan: TerraformPlanJson = {
    format_version: raw.format_version,
    resource_changes: read('resource_changes'),
    resource_drift: read('resource_drift'),
    errored: raw.errored === true,
    // Terraform before 1.8 has no "complete"; a plan without the flag is complete unless errored.
    complete: typeof raw.complete === 'boolean' ? raw.complete : raw.errored !== true,
    applyable: typeof raw.applyable === 'boolean' ? raw.applyable : true,
    prior_state: prior,
  };
  if (typeof raw.terraform_version === 'string') plan.terraform_version = raw.terraform_version;
  return { plan, problems };
}

// ---------------------------------------------------------------------------------------------
// The -json UI stream

export interface StreamDiagnostic {
  severity: 'error' | 'warning' | string;
  summary: string;
  detail: string;
  /** Present when Terraform ties the diagnostic to a resource. */
  address?: string;
  line: number;
}

/** What the stream says about one resource. */
export interface ResourceTrace {
  address: string;
  /** From the replayed `planned_change` lines at the top of an apply stream. */
  planned?: { action: string; reason?: string };
  /** Action of the apply hooks (`create`, `update`, `delete`, `replace`, ...). */
  action?: string;
  started: boolean;
  completed: boolean;
  errored: boolean;
  id?: string;
}

export interface TerraformStream {
  terraformVersion?: string;
  /** `@timestamp` of the first message: when Terraform started (ISO 8601, microseconds). */
  startedAt?: string;
  resources: Map<string, ResourceTrace>;
  diagnostics: StreamDiagnostic[];
  /** The last `change_summary` (absent after a failed apply). */
  changeSummary?: { add: number; change: number; remove: number; operation: string };
  /** Message types seen that this reader does not interpret (for the operator's curiosity only). */
  unknownTypes: string[];
  problems: ReadProblem[];
  lineCount: number;
}

const HOOK_TYPES = new Set(['apply_start', 'apply_progress', 'apply_complete', 'apply_errored']);
const KNOWN_TYPES = new Set([
  'version',
  'log',
  'diagnostic',
  'planned_change',
  'resource_drift',
  'change_summary',
  'outputs',
  'refresh_start',
  'refresh_complete',
  'provision_start',
  'provision_progress',
  'provision_complete',
  'provision_errored',
  'test_abstract',
  ...HOOK_TYPES,
]);

function hookAddress(v: unknown): string | undefined {
  if (!isRecord(v) || !isRecord(v.resource)) return undefined;
  return typeof v.resource.addr === 'string' ? v.resource.addr : undefined;
}

/**
 * Reads a `terraform plan|apply -json` stream fed line by line. A line that is not JSON (a truncated
 * last line, a stray print) is reported in `problems` and skipped: the rest of the stream still counts.
 */
export class TerraformStreamReader {
  private readonly out: TerraformStream = {
    resources: new Map(),
    diagnostics: [],
    unknownTypes: [],
    problems: [],
    lineCount: 0,
  };
  private readonly unknown = new Set<string>();
  private lineNo = 0;

  constructor(private readonly source = 'apply stream') {}

  private trace(address: string): ResourceTrace {
    let t = this.out.resources.get(address);
    if (!t) {
      t = { address, started: false, completed: false, errored: false };
      this.out.resources.set(address, t);
    }
    return t;
  }

  line(raw: string): void {
    this.lineNo += 1;
    const line = raw.trim();
    if (line === '') return;
    const out = this.out;
    out.lineCount = this.lineNo;
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      out.problems.push({
        line: this.lineNo,
        message: `${this.source}: line ${this.lineNo} is not JSON (truncated or not a -json stream); skipped`,
      });
      return;
    }
    if (!isRecord(msg) || typeof msg.type !== 'string') {
      out.problems.push({ line: this.lineNo, message: `${this.source}: line ${this.lineNo} has no "type"; skipped` });
      return;
    }
    const type = msg.type;
    if (
      out.startedAt === undefined &&
      typeof msg['@timestamp'] === 'string' &&
      !Number.isNaN(Date.parse(msg['@timestamp']))
    ) {
      out.startedAt = msg['@timestamp'];
    }
    if (!KNOWN_TYPES.has(type)) this.unknown.add(type);
    if (type === 'version' && typeof msg.terraform === 'string') out.terraformVersion = msg.terraform;
    else if (type === 'planned_change' && isRecord(msg.change)) {
      const addr = hookAddress(msg.change);
      if (addr && typeof msg.change.action === 'string') {
        const p: { action: string; reason?: string } = { action: msg.change.action };
        if (typeof msg.change.reason === 'string') p.reason = msg.change.reason;
        this.trace(addr).planned = p;
      }
    } else if (HOOK_TYPES.has(type)) {
      const addr = hookAddress(msg.hook);
      if (!addr || !isRecord(msg.hook)) return;
      const t = this.trace(addr);
      if (typeof msg.hook.action === 'string') t.action = msg.hook.action;
      if (typeof msg.hook.id_value === 'string') t.id = msg.hook.id_value;
      if (type === 'apply_start' || type === 'apply_progress') t.started = true;
      else if (type === 'apply_complete') t.completed = true;
      else if (type === 'apply_errored') t.errored = true;
    } else if (type === 'diagnostic' && isRecord(msg.diagnostic)) {
      const d = msg.diagnostic;
      const diag: StreamDiagnostic = {
        severity:
          typeof d.severity === 'string'
            ? d.severity
            : typeof msg['@level'] === 'string'
              ? (msg['@level'] as string)
              : 'error',
        summary: typeof d.summary === 'string' ? d.summary : '',
        detail: typeof d.detail === 'string' ? d.detail : '',
        line: this.lineNo,
      };
      if (typeof d.address === 'string') diag.address = d.address;
      out.diagnostics.push(diag);
    } else if (type === 'change_summary' && isRecord(msg.changes)) {
      const c = msg.changes;
      out.changeSummary = {
        add: Number(c.add ?? 0),
        change: Number(c.change ?? 0),
        remove: Number(c.remove ?? 0),
        operation: typeof c.operation === 'string' ? c.operation : 'unknown',
      };
    }
  }

  finish(): TerraformStream {
    this.out.unknownTypes = [...this.unknown].sort();
    return this.out;
  }
}

export function parseTerraformStream(text: string, source = 'apply stream'): TerraformStream {
  const reader = new TerraformStreamReader(source);
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    reader.line(text.slice(start, end));
    start = end + 1;
  }
  return reader.finish();
}

/**
 * Reads a stream file in chunks, decoding one line at a time: an apply of thousands of learners is
 * tens of MiB, which then never sits in memory as one string.
 */
export function readTerraformStreamFile(path: string): TerraformStream {
  const reader = new TerraformStreamReader(path);
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let carry: Buffer = Buffer.alloc(0);
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      let data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let from = 0;
      for (let nl = data.indexOf(10, from); nl !== -1; nl = data.indexOf(10, from)) {
        reader.line(data.toString('utf8', from, nl));
        from = nl + 1;
      }
      data = data.subarray(from);
      carry = Buffer.from(data); // copy: `chunk` is reused by the next read
    }
    if (carry.length > 0) reader.line(carry.toString('utf8'));
  } finally {
    closeSync(fd);
  }
  return reader.finish();
}

/** Error diagnostics (warnings such as "development overrides are in effect" are not failures). */
export function errorDiagnostics(stream: TerraformStream): StreamDiagnostic[] {
  return stream.diagnostics.filter((d) => d.severity === 'error');
}
