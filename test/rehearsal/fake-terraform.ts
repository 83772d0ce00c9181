/**
 * A stand-in `terraform` for the rehearsal's tests: a script put first on PATH that records every
 * call (arguments, folder, and the variables that matter, the key only as its kind) and replays
 * the recorded first apply of the project's runs (test/fixtures/project-runs/01-first-apply.*).
 * Its apply does what the provider would have done for the plan's creations, against the double
 * named by the stack's provider block and as the App of its environment (JWT, installation token),
 * so the rooms exist afterwards for the learners, progress and the watchdog. Once a stack has
 * state, its plans replay `later` (the test derives it from the recorded plan).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FIXTURE } from '../gitops/stack-fixtures';

const RUNS = join(__dirname, '..', 'fixtures', 'project-runs');
export const FIRST_PLAN = JSON.parse(readFileSync(join(RUNS, '01-first-apply.plan.json'), 'utf8')) as RecordedPlan;
export const FIRST_APPLY = readFileSync(join(RUNS, '01-first-apply.apply.jsonl'), 'utf8');

export interface RecordedPlan {
  resource_changes: { address: string; type: string; change: { actions: string[]; before: unknown; after: unknown } }[];
  [k: string]: unknown;
}

export interface FakeScenario {
  /** What `terraform version -json` says (default 1.11.4). */
  version?: string;
  /** `terraform providers lock` fails as it does when the registry cannot be reached. */
  noProvider?: boolean;
  /** `terraform apply` fails (exit 1) after an error diagnostic. */
  failApply?: boolean;
  /** Hang in this subcommand (after writing the marker file), to be interrupted. */
  blockOn?: string;
  /** The plan and apply stream once the stack has state. */
  later?: { plan: RecordedPlan; apply: string };
  /** The plan and apply stream of a stack without state (default: the recorded first apply). */
  first?: { plan: RecordedPlan; apply: string };
  /**
   * Plan from the stack's own configuration against the double instead of replaying (a course's
   * rooms): a room, a required file or a collaborator's invitation missing there is planned and
   * applied; whatever else the configuration holds (branches, pull requests, archiving) is no-op.
   */
  live?: boolean;
}

export interface FakeCall {
  args: string[];
  cwd: string;
  env: Record<string, string | null>;
}

export interface FakeTerraform {
  /** The folder to put first on PATH. */
  bin: string;
  /** Written when the fake starts to hang (blockOn). */
  marker: string;
  calls(): FakeCall[];
}

/** Only the recorded plan's changes to `addresses`, as `actions`; everything else no-op (a later plan). */
export function derivedPlan(changes: Record<string, string[]>): { plan: RecordedPlan; apply: string } {
  const plan: RecordedPlan = {
    ...FIRST_PLAN,
    resource_changes: FIRST_PLAN.resource_changes.map((rc) => {
      const actions = changes[rc.address];
      if (!actions) return { ...rc, change: { ...rc.change, actions: ['no-op'], before: rc.change.after } };
      return { ...rc, change: { ...rc.change, actions, before: actions[0] === 'create' ? null : rc.change.after } };
    }),
  };
  const lines = FIRST_APPLY.trim().split('\n');
  const mine = lines.filter((l) => Object.keys(changes).some((a) => l.includes(`"${a}"`)));
  const summary = JSON.stringify({
    '@level': 'info',
    '@message': `Apply complete! Resources: ${Object.keys(changes).length} added, 0 changed, 0 destroyed.`,
    type: 'change_summary',
    changes: { add: Object.keys(changes).length, change: 0, import: 0, remove: 0, operation: 'apply' },
  });
  return { plan, apply: [lines[0], ...mine, summary].join('\n') + '\n' };
}

const SCRIPT = String.raw`
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const S = JSON.parse(fs.readFileSync(__SCENARIO__, 'utf8'));
const args = process.argv.slice(2);
const env = process.env;
const pem = env.GITHUB_APP_PEM_FILE;
fs.appendFileSync(S.log, JSON.stringify({ args, cwd: process.cwd(), env: {
  GITHUB_APP_ID: env.GITHUB_APP_ID ?? null,
  GITHUB_APP_INSTALLATION_ID: env.GITHUB_APP_INSTALLATION_ID ?? null,
  GITHUB_APP_PEM_FILE: pem === undefined ? null : pem.startsWith('-----BEGIN RSA PRIVATE KEY-----') ? 'PKCS#1 PEM' : 'other',
  GITHUB_TOKEN: env.GITHUB_TOKEN ?? null,
  TF_CLI_CONFIG_FILE: env.TF_CLI_CONFIG_FILE ?? null,
  TF_IN_AUTOMATION: env.TF_IN_AUTOMATION ?? null,
  STACK: env.STACK ?? null,
  GITHUB_BASE_URL: env.GITHUB_BASE_URL ?? null,
  LEARNING_ROOMS_AT: env.LEARNING_ROOMS_AT ?? null,
} }) + '\n');
const sub = args[0];
const out = (t) => process.stdout.write(t);
const stateFile = () => JSON.parse(fs.readFileSync('backend_override.tf.json', 'utf8')).terraform.backend.local.path;

async function main() {
  if (S.blockOn === sub) {
    fs.writeFileSync(S.marker, String(process.pid));
    setInterval(() => {}, 1000);
    return new Promise(() => {});
  }
  if (sub === 'version') { out(JSON.stringify({ terraform_version: S.version, platform: 'linux_amd64' })); return 0; }
  if (sub === 'providers') {
    if (S.noProvider) {
      process.stderr.write('Error: Could not retrieve providers for locking\n\n- registry.terraform.io/integrations/github: could not connect to registry.terraform.io: no such host\n');
      return 1;
    }
    fs.writeFileSync('.terraform.lock.hcl', S.lockText);
    return 0;
  }
  if (sub === 'init') { out('Terraform has been successfully initialized!\n'); return 0; }
  if (sub === 'plan' && S.live) {
    const plan = await livePlan();
    fs.writeFileSync('tfplan', 'live');
    fs.writeFileSync('tfplan.live.json', JSON.stringify(plan));
    out(JSON.stringify({ '@level': 'info', '@message': 'Terraform ' + S.version, type: 'version' }) + '\n');
    return plan.resource_changes.some((rc) => rc.change.actions.join() !== 'no-op') ? 2 : 0;
  }
  if (sub === 'show' && S.live) { out(fs.readFileSync('tfplan.live.json', 'utf8')); return 0; }
  if (sub === 'apply' && S.live) {
    if (S.failApply) return 1;
    const plan = JSON.parse(fs.readFileSync('tfplan.live.json', 'utf8'));
    await provideLive(plan);
    writeState(plan);
    return 0;
  }
  if (sub === 'plan') {
    const which = fs.existsSync(stateFile()) ? 'later' : 'first';
    fs.writeFileSync('tfplan', which);
    const plan = S.plans[which].plan;
    out(JSON.stringify({ '@level': 'info', '@message': 'Terraform ' + S.version, type: 'version' }) + '\n');
    const changes = plan.resource_changes.filter((rc) => rc.change.actions.join() !== 'no-op').length;
    return changes > 0 ? 2 : 0;
  }
  if (sub === 'show') { out(JSON.stringify(S.plans[fs.readFileSync(args[args.length - 1], 'utf8')].plan)); return 0; }
  if (sub === 'apply') {
    if (S.failApply) {
      out(JSON.stringify({ '@level': 'error', '@message': 'Error: POST generate: 500', type: 'diagnostic',
        diagnostic: { severity: 'error', summary: 'POST generate: 500 Internal Server Error', address: 'github_repository.learner-alice-nguyen' } }) + '\n');
      return 1;
    }
    const which = fs.readFileSync('tfplan', 'utf8');
    await provide(S.plans[which].plan);
    out(S.plans[which].apply);
    writeState(S.plans[which].plan);
    return 0;
  }
  process.stderr.write('fake terraform: no ' + sub + '\n');
  return 1;
}

async function installationToken(provider) {
  const api = provider.base_url + 'api/v3';
  const b64 = (x) => Buffer.from(x).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = b64(JSON.stringify({ alg: 'RS256', typ: 'JWT' })) + '.' + b64(JSON.stringify({ iss: env.GITHUB_APP_ID, iat: now - 60, exp: now + 300 }));
  const jwt = body + '.' + b64(crypto.createSign('RSA-SHA256').update(body).sign(env.GITHUB_APP_PEM_FILE));
  const r = await fetch(api + '/app/installations/' + env.GITHUB_APP_INSTALLATION_ID + '/access_tokens', { method: 'POST', headers: { Authorization: 'Bearer ' + jwt } });
  const json = await r.json();
  if (r.status !== 201) throw new Error('access_tokens: ' + r.status + ' ' + JSON.stringify(json));
  return json.token;
}

function writeState(plan) {
  const resources = plan.resource_changes.map((rc) => ({ mode: 'managed', type: rc.type, name: rc.address.split('.')[1],
    instances: [{ attributes: rc.change.after }] }));
  fs.mkdirSync(path.dirname(stateFile()), { recursive: true });
  fs.writeFileSync(stateFile(), JSON.stringify({ version: 4, terraform_version: S.version, serial: 1, lineage: 'fake', outputs: {}, resources }));
}

// What the provider does for the plan's creations, as the App of the environment.
async function provide(plan) {
  const stack = JSON.parse(fs.readFileSync('cdk.tf.json', 'utf8'));
  const provider = [].concat(stack.provider.github)[0];
  const api = provider.base_url + 'api/v3';
  const call = async (method, p, token, json) => {
    const r = await fetch(api + p, { method, headers: { Authorization: 'Bearer ' + token, Accept: 'application/vnd.github+json',
      ...(json ? { 'Content-Type': 'application/json' } : {}) }, body: json ? JSON.stringify(json) : undefined });
    const text = await r.text();
    if (r.status >= 400 && !(method === 'GET' && r.status === 404)) throw new Error(method + ' ' + p + ': ' + r.status + ' ' + text);
    return { status: r.status, json: text ? JSON.parse(text) : null };
  };
  const token = await installationToken(provider);
  const owner = provider.owner;
  const todo = plan.resource_changes.filter((rc) => rc.change.actions.includes('create'));
  for (const kind of ['github_repository', 'github_repository_collaborator', 'github_repository_file'])
    for (const rc of todo.filter((x) => x.type === kind)) {
      const a = rc.change.after;
      if (kind === 'github_repository')
        await call('POST', '/repos/' + a.template[0].owner + '/' + a.template[0].repository + '/generate', token, { owner, name: a.name, private: true });
      if (kind === 'github_repository_collaborator') {
        const invitations = (await call('GET', '/repos/' + owner + '/' + a.repository + '/invitations', token)).json || [];
        for (const i of invitations) if (i.invitee.login.toLowerCase() === a.username.toLowerCase())
          await call('DELETE', '/repos/' + owner + '/' + a.repository + '/invitations/' + i.id, token);
        await call('PUT', '/repos/' + owner + '/' + a.repository + '/collaborators/' + a.username, token, { permission: a.permission });
      }
      if (kind === 'github_repository_file') {
        const at = '/repos/' + owner + '/' + a.repository + '/contents/' + a.file;
        const existing = await call('GET', at, token);
        await call('PUT', at, token, { message: 'Add ' + a.file, content: Buffer.from(a.content).toString('base64'),
          ...(existing.status === 200 ? { sha: existing.json.sha } : {}) });
      }
    }
}

// The live mode: the stack's configuration, its references to a repository's name resolved.
function liveConfig() {
  const stack = JSON.parse(fs.readFileSync('cdk.tf.json', 'utf8'));
  const provider = [].concat(stack.provider.github)[0];
  const res = stack.resource || {};
  const repos = res.github_repository || {};
  const resolve = (v) => typeof v === 'string' ? v.replace(/\$\{github_repository\.([^.]+)\.name\}/g, (_, k) => repos[k].name) : v;
  const all = [];
  for (const [type, byName] of Object.entries(res))
    for (const [name, attrs] of Object.entries(byName)) {
      const after = {};
      for (const [k, v] of Object.entries(attrs)) if (k !== '//' && k !== 'lifecycle' && k !== 'depends_on') after[k] = resolve(v);
      all.push({ address: type + '.' + name, type, name, after });
    }
  return { provider, all };
}

async function livePlan() {
  const { provider, all } = liveConfig();
  const api = provider.base_url + 'api/v3';
  const token = await installationToken(provider);
  const owner = provider.owner;
  const get = async (p) => {
    const r = await fetch(api + p, { headers: { Authorization: 'Bearer ' + token, Accept: 'application/vnd.github+json' } });
    const text = await r.text();
    if (r.status >= 400 && r.status !== 404) throw new Error('GET ' + p + ': ' + r.status + ' ' + text);
    return { status: r.status, json: text ? JSON.parse(text) : null };
  };
  const resource_changes = [];
  for (const rc of all) {
    const a = rc.after;
    const repo = rc.type === 'github_repository' ? a.name : a.repository;
    let actions = ['no-op'];
    const exists = repo && (await get('/repos/' + owner + '/' + repo)).status === 200;
    if (rc.type === 'github_repository' && !exists) actions = ['create'];
    if (rc.type === 'github_repository_file') {
      if (!exists || (await get('/repos/' + owner + '/' + repo + '/contents/' + a.file)).status === 404) actions = ['create'];
    }
    if (rc.type === 'github_repository_collaborators') {
      if (!exists) actions = ['create'];
      else {
        const people = new Set();
        for (const c of (await get('/repos/' + owner + '/' + repo + '/collaborators')).json || []) people.add(c.login.toLowerCase());
        for (const i of (await get('/repos/' + owner + '/' + repo + '/invitations')).json || []) people.add(i.invitee.login.toLowerCase());
        if ((a.user || []).some((u) => !people.has(u.username.toLowerCase()))) actions = ['update'];
      }
    }
    resource_changes.push({ address: rc.address, type: rc.type, name: rc.name, change: { actions, before: actions[0] === 'create' ? null : a, after: a } });
  }
  return { format_version: '1.2', terraform_version: S.version, resource_changes };
}

async function provideLive(plan) {
  const { provider } = liveConfig();
  const api = provider.base_url + 'api/v3';
  const token = await installationToken(provider);
  const owner = provider.owner;
  const call = async (method, p, json) => {
    const r = await fetch(api + p, { method, headers: { Authorization: 'Bearer ' + token, Accept: 'application/vnd.github+json',
      ...(json ? { 'Content-Type': 'application/json' } : {}) }, body: json ? JSON.stringify(json) : undefined });
    const text = await r.text();
    if (r.status >= 400 && !(method === 'GET' && r.status === 404)) throw new Error(method + ' ' + p + ': ' + r.status + ' ' + text);
    return { status: r.status, json: text ? JSON.parse(text) : null };
  };
  const todo = plan.resource_changes.filter((rc) => rc.change.actions.join() !== 'no-op');
  const done = [];
  for (const kind of ['github_repository', 'github_repository_collaborators', 'github_repository_file'])
    for (const rc of todo.filter((x) => x.type === kind)) {
      const a = rc.change.after;
      if (kind === 'github_repository')
        await call('POST', '/repos/' + a.template.owner + '/' + a.template.repository + '/generate', { owner, name: a.name, private: true });
      if (kind === 'github_repository_collaborators') {
        const people = new Set();
        for (const c of (await call('GET', '/repos/' + owner + '/' + a.repository + '/collaborators')).json || []) people.add(c.login.toLowerCase());
        for (const i of (await call('GET', '/repos/' + owner + '/' + a.repository + '/invitations')).json || []) people.add(i.invitee.login.toLowerCase());
        for (const u of a.user || [])
          if (!people.has(u.username.toLowerCase()))
            await call('PUT', '/repos/' + owner + '/' + a.repository + '/collaborators/' + u.username, { permission: u.permission });
      }
      if (kind === 'github_repository_file') {
        const at = '/repos/' + owner + '/' + a.repository + '/contents/' + a.file;
        const existing = await call('GET', at);
        await call('PUT', at, { message: 'Add ' + a.file, content: Buffer.from(a.content).toString('base64'),
          ...(existing.status === 200 ? { sha: existing.json.sha } : {}) });
      }
      done.push(rc);
    }
  for (const rc of done)
    out(JSON.stringify({ '@level': 'info', '@message': rc.address + ': Creation complete', type: 'apply_complete',
      hook: { resource: { addr: rc.address, resource: rc.address, implied_provider: 'github', resource_type: rc.type, resource_name: rc.name, resource_key: null },
        action: rc.change.actions[0], id_key: 'id', id_value: rc.name, elapsed_seconds: 0 } }) + '\n');
  out(JSON.stringify({ '@level': 'info', '@message': 'Apply complete! Resources: ' + done.length + ' changed.', type: 'change_summary',
    changes: { add: done.filter((rc) => rc.change.actions[0] === 'create').length, change: done.filter((rc) => rc.change.actions[0] === 'update').length, import: 0, remove: 0, operation: 'apply' } }) + '\n');
}

main().then((code) => { if (code !== undefined) process.exitCode = code; }, (e) => { process.stderr.write(String(e.stack || e) + '\n'); process.exitCode = 1; });
`;

export function fakeTerraform(root: string, scenario: FakeScenario = {}): FakeTerraform {
  const bin = join(root, 'fake-bin');
  mkdirSync(bin, { recursive: true });
  const log = join(root, 'fake-terraform-calls.jsonl');
  const marker = join(root, 'fake-terraform-blocked');
  const scenarioFile = join(root, 'fake-terraform-scenario.json');
  writeFileSync(
    scenarioFile,
    JSON.stringify({
      version: scenario.version ?? '1.11.4',
      noProvider: scenario.noProvider ?? false,
      failApply: scenario.failApply ?? false,
      blockOn: scenario.blockOn ?? null,
      live: scenario.live ?? false,
      lockText: readFileSync(LOCK_FIXTURE, 'utf8'),
      log,
      marker,
      plans: {
        first: scenario.first ?? { plan: FIRST_PLAN, apply: FIRST_APPLY },
        later: scenario.later ?? derivedPlan({}),
      },
    }),
  );
  writeFileSync(
    join(bin, 'terraform'),
    `#!${process.execPath}\n${SCRIPT.replace('__SCENARIO__', JSON.stringify(scenarioFile))}`,
  );
  chmodSync(join(bin, 'terraform'), 0o755);
  return {
    bin,
    marker,
    calls: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as FakeCall)
        : [],
  };
}
