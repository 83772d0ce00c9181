/**
 * Who gains, loses or changes access in a plan, read from a course room's
 * `github_repository_collaborators` before and after (docs/course.md): a cutoff is a member going
 * push -> pull, a hand-over pull/push -> admin, a facilitator removed is a user gone. The plan
 * comment's "Access changes", the post-step's `access-changed` detail and the pre-apply step for
 * pending invitations read it. Pure; handles only (no other value of the plan is read).
 */
import type { ResourceChange, ResourceValues } from '../contracts/terraform-plan';
import { COURSE_RESOURCE_TYPES } from '../contracts/room-addresses';
import { foldHandle, compareHandles } from '../roster/handle';

export interface AccessChange {
  address: string;
  /** The repository, from the planned values. */
  repository?: string;
  username: string;
  /** Absent: the user is added. */
  from?: string;
  /** Absent: the user is removed. */
  to?: string;
}

function users(values: ResourceValues | null): Map<string, { username: string; permission: string }> {
  const out = new Map<string, { username: string; permission: string }>();
  const list = values?.user;
  if (!Array.isArray(list)) return out;
  for (const u of list) {
    const r = u as Record<string, unknown> | null;
    if (typeof r?.username === 'string' && typeof r.permission === 'string')
      out.set(foldHandle(r.username), { username: r.username, permission: r.permission });
  }
  return out;
}

/** Every user whose access one collaborators change adds, removes or changes (none for other resources, or a room created or archived). */
export function accessChangesOf(change: ResourceChange): AccessChange[] {
  if (change.type !== COURSE_RESOURCE_TYPES.collaborators) return [];
  const a = change.change.actions;
  if (!(a.length === 1 && a[0] === 'update')) return [];
  const before = users(change.change.before);
  const after = users(change.change.after);
  const repository =
    typeof change.change.after?.repository === 'string'
      ? change.change.after.repository
      : typeof change.change.before?.repository === 'string'
        ? change.change.before.repository
        : undefined;
  const base = { address: change.address, ...(repository ? { repository } : {}) };
  const out: AccessChange[] = [];
  for (const [key, b] of before) {
    const n = after.get(key);
    if (!n) out.push({ ...base, username: b.username, from: b.permission });
    else if (n.permission !== b.permission)
      out.push({ ...base, username: n.username, from: b.permission, to: n.permission });
  }
  for (const [key, n] of after) if (!before.has(key)) out.push({ ...base, username: n.username, to: n.permission });
  return out.sort((x, y) => compareHandles(x.username, y.username));
}

/** "alice push → pull", "tina removed", "sam added (maintain)". */
export function accessChangeText(c: AccessChange): string {
  if (c.from === undefined) return `${c.username} added (${c.to})`;
  if (c.to === undefined) return `${c.username} removed`;
  return `${c.username} ${c.from} → ${c.to}`;
}

/** A member losing write access: push (or more) down to pull or triage. */
export function losesWrite(c: AccessChange): boolean {
  const writes = (p: string | undefined) => p === 'push' || p === 'maintain' || p === 'admin';
  return writes(c.from) && c.to !== undefined && !writes(c.to);
}
