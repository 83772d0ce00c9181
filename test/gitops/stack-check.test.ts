import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkStackConfig, formatPath, parseStackConfig } from '../../gitops/stack-check';
import { ROOM_RESOURCES } from '../../contracts/stack-policy';
import { PROJECT_RUN_STACKS, projectRunStacks, RUN_SETTINGS, runStackText } from './stack-fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests edit arbitrary Terraform JSON in place
type Doc = Record<string, any>; // any: the tests edit arbitrary Terraform JSON in place
const base = (): Doc => JSON.parse(runStackText());
const check = (edit: (d: Doc) => void): string[] => {
  const d = base();
  edit(d);
  return checkStackConfig(d, RUN_SETTINGS);
};
const REPO = 'learner-alice-nguyen';
const FILE = 'learner-alice-nguyen--github_workflows_ack_yml';

describe('formatPath', () => {
  test('identifiers with dots, other keys quoted in brackets, indexes in brackets', () => {
    expect(formatPath(['resource', 'github_repository_file', 'learner-a--x', 'content'])).toBe(
      'resource.github_repository_file["learner-a--x"].content',
    );
    expect(formatPath(['provider', 'github', 0, 'app_auth'])).toBe('provider.github[0].app_auth');
    expect(formatPath(['//'])).toBe('["//"]');
    expect(formatPath([])).toBe('(the document)');
  });
});

describe('what synthesis writes passes', () => {
  test.each(projectRunStacks())('%s, unchanged by the round trip', (name) => {
    const text = readFileSync(join(PROJECT_RUN_STACKS, name), 'utf8');
    const { config, problems } = parseStackConfig(text, RUN_SETTINGS);
    expect(problems).toEqual([]);
    expect(config).toEqual(JSON.parse(text));
  });

  test('the fixtures cover removed and import blocks (so the test above exercises them)', () => {
    const all = projectRunStacks().map((n) => JSON.parse(readFileSync(join(PROJECT_RUN_STACKS, n), 'utf8')));
    expect(all.some((d) => Array.isArray(d.removed) && d.removed.length > 0)).toBe(true);
    expect(all.some((d) => Array.isArray(d.import) && d.import.length > 0)).toBe(true);
  });

  test('actions-bot mode (no app_auth) and the parallel_requests switch are allowed', () => {
    expect(check((d) => delete d.provider.github[0].app_auth)).toEqual([]);
    expect(check((d) => (d.provider.github[0].parallel_requests = false))).toEqual([]);
    expect(check((d) => (d.provider.github = d.provider.github[0]))).toEqual([]);
  });
});

describe('the settings of the run, not of the pull request', () => {
  test('owner and base URL must equal the trusted settings; the base URL exactly, slash included', () => {
    expect(check((d) => (d.provider.github[0].base_url = 'https://attacker.example/'))).toEqual([
      'provider.github[0].base_url: expected "http://127.0.0.1:54219/" (GITHUB_BASE_URL of this run), found the string "https://attacker.example/"',
    ]);
    expect(check((d) => (d.provider.github[0].base_url = 'http://127.0.0.1:54219'))).toHaveLength(1);
    expect(check((d) => (d.provider.github[0].owner = 'someone-else'))).toEqual([
      'provider.github[0].owner: expected "learning-rooms-example" (PROVISIONING_STUDENT_OWNER of this run), found the string "someone-else"',
    ]);
    expect(check((d) => delete d.provider.github[0].base_url)).toEqual(['provider.github[0]: base_url is missing']);
  });

  test('credentials never: a token, or anything inside app_auth', () => {
    expect(check((d) => (d.provider.github[0].token = 'ghp_x'))).toEqual([
      'provider.github[0].token: a credential does not belong in the configuration: the provider reads GITHUB_TOKEN or the App key from its environment',
    ]);
    const [appAuth] = check((d) => (d.provider.github[0].app_auth = { pem_file: '${file("/proc/self/environ")}' }));
    expect(appAuth).toMatch(/^provider\.github\[0\]\.app_auth: expected exactly an empty object/);
    expect(check((d) => (d.provider.github[0].app_auth = [{}]))).toHaveLength(1);
  });

  test('one github provider: no alias, no second configuration, no other provider or requirement', () => {
    expect(check((d) => (d.provider.github[0].alias = 'other'))).toEqual([
      'provider.github[0].alias: a second (aliased) provider configuration is not allowed',
    ]);
    expect(check((d) => d.provider.github.push({ ...d.provider.github[0], alias: 'b' }))).toEqual([
      'provider.github: expected exactly one provider configuration, found 2',
    ]);
    expect(check((d) => (d.provider.external = [{}]))).toEqual([
      'provider.external: only the github provider may be configured',
    ]);
    expect(check((d) => (d.terraform.required_providers.external = { source: 'hashicorp/external' }))).toEqual([
      'terraform.required_providers.external: only the github provider (integrations/github) may be required',
    ]);
    expect(check((d) => (d.terraform.required_providers.github.version = '~> 6.0'))[0]).toMatch(
      /^terraform\.required_providers\.github: expected exactly \{"source":"integrations\/github","version":"6\.9\.0"\}/,
    );
    expect(check((d) => (d.terraform.required_providers.github.source = 'hashicorp/github'))).toHaveLength(1);
    expect(check((d) => (d.provider.github[0].insecure = true))[0]).toMatch(
      /^provider\.github\[0\]\.insecure: not an attribute the github provider may set \(allowed: owner, base_url, app_auth/,
    );
  });

  test('pacing values are bounded whole numbers; retryable_errors HTTP statuses', () => {
    expect(check((d) => (d.provider.github[0].write_delay_ms = '${file("x")}'))).toEqual([
      'provider.github[0].write_delay_ms: expected a whole number from 0 to 3600000, found the string "${file(\\"x\\")}"',
    ]);
    expect(check((d) => (d.provider.github[0].retryable_errors = [429, '${x}', 1e9]))).toHaveLength(2);
  });
});

describe('only what a learning room is made of', () => {
  test('blocks other than terraform, provider, resource, import and removed are refused, each saying why', () => {
    const problems = check((d) => {
      d.output = { env: { value: '${file("/proc/self/environ")}' } };
      d.data = { github_user: { me: { username: 'x' } } };
      d.module = { m: { source: './m' } };
      d.check = { c: { data: { http: { x: { url: 'https://attacker.example' } } } } };
      d.locals = { x: 1 };
      d.variable = { v: {} };
      d.moved = [{ from: 'a.b', to: 'c.d' }];
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'output',
      'data',
      'module',
      'check',
      'locals',
      'variable',
      'moved',
    ]);
    expect(problems[0]).toBe(
      'output: outputs are not allowed: their values land in plan.json (allowed: //, terraform, provider, resource, import, removed)',
    );
    expect(problems[1]).toMatch(
      /^data: data sources are not allowed: they are read at plan time, with the credentials/,
    );
    expect(checkStackConfig({ ...base(), ...JSON.parse('{"__proto__": {}, "constructor": 1}') }, RUN_SETTINGS)).toEqual(
      [
        '__proto__: not a block a learning-rooms stack holds (allowed: //, terraform, provider, resource, import, removed)',
        'constructor: not a block a learning-rooms stack holds (allowed: //, terraform, provider, resource, import, removed)',
      ],
    );
  });

  test('resource types outside the table are refused, even github_* ones', () => {
    expect(
      check((d) => (d.resource.terraform_data = { x: { provisioner: [{ 'local-exec': { command: 'env' } }] } })),
    ).toEqual([
      `resource.terraform_data: resource type not allowed (allowed: ${Object.keys(ROOM_RESOURCES).join(', ')})`,
    ]);
    expect(
      check((d) => (d.resource.github_actions_secret = { s: { repository: 'x', secret_name: 'y' } })),
    ).toHaveLength(1);
  });

  test('every meta-argument is refused by name', () => {
    const problems = check((d) => {
      const r = d.resource.github_repository[REPO];
      r.count = 1;
      r.for_each = { a: 1 };
      r.provider = 'github.other';
      r.depends_on = ['github_repository.x'];
      r.provisioner = [{ 'local-exec': { command: 'env' } }];
      r.connection = { host: 'x' };
    });
    expect(problems).toEqual([
      `resource.github_repository["${REPO}"].count: the meta-argument count is not allowed`,
      `resource.github_repository["${REPO}"].for_each: the meta-argument for_each is not allowed`,
      `resource.github_repository["${REPO}"].provider: the meta-argument provider is not allowed (a stack has one github provider)`,
      `resource.github_repository["${REPO}"].depends_on: the meta-argument depends_on is not allowed`,
      `resource.github_repository["${REPO}"].provisioner: provisioners are not allowed: they run commands where the credentials are`,
      `resource.github_repository["${REPO}"].connection: connection blocks are not allowed`,
    ]);
  });

  test('a lifecycle only where synthesis writes one, and only that one', () => {
    expect(check((d) => (d.resource.github_repository[REPO].lifecycle = { ignore_changes: 'all' }))[0]).toBe(
      `resource.github_repository["${REPO}"].lifecycle: expected exactly {"ignore_changes": ["template"]}, found "{\\"ignore_changes\\":\\"all\\"}"`,
    );
    expect(
      check((d) => (d.resource.github_repository[REPO].lifecycle = [{ ignore_changes: ['template'] }])),
    ).toHaveLength(1);
    expect(check((d) => (d.resource.github_repository_file[FILE].lifecycle = { prevent_destroy: true }))).toEqual([
      `resource.github_repository_file["${FILE}"].lifecycle: a lifecycle block is not allowed here`,
    ]);
  });

  test('attributes outside the table are refused; required ones must be there', () => {
    expect(check((d) => (d.resource.github_repository_file[FILE].branch = 'main'))[0]).toBe(
      `resource.github_repository_file["${FILE}"].branch: not an attribute github_repository_file may set (allowed: repository, file, content, overwrite_on_create, depends_on)`,
    );
    expect(check((d) => delete d.resource.github_repository_file[FILE].content)).toEqual([
      `resource.github_repository_file["${FILE}"]: content is missing`,
    ]);
    expect(check((d) => (d.resource.github_repository[REPO].template.include_all_branches = true))).toHaveLength(1);
    expect(check((d) => (d.resource.github_repository[REPO].has_issues = 'true'))).toEqual([
      `resource.github_repository["${REPO}"].has_issues: expected true or false, found the string "true"`,
    ]);
  });
});

describe('no expression Terraform would evaluate', () => {
  test('a template in any attribute, at any depth, names its path and the expression', () => {
    expect(
      check((d) => (d.resource.github_repository_file[FILE].content = 'x ${file("/proc/self/environ")} y')),
    ).toEqual([
      `resource.github_repository_file["${FILE}"].content: a template expression "\${file(\\"/proc/self/environ\\")}" (Terraform would evaluate it; only literal text is allowed, where a literal "\${" is written "$\${" and "%{" is written "%%{")`,
    ]);
    const everywhere = check((d) => {
      d.resource.github_repository[REPO].description =
        '%{ if true }${filebase64("/home/runner/.ssh/id_rsa")}%{ endif }';
      d.resource.github_repository[REPO].template.owner = '${base64encode(file("/proc/self/environ"))}';
      d.resource.github_repository[REPO].template.repository = '$${ok}${x}';
      d.resource.github_repository_collaborator[REPO].username = '${timestamp()}';
      d.resource.github_repository_file[FILE].file = '${path.cwd}';
      d.terraform.backend.local.path = '${file("x")}';
      d['//'].metadata.stackName = '${file("x")}';
    });
    expect(everywhere.map((p) => p.slice(0, p.indexOf(': a template')))).toEqual([
      '["//"].metadata.stackName',
      'terraform.backend.local.path',
      `resource.github_repository["${REPO}"].template.owner`,
      `resource.github_repository["${REPO}"].template.repository`,
      `resource.github_repository["${REPO}"].description`,
      `resource.github_repository_collaborator["${REPO}"].username`,
      `resource.github_repository_file["${FILE}"].file`,
    ]);
  });

  test('escaped sigils are literal text and pass', () => {
    expect(
      check(
        (d) =>
          (d.resource.github_repository_file[FILE].content = 'run: echo $${{ github.actor }} %%{ x } 100% $5 $$${y}'),
      ),
    ).toEqual([]);
  });

  test('the one interpolation: exactly ${github_repository.<name>.name} of a repository of this stack', () => {
    const at = (p: string) => `resource.github_repository_file["${FILE}"].repository: ${p}`;
    expect(
      check((d) => (d.resource.github_repository_file[FILE].repository = '${github_repository.nobody.name}')),
    ).toEqual([at('references github_repository.nobody, which this stack does not declare')]);
    for (const bad of [
      '${github_repository.learner-alice-nguyen.name}${file("x")}',
      '${ github_repository.learner-alice-nguyen.name }',
      '${github_repository.learner-alice-nguyen.full_name}',
      'autumn26-alice-nguyen',
    ]) {
      expect(check((d) => (d.resource.github_repository_file[FILE].repository = bad))).toEqual([
        at(
          `expected exactly "\${github_repository.<name>.name}", a repository of this stack, found the string ${JSON.stringify(bad)}`,
        ),
      ]);
    }
    // Nowhere else: not even as a repository's name.
    expect(
      check((d) => (d.resource.github_repository[REPO].name = '${github_repository.learner-bob.name}')),
    ).toHaveLength(1);
  });

  test('a lone UTF-16 surrogate is refused; other Unicode is text', () => {
    expect(check((d) => (d.resource.github_repository_file[FILE].content = 'naïve ✓ 😀'))).toEqual([]);
    expect(check((d) => (d.resource.github_repository_file[FILE].content = 'x\ud800y'))[0]).toMatch(
      /lone UTF-16 surrogate/,
    );
  });
});

describe('no form Terraform reads differently from JSON.parse', () => {
  const text = JSON.stringify(base());
  test('a duplicated key anywhere is refused with its path and line (JSON.parse keeps the last, HCL reads both)', () => {
    const dupProvider = `{"provider":{"github":[{"owner":"x","base_url":"https://attacker.example/"}]},${text.slice(1)}`;
    expect(parseStackConfig(dupProvider, RUN_SETTINGS)).toEqual({
      problems: [
        expect.stringMatching(
          /^\(the document\): property "provider" appears twice in one object; the first value would be lost \(line 1, column \d+\)$/,
        ),
      ],
    });
    const dupData = `{"data":{"external":{"x":{"program":["sh"]}}},"data":{},${text.slice(1)}`;
    expect(parseStackConfig(dupData, RUN_SETTINGS).problems[0]).toMatch(
      /^\(the document\): property "data" appears twice/,
    );
    const inBody = text.replace(
      '"overwrite_on_create":true',
      '"content":"${file(\\"/etc/passwd\\")}","overwrite_on_create":true',
    );
    expect(parseStackConfig(inBody, RUN_SETTINGS).problems[0]).toMatch(
      /^resource\.github_repository_file\["learner-[a-z0-9-]+--github_workflows_[a-z_]+"\]: property "content" appears twice/,
    );
  });

  test('arrays where Terraform would read several blocks are refused', () => {
    const arrays = check((d) => {
      d.terraform = [d.terraform, { backend: { http: { address: 'https://attacker.example' } } }];
      d.resource.github_repository_collaborator[REPO] = [
        d.resource.github_repository_collaborator[REPO],
        { provisioner: [{ 'local-exec': { command: 'env' } }] },
      ];
      d.resource.github_repository_file = [d.resource.github_repository_file];
      d.resource.github_repository[REPO].template = [d.resource.github_repository[REPO].template];
    });
    expect(arrays).toEqual([
      'terraform: expected the terraform block as one JSON object, found an array (an array here would be read as several blocks)',
      `resource.github_repository["${REPO}"].template: expected a nested block as one JSON object, found an array (an array here would be read as several blocks)`,
      `resource.github_repository_collaborator["${REPO}"]: expected a resource body as one JSON object, found an array (an array here would be read as several blocks)`,
      'resource.github_repository_file: expected the github_repository_file resources (name to body) as one JSON object, found an array (an array here would be read as several blocks)',
    ]);
    expect(check((d) => (d.resource = [d.resource]))).toHaveLength(1);
    expect(check((d) => (d.provider = [d.provider]))).toHaveLength(1);
  });

  test('only the local backend synthesis writes, and nothing else in the terraform block', () => {
    expect(check((d) => (d.terraform.backend = { http: { address: 'https://attacker.example/' } }))).toEqual([
      'terraform.backend.http: only the local backend that synthesis writes is allowed (the run replaces it with its own)',
    ]);
    expect(check((d) => (d.terraform.cloud = { organization: 'x' }))).toEqual([
      'terraform.cloud: not allowed in the terraform block (allowed: required_providers, backend)',
    ]);
    expect(check((d) => (d.terraform.backend.local.workspace_dir = '/tmp'))).toHaveLength(1);
  });
});

describe('import and removed blocks', () => {
  test('import: only {to, id}, to a resource of this stack, id a literal string', () => {
    const problems = check((d) => {
      d.import = [
        { to: `github_repository.${REPO}`, id: 'autumn26-alice-nguyen' },
        { to: 'github_repository.not-here', id: 'x' },
        { to: 'terraform_data.x', id: '${file("/proc/self/environ")}' },
        { to: `github_repository_file.${FILE}`, id: 'r/f', provisioner: [{ 'local-exec': { command: 'env' } }] },
      ];
    });
    expect(problems).toEqual([
      'import[1].to: "github_repository.not-here" is not a resource of this stack',
      'import[2].to: "terraform_data.x" is not a resource of this stack',
      expect.stringMatching(/^import\[2\]\.id: a template expression/),
      'import[3].provisioner: an import block holds only to and id',
    ]);
    expect(check((d) => (d.import = { to: `github_repository.${REPO}`, id: 'x' }))).toEqual([
      'import: expected an array of import blocks, found an object',
    ]);
  });

  test('removed: only a room address, forgotten (destroy = false), no provisioner', () => {
    const problems = check((d) => {
      d.removed = [
        { from: 'github_repository_collaborator.learner-gone', lifecycle: { destroy: false } },
        { from: 'terraform_data.x', lifecycle: { destroy: false } },
        { from: 'github_repository_file.learner-gone--x', lifecycle: { destroy: true } },
        {
          from: 'github_repository_file.learner-gone--y',
          lifecycle: { destroy: false },
          provisioner: [{ 'local-exec': { when: 'destroy', command: 'env' } }],
        },
      ];
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^removed\[1\]\.from: expected the address of a room resource \(github_repository, github_repository_collaborator, github_repository_file, github_repository_collaborators, github_branch, github_repository_pull_request, github_team_repository\)\.<name>, found the string "terraform_data\.x"$/,
      ),
      'removed[2].lifecycle: expected exactly {"destroy": false} (forget, never destroy), found "{\\"destroy\\":true}"',
      'removed[3].provisioner: provisioners are not allowed: they run commands where the credentials are',
    ]);
  });
});

describe('every problem at once', () => {
  test('a document with many problems reports each of them', () => {
    const problems = check((d) => {
      d.output = {};
      d.provider.github[0].token = 't';
      d.resource.github_repository[REPO].count = 2;
      d.resource.github_repository_file[FILE].content = '${x}';
    });
    expect(problems).toHaveLength(4);
  });

  test('not an object at all', () => {
    expect(checkStackConfig([], RUN_SETTINGS)).toEqual([
      '(the document): expected the configuration as one JSON object, found an array (an array here would be read as several blocks)',
    ]);
    expect(parseStackConfig('  ', RUN_SETTINGS).problems).toEqual([
      '(the document): the file is empty: expected the synthesized Terraform JSON',
    ]);
    expect(parseStackConfig('{"a":', RUN_SETTINGS).problems[0]).toMatch(/^\(the document\): malformed JSON/);
  });
});
