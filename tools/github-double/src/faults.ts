/**
 * Faults injected per method and path: a status with body and headers, a latency, or both, for a
 * number of matching requests. The field names are those of the recorded fixtures
 * (`path_re`, `req_body_re`, `times`), so their fault files can be posted as they are.
 */
export interface FaultSpec {
  method?: string;
  /** Regular expression over the path as received, e.g. `^/api/v3/repos/acme/tmpl/generate$`. */
  path_re?: string;
  /** Regular expression the raw request body must match. */
  req_body_re?: string;
  /** Answer with this status instead of handling the request; omit to only add latency. */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  latency_ms?: number;
  /** How many matching requests the fault hits; omitted = every one. */
  times?: number;
}

interface ArmedFault {
  spec: FaultSpec;
  method?: string;
  path?: RegExp;
  body?: RegExp;
  remaining: number;
  hits: number;
}

export interface FaultStatus extends FaultSpec {
  hits: number;
  remaining: number | null;
}

function regex(source: string | undefined, where: string, errors: string[]): RegExp | undefined {
  if (source === undefined) return undefined;
  try {
    return new RegExp(source);
  } catch (e) {
    errors.push(`${where}: not a regular expression (${(e as Error).message})`);
    return undefined;
  }
}

/** Checks a fault list; every problem at once, each naming the fault by index and field. */
export function parseFaults(value: unknown): { faults?: FaultSpec[]; errors: string[] } {
  if (!Array.isArray(value)) return { errors: ['faults: expected an array of fault objects'] };
  const errors: string[] = [];
  value.forEach((f: unknown, i) => {
    const at = `faults[${i}]`;
    if (!f || typeof f !== 'object' || Array.isArray(f)) {
      errors.push(`${at}: expected an object`);
      return;
    }
    const o = f as Record<string, unknown>;
    const known = new Set([
      'method',
      'path_re',
      'req_body_re',
      'status',
      'body',
      'headers',
      'latency_ms',
      'times',
      'comment',
    ]);
    for (const k of Object.keys(o))
      if (!known.has(k)) errors.push(`${at}.${k}: unknown field (expected one of ${[...known].join(', ')})`);
    for (const k of ['method', 'path_re', 'req_body_re'] as const)
      if (o[k] !== undefined && typeof o[k] !== 'string') errors.push(`${at}.${k}: expected a string`);
    if (
      o.status !== undefined &&
      !(Number.isInteger(o.status) && (o.status as number) >= 100 && (o.status as number) <= 599)
    )
      errors.push(`${at}.status: expected an HTTP status 100-599`);
    for (const k of ['latency_ms', 'times'] as const)
      if (o[k] !== undefined && !(Number.isInteger(o[k]) && (o[k] as number) >= 0))
        errors.push(`${at}.${k}: expected a whole number >= 0`);
    if (
      o.headers !== undefined &&
      (typeof o.headers !== 'object' ||
        o.headers === null ||
        Object.values(o.headers).some((v) => typeof v !== 'string'))
    )
      errors.push(`${at}.headers: expected an object of strings`);
    if (o.status === undefined && o.latency_ms === undefined)
      errors.push(`${at}: give a status, a latency_ms, or both`);
    if (typeof o.path_re === 'string') regex(o.path_re, `${at}.path_re`, errors);
    if (typeof o.req_body_re === 'string') regex(o.req_body_re, `${at}.req_body_re`, errors);
  });
  return errors.length ? { errors } : { faults: value as FaultSpec[], errors };
}

export class Faults {
  private armed: ArmedFault[] = [];

  /** Replaces the armed faults (the list must have passed `parseFaults`). */
  set(specs: FaultSpec[]): void {
    const ignore: string[] = [];
    this.armed = specs.map((spec) => ({
      spec,
      method: spec.method?.toUpperCase(),
      path: regex(spec.path_re, '', ignore),
      body: regex(spec.req_body_re, '', ignore),
      remaining: spec.times ?? Infinity,
      hits: 0,
    }));
  }

  add(specs: FaultSpec[]): void {
    const before = this.armed;
    this.set(specs);
    this.armed = [...before, ...this.armed];
  }

  /** The first armed fault that matches; using it counts as one of its `times`. */
  take(method: string, rawPath: string, bodyText: string): FaultSpec | undefined {
    const f = this.armed.find(
      (a) =>
        a.remaining > 0 &&
        (!a.method || a.method === method) &&
        (!a.path || a.path.test(rawPath)) &&
        (!a.body || a.body.test(bodyText)),
    );
    if (!f) return undefined;
    f.remaining -= 1;
    f.hits += 1;
    return f.spec;
  }

  list(): FaultStatus[] {
    return this.armed.map((a) => ({
      ...a.spec,
      hits: a.hits,
      remaining: Number.isFinite(a.remaining) ? a.remaining : null,
    }));
  }

  clear(): void {
    this.armed = [];
  }
}
