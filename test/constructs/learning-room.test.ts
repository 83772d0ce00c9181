import { Testing, TerraformStack } from 'cdktf';
import { LearningRoom, learningRoomProblems, LearningRoomProps } from '../../constructs/learning-room';
import { collaboratorAddress, fileAddress, repositoryAddress } from '../../contracts/room-addresses';

const WORKFLOW =
  'name: progress\non: issues\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.actor }} %{ not a directive }"\n';

const props: LearningRoomProps = {
  githubHandle: 'Alice-N',
  repositoryName: '2026-spring-alice-n',
  template: { owner: 'acme', repository: 'room-template' },
  requiredFiles: [
    { path: '.github/workflows/progress.yml', content: WORKFLOW },
    { path: 'README.md', content: '# Welcome\n' },
  ],
};

/** cdktf's matcher (a subset match), with the synthesized resources shown when it fails. */
function expectResource(text: string, type: string, properties: Record<string, unknown>): void {
  if (!Testing.toHaveResourceWithProperties(text, type, properties)) {
    throw new Error(`no ${type} with ${JSON.stringify(properties)} in:\n${text}`);
  }
}

function synth(p: LearningRoomProps = props): {
  text: string;
  json: Record<string, Record<string, Record<string, Record<string, unknown>>>>;
} {
  const text = Testing.synthScope((scope) => {
    new LearningRoom(scope, p);
  });
  return { text, json: JSON.parse(text) };
}

describe('LearningRoom', () => {
  it('makes a private repository from the template, with issues on and archive on destroy', () => {
    const { text } = synth();
    expectResource(text, 'github_repository', {
      name: '2026-spring-alice-n',
      visibility: 'private',
      has_issues: true,
      archive_on_destroy: true,
      template: { owner: 'acme', repository: 'room-template' },
      lifecycle: { ignore_changes: ['template'] },
    });
  });

  it('adds the learner as a collaborator with push, on the room', () => {
    const { text } = synth();
    expectResource(text, 'github_repository_collaborator', {
      username: 'Alice-N',
      permission: 'push',
      repository: '${github_repository.learner-alice-n.name}',
    });
  });

  it('writes every required file with overwrite_on_create and the content escaped for Terraform', () => {
    const { text } = synth();
    expectResource(text, 'github_repository_file', {
      file: '.github/workflows/progress.yml',
      overwrite_on_create: true,
      repository: '${github_repository.learner-alice-n.name}',
      content: WORKFLOW.split('${{').join('$${{').split('%{').join('%%{'),
    });
    expectResource(text, 'github_repository_file', { file: 'README.md', content: '# Welcome\n' });
  });

  it('names its resources by the address scheme: exactly one repository, one collaborator and K files', () => {
    const { json } = synth();
    const addresses = Object.entries(json.resource).flatMap(([type, byName]) =>
      Object.keys(byName).map((n) => `${type}.${n}`),
    );
    expect(addresses.sort()).toEqual(
      [
        repositoryAddress('Alice-N'),
        collaboratorAddress('Alice-N'),
        fileAddress('Alice-N', '.github/workflows/progress.yml'),
        fileAddress('Alice-N', 'README.md'),
      ].sort(),
    );
    expect(repositoryAddress('Alice-N')).toBe('github_repository.learner-alice-n');
  });

  it('writes no credential and no provider of its own', () => {
    const { json } = synth();
    expect(json.provider).toBeUndefined();
  });

  it('rejects bad props in the constructor, every problem at once', () => {
    const bad: LearningRoomProps = {
      githubHandle: '-bad',
      repositoryName: 'has space',
      template: { owner: 'acme', repository: 'x/y' },
      requiredFiles: [
        { path: 'a-b.yml', content: '' },
        { path: 'a_b.yml', content: '' },
        { path: '../escape', content: '' },
      ],
    };
    const problems = learningRoomProblems(bad);
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/githubHandle/);
    expect(problems.join('\n')).toMatch(/repositoryName: expected only A-Za-z0-9/);
    expect(problems.join('\n')).toMatch(/template.repository/);
    expect(problems.join('\n')).toMatch(/"a_b.yml" and "a-b.yml" map to one resource name/);
    expect(problems.join('\n')).toMatch(/"\.\.\/escape"/);
    const stack = new TerraformStack(Testing.app(), 's');
    expect(() => new LearningRoom(stack, bad)).toThrow(
      /^learning room of "-bad": githubHandle: expected a GitHub login[^\n]*\nlearning room of "-bad": repositoryName: /,
    );
    expect(stack.node.children).toHaveLength(0);
  });

  it('writes the description only when one is given', () => {
    const withOne = synth({ ...props, description: 'Alice-N, spring 2026' }).json;
    expect(withOne.resource.github_repository['learner-alice-n'].description).toBe('Alice-N, spring 2026');
    expect(synth().json.resource.github_repository['learner-alice-n']).not.toHaveProperty('description');
  });
});
