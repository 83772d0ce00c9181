import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GITOPS_CONFIG_FILE, gitopsEnv } from '../../gitops/gitops-config';
import { BACKEND_OVERRIDE_FILE, backendOverride, parseBackendChoice } from '../../gitops/stack-prep';
import { cli } from '../helpers/cli';
import { RUN_ENV, runStackText } from './stack-fixtures';

describe('backend choice', () => {
  test('nothing set: the git backend', () => {
    expect(parseBackendChoice(undefined, undefined)).toEqual({ choice: { type: 'git', settings: {} }, errors: [] });
    expect(parseBackendChoice('  ', '')).toEqual({ choice: { type: 'git', settings: {} }, errors: [] });
  });

  test('every problem at once: unknown type, a credential in the settings, a value of the wrong type', () => {
    const { choice, errors } = parseBackendChoice(
      'consul',
      JSON.stringify({ bucket: 'b', secret_key: 'x', tags: ['a'] }),
    );
    expect(choice).toBeUndefined();
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(
      /^LEARNING_ROOMS_BACKEND: expected one of git, s3, gcs, azurerm, pg, http; found "consul"/,
    );
    expect(errors[1]).toMatch(/secret_key: a credential does not belong in config\/gitops.json/);
    expect(errors[2]).toMatch(/tags: expected a string, number or boolean/);
  });

  test('settings that are not a JSON object are refused', () => {
    expect(parseBackendChoice('s3', '{bucket').errors[0]).toMatch(/expected a JSON object/);
    expect(parseBackendChoice('s3', '["b"]').errors[0]).toMatch(/expected a JSON object of settings/);
  });

  test('the http backend needs an address', () => {
    expect(parseBackendChoice('http', '{}').errors[0]).toMatch(/the http backend needs an address/);
  });
});

describe('backend override per stack', () => {
  const choose = (type: string, settings: object) => {
    const { choice } = parseBackendChoice(type, JSON.stringify(settings));
    if (!choice) throw new Error('bad choice');
    return choice;
  };

  test('each backend keeps each cohort in its own state', () => {
    expect(backendOverride(choose('git', {}), '2026-spring', '/tmp/state/')).toEqual({
      terraform: { backend: { local: { path: '/tmp/state/2026-spring.tfstate' } } },
    });
    expect(
      backendOverride(choose('s3', { bucket: 'b', region: 'eu-west-1', use_lockfile: true }), '2026-spring', 's'),
    ).toEqual({
      terraform: {
        backend: {
          s3: { bucket: 'b', region: 'eu-west-1', use_lockfile: true, key: 'learning-rooms/2026-spring.tfstate' },
        },
      },
    });
    expect(backendOverride(choose('gcs', { bucket: 'b', key_prefix: 'ws/' }), 'c1', 's').terraform.backend.gcs).toEqual(
      { bucket: 'b', prefix: 'ws/c1' },
    );
    expect(
      backendOverride(choose('azurerm', { storage_account_name: 'a', container_name: 'c' }), 'c1', 's').terraform
        .backend.azurerm.key,
    ).toBe('learning-rooms/c1.tfstate');
    expect(backendOverride(choose('pg', {}), '2026-Spring.x', 's').terraform.backend.pg).toEqual({
      schema_name: 'learning_rooms_2026_spring_x',
    });
    expect(
      backendOverride(
        choose('http', {
          address: 'https://state.example/{stack}',
          lock_address: 'https://state.example/{stack}/lock',
        }),
        'c1',
        's',
      ).terraform.backend.http,
    ).toEqual({
      address: 'https://state.example/c1',
      lock_address: 'https://state.example/c1/lock',
    });
  });

  test('a stack name that could escape a path or key is refused', () => {
    expect(() => backendOverride(choose('git', {}), '../x', '/tmp')).toThrow(/stack name/);
  });
});

describe('prepare-stack command', () => {
  function stackDir(config: unknown): { root: string; dir: string } {
    const root = mkdtempSync(join(tmpdir(), 'prepare-'));
    const dir = join(root, 'stacks', '2026-spring');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cdk.tf.json'), typeof config === 'string' ? config : JSON.stringify(config));
    return { root, dir };
  }

  test('without --out-dir it refuses: Terraform never runs in the synthesized folder', async () => {
    const { root, dir } = stackDir(runStackText());
    const r = await cli(['prepare-stack', '--dir', 'stacks/2026-spring'], { cwd: root, env: RUN_ENV });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'learning-rooms prepare-stack: --out-dir is required: the trusted folder Terraform runs in (or --backend-only)\n(see learning-rooms prepare-stack --help)\n',
    });
    expect(existsSync(join(dir, BACKEND_OVERRIDE_FILE))).toBe(false);
  });

  const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;
  (terraform ? test : test.skip)(
    'real Terraform keeps the state where the override says, not where cdktf wrote it',
    async () => {
      // terraform_data needs no provider download; the guard is bypassed with --backend-only here.
      const { root, dir } = stackDir({
        resource: { terraform_data: { room: { input: 'x' } } },
        terraform: { backend: { local: { path: '/nonexistent/synth-machine/terraform.2026-spring.tfstate' } } },
      });
      const state = join(root, 'state');
      const r = await cli(['prepare-stack', '--backend-only', '--dir', dir, '--state-dir', state], { cwd: root });
      expect(r.code).toBe(0);
      const env = { ...process.env, TF_IN_AUTOMATION: '1', TF_CLI_CONFIG_FILE: '/dev/null' };
      execFileSync('terraform', ['init', '-input=false', '-no-color'], { cwd: dir, env, stdio: 'pipe' });
      execFileSync('terraform', ['apply', '-input=false', '-no-color', '-auto-approve'], {
        cwd: dir,
        env,
        stdio: 'pipe',
      });
      const written = JSON.parse(readFileSync(join(state, '2026-spring.tfstate'), 'utf8'));
      expect(written.resources.map((x: { type: string }) => x.type)).toEqual(['terraform_data']);
    },
    60_000,
  );
});

describe('workflow settings (config/gitops.json)', () => {
  test('project settings become one line each; objects become one JSON line', () => {
    const { env, errors } = gitopsEnv(
      JSON.stringify({
        LEARNING_ROOMS_BACKEND: 's3',
        LEARNING_ROOMS_BACKEND_CONFIG: { bucket: 'b' },
        LEARNING_ROOMS_HEAL: true,
        PROVISIONING_STUDENT_OWNER: 'acme',
        LEARNING_ROOM_TEMPLATE_REPO: 'acme/tmpl',
        '//': 'note',
      }),
    );
    expect(errors).toEqual([]);
    expect(env).toEqual({
      LEARNING_ROOMS_BACKEND: 's3',
      LEARNING_ROOMS_BACKEND_CONFIG: '{"bucket":"b"}',
      LEARNING_ROOMS_HEAL: 'true',
      PROVISIONING_STUDENT_OWNER: 'acme',
      LEARNING_ROOM_TEMPLATE_REPO: 'acme/tmpl',
    });
  });

  test('nothing that could change how later steps run, and no credential', () => {
    const { env, errors } = gitopsEnv(
      JSON.stringify({
        NODE_OPTIONS: '--require x',
        BASH_ENV: '/tmp/x',
        PATH: '/x',
        PROVISIONING_APP_PRIVATE_KEY: 'k',
        PROVISIONING_TOKEN: 't',
        LEARNING_ROOMS_X: 'a\nBASH_ENV=/tmp/x',
      }),
    );
    expect(env).toEqual({});
    expect(errors).toHaveLength(6);
    expect(errors.filter((e) => e.includes('looks like a credential'))).toHaveLength(2);
    expect(errors[5]).toBe(`${GITOPS_CONFIG_FILE}: "LEARNING_ROOMS_X": expected one line`);
  });

  test('the command prints KEY=value lines, or nothing without a file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gitops-env-'));
    expect(await cli(['gitops-env'], { cwd: root })).toEqual({ code: 0, stdout: '', stderr: '' });
    mkdirSync(join(root, 'config'));
    writeFileSync(join(root, GITOPS_CONFIG_FILE), '{"LEARNING_ROOMS_HEAL": true}');
    expect(await cli(['gitops-env'], { cwd: root })).toEqual({
      code: 0,
      stdout: 'LEARNING_ROOMS_HEAL=true\n',
      stderr: '',
    });
    writeFileSync(join(root, GITOPS_CONFIG_FILE), '{"NODE_OPTIONS": "x"}');
    const bad = await cli(['gitops-env'], { cwd: root });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    writeFileSync(join(root, 'other.json'), '[]');
    const other = await cli(['gitops-env', '--file', 'other.json'], { cwd: root });
    expect(other.stderr).toBe(
      'learning-rooms gitops-env: other.json: expected an object of settings, e.g. {"LEARNING_ROOMS_BACKEND": "s3"}\n',
    );
  });
});
