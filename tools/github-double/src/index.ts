/** The GitHub API double: a stateful, local GitHub for tests and rehearsals. See docs/github-double.md. */
export { startGitHubDouble, seedOrThrow, type GitHubDouble, type GitHubDoubleOptions } from './server';
export { generateAppKeyPair, signAppJwt } from './app-keys';
export { parseSeed, type Seed, type SeedRepo, type SeedIssue, type SeedPull, type SeedComment } from './seed';
export { parseFaults, type FaultSpec } from './faults';
export { DEFAULT_LIMITS, type LimitConfig } from './limits';
export type { Counters, LoggedRequest } from './request-log';
export type { DoubleState } from './state';
export { githubSchema, validateGithubQuery } from './graphql';
export { ROUTES } from './pipeline';
export { optionsFromArgs } from './cli';
