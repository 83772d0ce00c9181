import { Octokit } from '@octokit/rest';
import { throttling } from '@octokit/plugin-throttling';
import { startGitHubDouble, type GitHubDouble } from '@learning-rooms/github-double';
import { acmeSeed, TOKEN } from './helpers';

/**
 * The project's Octokit stack (with @octokit/plugin-throttling) recognises the double's limit
 * answers: the secondary limit (403, "secondary rate", Retry-After) and the primary limit
 * (Remaining 0 + Reset, and RATE_LIMITED for GraphQL). The handlers move the double's clock
 * forward instead of waiting; `retryAfterBaseValue` makes the plugin wait milliseconds, not seconds.
 */
const Throttled = Octokit.plugin(throttling);

describe('Octokit throttling against the double', () => {
  let double: GitHubDouble;
  afterEach(() => double.stop());

  function client(events: string[]) {
    return new Throttled({
      baseUrl: double.apiUrl,
      auth: TOKEN,
      throttle: {
        retryAfterBaseValue: 0.01,
        onSecondaryRateLimit: (retryAfter: number) => {
          events.push(`secondary ${retryAfter > 0 ? 'with' : 'without'} Retry-After`);
          double.advanceClock(retryAfter * 1000);
          return true;
        },
        onRateLimit: (retryAfter: number) => {
          events.push(`primary ${retryAfter > 0 ? 'with' : 'without'} reset`);
          double.advanceClock(3600_000);
          return true;
        },
      },
    });
  }

  test('a secondary limit is waited out and the write retried', async () => {
    double = await startGitHubDouble({ seed: acmeSeed(), limits: { secondaryPerMinute: 1 } });
    const events: string[] = [];
    const octokit = client(events);
    await octokit.rest.repos.update({ owner: 'acme', repo: 'tmpl', description: 'one' });
    const { data } = await octokit.rest.repos.update({ owner: 'acme', repo: 'tmpl', description: 'two' });
    expect(data.description).toBe('two');
    expect(events).toEqual(['secondary with Retry-After']);
    expect(double.counters().byStatus).toEqual({ '200': 2, '403': 1 });
  });

  test('the primary limit is recognised by REST and GraphQL clients', async () => {
    double = await startGitHubDouble({ seed: acmeSeed(), limits: { primary: 2, graphql: 2 } });
    const events: string[] = [];
    const octokit = client(events);
    await octokit.rest.orgs.get({ org: 'acme' });
    await octokit.rest.orgs.get({ org: 'acme' });
    expect(events).toEqual(['primary with reset']);
    await octokit.graphql('{ rateLimit { remaining } }');
    const res = await octokit.graphql<{ repository: { name: string } }>(
      '{ repository(owner: "acme", name: "tmpl") { name } }',
    );
    expect(res.repository.name).toBe('tmpl');
    expect(events).toEqual(['primary with reset', 'primary with reset']);
  });
});
