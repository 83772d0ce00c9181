import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import subset from '@learning-rooms/github-double/generated/openapi-subset.json';
import {
  generateAppKeyPair,
  ROUTES,
  signAppJwt,
  startGitHubDouble,
  type GitHubDouble,
} from '@learning-rooms/github-double';
import { acmeSeed, b64, call, type Answer } from './helpers';

/**
 * Every REST answer the double gives validates against GitHub's OpenAPI description for GHES
 * (the extracted subset, see tools/github-double/scripts/extract-openapi-subset.ts), for the status it answered with.
 */

type Schema = Record<string, unknown>;
const ops = subset.operations as Record<string, { path: string; responses: Record<string, Schema | null> }>;

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ components: subset.components }, 'gh');

function rebase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebase);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? `gh${v}` : rebase(v)]),
  );
}

const compiled = new Map<string, ValidateFunction>();
function validator(route: string, status: number): ValidateFunction | null | undefined {
  const key = `${route} ${status}`;
  if (!compiled.has(key)) {
    const schema = ops[route]?.responses[String(status)];
    if (schema === undefined) return undefined;
    if (schema === null) return null;
    compiled.set(key, ajv.compile(rebase(schema) as Schema));
  }
  return compiled.get(key);
}

const keys = generateAppKeyPair();

describe("REST answers validate against GitHub's OpenAPI description (GHES)", () => {
  let double: GitHubDouble;
  const problems: string[] = [];
  const checked = new Set<string>();

  beforeAll(async () => {
    double = await startGitHubDouble({
      seed: acmeSeed({
        orgs: [
          {
            login: 'acme',
            members: ['operator', 'mentor'],
            teams: [{ name: 'Staff', members: ['mentor'] }],
            secrets: [
              { name: 'ORG_WIDE' },
              { name: 'ONLY_OTHERS', visibility: 'selected', repositories: ['acme/elsewhere'] },
            ],
          },
        ],
        app: {
          id: 7,
          publicKey: keys.publicKeyPem,
          installations: [{ id: 70, account: 'acme', permissions: { contents: 'write' } }],
        },
        apps: [
          {
            id: 8,
            slug: 'acme-records',
            installations: [
              { id: 80, account: 'acme', permissions: { contents: 'write' }, repository_selection: 'selected' },
            ],
          },
        ],
      }),
      generateDelayMs: 1,
    });
  });
  afterAll(() => double.stop());

  /** One call, validated against the schema for the route and status it got. */
  async function v(method: string, path: string, opts: Parameters<typeof call>[3] = {}): Promise<Answer> {
    const res = await call(double, method, path, opts);
    const entry = double.requests().at(-1)!;
    const route = entry.route ?? `${method} ${path}`;
    if (res.status === 304) return res;
    // an error the operation's description does not list must still have GitHub's error shape
    const fallback = res.status === 422 ? 'validation-error' : res.status >= 400 ? 'basic-error' : undefined;
    const documented = validator(route, res.status);
    // An error documented without a body (DELETE git/refs 422, a team's repository check 404) still
    // gets GitHub's error object, as every GitHub error does: the shape is checked against that.
    const undocumentedShape = documented === undefined || (documented === null && res.body !== undefined);
    const validate = undocumentedShape && fallback ? ajv.getSchema(`gh#/components/schemas/${fallback}`) : documented;
    if (validate === undefined) {
      problems.push(`${route}: status ${res.status} is not documented for this operation`);
    } else if (validate === null) {
      if (res.body !== undefined) problems.push(`${route} ${res.status}: documented without a body, got one`);
    } else if (!validate(res.body)) {
      problems.push(`${route} ${res.status}: ${ajv.errorsText(validate.errors, { separator: '\n  ' })}`);
    }
    checked.add(route);
    return res;
  }

  test('a full tour of the served endpoints', async () => {
    const jwt = signAppJwt({ appId: 7, privateKeyPem: keys.privateKeyPem });
    await v('GET', '/api/v3/app', { token: jwt });
    await v('GET', '/api/v3/app/installations', { token: jwt });
    await v('GET', '/api/v3/orgs/acme/installation', { token: jwt });
    await v('POST', '/api/v3/app/installations/70/access_tokens', { token: jwt });
    await v('GET', '/api/v3/rate_limit');
    await v('GET', '/api/v3/orgs/acme');
    await v('GET', '/api/v3/orgs/acme/repos');
    await v('GET', '/api/v3/users/alice');
    await v('GET', '/api/v3/user');
    const gen = await v('POST', '/api/v3/repos/acme/tmpl/generate', {
      body: { name: 'room', owner: 'acme', private: true },
    });
    expect(gen.status).toBe(201);
    await v('POST', '/api/v3/repos/acme/tmpl/generate', { body: { name: 'room', owner: 'acme' } });
    await v('POST', '/api/v3/orgs/acme/repos', { body: { name: 'plain', auto_init: true } });
    await double.state.repo('acme', 'room')!.ready;
    await v('DELETE', '/api/v3/repos/acme/room/vulnerability-alerts');
    await v('PUT', '/api/v3/repos/acme/room/vulnerability-alerts');
    await v('GET', '/api/v3/repos/acme/room/vulnerability-alerts');
    await v('PATCH', '/api/v3/repos/acme/room', { body: { has_issues: true, description: '' } });
    await v('GET', '/api/v3/repos/acme/room');
    await v('GET', '/api/v3/repos/acme/nope');
    await v('PUT', '/api/v3/repos/acme/room/topics', { body: { names: ['learning'] } });
    await v('GET', '/api/v3/repos/acme/room/topics');
    const put = await v('PUT', '/api/v3/repos/acme/room/contents/a/b.md', {
      body: { message: 'add', content: b64('b') },
    });
    await v('PUT', '/api/v3/repos/acme/room/contents/a/b.md', { body: { message: 'no sha', content: b64('c') } });
    await v('GET', '/api/v3/repos/acme/room/contents/a/b.md');
    await v('GET', '/api/v3/repos/acme/room/contents/a');
    await v('GET', '/api/v3/repos/acme/room/contents/missing.md');
    await v('GET', `/api/v3/repos/acme/room/commits/${put.body.commit.sha}`);
    await v('GET', '/api/v3/repos/acme/room/commits?sha=main&path=a/b.md');
    await v('GET', '/api/v3/repos/acme/room/commits?sha=0000000');
    await v('GET', '/api/v3/repos/acme/room/branches/main');
    await v('DELETE', '/api/v3/repos/acme/room/contents/a/b.md', {
      body: { message: 'rm', sha: put.body.content.sha },
    });
    const inv = await v('PUT', '/api/v3/repos/acme/room/collaborators/alice', { body: { permission: 'push' } });
    await v('PUT', '/api/v3/repos/acme/room/collaborators/mentor', { body: { permission: 'push' } });
    await v('GET', '/api/v3/repos/acme/room/invitations?per_page=100');
    await v('PATCH', `/api/v3/repos/acme/room/invitations/${inv.body.id}`, { body: { permissions: 'read' } });
    await v('GET', '/api/v3/repos/acme/room/collaborators?per_page=100');
    await v('GET', '/api/v3/repos/acme/room/collaborators/mentor');
    await v('GET', '/api/v3/repos/acme/room/collaborators/mentor/permission');
    await v('DELETE', `/api/v3/repos/acme/room/invitations/${inv.body.id}`);
    await v('DELETE', '/api/v3/repos/acme/room/collaborators/mentor');
    await v('POST', '/api/v3/repos/acme/room/labels', {
      body: { name: 'step', color: 'ff0000', description: 'a step' },
    });
    await v('POST', '/api/v3/repos/acme/room/labels', { body: { name: 'step' } });
    await v('GET', '/api/v3/repos/acme/room/labels');
    await v('PATCH', '/api/v3/repos/acme/room/labels/step', { body: { new_name: 'Step', color: '00ff00' } });
    await v('GET', '/api/v3/repos/acme/room/labels/step');
    const issue = await v('POST', '/api/v3/repos/acme/room/issues', {
      body: { title: 'Step 1', body: 'b', labels: ['Step'], assignees: ['alice'] },
    });
    await v('GET', `/api/v3/repos/acme/room/issues/${issue.body.number}`);
    await v('PATCH', `/api/v3/repos/acme/room/issues/${issue.body.number}`, {
      body: { state: 'closed', state_reason: 'not_planned' },
    });
    const comment = await v('POST', `/api/v3/repos/acme/room/issues/${issue.body.number}/comments`, {
      body: { body: 'hi' },
    });
    await v('PATCH', `/api/v3/repos/acme/room/issues/comments/${comment.body.id}`, { body: { body: 'hi again' } });
    await v('GET', `/api/v3/repos/acme/room/issues/comments/${comment.body.id}`);
    await v('POST', `/api/v3/repos/acme/room/issues/${issue.body.number}/comments`, {
      body: { body: 'to delete' },
    }).then((c) => v('DELETE', `/api/v3/repos/acme/room/issues/comments/${c.body.id}`));
    await v('GET', '/api/v3/repos/acme/room/issues/comments/999999');
    await v('GET', `/api/v3/repos/acme/room/issues/${issue.body.number}/comments`);
    await v('GET', '/api/v3/repos/acme/room/issues/comments');
    double.admin('POST', '/_admin/pulls', {
      repo: 'acme/room',
      title: 'PR',
      author: 'alice',
      closes: [issue.body.number],
      merged: true,
      merged_at: '2026-03-01T00:00:00Z',
    });
    await v('GET', '/api/v3/repos/acme/room/issues?state=all');
    await v('GET', '/api/v3/repos/acme/room/pulls?state=all');
    await v('GET', '/api/v3/repos/acme/room/pulls/2');
    await v('DELETE', '/api/v3/repos/acme/room/labels/Step');
    await courseTour();
    await v('POST', '/api/v3/repos/acme/room/dispatches', {
      body: {
        event_type: 'learning-rooms-registration',
        client_payload: { repository: 'acme/register', issue_number: 1 },
      },
    });
    await v('POST', '/api/v3/repos/acme/room/dispatches', { body: { client_payload: {} } });
    await v('DELETE', '/api/v3/repos/acme/plain');
    // An admin repository's settings, as doctor reads them.
    double.admin('POST', '/_admin/repo_settings', {
      repo: 'acme/tmpl',
      environments: [
        {
          name: 'learning-rooms-plan',
          deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
          branch_policies: ['main', { name: 'v*', type: 'tag' }],
          secrets: ['PROVISIONING_APP_ID'],
        },
        { name: 'open' },
      ],
      secrets: ['LEAKY'],
      rulesets: [
        {
          name: 'main',
          conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
          rules: [
            { type: 'deletion' },
            { type: 'non_fast_forward' },
            {
              type: 'pull_request',
              parameters: {
                dismiss_stale_reviews_on_push: false,
                require_code_owner_review: false,
                require_last_push_approval: false,
                required_approving_review_count: 1,
                required_review_thread_resolution: false,
              },
            },
            {
              type: 'required_status_checks',
              parameters: {
                required_status_checks: [{ context: 'checks / Validate and synthesize (no credentials)' }],
                strict_required_status_checks_policy: false,
              },
            },
          ],
          bypass_actors: [{ actor_id: 8, actor_type: 'Integration', bypass_mode: 'always' }],
        },
      ],
    });
    await v('GET', '/api/v3/orgs/acme/installations');
    await v('GET', '/api/v3/orgs/alice/installations');
    await v('GET', '/api/v3/repos/acme/tmpl/environments');
    await v('GET', '/api/v3/repos/acme/tmpl/environments/learning-rooms-plan');
    await v('GET', '/api/v3/repos/acme/tmpl/environments/open');
    await v('GET', '/api/v3/repos/acme/tmpl/environments/nope');
    await v('GET', '/api/v3/repos/acme/tmpl/environments/learning-rooms-plan/deployment-branch-policies');
    await v('GET', '/api/v3/repos/acme/tmpl/environments/learning-rooms-plan/secrets');
    await v('GET', '/api/v3/repos/acme/tmpl/actions/secrets');
    const orgSecrets = await v('GET', '/api/v3/repos/acme/tmpl/actions/organization-secrets');
    expect(orgSecrets.body.secrets.map((x: { name: string }) => x.name)).toEqual(['ORG_WIDE']);
    const rulesets = await v('GET', '/api/v3/repos/acme/tmpl/rulesets');
    const ruleset = await v('GET', `/api/v3/repos/acme/tmpl/rulesets/${rulesets.body[0].id}`);
    expect(ruleset.body.bypass_actors).toEqual([{ actor_id: 8, actor_type: 'Integration', bypass_mode: 'always' }]);
    await v('GET', '/api/v3/repos/acme/tmpl/rulesets/1');
    expect(problems).toEqual([]);
  });

  /** Branches, pull requests, trees, comparisons and teams (issue 16), errors included. */
  async function courseTour(): Promise<void> {
    const head = (await v('GET', '/api/v3/repos/acme/room/git/ref/heads/main')).body.object.sha as string;
    await v('GET', '/api/v3/repos/acme/room/git/ref/heads/nope');
    await v('GET', '/api/v3/repos/acme/room/git/matching-refs/heads/ma');
    await v('POST', '/api/v3/repos/acme/room/git/refs', { body: { ref: 'refs/heads/feedback', sha: head } });
    await v('POST', '/api/v3/repos/acme/room/git/refs', { body: { ref: 'refs/heads/feedback', sha: head } });
    await v('POST', '/api/v3/repos/acme/room/git/refs', { body: { ref: 'refs/heads/topic', sha: head } });
    await v('POST', '/api/v3/repos/acme/room/pulls', { body: { title: 'Feedback', head: 'main', base: 'feedback' } });
    const put = await v('PUT', '/api/v3/repos/acme/room/contents/work.md', {
      body: { message: 'work', content: b64('w\n') },
    });
    const pr = await v('POST', '/api/v3/repos/acme/room/pulls', {
      body: { title: 'Feedback', head: 'main', base: 'feedback', body: '', maintainer_can_modify: false },
    });
    await v('PATCH', `/api/v3/repos/acme/room/pulls/${pr.body.number}`, {
      body: { title: 'Feedback', body: 'b', maintainer_can_modify: false },
    });
    await v('PATCH', `/api/v3/repos/acme/room/pulls/${pr.body.number}`, { body: { base: 'nope' } });
    await v('GET', '/api/v3/repos/acme/room/pulls?head=acme:main&state=open');
    await v('PATCH', '/api/v3/repos/acme/room/git/refs/heads/topic', { body: { sha: put.body.commit.sha } });
    await v('PATCH', '/api/v3/repos/acme/room/git/refs/heads/topic', { body: { sha: head } });
    await v('GET', '/api/v3/repos/acme/room/branches');
    await v('GET', '/api/v3/repos/acme/room/branches/topic');
    await v('GET', `/api/v3/repos/acme/room/compare/feedback...main`);
    await v('GET', `/api/v3/repos/acme/room/compare/feedback...nope`);
    const tree = await v('GET', '/api/v3/repos/acme/room/git/trees/main?recursive=1');
    await v('GET', '/api/v3/repos/acme/room/git/trees/nope');
    await v(
      'GET',
      `/api/v3/repos/acme/room/git/blobs/${tree.body.tree.find((e: { type: string }) => e.type === 'blob').sha}`,
    );
    await v('DELETE', '/api/v3/repos/acme/room/git/refs/heads/topic');
    await v('DELETE', '/api/v3/repos/acme/room/git/refs/heads/topic');
    await v('GET', '/api/v3/orgs/acme/teams');
    const team = await v('GET', '/api/v3/orgs/acme/teams/staff');
    await v('GET', '/api/v3/orgs/acme/teams/nope');
    await v('GET', '/api/v3/orgs/acme/teams/staff/members');
    const org = await v('GET', '/api/v3/orgs/acme');
    const byId = `/api/v3/organizations/${org.body.id}/team/${team.body.id}/repos/acme/room`;
    await v('GET', byId);
    await v('PUT', byId, { body: { permission: 'maintain' } });
    await v('GET', byId, { headers: { Accept: 'application/vnd.github.v3.repository+json' } });
    await v('GET', '/api/v3/orgs/acme/teams/staff/repos/acme/room');
    await v('GET', '/api/v3/orgs/acme/teams/staff/repos/acme/room', {
      headers: { Accept: 'application/vnd.github.v3.repository+json' },
    });
    await v('GET', '/api/v3/repos/acme/room/teams');
    await v('DELETE', byId);
    await v('PUT', '/api/v3/orgs/acme/teams/staff/repos/acme/room', { body: { permission: 'push' } });
    await v('DELETE', '/api/v3/orgs/acme/teams/staff/repos/acme/room');
  }

  test('the tour reached every route in the table', () => {
    const unchecked = ROUTES.map((r) => `${r.method} ${r.pattern}`).filter((k) => !checked.has(k) && k in ops);
    expect(unchecked).toEqual([]);
  });
});
