import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from './io';
import { formatRosterError, RosterError } from '../roster';
import { writeFileAtomic } from '../shared/atomic-write';
import { renderPlanComment } from '../gitops/plan-comment';
import { readStackPlans, STACK_INPUT_OPTIONS, STACK_INPUT_USAGE } from './stack-inputs';
import { parseScopeDocument } from '../gitops/stack-scope';

/**
 * Roster problems from `learning-rooms validate --json` output, or plain text, one per line
 * (whatever the workflow captured when validation failed).
 */
export function rosterErrorLines(content: string): string[] {
  try {
    const parsed = JSON.parse(content) as { errors?: RosterError[] };
    if (Array.isArray(parsed.errors)) return parsed.errors.map((e) => formatRosterError(e, 'roster.json'));
  } catch {
    // not JSON: plain text below
  }
  return content
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** Non-empty lines of a file; a file that does not exist has none (nothing was pinned). */
function readLines(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

export const planCommentCommand: Command = {
  summary: 'render the pull-request comment for the cohort plans (Markdown)',
  usage: `Usage: learning-rooms plan-comment --plan plan.json --index learners.json [--plan ... --index ...]
                                   [--failed-index learners.json] [--roster-errors FILE]
                                   [--run-url URL] [--commit SHA] [--trusted-code SHA]
                                   [--pinned-settings FILE] [--scope FILE] [--out FILE] [--full-out FILE]

Renders one Markdown comment: counts per cohort, a table of every learner whose room would
change (provision, heal, update, archive, queued), a loud warning when rooms would be archived,
and the resource-level plan folded away. It stays within GitHub's 65,536-character limit by
dropping the raw plan and then table rows, pointing at the run for the rest.

${STACK_INPUT_USAGE}
  --roster-errors FILE the output of 'learning-rooms validate --json' (or text, one problem a
                       line) when the roster is invalid: the comment then lists the problems
  --run-url URL        link to the workflow run
  --commit SHA         the commit that was planned
  --trusted-code SHA   the commit whose code synthesized and planned (main's, for a pull request)
  --pinned-settings FILE
                       names of settings the pull request changes that its plan did not take,
                       one per line (from gitops-env --pinned-out); a missing file means none
  --scope FILE         the scope of the plan (changed-stacks --out): stacks planned and why, those
                       left out and why, refresh or recorded state, the estimate, the admission
  --out FILE           write the comment here instead of stdout
  --full-out FILE      also write the report without the size limit (for the run's artifacts)

Exit status: 0 rendered (also with no --plan: no cohort stack); 2 usage or an unreadable plan or index.`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        ...STACK_INPUT_OPTIONS,
        'roster-errors': { type: 'string' },
        'run-url': { type: 'string' },
        commit: { type: 'string' },
        'trusted-code': { type: 'string' },
        'pinned-settings': { type: 'string' },
        scope: { type: 'string' },
        out: { type: 'string' },
        'full-out': { type: 'string' },
      },
    });
    const rosterErrors = values['roster-errors']
      ? rosterErrorLines(readFileSync(resolve(io.cwd, values['roster-errors']), 'utf8'))
      : undefined;
    const stacks = rosterErrors && rosterErrors.length > 0 ? [] : readStackPlans(io.cwd, values);
    const pinnedSettings = values['pinned-settings'] ? readLines(resolve(io.cwd, values['pinned-settings'])) : [];
    const scope = values.scope
      ? parseScopeDocument(readFileSync(resolve(io.cwd, values.scope), 'utf8'), values.scope)
      : undefined;
    const input = {
      stacks,
      rosterErrors,
      runUrl: values['run-url'],
      commit: values.commit,
      trustedCode: values['trusted-code'],
      pinnedSettings,
      ...(scope ? { scope } : {}),
    };
    const comment = renderPlanComment(input);
    if (values['full-out'])
      writeFileAtomic(resolve(io.cwd, values['full-out']), renderPlanComment(input, Number.MAX_SAFE_INTEGER) + '\n');
    if (values.out) writeFileAtomic(resolve(io.cwd, values.out), comment + '\n');
    else io.stdout(comment + '\n');
    return 0;
  },
};
