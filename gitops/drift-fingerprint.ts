/**
 * The watchdog's cheap look at the world: for every room, what the configuration says it should be
 * (settings, the learner's access, each required file's git blob id) against what GitHub shows, read
 * in batched GraphQL (drift-queries.ts). Only the stacks where something differs need a refreshing
 * Terraform plan. Pure.
 *
 * What Terraform would heal, and so what is compared: the repository (missing, archived, made
 * public, issues switched off), the learner (removed as collaborator, another permission, an
 * invitation that expired or is gone) and every required file (deleted or changed). A room the
 * configuration is archiving is expected archived.
 */
import { createHash } from 'node:crypto';
import type { LearnerIndex } from '../contracts/learner-index';
import { parseRoomAddress } from '../contracts/room-addresses';
import { readTemplate } from '../contracts/terraform-template';
import { foldHandle } from '../roster/handle';
import type { PlannedStack, StackScope } from './stack-scope';

/** git's object id of a blob: sha1("blob <bytes>\0" + content). */
export function gitBlobId(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** GraphQL's RepositoryPermission for the provider's permission names. */
const PERMISSION: Record<string, string> = {
  pull: 'READ',
  read: 'READ',
  triage: 'TRIAGE',
  push: 'WRITE',
  write: 'WRITE',
  maintain: 'MAINTAIN',
  admin: 'ADMIN',
};

export interface ExpectedRoom {
  stack: string;
  cohort_id: string;
  /** The learner's handle as the roster spells it. */
  handle: string;
  repository: string;
  /** configured: the stack keeps the room as configured; archiving: the room leaves the configuration and is archived. */
  state: 'configured' | 'archiving';
  /** The roster says a room was made: a missing room is drift, not one still to create. */
  provisioned: boolean;
  visibility?: string;
  hasIssues?: boolean;
  /** GraphQL's name of the learner's permission (WRITE for push). */
  permission?: string;
  /** Each required file's path and the blob id of the content Terraform writes. */
  files: { path: string; oid: string }[];
}

export type Invitation = 'pending' | 'expired' | 'none';

export interface ObservedRoom {
  exists: boolean;
  archived?: boolean;
  /** PRIVATE, PUBLIC or INTERNAL. */
  visibility?: string;
  hasIssues?: boolean;
  /** The learner's permission as a direct collaborator; null when not a collaborator. */
  permission?: string | null;
  /** For a learner who is not a collaborator: the invitation, from progress or the REST list. */
  invitation?: Invitation;
  /** path -> blob id on the default branch (null: no such file). */
  files: Record<string, string | null>;
  /** The room could not be read (its stack is planned, to be safe). */
  error?: string;
}

interface Resources {
  github_repository_collaborators?: Record<string, { user?: unknown }>;
  github_repository?: Record<string, { name?: unknown; visibility?: unknown; has_issues?: unknown }>;
  github_repository_collaborator?: Record<string, { username?: unknown; permission?: unknown }>;
  github_repository_file?: Record<string, { file?: unknown; content?: unknown }>;
}

/**
 * The rooms of one stack as its configuration says they should be, named as in its learner
 * index; `provisioned` says whether the roster knows the room was made.
 */
export function expectedRooms(
  config: { resource?: unknown },
  index: Pick<LearnerIndex, 'stack' | 'cohort_id' | 'learners' | 'course'>,
  provisioned: (handle: string) => boolean,
): ExpectedRoom[] {
  const resources = (config.resource ?? {}) as Resources;
  const byHandle = new Map<string, ExpectedRoom>();
  const spelled = new Map(index.learners.map((l) => [foldHandle(l.github_handle), l]));
  const room = (address: string): ExpectedRoom | undefined => {
    const parsed = parseRoomAddress(address);
    if (!parsed) return undefined;
    let r = byHandle.get(parsed.handle);
    if (!r) {
      const entry = spelled.get(parsed.handle);
      const handle = entry?.github_handle ?? parsed.handle;
      r = {
        stack: index.stack,
        cohort_id: index.cohort_id,
        handle,
        repository: entry?.repository ?? '',
        state: 'configured',
        provisioned: provisioned(handle),
        files: [],
      };
      byHandle.set(parsed.handle, r);
    }
    return r;
  };
  for (const [name, body] of Object.entries(resources.github_repository ?? {})) {
    const r = room(`github_repository.${name}`);
    if (!r) continue;
    if (typeof body.name === 'string') r.repository = body.name;
    if (typeof body.visibility === 'string') r.visibility = body.visibility.toUpperCase();
    if (typeof body.has_issues === 'boolean') r.hasIssues = body.has_issues;
  }
  for (const [name, body] of Object.entries(resources.github_repository_collaborator ?? {})) {
    const r = room(`github_repository_collaborator.${name}`);
    if (r && typeof body.permission === 'string')
      r.permission = PERMISSION[body.permission] ?? body.permission.toUpperCase();
  }
  for (const [name, body] of Object.entries(resources.github_repository_file ?? {})) {
    const r = room(`github_repository_file.${name}`);
    if (!r || typeof body.file !== 'string' || typeof body.content !== 'string') continue;
    const read = readTemplate(body.content);
    // The stack check refuses any template expression; a literal is what Terraform writes.
    if (read.literal) r.files.push({ path: body.file, oid: gitBlobId(read.value) });
  }
  const out = [...byHandle.values(), ...expectedCourseRooms(resources, index, provisioned)];
  for (const l of index.learners) {
    if (index.course) break; // a course's learners have no room of their own: its rooms are above
    if (!l.archived || byHandle.has(foldHandle(l.github_handle))) continue;
    out.push({
      stack: index.stack,
      cohort_id: index.cohort_id,
      handle: l.github_handle,
      repository: l.repository,
      state: 'archiving',
      provisioned: provisioned(l.github_handle),
      files: [],
    });
  }
  return out;
}

/**
 * A course's rooms (docs/course.md), one expected room each, read as the learner's room is: the
 * settings, each required file, and the permission of its first member (a team's other members are
 * left to the refreshing plan). Rooms being archived must be archived.
 */
function expectedCourseRooms(
  resources: Resources,
  index: Pick<LearnerIndex, 'stack' | 'cohort_id' | 'course'>,
  provisioned: (handle: string) => boolean,
): ExpectedRoom[] {
  const out: ExpectedRoom[] = [];
  for (const r of index.course?.rooms ?? []) {
    const first = r.members[0]?.github_handle ?? r.key;
    const base = { stack: index.stack, cohort_id: index.cohort_id, handle: first, repository: r.repository };
    if (r.archived) {
      if (r.repository) out.push({ ...base, state: 'archiving', provisioned: provisioned(first), files: [] });
      continue;
    }
    if (!r.admitted) continue;
    const repo = resources.github_repository?.[r.key];
    if (!repo) continue;
    const users = resources.github_repository_collaborators?.[r.key]?.user;
    const mine = Array.isArray(users)
      ? (users as { username?: unknown; permission?: unknown }[]).find(
          (u) => typeof u.username === 'string' && foldHandle(u.username) === foldHandle(first),
        )
      : undefined;
    const files: ExpectedRoom['files'] = [];
    for (const [path, address] of Object.entries(r.addresses.files)) {
      const body = resources.github_repository_file?.[address.slice(address.indexOf('.') + 1)];
      const read = typeof body?.content === 'string' ? readTemplate(body.content) : undefined;
      if (read?.literal) files.push({ path, oid: gitBlobId(read.value) });
    }
    out.push({
      ...base,
      state: 'configured',
      provisioned: provisioned(first),
      ...(typeof repo.visibility === 'string' ? { visibility: repo.visibility.toUpperCase() } : {}),
      ...(typeof repo.has_issues === 'boolean' ? { hasIssues: repo.has_issues } : {}),
      ...(typeof mine?.permission === 'string'
        ? { permission: PERMISSION[mine.permission] ?? mine.permission.toUpperCase() }
        : {}),
      files,
    });
  }
  return out;
}

export type DriftKind =
  | 'unread'
  | 'missing'
  | 'not-created'
  | 'archived'
  | 'visibility'
  | 'issues'
  | 'collaborator'
  | 'permission'
  | 'invitation-expired'
  | 'file-deleted'
  | 'file-changed'
  | 'not-archived';

export interface Finding {
  stack: string;
  cohort_id: string;
  handle: string;
  repository: string;
  kind: DriftKind;
  /** In words, for the report. */
  detail: string;
}

/** Every way a room differs from what its configuration says (none: the room is as configured). */
export function compareRoom(e: ExpectedRoom, o: ObservedRoom): Finding[] {
  const out: Finding[] = [];
  const add = (kind: DriftKind, detail: string) =>
    out.push({ stack: e.stack, cohort_id: e.cohort_id, handle: e.handle, repository: e.repository, kind, detail });
  if (o.error !== undefined) {
    add('unread', `could not be read (${o.error})`);
    return out;
  }
  if (e.state === 'archiving') {
    if (o.exists && o.archived === false) add('not-archived', 'leaves the configuration but is not archived yet');
    return out;
  }
  if (!o.exists) {
    add(
      e.provisioned ? 'missing' : 'not-created',
      e.provisioned ? 'the room is gone (deleted or renamed outside Terraform)' : 'the room is not created yet',
    );
    return out;
  }
  if (o.archived) add('archived', 'archived outside Terraform');
  if (e.visibility !== undefined && o.visibility !== undefined && o.visibility !== e.visibility)
    add('visibility', `${o.visibility.toLowerCase()} instead of ${e.visibility.toLowerCase()}`);
  if (e.hasIssues !== undefined && o.hasIssues !== undefined && o.hasIssues !== e.hasIssues)
    add('issues', e.hasIssues ? 'issues switched off' : 'issues switched on');
  if (e.permission !== undefined) {
    if (o.permission === null || o.permission === undefined) {
      if (o.invitation === 'expired') add('invitation-expired', 'the invitation expired');
      else if (o.invitation !== 'pending')
        add('collaborator', 'the learner is neither a collaborator nor invited (removed outside Terraform)');
    } else if (o.permission !== e.permission)
      add('permission', `permission ${o.permission} instead of ${e.permission}`);
  }
  for (const f of e.files) {
    const seen = o.files[f.path];
    if (seen === null || seen === undefined) add('file-deleted', `${f.path} deleted`);
    else if (seen !== f.oid) add('file-changed', `${f.path} changed`);
  }
  return out;
}

const SHOWN = 5;

/** The stacks to plan: those with a finding, each with its rooms' findings in words; the rest left out. */
export function driftScope(
  stacks: readonly string[],
  findings: readonly Finding[],
  roomsRead: ReadonlyMap<string, number>,
): StackScope {
  const byStack = new Map<string, Finding[]>();
  for (const f of findings) byStack.set(f.stack, [...(byStack.get(f.stack) ?? []), f]);
  const plan: PlannedStack[] = [];
  const leftOut: StackScope['leftOut'] = [];
  for (const stack of stacks) {
    const list = byStack.get(stack);
    if (!list) {
      const n = roomsRead.get(stack) ?? 0;
      leftOut.push({
        stack,
        reason: `every room matches the configuration (fingerprint of ${n} room${n === 1 ? '' : 's'} read)`,
      });
      continue;
    }
    const rooms = new Map<string, string[]>();
    for (const f of list) rooms.set(f.handle, [...(rooms.get(f.handle) ?? []), f.detail]);
    const reasons = [...rooms].slice(0, SHOWN).map(([h, details]) => `${h}: ${details.join(', ')}`);
    if (rooms.size > SHOWN) reasons.push(`and ${rooms.size - SHOWN} more rooms`);
    plan.push({ stack, reasons });
  }
  return { plan, leftOut, removed: [] };
}
