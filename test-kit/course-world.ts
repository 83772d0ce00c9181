/**
 * Terraform's view of a synthesized stack, for tests and benchmarks that cannot run the provider:
 * the state an apply of a configuration leaves (raw state, version 4), the plan of a configuration
 * against a state (`terraform show -json` shape, as the recorded fixtures in test/fixtures/terraform),
 * and the apply stream (`terraform apply -json`). References are resolved the way the provider would
 * (`${github_repository.X.name}` to the name, the default branch to "main"); an attribute differs when
 * its configured value differs from state, `lifecycle.ignore_changes` honoured; a resource in state
 * but not in the configuration is deleted, or forgotten by a `removed` block.
 */

type Json = Record<string, unknown>;
const PROVIDER = 'provider["registry.terraform.io/integrations/github"]';
const META = new Set(['//', 'lifecycle', 'depends_on']);

export interface StateResource {
  address: string;
  type: string;
  name: string;
  values: Json;
}

/** The resources of a configuration, references resolved, as an apply writes them to state. */
export function configuredResources(config: Json): StateResource[] {
  const resource = (config.resource ?? {}) as Record<string, Record<string, Json>>;
  const names = new Map(
    Object.entries(resource.github_repository ?? {}).map(([n, body]) => [n, String(body.name)] as const),
  );
  const resolve = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const m = /^\$\{github_repository\.([A-Za-z0-9_-]+)\.(name|default_branch)\}$/.exec(v);
      if (m) return m[2] === 'name' ? names.get(m[1]) : 'main';
      return v;
    }
    if (Array.isArray(v)) return v.map(resolve);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v as Json).map(([k, x]) => [k, resolve(x)]));
    return v;
  };
  const out: StateResource[] = [];
  for (const [type, byName] of Object.entries(resource)) {
    for (const [name, body] of Object.entries(byName)) {
      const values: Json = {};
      for (const [k, v] of Object.entries(body)) if (!META.has(k)) values[k] = resolve(v);
      if (type === 'github_repository') Object.assign(values, { default_branch: 'main', archived: false });
      if (type === 'github_repository_pull_request') Object.assign(values, { number: 1, state: 'open' });
      if (type === 'github_repository_collaborators') values.invitation_ids = {};
      out.push({ address: `${type}.${name}`, type, name, values });
    }
  }
  return out;
}

/** Raw state (as `terraform state pull` prints it) holding these resources. */
export function rawStateOf(resources: readonly StateResource[]): string {
  return JSON.stringify({
    version: 4,
    terraform_version: '1.11.4',
    serial: 1,
    lineage: 'course-world',
    outputs: {},
    resources: resources.map((r) => ({
      mode: 'managed',
      type: r.type,
      name: r.name,
      provider: PROVIDER,
      instances: [{ schema_version: 0, attributes: r.values }],
    })),
    check_results: null,
  });
}

/** The state after applying `config` to `state`: exactly what the configuration says. */
export function applied(config: Json): StateResource[] {
  return configuredResources(config);
}

function ignoredOf(body: Json): Set<string> {
  const lc = body.lifecycle as { ignore_changes?: string[] } | undefined;
  return new Set(lc?.ignore_changes ?? []);
}

const same = (a: unknown, b: unknown): boolean => {
  if (Array.isArray(a) && Array.isArray(b)) {
    // Blocks of a set: order does not matter.
    const key = (x: unknown) => JSON.stringify(x);
    return a.length === b.length && [...a].map(key).sort().join() === [...b].map(key).sort().join();
  }
  return JSON.stringify(a) === JSON.stringify(b);
};

/** `terraform show -json` of planning `config` against `state` (a refresh that found nothing changed). */
export function planOf(config: Json, state: readonly StateResource[]): Json {
  const desired = configuredResources(config);
  const resource = (config.resource ?? {}) as Record<string, Record<string, Json>>;
  const forgotten = new Set(((config.removed ?? []) as { from: string }[]).map((r) => r.from));
  const inState = new Map(state.map((r) => [r.address, r]));
  const changes: Json[] = [];
  const rc = (r: StateResource, actions: string[], before: Json | null, after: Json | null, reason?: string) => ({
    address: r.address,
    mode: 'managed',
    type: r.type,
    name: r.name,
    provider_name: 'registry.terraform.io/integrations/github',
    change: { actions, before, after, after_unknown: {}, before_sensitive: {}, after_sensitive: {} },
    ...(reason ? { action_reason: reason } : {}),
  });
  for (const d of desired) {
    const s = inState.get(d.address);
    if (!s) {
      changes.push(rc(d, ['create'], null, d.values));
      continue;
    }
    const ignored = ignoredOf(resource[d.type][d.name]);
    const differs = Object.keys(d.values).some(
      (k) =>
        !ignored.has(k) &&
        !['default_branch', 'archived', 'number', 'state', 'invitation_ids'].includes(k) &&
        !same(d.values[k], s.values[k]),
    );
    const after = { ...s.values };
    for (const [k, v] of Object.entries(d.values)) if (!ignored.has(k)) after[k] = v;
    changes.push(rc(d, [differs ? 'update' : 'no-op'], s.values, differs ? after : s.values));
  }
  const configured = new Set(desired.map((d) => d.address));
  for (const s of state) {
    if (configured.has(s.address)) continue;
    if (forgotten.has(s.address)) changes.push(rc(s, ['forget'], s.values, null, 'delete_because_no_resource_config'));
    else changes.push(rc(s, ['delete'], s.values, null, 'delete_because_no_resource_config'));
  }
  return {
    format_version: '1.2',
    terraform_version: '1.11.4',
    resource_changes: changes,
    resource_drift: [],
    prior_state: {
      format_version: '1.0',
      terraform_version: '1.11.4',
      values: {
        root_module: {
          resources: state.map((s) => ({
            address: s.address,
            mode: 'managed',
            type: s.type,
            name: s.name,
            provider_name: 'registry.terraform.io/integrations/github',
            schema_version: 0,
            values: s.values,
          })),
        },
      },
    },
    configuration: { provider_config: { github: { name: 'github' } } },
    applyable: changes.some((c) => !(c.change as { actions: string[] }).actions.every((a) => a === 'no-op')),
    complete: true,
    errored: false,
  };
}

/** The `terraform apply -json` stream of a plan that went through, every change completed. */
export function applyStreamOf(plan: Json, at = '2026-03-10T17:07:00Z'): string {
  const lines: Json[] = [
    {
      '@level': 'info',
      '@message': 'Terraform 1.11.4',
      '@timestamp': at,
      terraform: '1.11.4',
      type: 'version',
      ui: '1.2',
    },
  ];
  for (const c of plan.resource_changes as {
    address: string;
    type: string;
    name: string;
    change: { actions: string[] };
  }[]) {
    const a = c.change.actions;
    if (a.every((x) => x === 'no-op' || x === 'forget')) continue;
    const action = a.includes('create') && a.includes('delete') ? 'replace' : a[0];
    const resource = {
      addr: c.address,
      module: '',
      resource: c.address,
      implied_provider: 'github',
      resource_type: c.type,
      resource_name: c.name,
      resource_key: null,
    };
    lines.push({ '@level': 'info', '@timestamp': at, hook: { resource, action }, type: 'apply_start' });
    lines.push({
      '@level': 'info',
      '@timestamp': at,
      hook: { resource, action, elapsed_seconds: 1 },
      type: 'apply_complete',
    });
  }
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}
