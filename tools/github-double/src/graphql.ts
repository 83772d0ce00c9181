import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GraphQLError,
  buildSchema,
  graphql,
  parse,
  validate,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { collaboratorsOf, type Affiliation } from './access';
import { allows, canSeeOwner, permissionsOf } from './auth';
import { HttpError, type DoubleResponse, type RouteContext } from './http';
import { isoSeconds } from './state';
import type { Account, AppPermissionName, Comment, Issue, IssueEvent, Label, Repo, RepoRole } from './types';

/**
 * GraphQL at `/api/graphql` and `/graphql`, executed by graphql-js against GitHub's published
 * schema (`@octokit/graphql-schema`), so a query the real API would reject is rejected here too.
 * Resolvers are plain objects over the state: graphql-js's default resolver calls a property when
 * it is a function (with the field's arguments), which keeps the views small.
 */

let cachedSchema: GraphQLSchema | undefined;

/** The package is ESM-only with no export for the file, so find it on the resolution paths. */
export function graphqlSchemaPath(): string {
  for (const base of require.resolve.paths('@octokit/graphql-schema') ?? []) {
    const p = join(base, '@octokit', 'graphql-schema', 'schema.graphql');
    if (existsSync(p)) return p;
  }
  throw new Error(
    "@octokit/graphql-schema is not installed (needed for the double's GraphQL endpoint): run npm install",
  );
}

export function githubSchema(): GraphQLSchema {
  // GitHub's SDL repeats two EnterpriseOwnerInfo fields; graphql-js would refuse the whole schema
  cachedSchema ??= buildSchema(readFileSync(graphqlSchemaPath(), 'utf8'), { assumeValidSDL: true });
  return cachedSchema;
}

/** Messages of everything GitHub's schema rejects in a query (empty when it is valid). */
export function validateGithubQuery(query: string): string[] {
  try {
    return validate(githubSchema(), parse(query)).map((e) => e.message);
  } catch (e) {
    return [(e as Error).message];
  }
}

export function graphqlOperationKind(body: unknown): 'query' | 'mutation' | 'subscription' | null {
  if (!body || typeof body !== 'object') return null;
  const { query, operationName } = body as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string') return null;
  try {
    const ops = parse(query).definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    const op = typeof operationName === 'string' ? ops.find((o) => o.name?.value === operationName) : ops[0];
    return op?.operation ?? null;
  } catch {
    return null;
  }
}

/** GitHub's GraphQL errors carry a top-level `type` (NOT_FOUND, FORBIDDEN...). */
class TypedError extends GraphQLError {
  constructor(
    message: string,
    readonly type: string,
  ) {
    super(message);
  }
}

const MAX_PAGE = 100;

interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const cursorOf = (i: number): string => Buffer.from(`cursor:v2:${i}`).toString('base64');
function indexOf(cursor: string | null | undefined): number | undefined {
  if (cursor === undefined || cursor === null) return undefined;
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!m) throw new TypedError(`\`${cursor}\` does not appear to be a valid cursor.`, 'INVALID_CURSOR_ARGUMENTS');
  return Number(m[1]);
}

/** A Relay connection over a list, with GitHub's rules: `first` or `last` required, at most 100. */
function connection<T>(name: string, items: T[], args: PageArgs, view: (t: T) => unknown) {
  const { first, last } = args;
  if ((first ?? null) === null && (last ?? null) === null) {
    throw new TypedError(
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
      'MISSING_PAGINATION_BOUNDARIES',
    );
  }
  for (const [k, v] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (v !== undefined && v !== null && (v < 0 || v > MAX_PAGE)) {
      throw new TypedError(
        `Requesting ${v} records on the \`${name}\` connection exceeds the \`${k}\` limit of ${MAX_PAGE} records.`,
        'EXCESSIVE_PAGINATION',
      );
    }
  }
  let start = (indexOf(args.after) ?? -1) + 1;
  let end = Math.min(items.length, indexOf(args.before) ?? items.length);
  if (first !== undefined && first !== null) end = Math.min(end, start + first);
  if (last !== undefined && last !== null) start = Math.max(start, end - last);
  const slice = items.slice(start, end).map((t, k) => ({ cursor: cursorOf(start + k), node: view(t) }));
  return {
    totalCount: items.length,
    nodes: slice.map((e) => e.node),
    edges: slice,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice[0]?.cursor ?? null,
      endCursor: slice[slice.length - 1]?.cursor ?? null,
    },
  };
}

interface Views {
  ctx: RouteContext;
}

function need(v: Views, perm: AppPermissionName): void {
  if (!allows(permissionsOf(v.ctx.identity), [perm, 'read']))
    throw new TypedError('Resource not accessible by integration', 'FORBIDDEN');
}

function actorView(v: Views, a: Account) {
  const bot = a.type === 'Bot';
  return {
    __typename: bot ? 'Bot' : a.type === 'Organization' ? 'Organization' : 'User',
    id: a.nodeId,
    databaseId: a.id,
    // GraphQL names an App's bot without the `[bot]` suffix that REST shows
    login: bot ? a.login.replace(/\[bot\]$/, '') : a.login,
    name: a.name,
    url: `${v.ctx.urls.html}/${a.login}`,
    avatarUrl: `${v.ctx.urls.html}/avatars/u/${a.id}`,
    resourcePath: `/${a.login}`,
  };
}

function labelView(l: Label) {
  return {
    __typename: 'Label',
    id: l.nodeId,
    name: l.name,
    color: l.color,
    description: l.description,
    isDefault: l.isDefault,
  };
}

function commentView(v: Views, r: Repo, i: Issue, c: Comment) {
  return {
    __typename: 'IssueComment',
    id: c.nodeId,
    databaseId: c.id,
    author: actorView(v, c.author),
    body: c.body,
    bodyText: c.body,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    publishedAt: c.createdAt,
    url: `${v.ctx.urls.html}/${r.owner.login}/${r.name}/issues/${i.number}#issuecomment-${c.id}`,
  };
}

const upper = (s: string | null): string | null => (s === null ? null : s.toUpperCase());

interface OrderBy {
  field: 'CREATED_AT' | 'UPDATED_AT' | 'COMMENTS';
  direction: 'ASC' | 'DESC';
}

function ordered(list: Issue[], orderBy: OrderBy | null | undefined): Issue[] {
  if (!orderBy) return list;
  const key = (i: Issue): string | number =>
    orderBy.field === 'UPDATED_AT' ? i.updatedAt : orderBy.field === 'COMMENTS' ? i.comments.length : i.createdAt;
  const sign = orderBy.direction === 'DESC' ? -1 : 1;
  return [...list].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return (ka < kb ? -1 : ka > kb ? 1 : a.number - b.number) * sign;
  });
}

function issueLikeFields(v: Views, r: Repo, i: Issue) {
  return {
    id: i.nodeId,
    databaseId: i.id,
    number: i.number,
    title: i.title,
    body: i.body ?? '',
    bodyText: i.body ?? '',
    closed: i.state === 'closed',
    closedAt: i.closedAt,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    author: actorView(v, i.author),
    locked: false,
    repository: () => repoView(v, r),
    labels: (args: PageArgs) => connection('labels', i.labels, args, labelView),
    comments: (args: PageArgs) => connection('comments', i.comments, args, (c) => commentView(v, r, i, c)),
    assignees: (args: PageArgs) => connection('assignees', i.assignees, args, (a) => actorView(v, a)),
  };
}

/** A timeline item the double records, in time order: comments, closes and reopens. */
type TimelineItem =
  { kind: 'comment'; at: string; comment: Comment } | { kind: 'event'; at: string; event: IssueEvent };

function timelineType(t: TimelineItem): string {
  if (t.kind === 'comment') return 'ISSUE_COMMENT';
  return t.event.kind === 'closed' ? 'CLOSED_EVENT' : 'REOPENED_EVENT';
}

function eventView(v: Views, r: Repo, i: Issue, e: IssueEvent) {
  const path = `/${r.owner.login}/${r.name}/issues/${i.number}#event-${e.id}`;
  return {
    __typename: e.kind === 'closed' ? 'ClosedEvent' : 'ReopenedEvent',
    id: e.nodeId,
    actor: actorView(v, e.actor),
    createdAt: e.createdAt,
    stateReason: e.kind === 'closed' ? upper(i.stateReason) : null,
    closable: () => issueView(v, r, i),
    // the pull request whose merge closed the issue (Closer = Commit | ProjectV2 | PullRequest)
    closer: () => (e.closer && visible(v, e.closer.repo) ? pullView(v, e.closer.repo, e.closer.pull) : null),
    resourcePath: path,
    url: `${v.ctx.urls.html}${path}`,
  };
}

interface TimelineArgs extends PageArgs {
  itemTypes?: string[] | null;
  since?: string | null;
  skip?: number | null;
}

/**
 * `Issue.timelineItems`: the double records comments (ISSUE_COMMENT), closes (CLOSED_EVENT) and
 * reopens (REOPENED_EVENT); any other item type filters to an empty list.
 */
function timelineView(v: Views, r: Repo, i: Issue, a: TimelineArgs) {
  const since = a.since ? isoSeconds(Date.parse(a.since)) : null;
  const items: TimelineItem[] = [
    ...i.comments.map((comment): TimelineItem => ({ kind: 'comment', at: comment.createdAt, comment })),
    ...i.events.map((event): TimelineItem => ({ kind: 'event', at: event.createdAt, event })),
  ]
    .map((t, k) => ({ t, k }))
    .sort((x, y) => (x.t.at < y.t.at ? -1 : x.t.at > y.t.at ? 1 : x.k - y.k))
    .map(({ t }) => t)
    .filter((t) => (!a.itemTypes || a.itemTypes.includes(timelineType(t))) && (!since || t.at >= since))
    .slice(a.skip ?? 0);
  const page = connection('timelineItems', items, a, (t) =>
    t.kind === 'comment' ? commentView(v, r, i, t.comment) : eventView(v, r, i, t.event),
  );
  return { ...page, filteredCount: items.length, pageCount: page.nodes.length, updatedAt: i.updatedAt };
}

function issueView(v: Views, r: Repo, i: Issue): Record<string, unknown> {
  return {
    __typename: 'Issue',
    ...issueLikeFields(v, r, i),
    state: upper(i.state),
    stateReason: upper(i.stateReason),
    url: `${v.ctx.urls.html}/${r.owner.login}/${r.name}/issues/${i.number}`,
    timelineItems: (a: TimelineArgs) => {
      need(v, 'issues');
      return timelineView(v, r, i, a);
    },
  };
}

function pullView(v: Views, r: Repo, i: Issue): Record<string, unknown> {
  const p = i.pull!; // only called for pull requests
  return {
    __typename: 'PullRequest',
    ...issueLikeFields(v, r, i),
    state: p.merged ? 'MERGED' : upper(i.state),
    merged: p.merged,
    mergedAt: p.mergedAt,
    isDraft: p.draft,
    headRefName: p.headRef,
    baseRefName: p.baseRef,
    url: `${v.ctx.urls.html}/${r.owner.login}/${r.name}/pull/${i.number}`,
    closingIssuesReferences: (args: PageArgs) => {
      const targets = p.closes
        .map((ref) => {
          const [owner, name] = ref.repo.split('/');
          const repo = v.ctx.state.repo(owner, name);
          const issue = repo && visible(v, repo) ? v.ctx.state.findIssue(repo, ref.number) : undefined;
          return repo && issue && !issue.pull ? { repo, issue } : undefined;
        })
        .filter((x): x is { repo: Repo; issue: Issue } => x !== undefined);
      return connection('closingIssuesReferences', targets, args, (t) => issueView(v, t.repo, t.issue));
    },
  };
}

/** Whether the caller may see the repository at all. */
function visible(v: Views, r: Repo): boolean {
  return canSeeOwner(v.ctx.identity, r.owner.login);
}

interface IssueArgs extends PageArgs {
  states?: string[] | null;
  labels?: string[] | null;
  orderBy?: OrderBy | null;
  filterBy?: {
    states?: string[] | null;
    labels?: string[] | null;
    since?: string | null;
    createdBy?: string | null;
    assignee?: string | null;
  } | null;
}

function filterIssues(list: Issue[], a: IssueArgs): Issue[] {
  const states = a.states ?? a.filterBy?.states ?? null;
  const labels = [...(a.labels ?? []), ...(a.filterBy?.labels ?? [])].map((l) => l.toLowerCase());
  const since = a.filterBy?.since ? isoSeconds(Date.parse(a.filterBy.since)) : null;
  const createdBy = a.filterBy?.createdBy?.toLowerCase() ?? null;
  const assignee = a.filterBy?.assignee?.toLowerCase() ?? null;
  return list.filter(
    (i) =>
      (!states || states.includes(i.state.toUpperCase())) &&
      // `labels` selects issues carrying any of the given labels, as GitHub does
      (labels.length === 0 || i.labels.some((l) => labels.includes(l.name.toLowerCase()))) &&
      (!since || i.updatedAt >= since) &&
      (!createdBy || i.author.login.toLowerCase() === createdBy) &&
      (!assignee || i.assignees.some((x) => x.login.toLowerCase() === assignee)),
  );
}

/** GraphQL's RepositoryPermission for a REST role name. */
const PERMISSION: Record<RepoRole, string> = {
  read: 'READ',
  triage: 'TRIAGE',
  write: 'WRITE',
  maintain: 'MAINTAIN',
  admin: 'ADMIN',
};

type CollaboratorAccess = ReturnType<typeof collaboratorsOf>[number];

interface CollaboratorArgs extends PageArgs {
  affiliation?: string | null;
  login?: string | null;
  query?: string | null;
}

/** GraphQL's CollaboratorAffiliation, as the REST filter's name (access.ts). */
const AFFILIATION: Record<string, Affiliation> = { ALL: 'all', DIRECT: 'direct', OUTSIDE: 'outside' };

/**
 * `Repository.collaborators`: the same people as the REST list with the same affiliation
 * (access.ts: `DIRECT` the direct collaborators, `OUTSIDE` those who are not organization members,
 * `ALL`, the default, adds the members of the repository's teams); each edge carries the permission.
 */
function collaboratorsView(v: Views, r: Repo, a: CollaboratorArgs) {
  const login = a.login?.toLowerCase();
  const query = a.query?.toLowerCase();
  const list = collaboratorsOf(v.ctx.state, r, AFFILIATION[a.affiliation ?? 'ALL'] ?? 'all').filter(
    (c) =>
      (!login || c.account.login.toLowerCase() === login) && (!query || c.account.login.toLowerCase().includes(query)),
  );
  const page = connection<CollaboratorAccess>('collaborators', list, a, (c) => c);
  return {
    totalCount: page.totalCount,
    pageInfo: page.pageInfo,
    nodes: page.nodes.map((c) => actorView(v, (c as CollaboratorAccess).account)),
    edges: page.edges.map((e) => {
      const c = e.node as CollaboratorAccess;
      return { cursor: e.cursor, node: actorView(v, c.account), permission: PERMISSION[c.role] };
    }),
  };
}

/**
 * `Repository.object(expression: "<rev>:<path>")` for a file on the default branch (rev HEAD, the
 * branch's name, or the head commit): a Blob whose oid is git's blob sha1 of the content. Other
 * expressions, a missing file or an empty repository: null.
 */
function objectView(v: Views, r: Repo, { expression }: { expression?: string | null }) {
  const colon = expression?.indexOf(':') ?? -1;
  if (!expression || colon < 0) return null;
  need(v, 'contents');
  const rev = expression.slice(0, colon);
  if (r.headSha === null || (rev !== 'HEAD' && rev !== r.defaultBranch && rev !== r.headSha)) return null;
  const f = r.files.get(expression.slice(colon + 1));
  if (!f) return null;
  return {
    __typename: 'Blob',
    id: `B_${f.sha}`,
    oid: f.sha,
    abbreviatedOid: f.sha.slice(0, 7),
    byteSize: f.content.length,
    isBinary: false,
    isTruncated: false,
    text: f.content.toString('utf8'),
    commitResourcePath: `/${r.owner.login}/${r.name}/blob/${r.headSha}`,
    commitUrl: `${v.ctx.urls.html}/${r.owner.login}/${r.name}/blob/${r.headSha}`,
    repository: () => repoView(v, r),
  };
}

function repoView(v: Views, r: Repo): Record<string, unknown> {
  return {
    __typename: 'Repository',
    id: r.nodeId,
    databaseId: r.id,
    name: r.name,
    nameWithOwner: `${r.owner.login}/${r.name}`,
    owner: actorView(v, r.owner),
    description: r.settings.description,
    isArchived: r.archived,
    isPrivate: r.visibility !== 'public',
    isTemplate: r.settings.is_template,
    hasIssuesEnabled: r.settings.has_issues,
    visibility: r.visibility.toUpperCase(),
    url: `${v.ctx.urls.html}/${r.owner.login}/${r.name}`,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    pushedAt: r.pushedAt,
    defaultBranchRef: r.headSha
      ? { __typename: 'Ref', id: `REF_${r.id}`, name: r.defaultBranch, prefix: 'refs/heads/' }
      : null,
    templateRepository: () => (r.template && visible(v, r.template) ? repoView(v, r.template) : null),
    issues: (a: IssueArgs) => {
      need(v, 'issues');
      return connection(
        'issues',
        ordered(
          filterIssues(
            r.issues.filter((i) => !i.pull),
            a,
          ),
          a.orderBy,
        ),
        a,
        (i) => issueView(v, r, i),
      );
    },
    issue: ({ number }: { number: number }) => {
      need(v, 'issues');
      const i = v.ctx.state.findIssue(r, number);
      if (!i || i.pull)
        throw new TypedError(`Could not resolve to an Issue with the number of ${number}.`, 'NOT_FOUND');
      return issueView(v, r, i);
    },
    pullRequests: (a: IssueArgs) => {
      need(v, 'pull_requests');
      const states = a.states ?? null;
      const list = r.issues.filter(
        (i) => i.pull && (!states || states.includes(i.pull.merged ? 'MERGED' : i.state.toUpperCase())),
      );
      const labels = (a.labels ?? []).map((l) => l.toLowerCase());
      return connection(
        'pullRequests',
        ordered(
          list.filter((i) => labels.length === 0 || i.labels.some((l) => labels.includes(l.name.toLowerCase()))),
          a.orderBy,
        ),
        a,
        (i) => pullView(v, r, i),
      );
    },
    pullRequest: ({ number }: { number: number }) => {
      need(v, 'pull_requests');
      const i = v.ctx.state.findIssue(r, number);
      if (!i || !i.pull)
        throw new TypedError(`Could not resolve to a PullRequest with the number of ${number}.`, 'NOT_FOUND');
      return pullView(v, r, i);
    },
    issueOrPullRequest: ({ number }: { number: number }) => {
      const i = v.ctx.state.findIssue(r, number);
      if (!i)
        throw new TypedError(
          `Could not resolve to an issue or pull request with the number of ${number}.`,
          'NOT_FOUND',
        );
      return i.pull ? pullView(v, r, i) : issueView(v, r, i);
    },
    collaborators: (a: CollaboratorArgs) => collaboratorsView(v, r, a),
    object: (a: { expression?: string | null }) => objectView(v, r, a),
    labels: (a: PageArgs) => connection('labels', r.labels, a, labelView),
    label: ({ name }: { name: string }) => {
      const l = v.ctx.state.label(r, name);
      return l ? labelView(l) : null;
    },
  };
}

function rootValue(v: Views) {
  return {
    rateLimit: () => {
      const s = v.ctx.rate('graphql');
      return {
        __typename: 'RateLimit',
        cost: 1,
        limit: s.limit,
        remaining: s.remaining,
        used: s.used,
        nodeCount: 1,
        resetAt: isoSeconds(s.resetAt),
      };
    },
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const r = v.ctx.state.repo(owner, name);
      if (!r || !visible(v, r))
        throw new TypedError(`Could not resolve to a Repository with the name '${owner}/${name}'.`, 'NOT_FOUND');
      return repoView(v, r);
    },
    user: ({ login }: { login: string }) => {
      const a = v.ctx.state.account(login);
      if (!a || a.type !== 'User')
        throw new TypedError(`Could not resolve to a User with the login of '${login}'.`, 'NOT_FOUND');
      return actorView(v, a);
    },
    organization: ({ login }: { login: string }) => {
      const o = v.ctx.state.orgs.get(login.toLowerCase());
      if (!o) throw new TypedError(`Could not resolve to an Organization with the login of '${login}'.`, 'NOT_FOUND');
      return {
        ...actorView(v, o.account),
        repository: ({ name }: { name: string }) => rootValue(v).repository({ owner: o.account.login, name }),
      };
    },
    viewer: () => {
      if (v.ctx.identity.kind === 'user') return actorView(v, v.ctx.identity.account);
      const bot = `${v.ctx.state.app?.slug ?? 'app'}[bot]`;
      return actorView(v, v.ctx.state.account(bot) ?? v.ctx.state.ensureAccount(bot, 'Bot'));
    },
  };
}

/** Executes one GraphQL POST; the answer is 200 with `data` and/or `errors`, as on GitHub. */
export async function runGraphql(ctx: RouteContext): Promise<DoubleResponse> {
  const body = ctx.req.body as { query?: unknown; variables?: unknown; operationName?: unknown } | null;
  if (!body || typeof body !== 'object' || typeof body.query !== 'string') {
    throw new HttpError(400, 'A query attribute must be specified and must be a string.');
  }
  if (graphqlOperationKind(body) === 'mutation') {
    return {
      status: 200,
      body: {
        errors: [
          {
            type: 'UNSUPPORTED',
            message: 'The GitHub double does not implement mutations; use its admin endpoints to change state.',
          },
        ],
      },
    };
  }
  const result = await graphql({
    schema: githubSchema(),
    source: body.query,
    rootValue: rootValue({ ctx }),
    variableValues:
      body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : undefined,
    operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
  });
  const errors = result.errors?.map((e) => {
    const j = e.toJSON();
    const orig = e.originalError;
    return orig instanceof TypedError ? { type: orig.type, ...j } : j;
  });
  return {
    status: 200,
    body: { ...(result.data !== undefined ? { data: result.data } : {}), ...(errors ? { errors } : {}) },
  };
}
