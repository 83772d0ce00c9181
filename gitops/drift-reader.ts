/**
 * The edge of the fingerprint: reads rooms through batched GraphQL (drift-queries.ts) with the one
 * GitHub client, and, for a learner GraphQL does not list as a collaborator, the invitation: from
 * progress's last report when it is fresh, else from one REST call (GitHub's GraphQL has no
 * repository invitations). A batch that fails is read again room by room; a room that still cannot
 * be read is reported as such (its stack gets a plan, to be safe).
 */
import type { GitHubOctokit } from '../shared/github-client';
import { learnerKey, sameHandle } from '../roster/handle';
import { classifyError } from '../progress/reader';
import type { ExpectedRoom, Invitation, ObservedRoom } from './drift-fingerprint';
import { observedFromNode, roomAlias, RoomStateNode, roomStateQuery } from './drift-queries';

export const ROOMS_PER_QUERY = 50;

interface GraphqlFailure {
  name?: string;
  data?: Record<string, unknown> | null;
  errors?: { type?: string; message?: string; path?: (string | number)[] }[];
}

export class DriftReader {
  constructor(
    private readonly octokit: GitHubOctokit,
    private readonly owner: string,
    /** What progress last knew of a learner's invitation (undefined: not known, or too old). */
    private readonly knownInvitation: (room: ExpectedRoom) => Invitation | undefined = () => undefined,
    private readonly roomsPerQuery = ROOMS_PER_QUERY,
  ) {}

  async read(rooms: readonly ExpectedRoom[]): Promise<Map<ExpectedRoom, ObservedRoom>> {
    const out = new Map<ExpectedRoom, ObservedRoom>();
    for (let i = 0; i < rooms.length; i += this.roomsPerQuery) {
      for (const [room, observed] of await this.batch(rooms.slice(i, i + this.roomsPerQuery))) out.set(room, observed);
    }
    for (const [room, o] of out) {
      if (room.state !== 'configured' || !o.exists || o.error !== undefined || o.permission !== null) continue;
      const known = this.knownInvitation(room);
      const invitation = known ?? (await this.invitation(room));
      if (typeof invitation === 'string') o.invitation = invitation;
      else o.error = invitation.error;
    }
    return out;
  }

  private async batch(rooms: readonly ExpectedRoom[]): Promise<Map<ExpectedRoom, ObservedRoom>> {
    const out = new Map<ExpectedRoom, ObservedRoom>();
    const q = roomStateQuery(this.owner, rooms);
    let data: Record<string, unknown> | null | undefined;
    let errors: NonNullable<GraphqlFailure['errors']> = [];
    try {
      data = await this.octokit.graphql<Record<string, unknown>>(q.query, q.variables);
    } catch (err) {
      const e = err as GraphqlFailure;
      if (e.name === 'GraphqlResponseError' && e.data) {
        data = e.data;
        errors = e.errors ?? [];
      } else if (rooms.length > 1 && classifyError(err).cause !== 'rate-limit') {
        for (const r of rooms) for (const [k, v] of await this.batch([r])) out.set(k, v);
        return out;
      } else {
        const why = classifyError(err);
        for (const r of rooms) out.set(r, { exists: false, files: {}, error: `${why.cause}: ${why.message}` });
        return out;
      }
    }
    rooms.forEach((r, i) => {
      const node = data?.[roomAlias(i)] as RoomStateNode | null | undefined;
      const mine = errors.filter((e) => e.path?.[0] === roomAlias(i));
      if (node) out.set(r, observedFromNode(r, node));
      else if (mine.length === 0 || mine.some((e) => e.type === 'NOT_FOUND')) out.set(r, observedFromNode(r, null));
      else out.set(r, { exists: false, files: {}, error: mine.map((e) => e.message ?? e.type ?? 'error').join('; ') });
    });
    return out;
  }

  private async invitation(room: ExpectedRoom): Promise<Invitation | { error: string }> {
    try {
      const list = await this.octokit.paginate(this.octokit.rest.repos.listInvitations, {
        owner: this.owner,
        repo: room.repository,
        per_page: 100,
      });
      const mine = list.find((i) => i.invitee && sameHandle(i.invitee.login, room.handle));
      return mine ? (mine.expired ? 'expired' : 'pending') : 'none';
    } catch (err) {
      const why = classifyError(err);
      return { error: `${why.cause}: ${why.message}` };
    }
  }
}

/**
 * Invitations as progress last saw them (progress.json), when the report is at most `maxAgeMinutes`
 * old: pending, expired or none. A learner progress saw as a collaborator is not taken from it (if
 * GraphQL no longer lists them, the REST list decides).
 */
export function invitationsFromProgress(
  report:
    { generated_at: string; learners: { github_handle: string; cohort_id: string; membership?: string }[] } | undefined,
  now: Date,
  maxAgeMinutes: number,
): (room: ExpectedRoom) => Invitation | undefined {
  if (!report || now.getTime() - Date.parse(report.generated_at) > maxAgeMinutes * 60_000) return () => undefined;
  const known = new Map<string, Invitation>();
  for (const l of report.learners) {
    const m =
      l.membership === 'invitation-pending'
        ? 'pending'
        : l.membership === 'invitation-expired'
          ? 'expired'
          : l.membership === 'no-invitation'
            ? 'none'
            : undefined;
    if (m) known.set(learnerKey(l.github_handle, l.cohort_id), m);
  }
  return (room) => known.get(learnerKey(room.handle, room.cohort_id));
}
