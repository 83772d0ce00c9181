/**
 * Reads the learning rooms of many learners from GitHub with few requests:
 *  1. rooms read before: one cheap fingerprint query per 50 rooms; a room whose fingerprint is
 *     unchanged is not read again;
 *  2. new or changed rooms: one full query per 10 rooms, then follow-up pages for big rooms;
 *  3. the REST invitations list only for learners not yet known to have accepted: GraphQL does
 *     not list them as collaborators, they wrote or closed nothing in the room, and no earlier poll found
 *     them accepted (pending -> invited, expired -> invitation-expired).
 * One room's failure never spoils the others: a failed batch is retried room by room, and a room
 * that still fails gets an error outcome (the caller keeps that learner's previous status).
 */
import { sameHandle } from '../roster/handle';
import type { FailureCause } from '../roster/types';
import type { GitHubOctokit } from '../shared/github-client';
import {
  alias,
  BuiltQuery,
  commentPageQuery,
  CommentPage,
  Connection,
  fingerprintKey,
  fingerprintOfNode,
  FingerprintNode,
  fingerprintQuery,
  isCollaborator,
  IssueNode,
  newest,
  nextPageQuery,
  present,
  PullRequestNode,
  RoomNode,
  RoomRef,
  roomsQuery,
  toComments,
  toIssue,
  toPullRequest,
} from './queries';
import type { CommentSignal, Membership, RoomSignals } from './signals';

export interface RoomRequest extends RoomRef {
  /** The caller's key for this learner. */
  id: string;
  /** The fingerprint recorded by the previous poll; absent for a first read. */
  previousFingerprint?: string;
  /** The membership the previous poll found (membershipKey). */
  previousMembership?: string;
  /**
   * A team's room (a course's group assignment): every member, `handle` (the collaborator check)
   * first. Any member's writing proves the team's access; the room is invited while any member's
   * invitation is pending, expired when every member's invitation found has expired.
   */
  members?: string[];
}

export interface RoomError {
  cause: FailureCause;
  message: string;
}

export type RoomOutcome =
  | { kind: 'unchanged'; fingerprint: string }
  /** No fingerprint when the room changed too recently to trust one (it is read in full next time). */
  | { kind: 'read'; room: RoomSignals | 'missing'; membership: Membership; fingerprint?: string }
  | ({ kind: 'error' } & RoomError);

export interface ReaderOptions {
  /** Rooms per full query (default 10). */
  roomsPerQuery?: number;
  /** Rooms per fingerprint query (default 50). */
  fingerprintsPerQuery?: number;
  /** Read every room in full, ignoring fingerprints. */
  full?: boolean;
}

export const MISSING_FINGERPRINT = 'missing';
/** A fingerprint is kept only when the room's newest change is this much older than the read. */
export const FINGERPRINT_SETTLE_MS = 1000;
/** Network or server failures on this many rooms in a row stop the poll. */
export const MAX_SERVER_FAILURES = 5;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface HttpishError {
  status?: number;
  message?: string;
  name?: string;
  response?: { headers?: Record<string, string | number | undefined> };
  errors?: { type?: string; message?: string; path?: (string | number)[] }[];
  data?: Record<string, unknown> | null;
}

/** The failure class of an error, in the provisioning log's vocabulary. */
export function classifyError(err: unknown): RoomError {
  const e = (err ?? {}) as HttpishError;
  const message = (e.message ?? String(err)).split('\n')[0].slice(0, 300);
  const remaining = e.response?.headers?.['x-ratelimit-remaining'];
  const graphqlTypes = (e.errors ?? []).map((x) => x.type);
  if (
    e.status === 429 ||
    (e.status === 403 && (String(remaining) === '0' || /rate limit/i.test(message))) ||
    graphqlTypes.includes('RATE_LIMITED')
  ) {
    return { cause: 'rate-limit', message };
  }
  if (e.status === 401 || e.status === 403 || graphqlTypes.includes('FORBIDDEN'))
    return { cause: 'permission', message };
  if (e.status === 404) return { cause: 'not-found', message };
  if (e.status === undefined || e.status >= 500) return { cause: 'network-or-server', message };
  return { cause: 'other', message };
}

function isGraphqlResponseError(err: unknown): err is HttpishError {
  return (err as HttpishError)?.name === 'GraphqlResponseError';
}

/** A room's answer; `readAt` is the server's time of the read (its Date header), when known. */
type AliasAnswer<T> = { node: T; readAt?: number } | { missing: true } | { error: RoomError };

export class ProgressReader {
  /** Set once a rate limit could not be waited out, or GitHub kept failing: no further requests this poll. */
  private halted: RoomError | undefined;
  /** Rooms failed in a row with network or server errors. */
  private serverFailures = 0;
  private readonly roomsPerQuery: number;
  private readonly fingerprintsPerQuery: number;

  /** The server's Date of the last GraphQL answer: it dates a read (see completeRoom). */
  private lastGraphqlDate: number | undefined;

  constructor(
    private readonly octokit: GitHubOctokit,
    private readonly options: ReaderOptions = {},
  ) {
    octokit.hook.after('request', (response, request) => {
      if (!/\/graphql$/.test(request.url)) return;
      const date = Date.parse(String(response.headers.date ?? ''));
      this.lastGraphqlDate = Number.isNaN(date) ? undefined : date;
    });
    this.roomsPerQuery = options.roomsPerQuery ?? 10;
    this.fingerprintsPerQuery = options.fingerprintsPerQuery ?? 50;
  }

  async readRooms(requests: RoomRequest[]): Promise<Map<string, RoomOutcome>> {
    const out = new Map<string, RoomOutcome>();
    const toRead: RoomRequest[] = [];
    const known = new Map<string, Membership>();
    const checkFirst = this.options.full ? [] : requests.filter((r) => r.previousFingerprint !== undefined);
    const skipCheck = new Set(checkFirst.map((r) => r.id));
    for (const r of requests) if (!skipCheck.has(r.id)) toRead.push(r);

    for (const batch of chunks(checkFirst, this.fingerprintsPerQuery)) {
      const answers = await this.runBatch<FingerprintNode>(batch, fingerprintQuery);
      for (const r of batch) {
        const a = answers.get(r.id)!;
        if ('error' in a) out.set(r.id, { kind: 'error', ...a.error });
        else if ('missing' in a) {
          out.set(
            r.id,
            r.previousFingerprint === MISSING_FINGERPRINT
              ? { kind: 'unchanged', fingerprint: MISSING_FINGERPRINT }
              : { kind: 'read', room: 'missing', membership: { kind: 'unknown' }, fingerprint: MISSING_FINGERPRINT },
          );
        } else {
          const membership = await this.membership(r, isCollaborator(a.node.collaborators));
          if ('error' in membership) {
            out.set(r.id, { kind: 'error', ...membership.error });
            continue;
          }
          const fingerprint = `${fingerprintOfNode(a.node)}|${membershipKey(membership)}`;
          if (fingerprint === r.previousFingerprint) out.set(r.id, { kind: 'unchanged', fingerprint });
          else {
            known.set(r.id, membership);
            toRead.push(r);
          }
        }
      }
    }

    for (const batch of chunks(toRead, this.roomsPerQuery)) {
      const answers = await this.runBatch<RoomNode>(batch, roomsQuery);
      for (const r of batch) {
        const a = answers.get(r.id)!;
        if ('error' in a) out.set(r.id, { kind: 'error', ...a.error });
        else if ('missing' in a)
          out.set(r.id, {
            kind: 'read',
            room: 'missing',
            membership: { kind: 'unknown' },
            fingerprint: MISSING_FINGERPRINT,
          });
        else out.set(r.id, await this.completeRoom(r, a.node, known.get(r.id), a.readAt));
      }
    }
    return out;
  }

  /**
   * Notes a failure of `rooms` rooms. A rate limit that could not be waited out stops the poll;
   * so do network or server errors on MAX_SERVER_FAILURES rooms in a row (GitHub is down or
   * unreachable: retrying every room would take hours). The other learners keep their statuses.
   */
  private failed(error: RoomError, rooms = 1): RoomError {
    if (error.cause === 'rate-limit') this.halted = error;
    else if (error.cause === 'network-or-server') {
      this.serverFailures += rooms;
      if (this.serverFailures >= MAX_SERVER_FAILURES) {
        this.halted = {
          cause: error.cause,
          message: `${error.message} (stopped: ${this.serverFailures} rooms failed in a row)`,
        };
      }
    }
    return error;
  }

  /** Sends one aliased query for a batch; a failed batch is retried room by room. */
  private async runBatch<T>(
    batch: RoomRequest[],
    build: (rooms: RoomRef[]) => BuiltQuery,
  ): Promise<Map<string, AliasAnswer<T>>> {
    const answers = new Map<string, AliasAnswer<T>>();
    if (this.halted) {
      for (const r of batch) answers.set(r.id, { error: this.halted });
      return answers;
    }
    const q = build(batch);
    let data: Record<string, unknown> | null | undefined;
    let errors: NonNullable<HttpishError['errors']> = [];
    let readAt: number | undefined;
    try {
      this.lastGraphqlDate = undefined;
      data = await this.octokit.graphql<Record<string, unknown>>(q.query, q.variables);
      readAt = this.lastGraphqlDate;
    } catch (err) {
      const error = classifyError(err);
      const partial = isGraphqlResponseError(err) && err.data ? err.data : undefined;
      if (partial && error.cause !== 'rate-limit') {
        data = partial;
        errors = (err as HttpishError).errors ?? [];
        readAt = this.lastGraphqlDate;
      } else if (error.cause === 'rate-limit' || batch.length === 1) {
        this.failed(error, batch.length);
        for (const r of batch) answers.set(r.id, { error });
        return answers;
      } else {
        for (const r of batch) answers.set(r.id, (await this.runBatch<T>([r], build)).get(r.id)!);
        return answers;
      }
    }
    batch.forEach((r, i) => {
      const node = data?.[alias(i)] as T | null | undefined;
      const mine = errors.filter((e) => e.path?.[0] === alias(i));
      if (node) {
        this.serverFailures = 0;
        answers.set(r.id, { node, readAt });
      } else if (mine.length === 0 || mine.some((e) => e.type === 'NOT_FOUND')) answers.set(r.id, { missing: true });
      else
        answers.set(r.id, { error: classifyError({ errors: mine, message: mine.map((e) => e.message).join('; ') }) });
    });
    return answers;
  }

  /**
   * Collaborator per GraphQL or proven by the learner's own writing; else what an earlier poll
   * found once the invitation was gone; else the REST invitations list decides.
   */
  private async membership(r: RoomRequest, proven: boolean): Promise<Membership | { error: RoomError }> {
    if (proven) return { kind: 'collaborator' };
    if (r.previousMembership === 'collaborator' || r.previousMembership === 'no-invitation')
      return { kind: r.previousMembership };
    if (this.halted) return { error: this.halted };
    try {
      const invitations = await this.octokit.paginate(this.octokit.rest.repos.listInvitations, {
        owner: r.owner,
        repo: r.name,
        per_page: 100,
      });
      if (r.members === undefined) {
        const mine = invitations.find((i) => i.invitee && sameHandle(i.invitee.login, r.handle));
        if (!mine) return { kind: 'no-invitation' };
        return { kind: 'invited', expired: mine.expired === true, created_at: mine.created_at };
      }
      const people = r.members;
      const theirs = invitations.filter((i) => {
        const login = i.invitee?.login;
        return login !== undefined && people.some((p) => sameHandle(login, p));
      });
      if (theirs.length === 0) return { kind: 'no-invitation' };
      const pending = theirs.find((i) => i.expired !== true);
      return { kind: 'invited', expired: pending === undefined, created_at: (pending ?? theirs[0]).created_at };
    } catch (err) {
      return { error: this.failed(classifyError(err)) };
    }
  }

  /** Follows the pages of a big room and turns it into signals. */
  private async completeRoom(
    r: RoomRequest,
    node: RoomNode,
    membershipKnown: Membership | undefined,
    readAt: number | undefined,
  ): Promise<RoomOutcome> {
    try {
      const issues = await this.allPages('issues', r, node.issues);
      const pullRequests = await this.allPages('pullRequests', r, node.pullRequests);
      const comments: CommentSignal[] = [];
      for (const item of [...issues, ...pullRequests]) {
        comments.push(...(await this.allComments(r, item.number, item.comments)));
      }
      const people = r.members ?? [r.handle];
      const wrote = (login: string | null | undefined) =>
        typeof login === 'string' && people.some((p) => sameHandle(login, p));
      const issueSignals = issues.map(toIssue);
      // writing or closing anything in a private room proves access
      const active =
        comments.some((c) => wrote(c.author)) ||
        issues.some((i) => wrote(i.author?.login)) ||
        pullRequests.some((p) => wrote(p.author?.login)) ||
        issueSignals.some((i) => wrote(i.closedBy?.actor));
      const proven = isCollaborator(node.collaborators) || active;
      const membership = proven
        ? { kind: 'collaborator' as const }
        : (membershipKnown ?? (await this.membership(r, false)));
      if ('error' in membership) return { kind: 'error', ...membership.error };
      const room: RoomSignals = {
        repository: node.nameWithOwner,
        archived: node.isArchived,
        issues: issueSignals,
        pullRequests: pullRequests.map(toPullRequest),
        comments,
      };
      const issuesUpdated = newest(issues.map((i) => i.updatedAt));
      const pullRequestsUpdated = newest(pullRequests.map((p) => p.updatedAt));
      const fingerprint = `${fingerprintKey({
        archived: node.isArchived,
        collaborator: isCollaborator(node.collaborators),
        issues: node.issues.totalCount,
        issuesUpdated,
        pullRequests: node.pullRequests.totalCount,
        pullRequestsUpdated,
      })}|${membershipKey(membership)}`;
      // updatedAt has one-second resolution: a room changed within the second(s) before this read
      // could change again with the same updatedAt, so its fingerprint is not kept (read it again).
      const latest = Date.parse(newest([issuesUpdated, pullRequestsUpdated]) || '1970-01-01T00:00:00Z');
      const settled = readAt !== undefined && latest < readAt - FINGERPRINT_SETTLE_MS;
      return settled ? { kind: 'read', room, membership, fingerprint } : { kind: 'read', room, membership };
    } catch (err) {
      return { kind: 'error', ...this.failed(classifyError(err)) };
    }
  }

  private async allPages<K extends 'issues' | 'pullRequests'>(
    kind: K,
    r: RoomRequest,
    first: Connection<K extends 'issues' ? IssueNode : PullRequestNode>,
  ): Promise<(K extends 'issues' ? IssueNode : PullRequestNode)[]> {
    type Node = K extends 'issues' ? IssueNode : PullRequestNode;
    const nodes: Node[] = present(first.nodes);
    let page = first.pageInfo;
    while (page.hasNextPage && page.endCursor) {
      const q = nextPageQuery(kind, r.owner, r.name, page.endCursor);
      const data = await this.octokit.graphql<{ repository: Record<K, Connection<Node>> | null }>(q.query, q.variables);
      const next = data.repository?.[kind];
      if (!next) break;
      nodes.push(...present(next.nodes));
      page = next.pageInfo;
    }
    return nodes;
  }

  private async allComments(r: RoomRequest, number: number, first: CommentPage): Promise<CommentSignal[]> {
    const comments = toComments(number, first);
    let page = first.pageInfo;
    while (page.hasNextPage && page.endCursor) {
      const q = commentPageQuery(r.owner, r.name, number, page.endCursor);
      const data = await this.octokit.graphql<{
        repository: { issueOrPullRequest: { comments: CommentPage } | null } | null;
      }>(q.query, q.variables);
      const next = data.repository?.issueOrPullRequest?.comments;
      if (!next) break;
      comments.push(...toComments(number, next));
      page = next.pageInfo;
    }
    return comments;
  }
}

/** A membership as one word: collaborator, invitation-pending, invitation-expired, no-invitation, unknown. */
export function membershipKey(m: Membership): string {
  return m.kind === 'invited' ? (m.expired ? 'invitation-expired' : 'invitation-pending') : m.kind;
}
