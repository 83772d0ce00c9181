/**
 * What one room's pull request proposes, from the template's change and the room's files (path to
 * git blob sha, on its default branch), and which writes its branch still needs (a run that
 * stopped half-way resumes with the files it had not written yet). Blob shas decide "the same
 * content" without downloading anything. Pure.
 */
import type { FileChange } from './template-diff';

/**
 * A file the pull request changes, and what the learner had there: `to` is the template's blob to
 * write; `learnerChanged`, the room's file differs from the template's old version (the learner
 * changed it, or had their own at that path); `learnerRemoved`, the template modified a file the
 * learner had removed, which the pull request brings back.
 */
export type ProposedFile =
  | { path: string; action: 'add' | 'update'; to: string; learnerChanged: boolean; learnerRemoved: boolean }
  | { path: string; action: 'delete'; learnerChanged: false; learnerRemoved: false };

export type SkipReason = 'identical' | 'already-removed' | 'kept-learner-changed';

export interface SkippedFile {
  path: string;
  why: SkipReason;
}

export interface RoomProposal {
  files: ProposedFile[];
  skipped: SkippedFile[];
}

/** `files`: the room's default branch, path -> blob sha. */
export function proposeForRoom(changes: readonly FileChange[], files: ReadonlyMap<string, string>): RoomProposal {
  const out: RoomProposal = { files: [], skipped: [] };
  for (const c of changes) {
    const have = files.get(c.path);
    if (c.kind === 'removed') {
      if (have === undefined) out.skipped.push({ path: c.path, why: 'already-removed' });
      // Deleting a file the learner changed would delete their work: kept, and said so.
      else if (have !== c.from) out.skipped.push({ path: c.path, why: 'kept-learner-changed' });
      else out.files.push({ path: c.path, action: 'delete', learnerChanged: false, learnerRemoved: false });
      continue;
    }
    if (have === c.to) {
      out.skipped.push({ path: c.path, why: 'identical' });
      continue;
    }
    out.files.push({
      path: c.path,
      action: have === undefined ? 'add' : 'update',
      to: c.to,
      learnerChanged: have !== undefined && (c.kind === 'added' || have !== c.from),
      learnerRemoved: have === undefined && c.kind === 'modified',
    });
  }
  return out;
}

/** `to`: the template's blob to write; `sha`: the branch's blob at the path, which the contents API needs to replace or delete it. */
export type PendingWrite =
  { path: string; kind: 'put'; to: string; sha?: string } | { path: string; kind: 'delete'; sha: string };

/** The writes the branch (path -> blob sha at its head) still needs to hold the proposal. */
export function pendingWrites(proposal: RoomProposal, branch: ReadonlyMap<string, string>): PendingWrite[] {
  const out: PendingWrite[] = [];
  for (const f of proposal.files) {
    const have = branch.get(f.path);
    if (f.action === 'delete') {
      if (have !== undefined) out.push({ path: f.path, kind: 'delete', sha: have });
    } else if (have !== f.to) out.push({ path: f.path, kind: 'put', to: f.to, ...(have ? { sha: have } : {}) });
  }
  return out;
}
