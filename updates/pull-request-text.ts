/**
 * The words a learner reads: the branch, title and body of a starter-code update's pull request.
 * Plain and kind: what changed, that nothing happens unless they merge, what they may do, which
 * files, and where their own changes meet the template's. Pure.
 */
import { escapeControls } from '../shared/terminal-text';
import type { ProposedFile, SkippedFile } from './room-plan';

export const BRANCH_PREFIX = 'learning-rooms/starter-update-';
/** Marks our pull requests (a hidden comment), so people and tools can find them. */
export const PULL_REQUEST_MARKER = '<!-- learning-rooms:starter-update -->';
/** GitHub limits a pull request body to 65,536 characters; a long file list stops well before. */
const FILES_LISTED_MAX = 200;

export const short = (sha: string) => sha.slice(0, 7);

/** One branch per template head: a later template change gets its own branch and pull request. */
export function updateBranch(to: string): string {
  return `${BRANCH_PREFIX}${short(to)}`;
}

export function pullRequestTitle(template: string, from: string, to: string): string {
  return `Starter code update: ${template} ${short(from)}..${short(to)}`;
}

/** A path in a code span that no path can break out of, with control characters shown, not acted on. */
function path(p: string): string {
  const shown = escapeControls(p);
  const ticks = '`'.repeat(Math.max(0, ...(shown.match(/`+/g) ?? []).map((t) => t.length)) + 1);
  return `${ticks}${shown.startsWith('`') || shown.endsWith('`') ? ` ${shown} ` : shown}${ticks}`;
}

function fileLine(f: ProposedFile): string {
  const what = f.action === 'add' ? 'added' : f.action === 'delete' ? 'removed' : 'updated';
  if (f.learnerChanged)
    return `- ${path(f.path)}: ${what}. **You changed this file**: the pull request shows the template's version in place of yours.`;
  if (f.learnerRemoved) return `- ${path(f.path)}: ${what}. You had removed it; the pull request brings it back.`;
  return `- ${path(f.path)}: ${what}`;
}

export interface BodyInput {
  template: string;
  from: string;
  to: string;
  branch: string;
  files: readonly ProposedFile[];
  skipped: readonly SkippedFile[];
}

export function pullRequestBody(input: BodyInput): string {
  const changed = input.files.filter((f) => f.learnerChanged).length;
  const kept = input.skipped.filter((s) => s.why === 'kept-learner-changed');
  const listed = input.files.slice(0, FILES_LISTED_MAX).map(fileLine);
  const more = input.files.length - listed.length;
  const lines = [
    PULL_REQUEST_MARKER,
    `Hello! The starter code of your course (the template ${path(input.template)}) has changed since your repository was made from it. This pull request offers you those changes.`,
    '',
    '**Nothing in your repository changes unless you merge it.** Your own work stays as it is. You can:',
    '',
    '- **merge** it to take the new starter code;',
    `- **edit** it first: change the files on its branch ${path(input.branch)}, then merge;`,
    "- **close** it if you don't want these changes. That's fine too.",
    '',
    `### What changes (${input.files.length} file${input.files.length === 1 ? '' : 's'})`,
    '',
    ...listed,
    ...(more > 0 ? [`- … and ${more} more: see the *Files changed* tab.`] : []),
    '',
  ];
  if (changed > 0)
    lines.push(
      `You changed ${changed === 1 ? 'one of these files' : `${changed} of these files`} yourself. Open the *Files changed* tab to see the difference, and keep what you need before you merge (you can edit the file on this branch).`,
      '',
    );
  if (kept.length > 0)
    lines.push(
      `The template also removed ${kept.map((k) => path(k.path)).join(', ')}. You changed ${kept.length === 1 ? 'that file' : 'those files'}, so ${kept.length === 1 ? 'it stays' : 'they stay'}: nothing here removes your work.`,
      '',
    );
  lines.push(
    'If GitHub says this branch has conflicts, the same lines were changed here and in your repository after this pull request was opened. Nothing is decided for you: GitHub shows both versions, and you can resolve them on GitHub or close this pull request.',
    '',
    `<sub>Opened by learning-rooms for your course's facilitators (template commits ${path(short(input.from))}..${path(short(input.to))}). Questions? Ask your facilitators.</sub>`,
  );
  return lines.join('\n') + '\n';
}

/** Each write's commit message on the branch. */
export function commitMessage(verb: 'add' | 'update' | 'remove', filePath: string, template: string): string {
  return `Starter code update: ${verb} ${filePath} from ${template}`;
}
