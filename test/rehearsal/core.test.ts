/** The rehearsal's pure core: the seed from a roster, the learners' play, the report, the settings and the environments. */
import type { Roster } from '../../roster';
import { ROLES } from '../../gitops/doctor-checks';
import { healStacks, learnerRows, learnerTable, planCode } from '../../rehearsal/report';
import { rehearsalSettings } from '../../rehearsal/run';
import { appPermissions, rehearsalSeed, REHEARSAL_APP } from '../../rehearsal/seed';
import { CHALLENGES, describePlay, describePlays, simulationPlan, type PlayedRoom } from '../../rehearsal/simulation';
import { jobEnv, machineEnv, parseGithubEnv, stepEnv } from '../../rehearsal/step-env';

const roster: Roster = {
  format_version: 1,
  cohorts: [
    { cohort_id: 'spring', template: 'acme/tmpl', required_files: ['a.yml', 'b.yml'], challenge_label: 'step' },
    { cohort_id: 'autumn', required_files: ['a.yml'] },
    { cohort_id: 'guest', template: 'Other-Org/shared' },
  ],
  learners: [
    { github_handle: 'Alice', cohort_id: 'spring', path: 'web', provisioning: { state: 'pending' } },
    { github_handle: 'alice', cohort_id: 'autumn', path: 'web', provisioning: { state: 'provisioned' } },
    { github_handle: 'bob', cohort_id: 'guest', path: 'web', provisioning: { state: 'pending' } },
  ],
};

describe('the seed from a roster', () => {
  const files = new Map([
    ['a.yml', 'A'],
    ['b.yml', 'B'],
  ]);
  const seed = (templateFiles: 'present' | 'absent') =>
    rehearsalSeed({
      roster,
      owner: 'acme',
      defaultTemplate: 'acme/default-tmpl',
      requiredFiles: files,
      templateFiles,
      publicKeyPem: 'PUB',
    });

  test('the owner and every template owner as organizations, each learner once as a user', () => {
    const s = seed('absent');
    expect(s.orgs.map((o) => o.login)).toEqual(['acme', 'Other-Org']);
    expect(s.users).toEqual(['Alice', 'bob']);
  });

  test('one template per distinct template repository, the default for a cohort without one; labels of its cohorts', () => {
    expect(
      seed('absent').repos.map((r) => [
        `${r.owner}/${r.name}`,
        r.visibility,
        r.is_template,
        Object.keys(r.files),
        r.labels,
      ]),
    ).toEqual([
      ['acme/tmpl', 'private', true, ['README.md'], ['step']],
      ['acme/default-tmpl', 'private', true, ['README.md'], ['challenge']],
      // another account's template: public, or the installation on the owner could not read it
      ['Other-Org/shared', 'public', true, ['README.md'], ['challenge']],
    ]);
  });

  test('--template-files present puts each cohort’s required files, with their text, into its template', () => {
    expect(seed('present').repos.map((r) => r.files)).toEqual([
      { 'README.md': expect.any(String), 'a.yml': 'A', 'b.yml': 'B' },
      { 'README.md': expect.any(String), 'a.yml': 'A' },
      { 'README.md': expect.any(String) },
    ]);
  });

  test('one App with the given public key, installed on the owner as the provisioning App and as the read-only App, with exactly the documented permissions', () => {
    const app = seed('absent').app;
    expect(app).toMatchObject({ id: REHEARSAL_APP.id, publicKey: 'PUB' });
    expect(app.installations).toEqual([
      {
        id: REHEARSAL_APP.installations.provisioning,
        account: 'acme',
        permissions: {
          administration: 'write',
          contents: 'write',
          pull_requests: 'write',
          workflows: 'write',
          metadata: 'read',
        },
      },
      {
        id: REHEARSAL_APP.installations['read-only'],
        account: 'acme',
        permissions: {
          administration: 'read',
          contents: 'read',
          issues: 'read',
          pull_requests: 'read',
          metadata: 'read',
        },
      },
    ]);
    expect(appPermissions('provisioning')).toEqual({ ...ROLES[0].needs, metadata: 'read' });
    expect(() => appPermissions('read-only', [])).toThrow('no read-only App');
  });
});

describe('the learners’ play', () => {
  const room = (handle: string, requiredFiles: string[] = ['x.yml']): PlayedRoom => ({
    handle,
    cohort: 'c',
    repository: `o/c-${handle}`,
    requiredFiles,
    challengeLabel: 'challenge',
  });

  test('all accept but the last, whose invitation expires; four patterns of work; the first room with required files loses one', () => {
    const { plays } = simulationPlan([room('a', []), room('b'), room('c'), room('d'), room('e'), room('f')]);
    expect(plays.map((p) => [p.handle, p.accepts, p.expires, p.expected, p.deletes ?? null])).toEqual([
      ['a', true, false, 'complete', null],
      ['b', true, false, 'in-progress', 'x.yml'],
      ['c', true, false, 'acknowledged', null],
      ['d', true, false, 'not-started', null],
      ['e', true, false, 'complete', null],
      ['f', false, true, 'invitation-expired', null],
    ]);
    expect(plays.map(describePlay)).toEqual([
      `accepted, ack, closed ${CHALLENGES} of ${CHALLENGES}, day1-complete`,
      `accepted, ack, closed 1 of ${CHALLENGES}, x.yml deleted`,
      'accepted, ack',
      'accepted',
      `accepted, ack, closed ${CHALLENGES} of ${CHALLENGES}, day1-complete`,
      'let the invitation expire',
    ]);
  });

  test('the admin calls: challenges in every room first, then each learner’s acts as that learner', () => {
    const { calls } = simulationPlan([room('a'), room('b')]);
    expect(
      calls.map(
        (c) =>
          `${c.method} ${c.path} ${String(c.body.repo)} ${String(c.body.login ?? c.body.author ?? c.body.closed_by ?? c.body.path ?? '')}`,
      ),
    ).toEqual([
      ...Array(CHALLENGES).fill('POST /_admin/issues o/c-a github-actions[bot]'),
      ...Array(CHALLENGES).fill('POST /_admin/issues o/c-b github-actions[bot]'),
      'POST /_admin/accept_invites o/c-a a',
      'POST /_admin/comments o/c-a a',
      ...Array(CHALLENGES).fill('PATCH /_admin/issues o/c-a a'),
      'POST /_admin/comments o/c-a a',
      'POST /_admin/delete_file o/c-a x.yml',
      'POST /_admin/expire_invitation o/c-b b',
    ]);
    expect(calls.filter((c) => c.path === '/_admin/comments').map((c) => c.body.body)).toEqual([
      'ack',
      'day1-complete',
    ]);
  });

  test('no rooms, no calls', () => {
    expect(simulationPlan([])).toEqual({ plays: [], calls: [] });
  });

  /** A course's room: one member, or a team's. */
  const courseRoom = (assignment: string, members: string[], requiredFiles: string[] = ['x.yml']): PlayedRoom => ({
    handle: members[0],
    cohort: 'c',
    repository: `o/c-${assignment}-${members.length > 1 ? 'team' : members[0]}`,
    requiredFiles,
    challengeLabel: 'challenge',
    assignment,
    members,
  });

  test('a course: the patterns go round every member of every room; a team’s closes count for each member, ack and day1-complete for the writer; the last learner alone in a room lets the invitation expire', () => {
    const { plays } = simulationPlan([
      courseRoom('a1', ['a'], []),
      courseRoom('a1', ['b']),
      courseRoom('a2', ['a', 'b']),
      courseRoom('a3', ['c', 'd', 'a']),
    ]);
    expect(
      plays.map((p) => [p.assignment, p.handle, p.expires, p.closes, p.ack, p.expected, p.deletes ?? null]),
    ).toEqual([
      ['a1', 'a', false, CHALLENGES, true, 'complete', null],
      ['a1', 'b', true, 0, false, 'invitation-expired', 'x.yml'],
      // The team of a and b: a only acks, b does nothing: no challenge closed, each their own status.
      ['a2', 'a', false, 0, true, 'acknowledged', null],
      ['a2', 'b', false, 0, false, 'not-started', null],
      // c finishes for the team: d (who closed one) and a (who only acks) are complete too.
      ['a3', 'c', false, CHALLENGES, true, 'complete', null],
      ['a3', 'd', false, 1, true, 'complete', null],
      ['a3', 'a', false, 0, true, 'complete', null],
    ]);
    expect(describePlays(plays.filter((p) => p.handle === 'b'))).toBe(
      'a1: let the invitation expire, x.yml deleted; a2: accepted',
    );
  });

  test('only team rooms: the last member’s invitation expires, and the room, where the others accepted, reads as theirs', () => {
    const { plays } = simulationPlan([courseRoom('t', ['c', 'd', 'e'], [])]);
    expect(plays.map((p) => [p.handle, p.expires, p.expected])).toEqual([
      ['c', false, 'complete'],
      ['d', false, 'complete'],
      ['e', true, 'complete'],
    ]);
    expect(
      simulationPlan([courseRoom('t', ['c', 'd'], []), courseRoom('u', ['e', 'f'], [])]).plays.at(-1),
    ).toMatchObject({
      handle: 'f',
      expires: true,
      expected: 'not-started',
    });
  });

  test('a team’s room: each challenge closed once, by the first member who gets that far; each member acts as themselves', () => {
    const { calls } = simulationPlan([courseRoom('t', ['c', 'd', 'e'])]);
    expect(
      calls
        .filter((c) => c.path !== '/_admin/issues' || c.method === 'PATCH')
        .map(
          (c) =>
            `${c.method} ${c.path} ${String(c.body.login ?? c.body.author ?? c.body.closed_by ?? '')}${c.body.number ? ` #${String(c.body.number)}` : ''}`,
        ),
    ).toEqual([
      'POST /_admin/accept_invites c',
      'POST /_admin/comments c #1',
      ...Array.from({ length: CHALLENGES }, (_, i) => `PATCH /_admin/issues c #${i + 1}`),
      'POST /_admin/comments c #1',
      'POST /_admin/delete_file ',
      'POST /_admin/accept_invites d',
      'POST /_admin/comments d #1',
      'POST /_admin/expire_invitation e',
    ]);
  });
});

describe('the watchdog report’s choice of stacks to heal (watchdog-report.yml)', () => {
  test('changes heal; a clean plan heals only for expired invitations; a failed or missing plan never; not planned counts as clean', () => {
    const looks = [
      { stack: 'changes', planned: true, exitcode: 2, expired: 0 },
      { stack: 'clean', planned: true, exitcode: 0, expired: 0 },
      { stack: 'clean-expired', planned: true, exitcode: 0, expired: 1 },
      { stack: 'failed-expired', planned: true, exitcode: 1, expired: 2 },
      { stack: 'missing-plan', planned: true, expired: 1 },
      { stack: 'unplanned-expired', planned: false, expired: 1 },
      { stack: 'unplanned', planned: false, expired: 0 },
    ];
    expect(looks.map(planCode)).toEqual([2, 0, 0, 1, 1, 0, 0]);
    expect(healStacks(looks)).toEqual(['changes', 'clean-expired', 'unplanned-expired']);
  });
});

describe('the per-learner report', () => {
  const rosterAfter: Roster = {
    ...roster,
    learners: [
      { ...roster.learners[0], progress: { status: 'in-progress', challenges_closed: 1, challenges_total: 3 } },
      { ...roster.learners[1], progress: { status: 'invited' } },
      roster.learners[2],
    ],
  };
  const input = {
    roster: rosterAfter,
    rooms: [
      { handle: 'Alice', cohort: 'spring', stack: 'spring', repository: 'acme/spring-alice', admitted: true },
      { handle: 'alice', cohort: 'autumn', stack: 'autumn', repository: 'acme/autumn-alice', admitted: true },
    ],
    log: [
      { run_id: 'old', cohort: 'spring', learner: 'Alice', outcome: 'failed' },
      { run_id: 'r1', cohort: 'spring', learner: 'alice', outcome: 'created' },
      { run_id: 'r2', cohort: 'spring', learner: 'Alice', outcome: 'healed' },
      { run_id: 'r1', cohort: 'autumn', learner: 'alice', outcome: 'created' },
    ],
    runIds: new Set(['r1', 'r2']),
    progressRead: true,
    applyRequests: { 'acme/spring-alice': { total: 7 } },
    allRequests: { 'acme/spring-alice': { total: 9 }, 'acme/autumn-alice': { total: 3 } },
  };

  test('one row per roster learner: this rehearsal’s outcomes in order, the status with k of n, the requests of the room', () => {
    expect(learnerRows(input).map((r) => [r.handle, r.cohort, r.room, r.outcomes, r.status, r.requests])).toEqual([
      ['Alice', 'spring', 'spring-alice', ['created', 'healed'], 'in-progress (1 of 3)', { apply: 7, all: 9 }],
      ['alice', 'autumn', 'autumn-alice', ['created'], 'invited', { apply: 0, all: 3 }],
      ['bob', 'guest', '(none)', [], 'not read', { apply: 0, all: 0 }],
    ]);
  });

  test('a course learner’s row lists every room they are in and sums the requests of those rooms', () => {
    const course = {
      ...input,
      rooms: [
        ...input.rooms,
        { handle: 'bob', cohort: 'guest', stack: 'guest', repository: 'acme/guest-a1-bob', admitted: true },
        { handle: 'BOB', cohort: 'guest', stack: 'guest', repository: 'acme/guest-a3-team-1', admitted: true },
      ],
      applyRequests: {
        ...input.applyRequests,
        'acme/guest-a1-bob': { total: 5 },
        'acme/guest-a3-team-1': { total: 6 },
      },
      allRequests: { ...input.allRequests, 'acme/guest-a3-team-1': { total: 8 } },
    };
    const bob = learnerRows(course).find((r) => r.handle === 'bob');
    expect([bob?.room, bob?.requests]).toEqual(['guest-a1-bob, guest-a3-team-1', { apply: 11, all: 8 }]);
  });

  test('before any Progress ran, the roster’s statuses are not shown as the rehearsal’s', () => {
    expect(learnerRows({ ...input, progressRead: false }).map((r) => r.status)).toEqual([
      'not read (no Progress ran)',
      'not read (no Progress ran)',
      'not read (no Progress ran)',
    ]);
  });

  test('the table aligns its columns and has the played column only with --simulate', () => {
    const table = learnerTable(learnerRows(input));
    expect(table.split('\n')[0]).toBe(
      'learner  cohort  room          recorded         status                requests (first apply / all)',
    );
    expect(table.split('\n')[3]).toBe('bob      guest   (none)        nothing          not read              0 / 0');
  });
});

describe('the settings and environments of the rehearsed steps', () => {
  test('the rehearsal’s settings override pacing, budget, backend, mode and healing and drop the operator’s folders and backend settings', () => {
    expect(
      rehearsalSettings(
        {
          PROVISIONING_STUDENT_OWNER: 'acme',
          LEARNING_ROOMS_BACKEND: 's3',
          LEARNING_ROOMS_BACKEND_CONFIG: '{"bucket":"b"}',
          LEARNING_ROOMS_STATE_DIR: 'x',
          LEARNING_ROOMS_WRITE_DELAY_MS: '1000',
          PROVISIONING_MODE: 'actions-bot',
        },
        120,
      ),
    ).toEqual({
      PROVISIONING_STUDENT_OWNER: 'acme',
      PROVISIONING_MODE: 'github-app',
      LEARNING_ROOMS_BACKEND: 'git',
      LEARNING_ROOMS_REQUIRED_FILES_DIR: 'required-files',
      LEARNING_ROOMS_WRITE_DELAY_MS: '10',
      LEARNING_ROOMS_READ_DELAY_MS: '10',
      LEARNING_ROOMS_ADMISSION_BUDGET: '120',
      LEARNING_ROOMS_HEAL: 'true',
    });
  });

  test('the machine’s environment without credentials, settings, Terraform’s, git’s and Actions’ variables; the mirror stays', () => {
    expect(
      machineEnv({
        PATH: '/bin',
        HOME: '/h',
        GITHUB_TOKEN: 't',
        GH_TOKEN: 't',
        GITHUB_APP_PEM_FILE: 'k',
        PROVISIONING_APP_PRIVATE_KEY: 'k',
        AWS_SECRET_ACCESS_KEY: 's',
        TF_CLI_CONFIG_FILE: '/x',
        TF_PLUGIN_CACHE_DIR: '/c',
        GIT_DIR: '/g',
        LEARNING_ROOMS_BACKEND: 's3',
        LEARNING_ROOMS_PROVIDER_MIRROR: '/m',
        RUNNER_TEMP: '/r',
        CI: 'true',
      }),
    ).toEqual({ PATH: '/bin', HOME: '/h', LEARNING_ROOMS_PROVIDER_MIRROR: '/m' });
  });

  test('a step gets the job’s variables, what earlier steps appended, and the App’s credentials only when given', () => {
    const job = jobEnv(
      { PATH: '/bin' },
      {
        toolDir: '/tool',
        workspace: '/ws',
        runnerTemp: '/rt',
        githubEnvFile: '/rt/env',
        githubOutputFile: '/rt/out',
        stepSummaryFile: '/rt/sum',
        sha: 'abc',
        serverUrl: 'http://127.0.0.1:1',
        baseUrl: 'http://127.0.0.1:1/',
        gitConfig: '/g',
        stack: 's',
        stackDir: '/synth/stacks/s',
      },
    );
    expect(job).toMatchObject({
      TOOL_DIR: '/tool',
      GITHUB_WORKSPACE: '/ws',
      RUNNER_TEMP: '/rt',
      STACK: 's',
      TF_IN_AUTOMATION: '1',
    });
    const appended = parseGithubEnv('TF_CLI_CONFIG_FILE=/rt/run/s.tfrc\nSTACK_RUN_DIR=/rt/run/s\n');
    const without = stepEnv(job, appended, { RUN_ID: 'r' });
    expect(without).toMatchObject({ TF_CLI_CONFIG_FILE: '/rt/run/s.tfrc', STACK_RUN_DIR: '/rt/run/s', RUN_ID: 'r' });
    expect(Object.keys(without).filter((k) => k.startsWith('GITHUB_APP'))).toEqual([]);
    expect(stepEnv(job, appended, {}, { appId: 1, installationId: 2, privateKeyPem: 'PEM' })).toMatchObject({
      GITHUB_APP_ID: '1',
      GITHUB_APP_INSTALLATION_ID: '2',
      GITHUB_APP_PEM_FILE: 'PEM',
    });
  });
});
