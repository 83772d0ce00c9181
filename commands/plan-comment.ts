import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineCommand } from './command';
import { outFile } from './common-options';
import { formatRosterError, RosterError } from '../roster';
import { writeFileAtomic } from '../shared/atomic-write';
import { renderPlanComment } from '../gitops/plan-comment';
import { readStackPlans, STACK_INPUT_OPTIONS } from './stack-inputs';
import { parseScopeDocument } from '../gitops/stack-scope';
import { parseStarterCodeDocument } from '../updates/status';

/**
 * Roster problems from `learning-rooms validate --json` output (the schema's errors, then what
 * synth would refuse), or plain text, one per line (whatever the workflow captured when validation failed).
 */
export function rosterErrorLines(content: string): string[] {
  try {
    const parsed = JSON.parse(content) as { errors?: RosterError[]; synthesis_problems?: string[] };
    if (Array.isArray(parsed.errors)) {
      const problems = Array.isArray(parsed.synthesis_problems)
        ? parsed.synthesis_problems.map((p) => `roster.json: ${p}`)
        : [];
      return [...parsed.errors.map((e) => formatRosterError(e, 'roster.json')), ...problems];
    }
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

const options = {
  ...STACK_INPUT_OPTIONS,
  'roster-errors': {
    type: 'string',
    value: 'FILE',
    help: "the output of 'learning-rooms validate --json' (or text, one problem a line) when the roster is invalid: the comment then lists the problems",
  },
  'run-url': { type: 'string', value: 'URL', help: 'link to the workflow run' },
  commit: { type: 'string', value: 'SHA', help: 'the commit that was planned' },
  'trusted-code': {
    type: 'string',
    value: 'SHA',
    help: "the commit whose code synthesized and planned (main's, for a pull request)",
  },
  'pinned-settings': {
    type: 'string',
    value: 'FILE',
    help: 'names of settings the pull request changes that its plan did not take, one per line (from gitops-env --pinned-out); a missing file means none',
  },
  scope: {
    type: 'string',
    value: 'FILE',
    help: 'the scope of the plan (changed-stacks --out): stacks planned and why, those left out and why, refresh or recorded state, the estimate, the admission',
  },
  'starter-code': {
    type: 'string',
    value: 'FILE',
    help: 'the starter-code lines (propose-update --count --out): each template that moved since its recorded commit, and the rooms that would get a pull request',
  },
  out: outFile('write the comment here instead of stdout'),
  'full-out': outFile("also write the report without the size limit (for the run's artifacts)"),
} as const;

export const planCommentCommand = defineCommand({
  name: 'plan-comment',
  summary: 'render the pull-request comment for the cohort plans (Markdown)',
  usage: ['--plan plan.json --index learners.json [--plan ... --index ...] [--failed-index learners.json] [options]'],
  description: `Renders one Markdown comment: counts per cohort, a table of every learner whose room would
change (provision, heal, update, archive, queued), a loud warning when rooms would be archived,
and the resource-level plan folded away. It stays within GitHub's 65,536-character limit by
dropping the raw plan and then table rows, pointing at the run for the rest.
Writes only the files named by --out and --full-out (so it takes no --dry-run: leave them out).`,
  options,
  exitStatus: '0 rendered (also with no --plan: no cohort stack); 2 usage or an unreadable plan or index.',
  async run({ values }, io) {
    const rosterErrors = values['roster-errors']
      ? rosterErrorLines(readFileSync(resolve(io.cwd, values['roster-errors']), 'utf8'))
      : undefined;
    const stacks = rosterErrors && rosterErrors.length > 0 ? [] : readStackPlans(io.cwd, values);
    const pinnedSettings = values['pinned-settings'] ? readLines(resolve(io.cwd, values['pinned-settings'])) : [];
    const scope = values.scope
      ? parseScopeDocument(readFileSync(resolve(io.cwd, values.scope), 'utf8'), values.scope)
      : undefined;
    const starterCode = values['starter-code']
      ? parseStarterCodeDocument(readFileSync(resolve(io.cwd, values['starter-code']), 'utf8'), values['starter-code'])
          .units
      : undefined;
    const input = {
      stacks,
      ...(starterCode ? { starterCode } : {}),
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
});
