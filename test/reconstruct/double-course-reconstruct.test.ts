/**
 * Reconstruct of a course's rooms against the GitHub double: a small course (two individual
 * assignments, the second with the feedback pull request, one team assignment) provisioned as an
 * apply would, partly; the state lost; `reconstruct --at` must import exactly what exists (the
 * repository, the collaborators list, each file, the feedback branch and pull request), report the
 * rest missing, and synthesis must turn every entry into an import block of its room.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { GitHubDouble, startGitHubDouble } from '@learning-rooms/github-double';
import type { ImportsFile } from '../../contracts/import-entries';
import { Roster, serializeRoster } from '../../roster';
import { cli } from '../helpers/cli';
import { learner } from '../../test-kit/rosters';

const OWNER = 'acme';
const P = '.github/workflows/progress.yml';
const TOKEN = 'operator-token-not-a-secret';
const AT = '2026-03-20T12:00:00Z';

function theRoster(): Roster {
  return {
    format_version: 1,
    cohorts: [
      {
        cohort_id: 'web',
        template: `${OWNER}/tmpl`,
        assignments: [
          { id: 'a1', opens: '2026-03-02T09:00:00Z', due: '2026-04-30T17:00:00Z', required_files: [P] },
          {
            id: 'a2',
            opens: '2026-03-09T09:00:00Z',
            due: '2026-04-30T17:00:00Z',
            required_files: [P],
            feedback_pull_request: true,
          },
          {
            id: 'a3',
            opens: '2026-03-16T09:00:00Z',
            due: '2026-04-30T17:00:00Z',
            required_files: [P],
            teams: [{ name: 'team-1', members: ['alice', 'bob'] }],
          },
        ],
      },
    ],
    learners: [learner('alice', 'web'), learner('bob', 'web')],
  } as Roster;
}

let double: GitHubDouble;
let cwd: string;
let env: NodeJS.ProcessEnv;
let octokit: Octokit;

beforeAll(async () => {
  double = await startGitHubDouble({
    port: 0,
    generateDelayMs: 0,
    seed: {
      orgs: [{ login: OWNER, members: ['operator'] }],
      autoUsers: true,
      tokens: [{ token: TOKEN, login: 'operator' }],
      repos: [
        { owner: OWNER, name: 'tmpl', is_template: true, visibility: 'private', files: { 'README.md': '# Room\n' } },
        { owner: OWNER, name: 'website' },
      ],
    },
  });
  octokit = new Octokit({ baseUrl: double.apiUrl, auth: TOKEN });
  cwd = mkdtempSync(join(tmpdir(), 'reconstruct-course-'));
  mkdirSync(join(cwd, 'required-files', '.github', 'workflows'), { recursive: true });
  writeFileSync(join(cwd, 'required-files', P), 'name: progress\non: [issues]\njobs: {}\n');
  writeFileSync(join(cwd, 'roster.json'), serializeRoster(theRoster()));
  env = {
    PROVISIONING_STUDENT_OWNER: OWNER,
    LEARNING_ROOM_TEMPLATE_REPO: `${OWNER}/tmpl`,
    GITHUB_BASE_URL: double.baseUrl,
    GITHUB_TOKEN: TOKEN,
  };
});

afterAll(async () => {
  await double?.stop();
});

async function room(name: string, people: string[], files: string[], feedback = false): Promise<void> {
  await octokit.request('POST /repos/{template_owner}/{template_repo}/generate', {
    template_owner: OWNER,
    template_repo: 'tmpl',
    owner: OWNER,
    name,
    private: true,
  });
  for (const username of people)
    await octokit.rest.repos.addCollaborator({ owner: OWNER, repo: name, username, permission: 'push' });
  if (feedback) {
    const { data: repo } = await octokit.rest.repos.get({ owner: OWNER, repo: name });
    const { data: ref } = await octokit.rest.git.getRef({
      owner: OWNER,
      repo: name,
      ref: `heads/${repo.default_branch}`,
    });
    await octokit.rest.git.createRef({ owner: OWNER, repo: name, ref: 'refs/heads/feedback', sha: ref.object.sha });
  }
  for (const path of files)
    await octokit.rest.repos.createOrUpdateFileContents({
      owner: OWNER,
      repo: name,
      path,
      message: `Add ${path}`,
      content: Buffer.from('x\n').toString('base64'),
    });
  if (feedback) {
    const { data: repo } = await octokit.rest.repos.get({ owner: OWNER, repo: name });
    await octokit.rest.pulls.create({
      owner: OWNER,
      repo: name,
      title: 'Feedback',
      head: repo.default_branch,
      base: 'feedback',
    });
  }
}

describe('reconstruct of a course against the GitHub double', () => {
  it('imports what exists in each room, team rooms included, and synthesis places every entry', async () => {
    await room('web-a1-alice', ['alice'], [P]);
    await room('web-a1-bob', ['bob'], []);
    await room('web-a2-alice', ['alice'], [P], true);
    await room('web-a3-team-1', ['alice', 'bob'], [P]);
    // A room of no learner's, shaped like one: listed as unmatched.
    await room('web-a1-zed', [], []);

    const res = await cli(['reconstruct', 'roster.json', '--out-dir', 'imports', '--at', AT], { cwd, env });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(
      /cohort web \(course\): 13 imports; 4 rooms matched \(3 complete, 1 with missing parts\), 1 room without a repository/,
    );
    expect(res.stdout).toMatch(/web-a1-zed/);

    const file = JSON.parse(readFileSync(join(cwd, 'imports', 'web.json'), 'utf8')) as ImportsFile;
    const pr = (await octokit.rest.pulls.list({ owner: OWNER, repo: 'web-a2-alice', state: 'all' })).data[0];
    expect(file.imports.map((e) => `${e.address} ${e.id}`)).toEqual([
      'github_repository.a1--alice web-a1-alice',
      'github_repository_collaborators.a1--alice web-a1-alice',
      'github_repository_file.a1--alice--github_workflows_progress_yml web-a1-alice/.github/workflows/progress.yml',
      'github_repository.a1--bob web-a1-bob',
      'github_repository_collaborators.a1--bob web-a1-bob',
      'github_repository.a2--alice web-a2-alice',
      'github_repository_collaborators.a2--alice web-a2-alice',
      'github_repository_file.a2--alice--github_workflows_progress_yml web-a2-alice/.github/workflows/progress.yml',
      'github_branch.a2--alice--feedback web-a2-alice:feedback',
      `github_repository_pull_request.a2--alice--feedback acme:web-a2-alice:${pr.number}`,
      'github_repository.a3--team-1 web-a3-team-1',
      'github_repository_collaborators.a3--team-1 web-a3-team-1',
      'github_repository_file.a3--team-1--github_workflows_progress_yml web-a3-team-1/.github/workflows/progress.yml',
    ]);
    expect(file.rooms?.map((r) => `${r.room} ${r.outcome} ${r.missing.join(',')}`)).toEqual([
      'a1--alice adopted ',
      'a1--bob partly-adopted github_repository_file.a1--bob--github_workflows_progress_yml',
      'a2--alice adopted ',
      'a2--bob to-create github_repository.a2--bob,github_repository_collaborators.a2--bob,github_repository_file.a2--bob--github_workflows_progress_yml,github_branch.a2--bob--feedback,github_repository_pull_request.a2--bob--feedback',
      'a3--team-1 adopted ',
    ]);

    const synth = await cli(['synth', 'roster.json', '--imports', 'imports', '--at', AT], { cwd, env });
    expect(synth.stderr).toBe('');
    expect(synth.code).toBe(0);
    const config = JSON.parse(readFileSync(join(cwd, 'cdktf.out', 'stacks', 'web', 'cdk.tf.json'), 'utf8')) as {
      import?: { to: string; id: string }[];
    };
    const blocks = (config.import ?? []).map((b) => `${b.to} ${b.id}`).sort();
    expect(blocks).toEqual(file.imports.map((e) => `${e.address} ${e.id}`).sort());
  });
});
