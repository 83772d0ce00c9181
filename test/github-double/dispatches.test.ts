/**
 * repository_dispatch (`POST /repos/{o}/{r}/dispatches`): answered 204 and recorded, as the front
 * door's workflow sends it to the admin repository; GitHub's refusals modelled.
 */
import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { acmeSeed, admin, call } from './helpers';

describe('repository_dispatch', () => {
  let double: GitHubDouble;
  beforeEach(async () => {
    double = await startGitHubDouble({
      seed: acmeSeed({
        tokens: [
          { token: 'dummy-token-not-a-secret', login: 'operator' },
          { token: 'writer', login: 'lr-registration[bot]', permissions: { contents: 'write' } },
          { token: 'issues-only', login: 'lr-other[bot]', permissions: { issues: 'write' } },
        ],
        repos: [{ owner: 'acme', name: 'workshop-admin', visibility: 'private', files: { 'roster.json': '{}' } }],
      }),
    });
  });
  afterEach(() => double.stop());

  const dispatch = (body: unknown, token = 'writer') =>
    call(double, 'POST', '/api/v3/repos/acme/workshop-admin/dispatches', { body, token });

  test('answers 204 with no body and records the event, its payload and who sent it', async () => {
    const r = await dispatch({
      event_type: 'learning-rooms-registration',
      client_payload: { repository: 'acme/register', issue_number: 7 },
    });
    expect({ status: r.status, body: r.body }).toEqual({ status: 204, body: undefined });
    const seen = await admin(double, 'GET', '/_admin/dispatches?repo=acme/workshop-admin');
    expect(seen.body).toEqual([
      {
        event_type: 'learning-rooms-registration',
        client_payload: { repository: 'acme/register', issue_number: 7 },
        sender: 'lr-registration[bot]',
        at: expect.any(String),
      },
    ]);
    // A token standing for an App's bot acts as a Bot account, as GitHub's do.
    expect(double.state.account('lr-registration[bot]')?.type).toBe('Bot');
  });

  test("GitHub's refusals: no event type, a payload that is not an object or has more than 10 properties", async () => {
    expect((await dispatch({ client_payload: {} })).status).toBe(422);
    expect((await dispatch({ event_type: 'x', client_payload: [1] })).status).toBe(422);
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]));
    const tooMany = await dispatch({ event_type: 'x', client_payload: eleven });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.message).toContain('No more than 10 properties');
    expect((await dispatch({ event_type: 'x'.repeat(101) })).status).toBe(422);
    expect(double.state.repo('acme', 'workshop-admin')!.dispatches).toEqual([]);
  });

  test('needs contents: write; a repository out of reach is not found', async () => {
    const denied = await dispatch({ event_type: 'x' }, 'issues-only');
    expect(denied.status).toBe(403);
    expect(denied.headers.get('x-accepted-github-permissions')).toBe('contents=write');
    expect(
      (await call(double, 'POST', '/api/v3/repos/acme/nope/dispatches', { body: { event_type: 'x' }, token: 'writer' }))
        .status,
    ).toBe(404);
    expect((await admin(double, 'GET', '/_admin/dispatches?repo=acme/nope')).status).toBe(404);
  });
});
