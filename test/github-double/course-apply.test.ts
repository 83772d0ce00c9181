import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { acmeSeed, b64, TOKEN } from './helpers';
import { calls, collaboratorsApply, collaboratorsRead, gh, GoError, lastSeq } from './provider-calls';
import { courseRoster, T } from '../../test-kit/course';
import { planOf, StateResource } from '../../test-kit/course-world';
import { appliedAll, Config, only, synthAt } from '../helpers/course';
import { parsePlanJson } from '../../contracts/terraform-plan';
import { invitationUpdates, setPendingInvitations } from '../../provisioning/pending-invitations';
import { createClient } from '../../shared/github-client';
import { serializeRoster } from '../../roster/serialize';
import { cli } from '../helpers/cli';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A course's synthesized configuration applied to the GitHub double as the provider (6.9.0) sends
 * it (test/github-double/provider-calls.ts follows its Go source): each planned change of the
 * synthesis, in Terraform's dependency order, becomes the provider's requests. What the double
 * shows afterwards is what GitHub would; the request log shows what the provider sent.
 */

const ORG = 'acme-school';

interface Applied {
  /** The feedback pull request's number per room key. */
  pulls: Map<string, number>;
}

/**
 * Applies a plan (test-kit/course-world.ts planOf) as Terraform and the provider would: repositories
 * first, then what depends on them (collaborators, the feedback branch), the files (after the
 * branch), the pull request (after the files); archives last. Resolved values come from the plan's
 * `after`.
 */
async function apply(double: GitHubDouble, orgId: number, plan: Config, state: Applied): Promise<void> {
  type Change = {
    address: string;
    type: string;
    name: string;
    change: { actions: string[]; before: Config; after: Config };
  };
  const changes = (plan.resource_changes as Change[]).filter(
    (c) => !c.change.actions.every((a) => a === 'no-op' || a === 'forget'),
  );
  const order = [
    'github_repository',
    'github_repository_collaborators',
    'github_branch',
    'github_repository_file',
    'github_repository_pull_request',
  ];
  const creates = changes
    .filter((c) => !c.change.actions.includes('delete'))
    .sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
  for (const c of creates) {
    const v = c.change.after;
    const create = c.change.actions.includes('create');
    if (c.type === 'github_repository') {
      if (create) {
        const [owner, repository] = [v.template.owner, v.template.repository];
        await gh(double, 'POST', `/repos/${owner}/${repository}/generate`, {
          body: {
            name: v.name,
            owner: ORG,
            description: '',
            include_all_branches: false,
            private: v.visibility !== 'public',
          },
        });
      } else {
        // resourceGithubRepositoryUpdate: the PATCH without visibility, then one with it when it changed
        const settings = { name: v.name, description: '', has_issues: v.has_issues, archived: false };
        await gh(double, 'PATCH', `/repos/${ORG}/${v.name}`, { body: settings });
        if (c.change.before.visibility !== v.visibility)
          await gh(double, 'PATCH', `/repos/${ORG}/${v.name}`, { body: { ...settings, visibility: v.visibility } });
      }
    } else if (c.type === 'github_repository_collaborators') {
      await collaboratorsApply(double, {
        org: ORG,
        orgId,
        repo: v.repository,
        users: v.user,
        teams: (v.team ?? []).map((t: { team_id: string; permission: string }) => ({
          team_id: t.team_id,
          permission: t.permission,
        })),
      });
    } else if (c.type === 'github_branch') {
      const source = await gh(double, 'GET', `/repos/${ORG}/${v.repository}/git/ref/heads/${v.source_branch}`);
      await gh(double, 'POST', `/repos/${ORG}/${v.repository}/git/refs`, {
        body: { ref: `refs/heads/${v.branch}`, sha: source.body.object.sha },
      });
    } else if (c.type === 'github_repository_file') {
      // resource_github_repository_file.go Create: GET contents (404 expected), PUT with overwrite_on_create's sha
      const found = await gh(double, 'GET', `/repos/${ORG}/${v.repository}/contents/${v.file}`).catch(() => undefined);
      await gh(double, 'PUT', `/repos/${ORG}/${v.repository}/contents/${v.file}`, {
        body: { message: `Add ${v.file}`, content: b64(v.content), ...(found ? { sha: found.body.sha } : {}) },
      });
    } else if (c.type === 'github_repository_pull_request') {
      const pr = await gh(double, 'POST', `/repos/${ORG}/${v.base_repository}/pulls`, {
        body: { title: v.title, head: v.head_ref, base: v.base_ref, body: v.body, maintainer_can_modify: false },
      });
      state.pulls.set(c.name, pr.body.number);
    }
  }
  // archive_on_destroy: the whole object PATCHed with archived = true
  for (const c of changes.filter((x) => x.type === 'github_repository' && x.change.actions.includes('delete'))) {
    const v = c.change.before;
    await gh(double, 'PATCH', `/repos/${ORG}/${v.name}`, {
      body: { name: v.name, archived: true, visibility: v.visibility },
    });
  }
}

describe("a course's configuration applied against the double as the provider sends it", () => {
  let double: GitHubDouble;
  let orgId: number;
  beforeEach(async () => {
    double = await startGitHubDouble({
      seed: acmeSeed({
        orgs: [{ login: ORG, members: ['operator', 'sam-teacher', 'tina-ta'] }],
        users: ['l1', 'l2', 'l3', 'l4'],
        repos: [{ owner: ORG, name: 'web-101-template', is_template: true, files: { 'README.md': '# starter\n' } }],
      }),
      generateDelayMs: 0,
    });
    orgId = (await gh(double, 'GET', `/orgs/${ORG}`)).body.id;
  });
  afterEach(() => double.stop());

  /** Synthesizes at `at` against `state`, applies to the double; returns the next state. */
  async function step(roster: ReturnType<typeof courseRoster>, at: string, state: StateResource[], applied: Applied) {
    const s = only(synthAt(roster, at, { 'web-101': state }));
    const plan = planOf(s.config, state);
    await apply(double, orgId, plan, applied);
    return { plan, index: s.index, next: appliedAll(synthAt(roster, at, { 'web-101': state }))['web-101'] };
  }

  const room = (name: string) => double.state.repo(ORG, name)!;
  const people = (name: string) => collaboratorsRead(double, ORG, name).then((r) => r.user);

  test('provisioning: learners invited with push, facilitators (organisation members) added with maintain; the feedback pull request has commits to show', async () => {
    const applied: Applied = { pulls: new Map() };
    await step(courseRoster({ learners: 2 }), T.a2Opens, [], applied);
    expect(await people('web-101-a2-css-l1')).toEqual(['l1:push', 'sam-teacher:maintain', 'tina-ta:maintain']);
    expect(room('web-101-a2-css-l1').invitations.map((i) => i.invitee.login)).toEqual(['l1']);
    const r = room('web-101-a2-css-l1');
    const pr = (
      await gh(double, 'GET', `/repos/${ORG}/web-101-a2-css-l1/pulls/${applied.pulls.get('a2-css--l1--feedback')}`)
    ).body;
    expect(pr).toMatchObject({ title: 'Feedback', state: 'open', base: { ref: 'feedback' }, head: { ref: 'main' } });
    // the feedback branch holds the starter code alone (the generated first commit); main has the two required files on top
    const feedback = r.commits.get(r.branches.get('feedback') ?? '');
    expect(feedback?.parents).toEqual([]);
    expect([...(feedback?.tree.keys() ?? [])]).toEqual(['README.md']);
    const head = r.commits.get(r.branches.get('main') ?? '');
    expect(head?.parents).toHaveLength(1);
    expect(r.commits.get(head?.parents[0] ?? '')?.parents).toEqual([feedback?.sha]);
    // a1-html asks for no feedback pull request
    expect(room('web-101-a1-html-l1').branches.size).toBe(1);
  });

  test('the order matters: a pull request before the files has no commit to show, and GitHub refuses it', async () => {
    await gh(double, 'POST', `/repos/${ORG}/web-101-template/generate`, {
      body: { name: 'early', owner: ORG, private: true },
    });
    const main = await gh(double, 'GET', `/repos/${ORG}/early/git/ref/heads/main`);
    await gh(double, 'POST', `/repos/${ORG}/early/git/refs`, {
      body: { ref: 'refs/heads/feedback', sha: main.body.object.sha },
    });
    const err = await gh(double, 'POST', `/repos/${ORG}/early/pulls`, {
      body: { title: 'Feedback', head: 'main', base: 'feedback', body: '', maintainer_can_modify: false },
    }).catch((e: GoError) => e);
    expect(err).toMatchObject({ status: 422 });
    expect(JSON.stringify((err as GoError).body)).toContain('No commits between feedback and main');
  });

  test('a cutoff: accepted learners get a PUT (access kept, read only); a pending invitation is set to "read" before the apply, so the provider sends it nothing', async () => {
    const roster = courseRoster({ learners: 2, assignments: (a) => a.slice(0, 1) });
    const applied: Applied = { pulls: new Map() };
    const opened = await step(roster, T.a1Opens, [], applied);
    double.admin('POST', '/_admin/accept_invites', { repo: `${ORG}/web-101-a1-html-l1` });
    // the plan at the cutoff: both learners push -> pull
    const s = only(synthAt(roster, '2026-03-10T17:05:00Z', { 'web-101': opened.next }));
    const plan = planOf(s.config, opened.next);
    const updates = invitationUpdates(parsePlanJson(JSON.stringify(plan), 'plan.json').plan);
    expect(updates).toEqual([
      { repository: 'web-101-a1-html-l1', username: 'l1', permission: 'pull' },
      { repository: 'web-101-a1-html-l2', username: 'l2', permission: 'pull' },
    ]);
    // the pre-apply step (learning-rooms pending-invitations), through the project's client
    const octokit = createClient({
      baseUrl: double.apiUrl,
      auth: { kind: 'token', token: TOKEN },
      minRequestIntervalMs: 0,
    });
    const since = lastSeq(double);
    const report = await setPendingInvitations(
      {
        list: async (owner, repo) =>
          (await octokit.paginate(octokit.rest.repos.listInvitations, { owner, repo, per_page: 100 })).map((i) => ({
            id: i.id,
            invitee: i.invitee?.login ?? '',
            permissions: i.permissions,
          })),
        update: async (owner, repo, id, permissions) => {
          await octokit.rest.repos.updateInvitation({
            owner,
            repo,
            invitation_id: id,
            permissions: permissions as 'read',
          });
        },
      },
      ORG,
      updates,
    );
    expect(report).toEqual({
      updated: [{ repository: 'web-101-a1-html-l2', username: 'l2', from: 'write', to: 'read' }],
      accepted: 1,
      problems: [],
    });
    // then the apply: l1's permission is changed in place (PUT, twice: direct and outside lists), l2's needs nothing
    const applying = lastSeq(double);
    await apply(double, orgId, plan, applied);
    expect(calls(double, applying).filter((c) => !c.startsWith('GET'))).toEqual([
      'PUT /repos/acme-school/web-101-a1-html-l1/collaborators/l1 204',
      'PUT /repos/acme-school/web-101-a1-html-l1/collaborators/l1 204',
    ]);
    expect(calls(double, since).some((c) => /PATCH .*invitations.* 422/.test(c))).toBe(false);
    expect(await people('web-101-a1-html-l1')).toEqual(['l1:pull', 'sam-teacher:maintain', 'tina-ta:maintain']);
    expect(await people('web-101-a1-html-l2')).toEqual(['l2:pull', 'sam-teacher:maintain', 'tina-ta:maintain']);
    expect(room('web-101-a1-html-l1').collaborators.get('l1')?.role).toBe('read');
    // without the step the provider's PATCH {"permissions": "pull"} is refused (422): the room's apply would fail
    const other = courseRoster({ learners: 1, handles: ['l3'], assignments: (a) => a.slice(0, 1) });
    const o = await step(other, T.a1Opens, [], applied);
    const cut = planOf(only(synthAt(other, '2026-03-10T17:05:00Z', { 'web-101': o.next })).config, o.next);
    await expect(apply(double, orgId, cut, applied)).rejects.toMatchObject({ status: 422 });
  });

  /** The provider's refresh of each room's collaborators list: state's `user` as the double shows it. */
  async function refreshed(state: StateResource[]): Promise<StateResource[]> {
    return Promise.all(
      state.map(async (r) => {
        if (r.type !== 'github_repository_collaborators') return r;
        const read = await collaboratorsRead(double, ORG, String(r.values.repository));
        const user = read.user.map((u) => {
          const [username, permission] = u.split(':');
          return { permission, username };
        });
        return { ...r, values: { ...r.values, user } };
      }),
    );
  }
  const changedOf = (plan: Config) =>
    (plan.resource_changes as { address: string; change: { actions: string[] } }[])
      .filter((c) => c.change.actions.join() !== 'no-op')
      .map((c) => `${c.address} ${c.change.actions.join()}`);

  test('an expired invitation in a course room: withdrawn before the plan (expired-invitations --withdraw), the plan adds the learner back in place, the apply sends their one invitation; nobody else is touched', async () => {
    const roster = courseRoster({ learners: 2, assignments: (a) => a.slice(0, 1) });
    const applied: Applied = { pulls: new Map() };
    const opened = await step(roster, T.a1Opens, [], applied);
    double.admin('POST', '/_admin/accept_invites', { repo: `${ORG}/web-101-a1-html-l1` });
    double.admin('POST', '/_admin/expire_invitation', { repo: `${ORG}/web-101-a1-html-l2`, login: 'l2' });
    const s = only(synthAt(roster, T.a1Opens, { 'web-101': opened.next }));
    // the provider counts the expired invitation as present: the refreshed plan is clean, nothing re-sent
    expect(await people('web-101-a1-html-l2')).toEqual(['l2:push', 'sam-teacher:maintain', 'tina-ta:maintain']);
    expect(changedOf(planOf(s.config, await refreshed(opened.next)))).toEqual([]);

    // the heal's plan step: learning-rooms expired-invitations --withdraw, with the provisioning credentials
    const dir = mkdtempSync(join(tmpdir(), 'lr-expired-'));
    try {
      writeFileSync(join(dir, 'roster.json'), serializeRoster(roster));
      writeFileSync(join(dir, 'learners.json'), JSON.stringify(s.index));
      const args = ['expired-invitations', 'roster.json', '--index', 'learners.json', '--withdraw', '--token'];
      const env = { GITHUB_TOKEN: TOKEN, GITHUB_BASE_URL: double.url, PROVISIONING_STUDENT_OWNER: ORG };
      const dry = await cli([...args, '--dry-run'], { cwd: dir, env });
      expect(dry.code).toBe(0);
      expect(dry.stderr).toContain('would withdraw the expired invitation of l2 to acme-school/web-101-a1-html-l2');
      expect(room('web-101-a1-html-l2').invitations).toHaveLength(1);
      const since = lastSeq(double);
      const r = await cli(args, { cwd: dir, env });
      // stdout stays the -replace addresses: a course's learners have no collaborator of their own
      expect(r).toMatchObject({ code: 0, stdout: '' });
      expect(r.stderr).toContain('withdrew the expired invitation of l2 to acme-school/web-101-a1-html-l2');
      expect(r.stderr).toContain('2 of 2 course room(s) read; 1 expired invitation(s) withdrawn');
      expect(calls(double, since).filter((c) => !c.startsWith('GET'))).toEqual([
        expect.stringMatching(/^DELETE \/repos\/acme-school\/web-101-a1-html-l2\/invitations\/\d+ 204$/),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // the plan now sees l2 missing from the list: one in-place update of that room alone
    const plan = planOf(s.config, await refreshed(opened.next));
    expect(changedOf(plan)).toEqual(['github_repository_collaborators.a1-html--l2 update']);
    const applying = lastSeq(double);
    await apply(double, orgId, plan, applied);
    expect(calls(double, applying).filter((c) => !c.startsWith('GET'))).toEqual([
      'PUT /repos/acme-school/web-101-a1-html-l2/collaborators/l2 201',
    ]);
    const invitations = room('web-101-a1-html-l2').invitations;
    expect(invitations.map((i) => [i.invitee.login, i.expired])).toEqual([['l2', false]]);
    expect(await people('web-101-a1-html-l2')).toEqual(['l2:push', 'sam-teacher:maintain', 'tina-ta:maintain']);
    // l1, who accepted, kept their access throughout; the next plan is clean
    expect(room('web-101-a1-html-l1').collaborators.get('l1')?.role).toBe('write');
    expect(changedOf(planOf(s.config, await refreshed(opened.next)))).toEqual([]);
  });

  test("why not -replace on a course room's collaborators list: the provider's Delete empties the room and its Create invites everyone again, so an accepted learner loses access", async () => {
    const roster = courseRoster({ learners: 1, assignments: (a) => a.slice(0, 1) });
    await step(roster, T.a1Opens, [], { pulls: new Map() });
    double.admin('POST', '/_admin/accept_invites', {});
    const want = {
      org: ORG,
      orgId,
      repo: 'web-101-a1-html-l1',
      teams: [],
      users: [
        { username: 'l1', permission: 'push' },
        { username: 'sam-teacher', permission: 'maintain' },
        { username: 'tina-ta', permission: 'maintain' },
      ],
    };
    // resourceGithubRepositoryCollaboratorsDelete: matchUserCollaboratorsAndInvites with nothing wanted
    await collaboratorsApply(double, { ...want, users: [] });
    await collaboratorsApply(double, want);
    expect(room('web-101-a1-html-l1').collaborators.has('l1')).toBe(false);
    expect(room('web-101-a1-html-l1').invitations.map((i) => i.invitee.login)).toEqual(['l1']);
  });

  test("a cutoff passing between two plans changes only that assignment's collaborators; an extension moves one learner's, alone, to its own instant", async () => {
    const roster = courseRoster({ learners: 3, assignments: (a) => a.slice(0, 2) });
    roster.learners[1].extensions = { 'a1-html': '2026-03-12T17:00:00Z' };
    const applied: Applied = { pulls: new Map() };
    const opened = await step(roster, T.a2Opens, [], applied);
    double.admin('POST', '/_admin/accept_invites', {});
    const writes = (since: number) => [...new Set(calls(double, since).filter((c) => !c.startsWith('GET')))];
    const changed = (plan: Config) =>
      (plan.resource_changes as { address: string; change: { actions: string[] } }[])
        .filter((c) => c.change.actions.join() !== 'no-op')
        .map((c) => `${c.address} ${c.change.actions.join()}`);
    // five minutes before the cutoff: nothing to do
    let since = lastSeq(double);
    const before = await step(roster, '2026-03-10T16:55:00Z', opened.next, applied);
    expect(changed(before.plan)).toEqual([]);
    expect(writes(since)).toEqual([]);
    // five minutes after: a1-html's collaborators of l1 and l3 (l2 has an extension), in place; a2-css untouched
    since = lastSeq(double);
    const cut = await step(roster, '2026-03-10T17:05:00Z', before.next, applied);
    expect(changed(cut.plan)).toEqual([
      'github_repository_collaborators.a1-html--l1 update',
      'github_repository_collaborators.a1-html--l3 update',
    ]);
    expect(writes(since)).toEqual([
      'PUT /repos/acme-school/web-101-a1-html-l1/collaborators/l1 204',
      'PUT /repos/acme-school/web-101-a1-html-l3/collaborators/l3 204',
    ]);
    expect(await people('web-101-a1-html-l1')).toEqual(['l1:pull', 'sam-teacher:maintain', 'tina-ta:maintain']);
    expect(await people('web-101-a1-html-l2')).toEqual(['l2:push', 'sam-teacher:maintain', 'tina-ta:maintain']);
    for (const h of ['l1', 'l2', 'l3'])
      expect(await people(`web-101-a2-css-${h}`)).toEqual([`${h}:push`, 'sam-teacher:maintain', 'tina-ta:maintain']);
    // the extension ends: l2 alone
    since = lastSeq(double);
    const extended = await step(roster, '2026-03-12T17:05:00Z', cut.next, applied);
    expect(changed(extended.plan)).toEqual(['github_repository_collaborators.a1-html--l2 update']);
    expect(writes(since)).toEqual(['PUT /repos/acme-school/web-101-a1-html-l2/collaborators/l2 204']);
    expect(await people('web-101-a1-html-l2')).toEqual(['l2:pull', 'sam-teacher:maintain', 'tina-ta:maintain']);
  });

  test("the end of course in archive mode: every room archived, its people and files forgotten, nothing else sent; the removal guard's confirmation is required", async () => {
    const end = { at: T.end, mode: 'archive' as const };
    expect(() =>
      synthAt(courseRoster({ learners: 2, assignments: (a) => a.slice(0, 1), endOfCourse: end }), T.a1Opens),
    ).toThrow(/allow_mass_change/);
    const roster = courseRoster({
      learners: 2,
      assignments: (a) => a.slice(0, 1),
      endOfCourse: { ...end, allow_mass_change: true },
    });
    const applied: Applied = { pulls: new Map() };
    const opened = await step(roster, T.a1Opens, [], applied);
    double.admin('POST', '/_admin/accept_invites', {});
    const since = lastSeq(double);
    const ended = await step(roster, T.end, opened.next, applied);
    const actions = (ended.plan.resource_changes as { address: string; change: { actions: string[] } }[]).map(
      (c) => `${c.address} ${c.change.actions.join()}`,
    );
    expect(actions.filter((a) => a.startsWith('github_repository.'))).toEqual([
      'github_repository.a1-html--l1 delete',
      'github_repository.a1-html--l2 delete',
    ]);
    const others = actions.filter((a) => !a.startsWith('github_repository.'));
    // each room's collaborators list and its required file
    expect(others).toHaveLength(4);
    expect(others.every((a) => a.endsWith(' forget'))).toBe(true);
    expect(calls(double, since).filter((c) => !c.startsWith('GET'))).toEqual([
      'PATCH /repos/acme-school/web-101-a1-html-l1 200',
      'PATCH /repos/acme-school/web-101-a1-html-l2 200',
    ]);
    for (const h of ['l1', 'l2']) {
      expect(room(`web-101-a1-html-${h}`).archived).toBe(true);
      // the learner keeps read access to the work (an archived repository is read only)
      expect(room(`web-101-a1-html-${h}`).collaborators.has(h)).toBe(true);
    }
  });

  test('a facilitator removed: one DELETE per room; a team change: a DELETE in one room, an invitation in the other; nothing else', async () => {
    const roster = courseRoster({ learners: 4, teamSize: 2, assignments: (a) => [a[0], a[2]] });
    const applied: Applied = { pulls: new Map() };
    const first = await step(roster, T.teamOpens, [], applied);
    double.admin('POST', '/_admin/accept_invites', {});
    roster.cohorts[0].facilitators = { handles: ['sam-teacher'] };
    let since = lastSeq(double);
    const second = await step(roster, T.teamOpens, first.next, applied);
    expect(
      calls(double, since)
        .filter((c) => !c.startsWith('GET'))
        .sort(),
    ).toEqual(
      [
        'web-101-a1-html-l1',
        'web-101-a1-html-l2',
        'web-101-a1-html-l3',
        'web-101-a1-html-l4',
        'web-101-a3-project-team-1',
        'web-101-a3-project-team-2',
      ]
        .map((r) => `DELETE /repos/acme-school/${r}/collaborators/tina-ta 204`)
        .sort(),
    );
    const teams = (roster.cohorts[0].assignments ?? [])[1].teams ?? [];
    teams[0].members = ['l1', 'l3'];
    teams[1].members = ['l2', 'l4'];
    since = lastSeq(double);
    await step(roster, T.teamOpens, second.next, applied);
    expect(calls(double, since).filter((c) => !c.startsWith('GET'))).toEqual([
      'DELETE /repos/acme-school/web-101-a3-project-team-1/collaborators/l2 204',
      'DELETE /repos/acme-school/web-101-a3-project-team-1/collaborators/l2 204',
      'PUT /repos/acme-school/web-101-a3-project-team-1/collaborators/l3 201',
      'DELETE /repos/acme-school/web-101-a3-project-team-2/collaborators/l3 204',
      'DELETE /repos/acme-school/web-101-a3-project-team-2/collaborators/l3 204',
      'PUT /repos/acme-school/web-101-a3-project-team-2/collaborators/l2 201',
    ]);
  });

  test('the end of course: hand-over makes the learners admin, then the archive; portfolio publishes, then archives', async () => {
    for (const mode of ['hand-over', 'portfolio'] as const) {
      const handles = mode === 'hand-over' ? ['l1'] : ['l2'];
      const roster = courseRoster({
        handles,
        cohort: `web-${mode === 'hand-over' ? 101 : 102}`,
        assignments: (a) => a.slice(0, 1),
        endOfCourse: { at: T.end, mode, allow_mass_change: true },
      });
      const cohort = roster.cohorts[0].cohort_id;
      const applied: Applied = { pulls: new Map() };
      const synth = (at: string, state: StateResource[]) => only(synthAt(roster, at, { [cohort]: state }), cohort);
      const run = async (at: string, state: StateResource[]) => {
        const s = synth(at, state);
        await apply(double, orgId, planOf(s.config, state), applied);
        return appliedAll(synthAt(roster, at, { [cohort]: state }))[cohort];
      };
      let state = await run(T.a1Opens, []);
      double.admin('POST', '/_admin/accept_invites', {});
      state = await run(T.end, state);
      const name = `${cohort}-a1-html-${handles[0]}`;
      if (mode === 'hand-over') expect(room(name).collaborators.get('l1')?.role).toBe('admin');
      else expect(room(name).visibility).toBe('public');
      expect(room(name).archived).toBe(false);
      await run('2026-04-03T17:30:00Z', state);
      expect(room(name).archived).toBe(true);
    }
  });
});
