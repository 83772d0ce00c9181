import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { serializeRoster } from '../../roster';
import type { LearnerIndex } from '../../contracts/learner-index';
import { cli } from '../helpers/cli';
import { learner, roster } from '../../test-kit/rosters';
import { rawState, showJsonState } from '../helpers/state';

const ROOT = join(__dirname, '..', '..');
const PROGRESS = '.github/workflows/progress.yml';

/** A fresh operator repository: the example roster and the required files. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lr-synth-'));
  cpSync(join(ROOT, 'required-files'), join(dir, 'required-files'), { recursive: true });
  mkdirSync(join(dir, 'examples'));
  cpSync(join(ROOT, 'examples', 'roster.example.json'), join(dir, 'examples', 'roster.example.json'));
  return dir;
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out.sort();
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- parsed Terraform JSON, probed by key
const config = (dir: string, cohort: string): Json =>
  JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', cohort, 'cdk.tf.json'), 'utf8'));
const index = (dir: string, cohort: string): LearnerIndex =>
  JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', cohort, 'learners.json'), 'utf8'));
const resources = (c: Json): string[] =>
  Object.entries(c.resource as Record<string, Json>).flatMap(([t, byName]) =>
    Object.keys(byName).map((n) => `${t}.${n}`),
  );

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const fresh = () => {
  const d = workspace();
  dirs.push(d);
  return d;
};

describe('learning-rooms synth', () => {
  it('synthesizes the example roster with no environment and prints a summary per cohort', async () => {
    const dir = fresh();
    const res = await cli(['synth'], { cwd: dir, env: {} });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(
      /^synthesized examples\/roster\.example\.json \(github-app, owner learning-rooms-example\) into cdktf\.out$/m,
    );
    expect(res.stdout).toMatch(/^ {2}2026-spring: 3 rooms \(1 new\), 0 queued, 1 withdrawn/m);
    expect(res.stdout).toMatch(/^ {2}2026-autumn: 4 rooms \(2 new\), 0 queued, 0 withdrawn/m);
    for (const cohort of ['2026-spring', '2026-autumn']) {
      const c = config(dir, cohort);
      expect(c.provider.github[0].app_auth).toEqual({});
      expect(c.terraform.backend.local.path).toBe(join(dir, `terraform.${cohort}.tfstate`));
    }
  });

  it('writes one repository, one collaborator and K files per admitted learner, matching the learner index', async () => {
    const dir = fresh();
    await cli(['synth'], { cwd: dir, env: {} });
    for (const cohort of ['2026-spring', '2026-autumn']) {
      const c = config(dir, cohort);
      const idx = index(dir, cohort);
      const expected = idx.learners
        .filter((l) => l.admitted)
        .flatMap((l) => [l.addresses.repository, l.addresses.collaborator, ...Object.values(l.addresses.files)]);
      expect(resources(c).sort()).toEqual(expected.sort());
      expect(idx.learners.filter((l) => l.admitted).every((l) => Object.keys(l.addresses.files).length === 2)).toBe(
        true,
      );
      for (const l of idx.learners.filter((x) => x.admitted)) {
        const name = l.addresses.repository.split('.')[1];
        expect(c.resource.github_repository[name]).toMatchObject({
          name: l.repository,
          visibility: 'private',
          has_issues: true,
          archive_on_destroy: true,
        });
        expect(c.resource.github_repository_collaborator[name]).toMatchObject({
          username: l.github_handle,
          permission: 'push',
        });
      }
    }
    const spring = index(dir, '2026-spring');
    expect(spring.learners.find((l) => l.github_handle === 'dev-priya')).toMatchObject({
      admitted: false,
      archived: true,
      queued_reason: expect.stringMatching(/^provisioning.state is "archived"/),
    });
  });

  it('gives byte-identical output on a second run (stable addresses and files)', async () => {
    const dir = fresh();
    await cli(['synth'], { cwd: dir, env: {} });
    const first = files(join(dir, 'cdktf.out')).map((f) => [relative(dir, f), readFileSync(f, 'utf8')]);
    await cli(['synth'], { cwd: dir, env: {} });
    const second = files(join(dir, 'cdktf.out')).map((f) => [relative(dir, f), readFileSync(f, 'utf8')]);
    expect(second).toEqual(first);
  });

  it.each(['github-app', 'actions-bot'])(
    'never writes a credential (%s mode): secret values in every variable are absent from the output',
    async (mode) => {
      const dir = fresh();
      const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretPEMbodyDoNotLeak0123\n-----END RSA PRIVATE KEY-----';
      const secrets: Record<string, string> = {
        GITHUB_TOKEN: 'ghs_secretGithubToken0001',
        GH_TOKEN: 'ghp_secretGhToken0002',
        GITHUB_APP_ID: '987650003',
        GITHUB_APP_INSTALLATION_ID: '123450004',
        GITHUB_APP_PEM_FILE: pem,
        PROVISIONING_APP_ID: '987650005',
        PROVISIONING_APP_INSTALLATION_ID: '123450006',
        PROVISIONING_APP_PRIVATE_KEY: pem.replace('0123', '0007'),
        PROVISIONING_TOKEN: 'github_pat_secretProvisioning0008',
        PRIVATE_STUDENT_DATA_TOKEN: 'ghp_secretStudentData0009',
        TF_VAR_github_token: 'secretTfVar0010',
      };
      const res = await cli(['synth'], {
        cwd: dir,
        env: {
          ...secrets,
          PROVISIONING_MODE: mode,
          PROVISIONING_STUDENT_OWNER: 'acme',
          GITHUB_BASE_URL: 'http://127.0.0.1:9/',
        },
      });
      expect(res.code).toBe(0);
      const output =
        files(join(dir, 'cdktf.out'))
          .map((f) => readFileSync(f, 'utf8'))
          .join('\n') +
        res.stdout +
        res.stderr;
      expect(output).toContain('"owner": "acme"'); // the scan reads real output
      for (const [name, value] of Object.entries(secrets)) {
        for (const piece of value.split('\n')) {
          if (output.includes(piece)) throw new Error(`${name} leaked into the synthesized output`);
        }
      }
      const provider = config(dir, '2026-spring').provider.github[0];
      expect(provider).not.toHaveProperty('token');
      if (mode === 'github-app') expect(provider.app_auth).toEqual({});
      else expect(provider).not.toHaveProperty('app_auth');
    },
  );

  const runTf = existsSync('/usr/local/bin/terraform') ? it : it.skip;
  runTf('writes workflow expressions escaped so that Terraform yields the original file', async () => {
    const dir = fresh();
    await cli(['synth'], { cwd: dir, env: {} });
    const original = readFileSync(join(dir, 'required-files', PROGRESS), 'utf8');
    expect(original).toContain('${{ github.actor }}');
    const content: string = config(dir, '2026-spring').resource.github_repository_file[
      'learner-alice-nguyen--github_workflows_progress_yml'
    ].content;
    expect(content).toContain('$${{ github.actor }}');
    const tf = join(dir, 'tf');
    mkdirSync(tf);
    writeFileSync(
      join(tf, 'main.tf.json'),
      JSON.stringify({
        resource: { terraform_data: { f: { input: content } } },
        output: { f: { value: '${terraform_data.f.output}' } },
      }),
    );
    const opts = {
      cwd: tf,
      env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1' },
      stdio: ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[],
    };
    execFileSync('/usr/local/bin/terraform', ['init', '-input=false'], opts);
    execFileSync('/usr/local/bin/terraform', ['apply', '-auto-approve', '-input=false'], opts);
    const out = JSON.parse(execFileSync('/usr/local/bin/terraform', ['output', '-json'], opts).toString('utf8'));
    expect(out.f.value).toBe(original);
  });

  it("stops on an invalid roster with the roster's own messages and writes nothing", async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'roster.json'), JSON.stringify(roster([learner('bad--x'), learner('ok', 'nope')])));
    const res = await cli(['synth'], { cwd: dir, env: {} });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      /^roster\.json: learner 1, line 1, github_handle: expected .*found "bad--x".*two hyphens/m,
    );
    expect(res.stderr).toMatch(/^roster\.json: learner 2 \(ok\), line 1, cohort_id: /m);
    expect(res.stderr).toMatch(/synth: roster\.json has 2 problems; nothing synthesized/);
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
  });

  it('names the cohort and path of a missing required file', async () => {
    const dir = fresh();
    const r = roster([learner('a')]);
    r.cohorts[0].required_files = ['docs/missing.md'];
    writeFileSync(join(dir, 'r.json'), serializeRoster(r));
    const res = await cli(['synth', 'r.json'], { cwd: dir, env: {} });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      /cohort c1: required_files "docs\/missing.md": expected a UTF-8 text file at .*, found no such file/,
    );
  });
});

describe('shard stacks on disk', () => {
  it.each([
    ['a state folder', 'state', 'c1.shard-2.tfstate.json'],
    ["a state folder (the git backend's raw state)", 'state', 'c1.shard-2.tfstate'],
    ['the local backend', '.', 'terraform.c1.shard-2.tfstate'],
  ])(
    'finds in %s a shard whose learners all left the roster, and archives its rooms there',
    async (_what, folder, file) => {
      const dir = fresh();
      const r = roster([
        learner('keep', 'c1', {
          provisioning: { state: 'provisioned', provisioned_at: '2026-04-01T00:00:00Z', shard: 0 },
        }),
      ]);
      writeFileSync(join(dir, 'roster.json'), serializeRoster(r));
      mkdirSync(join(dir, folder), { recursive: true });
      writeFileSync(join(dir, folder, file), rawState([{ handle: 'left', repository: 'c1-left' }]));
      const res = await cli(['synth', ...(folder === 'state' ? ['--state-dir', 'state'] : [])], { cwd: dir, env: {} });
      expect(res.stderr).toBe('');
      expect(res.stdout).toMatch(/c1\.shard-2: 0 rooms \(0 new\), 0 queued, 1 archived/);
      expect(config(dir, 'c1.shard-2').terraform.backend.local.path).toMatch(/terraform\.c1\.shard-2\.tfstate$/);
      expect(config(dir, 'c1.shard-2').removed.map((b: { from: string }) => b.from)).toEqual([
        'github_repository_collaborator.learner-left',
      ]);
      expect(index(dir, 'c1.shard-2')).toMatchObject({
        cohort_id: 'c1',
        stack: 'c1.shard-2',
        learners: [{ github_handle: 'left', archived: true }],
      });
    },
  );
});

describe('state input', () => {
  /** A workspace whose state for cohort c1 is `stateText` at `file` (a state folder's, or the local backend's). */
  function setup(stateText: string, file = 'state/c1.tfstate.json') {
    const dir = fresh();
    const r = roster([
      learner('keep', 'c1', { provisioning: { state: 'provisioned', provisioned_at: '2026-04-01T00:00:00Z' } }),
      learner('crashed'),
      learner('waiting'),
    ]);
    r.cohorts[0].required_files = [PROGRESS];
    writeFileSync(join(dir, 'roster.json'), serializeRoster(r));
    mkdirSync(join(dir, 'state'));
    writeFileSync(join(dir, file), stateText);
    return dir;
  }
  const rooms = [
    { handle: 'keep', repository: 'c1-keep', files: [PROGRESS] },
    { handle: 'crashed', repository: 'c1-crashed', files: [PROGRESS] },
    ...Array.from({ length: 9 }, (_, i) => ({ handle: `x${i}`, repository: `c1-x${i}` })),
    { handle: 'gone', repository: 'c1-gone', files: [PROGRESS] },
  ];

  it.each([
    ['--state-dir with pulled state (<cohort>.tfstate.json)', rawState(rooms), 'state/c1.tfstate.json'],
    ['--state-dir with terraform show -json', showJsonState(rooms), 'state/c1.tfstate.json'],
    ["--state-dir with the git backend's raw state (<cohort>.tfstate)", rawState(rooms), 'state/c1.tfstate'],
    ['--state-dir holding show -json as <cohort>.tfstate', showJsonState(rooms), 'state/c1.tfstate'],
    ['the local backend state file', rawState(rooms), 'terraform.c1.tfstate'],
  ])(
    'from %s: keeps a room the roster does not know yet, whatever the budget, and archives one that left',
    async (_what, text, file) => {
      const dir = setup(text, file);
      const local = !file.startsWith('state/');
      const args = local
        ? ['synth', '--allow-mass-archive']
        : ['synth', '--state-dir', 'state', '--allow-mass-archive'];
      const res = await cli(args, { cwd: dir, env: { LEARNING_ROOMS_ADMISSION_BUDGET: '0' } });
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const c = config(dir, 'c1');
      expect(Object.keys(c.resource.github_repository).sort()).toEqual(['learner-crashed', 'learner-keep']);
      expect(c.removed.map((b: { from: string }) => b.from)).toContain('github_repository_collaborator.learner-gone');
      expect(c.removed.map((b: { from: string }) => b.from)).toContain(
        'github_repository_file.learner-gone--github_workflows_progress_yml',
      );
      expect(c.removed.every((b: { lifecycle: { destroy: boolean } }) => b.lifecycle.destroy === false)).toBe(true);
      expect(res.stdout).toMatch(/c1: 2 rooms \(0 new\), 1 queued, 10 archived/);
      const waiting = index(dir, 'c1').learners.find((l) => l.github_handle === 'waiting');
      expect(waiting).toMatchObject({ admitted: false, queued_reason: expect.stringMatching(/^queued: /) });
    },
  );

  it('refuses when too many rooms would be archived, unless allowed', async () => {
    const dir = setup(rawState(rooms));
    const res = await cli(['synth', '--state-dir', 'state'], { cwd: dir, env: {} });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(
      /^cohort c1: 10 of 12 rooms \(83%\) would be archived \(x0, x1, .*gone\), more than the removal guard allows/m,
    );
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
    const allowed = await cli(['synth', '--state-dir', 'state'], {
      cwd: dir,
      env: { LEARNING_ROOMS_ALLOW_MASS_ARCHIVE: 'true' },
    });
    expect(allowed.code).toBe(0);
  });

  it('refuses a cohort with both <cohort>.tfstate and <cohort>.tfstate.json, naming both', async () => {
    const dir = setup(rawState(rooms), 'state/c1.tfstate');
    writeFileSync(join(dir, 'state', 'c1.tfstate.json'), rawState(rooms));
    const res = await cli(['synth', '--state-dir', 'state', '--allow-mass-archive'], { cwd: dir, env: {} });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      `cohort c1: state input: both ${join(dir, 'state', 'c1.tfstate')} and ${join(dir, 'state', 'c1.tfstate.json')} exist; keep the one that is current`,
    );
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
  });

  it.each([
    ['--state-dir', ['--state-dir', 'no-such-folder'], {}],
    ['LEARNING_ROOMS_STATE_DIR', [], { LEARNING_ROOMS_STATE_DIR: 'no-such-folder' }],
  ])('a state folder that does not exist (%s) is a usage error naming it, not "no state"', async (_what, args, env) => {
    const dir = setup(rawState(rooms));
    const res = await cli(['synth', ...args], { cwd: dir, env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      `state folder ${join(dir, 'no-such-folder')}: expected a folder of <cohort>.tfstate or <cohort>.tfstate.json files, found nothing there`,
    );
    expect(existsSync(join(dir, 'cdktf.out'))).toBe(false);
  });

  it('names the file when the state input is not state', async () => {
    const dir = setup('not json');
    const res = await cli(['synth', '--state-dir', 'state'], { cwd: dir, env: {} });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/cohort c1: state input: .*state\/c1\.tfstate\.json: expected Terraform state JSON/);
  });
});
