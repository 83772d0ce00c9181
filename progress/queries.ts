/**
 * The GraphQL documents the progress reader sends, and the pure translation of their answers into
 * the core's signals. Many rooms go into one query under aliases (r0, r1, ...) so that a cohort of
 * 1,000 costs tens of requests, not thousands. Every document is validated against GitHub's
 * published schema in test/progress/queries.test.ts.
 */
import type { CloseInfo, CommentSignal, IssueSignal, IssueStateReason, PullRequestSignal } from './signals';

export interface RoomRef {
  owner: string;
  name: string;
  /** The learner's login, for the collaborator check. */
  handle: string;
}

/** Page sizes. Rooms rarely exceed them; bigger ones are paged with the follow-up queries below. */
export const PAGE = { issues: 50, pullRequests: 50, comments: 50, labels: 50, closingIssues: 10, followUp: 100 };

// Who closed an issue: its last ClosedEvent (the actor, and the pull request whose merge closed it).
const ISSUE_FIELDS = `
  number title state stateReason updatedAt
  author { login }
  labels(first: ${PAGE.labels}) { nodes { name } }
  comments(first: ${PAGE.comments}) { ...CommentPage }
  timelineItems(itemTypes: [CLOSED_EVENT], last: 1) {
    nodes { ... on ClosedEvent { createdAt actor { __typename login } closer { ... on PullRequest { number merged author { login } } } } }
  }`;

const PULL_REQUEST_FIELDS = `
  number title body state merged mergedAt updatedAt
  author { login }
  closingIssuesReferences(first: ${PAGE.closingIssues}) { nodes { number repository { nameWithOwner } } }
  comments(first: ${PAGE.comments}) { ...CommentPage }`;

const COMMENT_FRAGMENT = `
fragment CommentPage on IssueCommentConnection {
  totalCount
  pageInfo { hasNextPage endCursor }
  nodes { author { login } body createdAt }
}`;
const ISSUE_FRAGMENT = `
fragment IssuePage on IssueConnection {
  totalCount
  pageInfo { hasNextPage endCursor }
  nodes { ${ISSUE_FIELDS} }
}`;
const PULL_REQUEST_FRAGMENT = `
fragment PullRequestPage on PullRequestConnection {
  totalCount
  pageInfo { hasNextPage endCursor }
  nodes { ${PULL_REQUEST_FIELDS} }
}`;

export interface BuiltQuery {
  query: string;
  variables: Record<string, string | number | null>;
}

export function alias(i: number): string {
  return `r${i}`;
}

function roomVariables(rooms: RoomRef[]): { decl: string[]; variables: Record<string, string> } {
  const decl: string[] = [];
  const variables: Record<string, string> = {};
  rooms.forEach((r, i) => {
    decl.push(`$o${i}: String!`, `$n${i}: String!`, `$h${i}: String!`);
    variables[`o${i}`] = r.owner;
    variables[`n${i}`] = r.name;
    variables[`h${i}`] = r.handle;
  });
  return { decl, variables };
}

/**
 * The cheap query: per room, whether it exists or is archived, whether the learner is a
 * collaborator, and the newest update of its issues and pull requests. A comment, a label, a close
 * or a merge bumps the updatedAt of its issue or pull request, so an unchanged fingerprint means
 * unchanged signals and the room need not be read again.
 */
/** One aliased repository per room, each with the same selection after the room's identity. */
function roomSelections(
  rooms: RoomRef[],
  selection: string,
): { decl: string[]; variables: Record<string, string>; body: string } {
  const { decl, variables } = roomVariables(rooms);
  const body = rooms
    .map(
      (_, i) => `  ${alias(i)}: repository(owner: $o${i}, name: $n${i}) {
    nameWithOwner isArchived
    collaborators(login: $h${i}, first: 1) { nodes { login } }
${selection}
  }`,
    )
    .join('\n');
  return { decl, variables, body };
}

export function fingerprintQuery(rooms: RoomRef[]): BuiltQuery {
  const { decl, variables, body } = roomSelections(
    rooms,
    `    issues(first: 1, orderBy: {field: UPDATED_AT, direction: DESC}) { totalCount nodes { updatedAt } }
    pullRequests(first: 1, orderBy: {field: UPDATED_AT, direction: DESC}) { totalCount nodes { updatedAt } }`,
  );
  return { query: `query RoomFingerprints(${decl.join(', ')}) {\n${body}\n}`, variables };
}

/** The full read of several rooms: the first page of issues and pull requests with their comments. */
export function roomsQuery(rooms: RoomRef[]): BuiltQuery {
  const { decl, variables, body } = roomSelections(
    rooms,
    `    issues(first: ${PAGE.issues}, orderBy: {field: CREATED_AT, direction: ASC}) { ...IssuePage }
    pullRequests(first: ${PAGE.pullRequests}, orderBy: {field: CREATED_AT, direction: ASC}) { ...PullRequestPage }`,
  );
  return {
    query: `query RoomSignals(${decl.join(', ')}) {\n${body}\n}${ISSUE_FRAGMENT}${PULL_REQUEST_FRAGMENT}${COMMENT_FRAGMENT}`,
    variables,
  };
}

/** The next page of one room's issues or pull requests. */
export function nextPageQuery(kind: 'issues' | 'pullRequests', owner: string, name: string, after: string): BuiltQuery {
  const [fragment, text] =
    kind === 'issues' ? ['IssuePage', ISSUE_FRAGMENT] : ['PullRequestPage', PULL_REQUEST_FRAGMENT];
  return {
    query: `query RoomPage($owner: String!, $name: String!, $after: String!) {
  repository(owner: $owner, name: $name) {
    ${kind}(first: ${PAGE.followUp}, after: $after, orderBy: {field: CREATED_AT, direction: ASC}) { ...${fragment} }
  }
}${text}${COMMENT_FRAGMENT}`,
    variables: { owner, name, after },
  };
}

/** The next page of comments on one issue or pull request. */
export function commentPageQuery(owner: string, name: string, number: number, after: string): BuiltQuery {
  return {
    query: `query CommentPage($owner: String!, $name: String!, $number: Int!, $after: String!) {
  repository(owner: $owner, name: $name) {
    issueOrPullRequest(number: $number) {
      ... on Issue { comments(first: ${PAGE.followUp}, after: $after) { ...CommentPage } }
      ... on PullRequest { comments(first: ${PAGE.followUp}, after: $after) { ...CommentPage } }
    }
  }
}${COMMENT_FRAGMENT}`,
    variables: { owner, name, number, after },
  };
}

// ---- answers ---------------------------------------------------------------------------------

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}
export interface Login {
  login: string;
}
export interface CommentPage {
  totalCount: number;
  pageInfo: PageInfo;
  nodes: ({ author: Login | null; body: string; createdAt?: string } | null)[] | null;
}
/** The last ClosedEvent; `closer` is `{}` when something other than a pull request closed the issue (a commit). */
export interface ClosedEventNode {
  createdAt?: string;
  actor: { __typename: string; login: string } | null;
  closer: { number?: number; merged?: boolean; author?: Login | null } | null;
}
export interface IssueNode {
  number: number;
  updatedAt: string;
  title: string;
  state: 'OPEN' | 'CLOSED';
  stateReason: 'COMPLETED' | 'NOT_PLANNED' | 'REOPENED' | 'DUPLICATE' | null;
  author: Login | null;
  labels: { nodes: ({ name: string } | null)[] | null } | null;
  comments: CommentPage;
  /** Absent from answers to older queries; `{}` nodes are other item types (none are asked for). */
  timelineItems?: { nodes: (Partial<ClosedEventNode> | null)[] | null } | null;
}
export interface PullRequestNode {
  number: number;
  updatedAt: string;
  title: string;
  body: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  merged: boolean;
  mergedAt?: string | null;
  author: Login | null;
  closingIssuesReferences?: {
    nodes: ({ number: number; repository: { nameWithOwner: string } } | null)[] | null;
  } | null;
  comments: CommentPage;
}
export interface Connection<T> {
  totalCount: number;
  pageInfo: PageInfo;
  nodes: (T | null)[] | null;
}
export interface RoomNode {
  nameWithOwner: string;
  isArchived: boolean;
  collaborators: { nodes: (Login | null)[] | null } | null;
  issues: Connection<IssueNode>;
  pullRequests: Connection<PullRequestNode>;
}
export interface FingerprintNode {
  nameWithOwner: string;
  isArchived: boolean;
  collaborators: { nodes: (Login | null)[] | null } | null;
  issues: { totalCount: number; nodes: ({ updatedAt: string } | null)[] | null };
  pullRequests: { totalCount: number; nodes: ({ updatedAt: string } | null)[] | null };
}

export function present<T>(nodes: (T | null)[] | null | undefined): T[] {
  return (nodes ?? []).filter((n): n is T => n !== null && n !== undefined);
}

export interface Fingerprint {
  archived: boolean;
  collaborator: boolean;
  issues: number;
  /** Newest updatedAt among the room's issues ("" for none). */
  issuesUpdated: string;
  pullRequests: number;
  pullRequestsUpdated: string;
}

/** A room's fingerprint as one comparable string. */
export function fingerprintKey(f: Fingerprint): string {
  return [
    f.archived ? 'archived' : 'live',
    f.collaborator ? 'collaborator' : 'outside',
    `i${f.issues}@${f.issuesUpdated}`,
    `p${f.pullRequests}@${f.pullRequestsUpdated}`,
  ].join('|');
}

export function fingerprintOfNode(node: FingerprintNode): string {
  return fingerprintKey({
    archived: node.isArchived,
    collaborator: isCollaborator(node.collaborators),
    issues: node.issues.totalCount,
    issuesUpdated: present(node.issues.nodes)[0]?.updatedAt ?? '',
    pullRequests: node.pullRequests.totalCount,
    pullRequestsUpdated: present(node.pullRequests.nodes)[0]?.updatedAt ?? '',
  });
}

/** The newest of ISO 8601 timestamps in GitHub's one format ("" for none). */
export function newest(times: string[]): string {
  return times.reduce((a, b) => (b > a ? b : a), '');
}

export function isCollaborator(c: { nodes: (Login | null)[] | null } | null): boolean {
  return present(c?.nodes).length > 0;
}

export function toComments(on: number, page: CommentPage | null | undefined): CommentSignal[] {
  return present(page?.nodes).map((c) => ({
    on,
    author: c.author?.login ?? null,
    body: c.body,
    ...(c.createdAt ? { at: c.createdAt } : {}),
  }));
}

/**
 * Who closed a closed issue, from its last ClosedEvent: the core decides whether that close counts
 * (docs/progress.md, "Closed challenges"). An App's bot is named as REST names it (`x[bot]`); GraphQL
 * drops the suffix. Undefined when the issue is open or GitHub records no close.
 */
export function toCloseInfo(node: IssueNode): CloseInfo | undefined {
  if (node.state !== 'CLOSED') return undefined;
  const event = present(node.timelineItems?.nodes).at(-1);
  if (!event || event.actor === undefined) return undefined;
  const actor = event.actor;
  const bot = actor?.__typename === 'Bot';
  const info: CloseInfo = {
    actor: actor ? (bot && !actor.login.endsWith('[bot]') ? `${actor.login}[bot]` : actor.login) : null,
    actorIsBot: bot,
  };
  if (event.createdAt) info.at = event.createdAt;
  const pr = event.closer;
  if (pr && typeof pr.number === 'number')
    info.pullRequest = { number: pr.number, merged: pr.merged === true, author: pr.author?.login ?? null };
  return info;
}

export function toIssue(node: IssueNode): IssueSignal {
  const closedBy = toCloseInfo(node);
  return {
    number: node.number,
    title: node.title,
    author: node.author?.login ?? null,
    state: node.state === 'CLOSED' ? 'closed' : 'open',
    stateReason: node.stateReason ? (node.stateReason.toLowerCase() as IssueStateReason) : null,
    labels: present(node.labels?.nodes).map((l) => l.name),
    ...(closedBy ? { closedBy } : {}),
  };
}

export function toPullRequest(node: PullRequestNode): PullRequestSignal {
  return {
    number: node.number,
    title: node.title,
    body: node.body ?? '',
    state: node.merged || node.state === 'MERGED' ? 'merged' : node.state === 'CLOSED' ? 'closed' : 'open',
    author: node.author?.login ?? null,
    ...(node.mergedAt ? { mergedAt: node.mergedAt } : {}),
    closingIssues: present(node.closingIssuesReferences?.nodes).map((r) => ({
      repository: r.repository.nameWithOwner,
      number: r.number,
    })),
  };
}
