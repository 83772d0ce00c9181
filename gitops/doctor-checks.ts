/**
 * `learning-rooms doctor`: judges an admin repository's settings, as read through the API
 * (gitops/admin-snapshot.ts), against the setup of docs/gitops.md. Pure: a snapshot in, one check
 * per line out, each `ok` or a FIX that says what to do. Secrets are known by name only.
 */
import { formatRosterError, parseRoster } from '../roster';
import { readSettings, type SynthesisSettings } from '../contracts/settings';
import { GITOPS_CONFIG_FILE, gitopsEnv } from './gitops-config';
import { checkLockFile, LOCK_FILE } from './provider-lock';
import {
  CALLER_DIR,
  CALLER_WORKFLOWS,
  ENROL_ENVIRONMENT,
  FRONT_DOOR_CALLER_WORKFLOWS,
  FRONT_DOOR_SETTING,
  MANIFEST_FILE,
  parseManifest,
  pinDisagreements,
  REGISTRATION_LABEL,
  type EnvironmentName,
} from './admin-repository';

/** One read through the API: the value, or why it could not be read. */
export type Read<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

export interface InstallationInfo {
  id: number;
  appId: number;
  appSlug: string;
  /** The account it is installed on. */
  account: string;
  permissions: Readonly<Record<string, string>>;
  repositorySelection: 'all' | 'selected';
}

export interface EnvironmentInfo {
  name: string;
  /** null: every branch may use the environment. */
  branchPolicy: { protectedBranches: boolean; customBranchPolicies: boolean } | null;
  branchPolicies: Read<{ name: string; type: string }[]>;
  /** Names only. */
  secrets: Read<string[]>;
}

export interface RulesetInfo {
  id: number;
  name: string;
  target?: string;
  enforcement: string;
  include: string[];
  exclude: string[];
  /** Rule types (`pull_request`, `deletion`, ...). */
  rules: string[];
  /** Undefined when the token may not see them (GitHub shows them to those who may edit the ruleset). */
  bypassActors?: { actorId: number | null; actorType: string }[];
}

export interface AdminSnapshot {
  /** `owner/name` of the admin repository. */
  repository: string;
  repo: Read<{ defaultBranch: string }>;
  /** The files doctor reads from the default branch: path -> text, null when missing. */
  files: ReadonlyMap<string, Read<string | null>>;
  environments: Read<EnvironmentInfo[]>;
  repositorySecrets: Read<string[]>;
  organizationSecrets: Read<string[]>;
  rulesets: Read<RulesetInfo[]>;
  registrationLabel: Read<boolean>;
  /** Template `owner/name` -> whether it is a template, null when missing. */
  templates: ReadonlyMap<string, Read<{ isTemplate: boolean } | null>>;
  /** Account login (lower case) -> the App installations on it. */
  installations: ReadonlyMap<string, Read<InstallationInfo[]>>;
}

export interface Check {
  ok: boolean;
  subject: string;
  detail: string;
}

/** The files doctor reads from the admin repository. */
export const DOCTOR_FILES = [
  MANIFEST_FILE,
  LOCK_FILE,
  GITOPS_CONFIG_FILE,
  'roster.json',
  ...[...CALLER_WORKFLOWS, ...FRONT_DOOR_CALLER_WORKFLOWS].map((f) => `${CALLER_DIR}/${f}`),
];

const PROVISIONING_APP = ['PROVISIONING_APP_ID', 'PROVISIONING_APP_INSTALLATION_ID', 'PROVISIONING_APP_PRIVATE_KEY'];
const RECORDS_APP = ['RECORDS_APP_ID', 'RECORDS_APP_PRIVATE_KEY'];
const REGISTER_APP = ['REGISTER_APP_ID', 'REGISTER_APP_PRIVATE_KEY'];
const TOKEN = ['PROVISIONING_TOKEN'];

/**
 * The secret names each environment's jobs read (docs/gitops.md, "Permissions and secrets"); with
 * a public front door, also the Enrol job's environment (the registration and the records App).
 */
export function environmentSecrets(
  mode: SynthesisSettings['mode'],
  frontDoor = false,
): Partial<Record<EnvironmentName | typeof ENROL_ENVIRONMENT, string[]>> {
  const provider = mode === 'actions-bot' ? TOKEN : PROVISIONING_APP;
  return {
    'learning-rooms-plan': provider,
    'learning-rooms-apply': [...provider, ...RECORDS_APP],
    'learning-rooms-progress': [...PROVISIONING_APP, ...RECORDS_APP],
    'learning-rooms-register': REGISTER_APP,
    ...(frontDoor ? { [ENROL_ENVIRONMENT]: [...REGISTER_APP, ...RECORDS_APP] } : {}),
  };
}

/** The public front door the admin repository's settings name, if any. */
export function frontDoorOf(files: AdminSnapshot['files']): string | undefined {
  const read = files.get(GITOPS_CONFIG_FILE);
  const text = read?.ok ? read.value : null;
  if (text === null || text === undefined) return undefined;
  return gitopsEnv(text).env[FRONT_DOOR_SETTING] || undefined;
}
const KNOWN_SECRETS = new Set([...PROVISIONING_APP, ...RECORDS_APP, ...REGISTER_APP, ...TOKEN]);

interface AppRole {
  title: string;
  on: 'owner' | 'admin';
  needs: Readonly<Record<string, 'read' | 'write'>>;
  /** May hold no write permission at all. */
  readOnly?: boolean;
  /** Installed on the admin repository only. */
  selectedOnly?: boolean;
  create: string;
}

/** The four Apps of docs/gitops.md, in the order they are matched to installations. */
const ROLES: readonly AppRole[] = [
  {
    title: 'provisioning App',
    on: 'owner',
    // Pull requests: write for starter-code updates (propose-update opens one in each room).
    needs: { administration: 'write', contents: 'write', pull_requests: 'write', workflows: 'write' },
    create: 'Administration, Contents, Pull requests and Workflows: write',
  },
  {
    title: 'read-only App',
    on: 'owner',
    needs: { administration: 'read', contents: 'read', issues: 'read', pull_requests: 'read' },
    readOnly: true,
    create: 'Administration, Contents, Issues and Pull requests: read, nothing else',
  },
  { title: 'records App', on: 'admin', needs: { contents: 'write' }, selectedOnly: true, create: 'Contents: write' },
  {
    title: 'registration App',
    on: 'admin',
    needs: { contents: 'write', pull_requests: 'write' },
    selectedOnly: true,
    create: 'Contents and Pull requests: write',
  },
];

const LEVEL: Record<string, number> = { read: 1, write: 2, admin: 3 };
const REQUIRED_RULES: readonly [string, string][] = [
  ['pull_request', 'Require a pull request before merging'],
  ['deletion', 'Restrict deletions'],
  ['non_fast_forward', 'Block force pushes'],
  ['required_status_checks', 'Require status checks to pass (the Pull request checks jobs)'],
];

const ok = (subject: string, detail: string): Check => ({ ok: true, subject, detail });
const fix = (subject: string, detail: string): Check => ({ ok: false, subject, detail });
const unreadable = (subject: string, r: { status: number; message: string }, need: string): Check =>
  fix(subject, `cannot read it (HTTP ${r.status}: ${r.message}); run doctor with a token that has ${need}`);

/** The settings the admin repository's main gives the workflows (defaults when there is no file). */
export function adminSettings(files: AdminSnapshot['files']): { settings?: SynthesisSettings; errors: string[] } {
  const read = files.get(GITOPS_CONFIG_FILE);
  const text = read?.ok ? read.value : null;
  const env = text === null || text === undefined ? { env: {}, errors: [] } : gitopsEnv(text);
  if (env.errors.length > 0) return { errors: env.errors };
  const s = readSettings(env.env);
  return s.settings ? s : { errors: s.errors.map((e) => `${GITOPS_CONFIG_FILE}: ${e}`) };
}

/** What doctor reads beyond the admin repository itself: the templates and the owners' installations. */
export function doctorTargets(
  repository: string,
  files: AdminSnapshot['files'],
): { templates: string[]; owners: string[] } {
  const settings = adminSettings(files).settings;
  const templates = new Set<string>();
  if (settings) templates.add(settings.templateRepo);
  const roster = files.get('roster.json');
  if (roster?.ok && roster.value !== null) {
    for (const c of parseRoster(roster.value).roster?.cohorts ?? []) if (c.template) templates.add(c.template);
  }
  const owners = new Set([repository.split('/')[0].toLowerCase()]);
  if (settings) owners.add(settings.owner.toLowerCase());
  return { templates: [...templates].sort(), owners: [...owners] };
}

function fileText(s: AdminSnapshot, path: string): Read<string | null> {
  return s.files.get(path) ?? { ok: false, status: 0, message: 'not read' };
}

function checkRepository(s: AdminSnapshot): Check {
  if (!s.repo.ok) return unreadable('repository', s.repo, `Metadata: read on ${s.repository}`);
  return s.repo.value.defaultBranch === 'main'
    ? ok('repository', `${s.repository}, default branch main`)
    : fix(
        'repository',
        `the default branch is ${s.repo.value.defaultBranch}; the workflows and environments expect main: rename it (Settings → Branches)`,
      );
}

function checkPins(s: AdminSnapshot): Check[] {
  const m = fileText(s, MANIFEST_FILE);
  if (!m.ok) return [unreadable('pins', m, 'Contents: read')];
  if (m.value === null)
    return [
      fix(
        'pins',
        `no ${MANIFEST_FILE}: this is not a repository made by learning-rooms init; run init and copy your records into it`,
      ),
    ];
  const { manifest, errors } = parseManifest(m.value);
  if (!manifest) return [fix('pins', `${errors.join('; ')}; rewrite it with learning-rooms upgrade`)];
  const callers = new Map<string, string>();
  const missing: string[] = [];
  const expected = frontDoorOf(s.files) ? [...CALLER_WORKFLOWS, ...FRONT_DOOR_CALLER_WORKFLOWS] : CALLER_WORKFLOWS;
  for (const name of expected) {
    const f = fileText(s, `${CALLER_DIR}/${name}`);
    if (f.ok && f.value !== null) callers.set(`${CALLER_DIR}/${name}`, f.value);
    else missing.push(name);
  }
  const problems = pinDisagreements(callers, manifest);
  const checks: Check[] = [];
  if (missing.length > 0)
    checks.push(
      fix(
        'workflows',
        `${missing.join(', ')} missing from ${CALLER_DIR}: learning-rooms upgrade --templates writes them`,
      ),
    );
  else checks.push(ok('workflows', `the ${expected.length} caller workflows are present`));
  checks.push(
    problems.length === 0
      ? ok(
          'pins',
          `every caller runs ${manifest.repository}@${manifest.ref.slice(0, 12)} (v${manifest.version}), as ${MANIFEST_FILE} says`,
        )
      : fix(
          'pins',
          `${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}; learning-rooms upgrade --tool-ref ${manifest.ref} rewrites every pin to agree`,
        ),
  );
  return checks;
}

function checkLock(s: AdminSnapshot): Check {
  const f = fileText(s, LOCK_FILE);
  if (!f.ok) return unreadable('lock file', f, 'Contents: read');
  const how = `on a machine that reaches the Terraform registry, in a checkout of learning-rooms at the pinned release: node bin/learning-rooms.js lock-providers --out PATH/TO/${s.repository.split('/')[1]}/${LOCK_FILE} --run, then commit it`;
  if (f.value === null) return fix('lock file', `no ${LOCK_FILE}: no plan or apply can run without it; ${how}`);
  const problems = checkLockFile(f.value);
  return problems.length === 0
    ? ok('lock file', `${LOCK_FILE} pins the github provider`)
    : fix('lock file', `${problems[0]}; ${how}`);
}

function checkSettingsAndRoster(s: AdminSnapshot): Check[] {
  const out: Check[] = [];
  const settings = adminSettings(s.files);
  out.push(
    settings.settings
      ? ok('settings', `rooms under ${settings.settings.owner}, template ${settings.settings.templateRepo}`)
      : fix('settings', `${settings.errors.join('; ')}; correct ${GITOPS_CONFIG_FILE} in a pull request`),
  );
  const r = fileText(s, 'roster.json');
  if (!r.ok) out.push(unreadable('roster', r, 'Contents: read'));
  else if (r.value === null)
    out.push(fix('roster', 'no roster.json: learning-rooms init writes one with a first cohort'));
  else {
    const { roster, errors } = parseRoster(r.value);
    out.push(
      roster
        ? ok('roster', `${roster.cohorts.length} cohort(s), ${roster.learners.length} learner(s)`)
        : fix(
            'roster',
            `${errors.length} problem(s), first: ${formatRosterError(errors[0], 'roster.json')}; learning-rooms validate roster.json lists them all`,
          ),
    );
  }
  return out;
}

function checkTemplates(s: AdminSnapshot): Check[] {
  return [...s.templates].map(([name, t]) => {
    const subject = `template ${name}`;
    if (!t.ok) return unreadable(subject, t, `Metadata: read on ${name}`);
    if (t.value === null)
      return fix(
        subject,
        "does not exist, or the token cannot see it: create it, or correct LEARNING_ROOM_TEMPLATE_REPO / the cohort's template",
      );
    return t.value.isTemplate
      ? ok(subject, 'is a template repository')
      : fix(
          subject,
          'is not a template repository, so no room can be made from it: tick Settings → General → Template repository',
        );
  });
}

function checkEnvironments(s: AdminSnapshot, mode: SynthesisSettings['mode']): Check[] {
  if (!s.environments.ok) return [unreadable('environments', s.environments, 'Actions: read on the admin repository')];
  const byName = new Map(s.environments.value.map((e) => [e.name, e]));
  const wanted = environmentSecrets(mode, frontDoorOf(s.files) !== undefined);
  const out: Check[] = [];
  for (const name of Object.keys(wanted) as (keyof typeof wanted)[]) {
    const secretsWanted = wanted[name] ?? [];
    const subject = `environment ${name}`;
    const e = byName.get(name);
    if (!e) {
      out.push(
        fix(
          subject,
          `missing: Settings → Environments → New environment "${name}", then Deployment branches and tags → Selected branches and tags → add main`,
        ),
      );
      continue;
    }
    const only = 'choose Deployment branches and tags → Selected branches and tags with the one rule main';
    if (e.branchPolicy === null) out.push(fix(subject, `any branch may use it (and its secrets): ${only}`));
    else if (e.branchPolicy.protectedBranches)
      out.push(fix(subject, `open to every protected branch, not main only: ${only}`));
    else if (!e.branchPolicies.ok) out.push(unreadable(subject, e.branchPolicies, 'Actions: read'));
    else {
      const others = e.branchPolicies.value.filter((p) => !(p.name === 'main' && p.type !== 'tag'));
      const hasMain = e.branchPolicies.value.some((p) => p.name === 'main' && p.type !== 'tag');
      if (others.length > 0)
        out.push(
          fix(
            subject,
            `also open to ${others.map((p) => `${p.type} ${p.name}`).join(', ')}: delete those rules, keep only main`,
          ),
        );
      else if (!hasMain) out.push(fix(subject, 'no branch may use it: add the rule main'));
      else out.push(ok(subject, 'limited to main'));
    }
    const secrets = `secrets of ${name}`;
    if (!e.secrets.ok) out.push(unreadable(secrets, e.secrets, 'Environments: read'));
    else {
      const have = new Set(e.secrets.value);
      const missing = secretsWanted.filter((n) => !have.has(n));
      const extra = e.secrets.value.filter((n) => KNOWN_SECRETS.has(n) && !secretsWanted.includes(n));
      const why: string[] = [];
      if (missing.length > 0) why.push(`add ${missing.join(', ')}`);
      if (extra.length > 0) why.push(`delete ${extra.join(', ')}, which no job of this environment reads`);
      out.push(why.length === 0 ? ok(secrets, `${secretsWanted.join(', ')} present`) : fix(secrets, why.join('; ')));
    }
  }
  return out;
}

function checkSharedSecrets(s: AdminSnapshot): Check[] {
  const check = (subject: string, r: Read<string[]>, where: string, need: string): Check => {
    if (!r.ok) return unreadable(subject, r, need);
    return r.value.length === 0
      ? ok(subject, 'none (secrets live in the main-only environments)')
      : fix(
          subject,
          `${r.value.join(', ')} at ${where} level, readable by a workflow on any branch: move what is needed into the environments and delete these`,
        );
  };
  return [
    check('repository secrets', s.repositorySecrets, 'repository', 'Secrets: read'),
    check('organization secrets', s.organizationSecrets, 'organization', 'Secrets: read'),
  ];
}

function appliesToMain(r: RulesetInfo, defaultBranch: string): boolean {
  const names = (list: string[]) =>
    list.some((p) => p === '~ALL' || p === 'refs/heads/main' || (p === '~DEFAULT_BRANCH' && defaultBranch === 'main'));
  return (
    r.enforcement === 'active' &&
    (r.target === undefined || r.target === 'branch') &&
    names(r.include) &&
    !names(r.exclude)
  );
}

/**
 * How well an installation fits a role's permissions (lower is better): missing permissions and,
 * for the read-only App, writes count most; extra permissions break ties (the records App and the
 * registration App differ by one). Where it is installed is a problem to report, not an identity.
 */
function fit(role: AppRole, i: InstallationInfo): number {
  const wanted = new Set([...Object.keys(role.needs), 'metadata']);
  const missing = Object.entries(role.needs).filter(
    ([name, level]) => !i.permissions[name] || LEVEL[i.permissions[name]] < LEVEL[level],
  ).length;
  const writes = role.readOnly ? Object.values(i.permissions).filter((v) => LEVEL[v] >= LEVEL.write).length : 0;
  const extra = Object.keys(i.permissions).filter((k) => !wanted.has(k)).length;
  return 10 * (missing + writes) + extra;
}

/**
 * Matches the App roles to installations, one installation per role, at the least total cost: each
 * role's fit, a missing App costing more than any fit, and the records App taken to be the
 * ruleset's bypass actor when there is one. Four roles and a handful of installations: every
 * assignment is tried, so one App's shortfall is never blamed on another.
 */
function assignApps(
  installations: readonly InstallationInfo[],
  accountOf: (role: AppRole) => string,
  bypassAppIds: ReadonlySet<number>,
): Map<AppRole, InstallationInfo | undefined> {
  // An installation with none of a role's permissions is no candidate: naming it would mislead.
  const covers = (role: AppRole, i: InstallationInfo) =>
    Object.entries(role.needs).some(([name, level]) => LEVEL[i.permissions[name] ?? ''] >= LEVEL[level]);
  const candidates = ROLES.map((role) =>
    installations.filter((i) => i.account.toLowerCase() === accountOf(role) && covers(role, i)),
  );
  const cost = (role: AppRole, i: InstallationInfo | undefined) =>
    i === undefined ? 100 : fit(role, i) - (role.title === 'records App' && bypassAppIds.has(i.appId) ? 1000 : 0);
  let best: { cost: number; picks: (InstallationInfo | undefined)[] } | undefined;
  const visit = (k: number, picks: (InstallationInfo | undefined)[], total: number) => {
    if (k === ROLES.length) {
      if (!best || total < best.cost) best = { cost: total, picks: [...picks] };
      return;
    }
    for (const i of [...candidates[k], undefined]) {
      if (i && picks.includes(i)) continue;
      visit(k + 1, [...picks, i], total + cost(ROLES[k], i));
    }
  };
  visit(0, [], 0);
  return new Map(ROLES.map((role, k) => [role, best?.picks[k]]));
}

function appProblems(role: AppRole, i: InstallationInfo, frontDoor?: string): string[] {
  const problems: string[] = [];
  // With a front door, the registration App also reads and answers the requests there.
  if (frontDoor && role.title === 'registration App' && !((LEVEL[i.permissions.issues ?? ''] ?? 0) >= LEVEL.write)) {
    problems.push(`lacks issues: write (to answer the requests in the front door ${frontDoor}; install it there too)`);
  }
  for (const [name, level] of Object.entries(role.needs)) {
    const have = i.permissions[name];
    if (!have || LEVEL[have] < LEVEL[level]) problems.push(`lacks ${name}: ${level}${have ? ` (has ${have})` : ''}`);
  }
  if (role.readOnly) {
    const writes = Object.entries(i.permissions)
      .filter(([, v]) => LEVEL[v] >= LEVEL.write)
      .map(([k]) => k);
    if (writes.length > 0) problems.push(`may write ${writes.join(', ')}, but only reads`);
  }
  if (role.selectedOnly && i.repositorySelection === 'all')
    problems.push('is installed on every repository of the account, not on the admin repository only');
  return problems;
}

function checkRulesetAndApps(s: AdminSnapshot, studentOwner: string | undefined): Check[] {
  const out: Check[] = [];
  const defaultBranch = s.repo.ok ? s.repo.value.defaultBranch : 'main';
  const matching = s.rulesets.ok ? s.rulesets.value.filter((r) => appliesToMain(r, defaultBranch)) : [];
  const bypass = matching.flatMap((r) => r.bypassActors ?? []);
  const bypassAppIds = new Set(
    bypass.filter((b) => b.actorType === 'Integration' && b.actorId !== null).map((b) => b.actorId as number),
  );

  // Apps: the installations on the student owner and on the admin repository's owner.
  const adminOwner = s.repository.split('/')[0].toLowerCase();
  const accountOf = (role: AppRole) => (role.on === 'owner' ? (studentOwner ?? adminOwner).toLowerCase() : adminOwner);
  const pool: InstallationInfo[] = [];
  const unreadableOwners = new Map<string, Check>();
  for (const account of new Set(ROLES.map(accountOf))) {
    const r = s.installations.get(account);
    if (r?.ok) pool.push(...r.value.filter((i) => i.account.toLowerCase() === account));
    else {
      const why = r ?? { status: 0, message: 'not read' };
      unreadableOwners.set(
        account,
        unreadable(
          `App installations on ${account}`,
          why,
          'Administration: read on that organization (the API lists the installations of organizations only; check a user account by hand)',
        ),
      );
    }
  }
  out.push(...unreadableOwners.values());
  const assigned = assignApps(pool, accountOf, bypassAppIds);
  for (const role of ROLES) {
    const account = accountOf(role);
    if (unreadableOwners.has(account)) continue;
    const i = assigned.get(role);
    const where = role.on === 'owner' ? `on ${account}` : `on the admin repository ${s.repository} only`;
    if (!i) {
      out.push(
        fix(
          role.title,
          `no App installed on ${account} could be it: create a GitHub App with ${role.create} and install it ${where}`,
        ),
      );
      continue;
    }
    const problems = appProblems(role, i, frontDoorOf(s.files));
    const name = `${i.appSlug} (installation ${i.id})`;
    out.push(
      problems.length === 0
        ? ok(role.title, `${name} on ${i.account}`)
        : fix(
            role.title,
            `${name} ${problems.join('; ')}: change the App's permissions (then accept them on the installation) or its repository access`,
          ),
    );
  }
  const records = assigned.get(ROLES.find((r) => r.title === 'records App')!);

  const subject = 'ruleset on main';
  if (!s.rulesets.ok) out.push(unreadable(subject, s.rulesets, 'Metadata: read'));
  else if (matching.length === 0) {
    out.push(
      fix(
        subject,
        'no active branch ruleset applies to main: Settings → Rules → Rulesets → New branch ruleset, target the default branch, with Restrict deletions, Block force pushes, Require a pull request, Require status checks; bypass: the records App only',
      ),
    );
  } else {
    const rules = new Set(matching.flatMap((r) => r.rules));
    const missing = REQUIRED_RULES.filter(([type]) => !rules.has(type)).map(([, title]) => title);
    const problems: string[] = [];
    if (missing.length > 0) problems.push(`enable ${missing.join(', ')}`);
    if (matching.some((r) => r.bypassActors === undefined))
      problems.push('its bypass list is hidden from this token (run doctor as a repository admin)');
    const others = bypass.filter(
      (b) => b.actorType !== 'Integration' || (records !== undefined && b.actorId !== records.appId),
    );
    if (others.length > 0)
      problems.push(
        `remove ${others.map((b) => `${b.actorType}${b.actorId !== null ? ` ${b.actorId}` : ''}`).join(', ')} from the bypass list: only the records App may push to main without a pull request`,
      );
    if (matching.every((r) => r.bypassActors !== undefined) && !bypass.some((b) => b.actorType === 'Integration'))
      problems.push('add the records App to the bypass list (mode Always): the records are pushed with it');
    out.push(
      problems.length === 0
        ? ok(
            subject,
            `${matching.map((r) => r.name).join(', ')}: pull request, no deletion, no force push, status checks; only the records App bypasses`,
          )
        : fix(subject, problems.join('; ')),
    );
  }
  return out;
}

function checkLabel(s: AdminSnapshot): Check {
  const subject = `label ${REGISTRATION_LABEL}`;
  if (!s.registrationLabel.ok) return unreadable(subject, s.registrationLabel, 'Metadata: read');
  return s.registrationLabel.value
    ? ok(subject, 'exists')
    : fix(
        subject,
        `missing: the issue form applies it and Register looks for it; Issues → Labels → New label "${REGISTRATION_LABEL}"`,
      );
}

/** Every check, in the order of the operator's first hour. */
export function judgeAdminRepository(s: AdminSnapshot): Check[] {
  const settings = adminSettings(s.files).settings;
  return [
    checkRepository(s),
    ...checkPins(s),
    ...checkSettingsAndRoster(s),
    ...checkRulesetAndApps(s, settings?.owner),
    ...checkEnvironments(s, settings?.mode ?? 'github-app'),
    ...checkSharedSecrets(s),
    checkLabel(s),
    ...checkTemplates(s),
    checkLock(s),
  ];
}

/** One line per check: `ok   subject: detail` or `FIX  subject: detail`. */
export function formatChecks(checks: readonly Check[]): string {
  return checks.map((c) => `${c.ok ? 'ok ' : 'FIX'}  ${c.subject}: ${c.detail}\n`).join('');
}
