import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, TerraformResource, Testing } from 'cdktf';
import { CohortStack, CohortStackProps } from '../../constructs/cohort-stack';
import { LearningRoom, LearningRoomProps } from '../../constructs/learning-room';
import { collaboratorAddress, fileAddress, repositoryAddress } from '../../contracts/room-addresses';

const room = (
  handle: string,
  files = [{ path: '.github/workflows/progress.yml', content: 'run: echo ${{ github.actor }}\n' }],
): LearningRoomProps => ({
  githubHandle: handle,
  repositoryName: `c1-${handle.toLowerCase()}`,
  template: { owner: 'acme', repository: 'tmpl' },
  requiredFiles: files,
});

const base: CohortStackProps = {
  cohortId: 'c1',
  owner: 'acme',
  baseUrl: 'http://127.0.0.1:1/',
  mode: 'github-app',
  tuning: { write_delay_ms: 2000, read_delay_ms: 1000, max_retries: 60, retryable_errors: [429, 500, 502, 503, 504] },
  rooms: [room('alice'), room('Bob')],
  statePath: '/state/terraform.c1.tfstate',
};

/** The document cdktf writes to cdk.tf.json (metadata included), through the real synthesizer. */
function fullSynth(props: CohortStackProps): string {
  const app = Testing.app();
  const stack = new CohortStack(app, props);
  const outdir = Testing.fullSynth(stack);
  return readFileSync(join(outdir, 'stacks', props.cohortId, 'cdk.tf.json'), 'utf8');
}

function provider(props: CohortStackProps): Record<string, unknown> {
  const json = JSON.parse(Testing.synth(new CohortStack(Testing.app(), props))) as {
    provider: { github: Record<string, unknown>[] };
  };
  return json.provider.github[0];
}

describe('CohortStack', () => {
  it('builds one LearningRoom per learner, whose resources are the whole resource tree of the document, at the room addresses', () => {
    const rooms = [
      room('alice'),
      room('Bob', []),
      room('carol-x', [
        { path: 'README.md', content: '# hi\n' },
        { path: '.github/workflows/ack.yml', content: '' },
      ]),
    ];
    const stack = new CohortStack(Testing.app(), { ...base, rooms });
    const children = stack.node.children.filter((c) => c instanceof LearningRoom);
    expect(children).toEqual(stack.rooms);
    expect(stack.rooms.map((r) => r.node.id)).toEqual(['learner-alice', 'learner-bob', 'learner-carol-x']);
    const expected = rooms
      .flatMap((r) => [
        repositoryAddress(r.githubHandle),
        collaboratorAddress(r.githubHandle),
        ...r.requiredFiles.map((f) => fileAddress(r.githubHandle, f.path)),
      ])
      .sort();
    const inTree = stack.rooms.flatMap((r) =>
      r.node
        .findAll()
        .filter(TerraformResource.isTerraformResource)
        .map((res) => `${res.terraformResourceType}.${res.friendlyUniqueId}`),
    );
    expect(inTree.sort()).toEqual(expected);
    const doc = JSON.parse(fullSynth({ ...base, rooms })) as { resource: Record<string, Record<string, unknown>> };
    const written = Object.entries(doc.resource).flatMap(([type, byName]) =>
      Object.keys(byName).map((n) => `${type}.${n}`),
    );
    expect(written.sort()).toEqual(expected);
  });

  it("reports every room's problems with the cohort's own, each naming the learner and the field", () => {
    const bad = {
      ...base,
      baseUrl: 'http://x',
      rooms: [room('alice'), room('-bad'), { ...room('carol'), repositoryName: 'has space' }],
    };
    expect(() => new CohortStack(Testing.app(), bad)).toThrow(
      /trailing slash[\s\S]*learning room of "-bad": githubHandle: expected a GitHub login[\s\S]*learning room of "carol": repositoryName: /,
    );
  });

  it('github-app mode: an empty app_auth block and no credential of any kind', () => {
    const p = provider(base);
    expect(p.app_auth).toEqual({});
    expect(p).not.toHaveProperty('token');
    expect(Object.keys(p).sort()).toEqual([
      'app_auth',
      'base_url',
      'max_retries',
      'owner',
      'read_delay_ms',
      'retryable_errors',
      'write_delay_ms',
    ]);
  });

  it('actions-bot mode: neither app_auth nor a token (the provider reads GITHUB_TOKEN)', () => {
    const p = provider({ ...base, mode: 'actions-bot' });
    expect(p).not.toHaveProperty('app_auth');
    expect(p).not.toHaveProperty('token');
    expect(p.owner).toBe('acme');
  });

  it('writes the rate-aware settings: 429 retried, read and write delays, base URL with its slash', () => {
    const p = provider(base);
    expect(p.retryable_errors).toEqual([429, 500, 502, 503, 504]);
    expect(p.write_delay_ms).toBe(2000);
    expect(p.read_delay_ms).toBe(1000);
    expect(p.max_retries).toBe(60);
    expect(p.base_url).toBe('http://127.0.0.1:1/');
  });

  it('keeps its own local state, and the provider pinned to 6.9.0', () => {
    const json = JSON.parse(fullSynth(base));
    expect(json.terraform.backend).toEqual({ local: { path: '/state/terraform.c1.tfstate' } });
    expect(json.terraform.required_providers.github).toEqual({ source: 'integrations/github', version: '6.9.0' });
    const other = JSON.parse(fullSynth({ ...base, statePath: undefined, cohortId: 'c2' }));
    expect(other.terraform.backend.local.path).toMatch(/terraform\.c2\.tfstate$/);
  });

  it('forgets files and collaborators of archived rooms with removed blocks, never a repository', () => {
    const forget = ['github_repository_collaborator.learner-gone', 'github_repository_file.learner-gone--README_md'];
    const json = JSON.parse(fullSynth({ ...base, forget }));
    expect(json.removed).toEqual(forget.map((from) => ({ from, lifecycle: { destroy: false } })));
    expect(() => new CohortStack(Testing.app(), { ...base, forget: ['github_repository.learner-gone'] })).toThrow(
      /forget: expected a room's file, collaborator, branch or pull request address/,
    );
    expect(JSON.parse(fullSynth(base))).not.toHaveProperty('removed');
  });

  it('adopts existing room resources with import blocks, and refuses to import anything but a room resource', () => {
    const json = JSON.parse(
      fullSynth({
        ...base,
        imports: [
          { to: 'github_repository.learner-alice', id: 'legacy-alice' },
          { to: 'github_repository_file.learner-alice--x', id: 'legacy-alice/x' },
        ],
      }),
    );
    expect(json.import).toEqual([
      { to: 'github_repository.learner-alice', id: 'legacy-alice' },
      { to: 'github_repository_file.learner-alice--x', id: 'legacy-alice/x' },
    ]);
    expect(
      () => new CohortStack(Testing.app(), { ...base, imports: [{ to: 'github_repository.someone-else', id: 'x' }] }),
    ).toThrow(/imports: expected a room's repository, collaborator or file address/);
  });

  it('rejects a learner twice (case-insensitively), a bad cohort id and a base URL without its slash, all at once', () => {
    const bad = { ...base, cohortId: 'bad id', baseUrl: 'http://x', rooms: [room('alice'), room('ALICE')] };
    expect(() => new CohortStack(new App({ outdir: Testing.app().outdir }), bad)).toThrow(
      /bad id[\s\S]*trailing slash[\s\S]*"ALICE" appears twice/,
    );
  });
});
