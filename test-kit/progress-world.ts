/**
 * A cohort of learning rooms for the GitHub double and the roster that names it: used by the
 * progress integration tests and by `npm run bench:progress`, so both exercise the same world.
 */
import type { SeedComment, SeedIssue, SeedPull, SeedRepo } from '@learning-rooms/github-double';
import { foldHandle } from '../roster/handle';
import type { Roster } from '../roster/types';

export const APP_ID = 4242;
export const INSTALLATION_ID = 777;
export const OWNER = 'acme';
/** The seed's static token (the provider's and the CLI's token mode); not a secret. */
export const TOKEN = 'dummy-token-not-a-secret';

export interface RoomSpec {
  /** The handle as the roster spells it. */
  handle: string;
  /** The GitHub login when it differs in case from the roster's handle. */
  login?: string;
  cohort?: string;
  access?: 'collaborator' | 'pending' | 'expired';
  archived?: boolean;
  /** No repository at all. */
  missing?: boolean;
  issues?: SeedIssue[];
  pulls?: SeedPull[];
}

export function roomNameOf(cohort: string, handle: string): string {
  return `${cohort}-${foldHandle(handle)}`;
}

export function progressSeed(rooms: RoomSpec[], publicKeyPem: string, cohort = 'c1'): Record<string, unknown> {
  const repos: SeedRepo[] = rooms
    .filter((r) => !r.missing)
    .map((r) => {
      const login = r.login ?? r.handle;
      const access = r.access ?? 'collaborator';
      return {
        owner: OWNER,
        name: roomNameOf(r.cohort ?? cohort, r.handle),
        visibility: 'private',
        archived: r.archived ?? false,
        labels: ['challenge'],
        ...(access === 'collaborator'
          ? { collaborators: [{ login, permission: 'push' }] }
          : { invitations: [{ login, permission: 'push', expired: access === 'expired' }] }),
        issues: r.issues ?? [],
        pulls: r.pulls ?? [],
      };
    });
  return {
    orgs: [{ login: OWNER, members: ['operator', 'mentor'] }],
    autoUsers: true,
    tokens: [{ token: TOKEN, login: 'operator' }],
    app: {
      id: APP_ID,
      slug: 'learning-rooms',
      publicKey: publicKeyPem,
      installations: [
        {
          id: INSTALLATION_ID,
          account: OWNER,
          permissions: { administration: 'read', issues: 'read', pull_requests: 'read', metadata: 'read' },
        },
      ],
    },
    repos,
  };
}

export function progressRoster(rooms: RoomSpec[], cohort = 'c1'): Roster {
  const cohorts = [...new Set([cohort, ...rooms.map((r) => r.cohort ?? cohort)])];
  return {
    format_version: 1,
    cohorts: cohorts.map((c) => ({ cohort_id: c })),
    learners: rooms.map((r) => ({
      github_handle: r.handle,
      cohort_id: r.cohort ?? cohort,
      path: 'web',
      provisioning: { state: 'provisioned' as const },
    })),
  };
}

/**
 * When the seeded activity happened: well before any poll, as in a real cohort. (A room changed
 * within the second of a read is read in full again next time, see FINGERPRINT_SETTLE_MS.)
 */
export const PAST = '2026-03-02T09:00:00Z';

/**
 * Challenge issues #1..#n, opened by the operator, the first `closed` of them closed: by `closedBy`
 * when given, else with no closing event recorded.
 */
export function challenges(n: number, closed = 0, start = 1, closedBy?: string): SeedIssue[] {
  return Array.from({ length: n }, (_, i) => ({
    number: start + i,
    title: `Challenge ${start + i}`,
    author: 'operator',
    labels: ['challenge'],
    state: i < closed ? ('closed' as const) : ('open' as const),
    ...(i < closed && closedBy ? { closed_by: closedBy } : {}),
    created_at: PAST,
    updated_at: PAST,
  }));
}

export function pastComment(author: string, body: string): SeedComment {
  return { author, body, created_at: PAST };
}

export function pastPull(pull: SeedPull): SeedPull {
  return { created_at: PAST, updated_at: PAST, ...pull };
}
