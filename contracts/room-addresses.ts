/**
 * Terraform resource addresses of a learning room. One scheme serves synthesis (which names the
 * resources) and every reader of plans and applies (which attributes changes to learners).
 *
 * Addresses name the learner and are stable across runs: the handle is lower-cased (GitHub logins
 * are case-insensitive, so "Alice" and "alice" are the same learner and the same room), and a
 * handle can never contain "--", so "--" safely separates the learner from a file's slug.
 */
import { foldHandle } from '../roster/handle';

export type RoomResourceKind = 'repository' | 'collaborator' | 'file';

export const RESOURCE_TYPES: Record<RoomResourceKind, string> = {
  repository: 'github_repository',
  collaborator: 'github_repository_collaborator',
  file: 'github_repository_file',
};

/** The Terraform resource name shared by a learner's repository and collaborator. */
export function learnerResourceName(handle: string): string {
  return `learner-${foldHandle(handle)}`;
}

/** A required file's path as a Terraform-name-safe slug: `.github/workflows/ack.yml` -> `github_workflows_ack_yml`. */
export function fileSlug(path: string): string {
  return path.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
}

export function fileResourceName(handle: string, path: string): string {
  return `${learnerResourceName(handle)}--${fileSlug(path)}`;
}

export function repositoryAddress(handle: string): string {
  return `${RESOURCE_TYPES.repository}.${learnerResourceName(handle)}`;
}

export function collaboratorAddress(handle: string): string {
  return `${RESOURCE_TYPES.collaborator}.${learnerResourceName(handle)}`;
}

export function fileAddress(handle: string, path: string): string {
  return `${RESOURCE_TYPES.file}.${fileResourceName(handle, path)}`;
}

export interface ParsedRoomAddress {
  kind: RoomResourceKind;
  /** Lower-cased handle. */
  handle: string;
  /** For files: the slug (the path itself is in the learner index). */
  fileSlug?: string;
}

const ADDRESS =
  /^(github_repository|github_repository_collaborator|github_repository_file)\.learner-([a-z0-9-]+?)(?:--([A-Za-z0-9_]+))?$/;

/** Attributes an address to a learner; undefined for anything that is not part of a learning room. */
export function parseRoomAddress(address: string): ParsedRoomAddress | undefined {
  const m = ADDRESS.exec(address);
  if (!m) return undefined;
  const kind = (Object.keys(RESOURCE_TYPES) as RoomResourceKind[]).find((k) => RESOURCE_TYPES[k] === m[1]);
  if (!kind) return undefined;
  if ((kind === 'file') !== (m[3] !== undefined)) return undefined;
  return m[3] === undefined ? { kind, handle: m[2] } : { kind, handle: m[2], fileSlug: m[3] };
}
