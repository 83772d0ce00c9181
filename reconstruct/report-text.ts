/** The reconstruction report as the operator reads it on a terminal. */
import type { LearnerReconstruction, RoomReconstruction } from '../contracts/import-entries';
import { ReconstructionReport } from './types';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function learnerLine(l: LearnerReconstruction): string {
  const parts = [`  ${l.github_handle} -> ${l.repository}`];
  if (l.missing.length && l.outcome !== 'to-create')
    parts.push(`will create: ${l.missing.map((a) => a.split('.')[0].replace('github_repository_', '')).join(', ')}`);
  if (l.notes.length) parts.push(l.notes.join('; '));
  return parts.join(': ');
}

function roomLine(r: RoomReconstruction): string {
  const parts = [`  ${r.room} -> ${r.repository}`];
  if (r.missing.length && r.outcome !== 'to-create')
    parts.push(`will create: ${r.missing.map((a) => a.split('.')[0].replace('github_', '')).join(', ')}`);
  if (r.notes.length) parts.push(r.notes.join('; '));
  return parts.join(': ');
}

/** A course's rooms, by outcome. */
function courseLines(cohortId: string, imports: number, rooms: RoomReconstruction[]): string[] {
  const by = (o: RoomReconstruction['outcome']) => rooms.filter((r) => r.outcome === o);
  const [adopted, partly, create, archived, notOpen, conflicts] = (
    ['adopted', 'partly-adopted', 'to-create', 'archived', 'not-open', 'conflict'] as const
  ).map(by);
  const out = [
    `cohort ${cohortId} (course): ${plural(imports, 'import')}; ${adopted.length + partly.length} rooms matched (${adopted.length} complete, ${partly.length} with missing parts), ${plural(create.length, 'room')} without a repository, ${archived.length} archived, ${notOpen.length} not open, ${plural(conflicts.length, 'conflict')}`,
  ];
  if (partly.length) out.push(' matched, missing parts will be created by the plan:', ...partly.map(roomLine));
  const noted = adopted.filter((r) => r.notes.length);
  if (noted.length) out.push(' matched, to note:', ...noted.map(roomLine));
  if (create.length)
    out.push(' no repository, the plan will create the room:', ...create.map((r) => `  ${r.room} -> ${r.repository}`));
  if (archived.length) out.push(' not configured (archived), not imported:', ...archived.map(roomLine));
  if (notOpen.length) out.push(' assignment not open yet, not imported:', ...notOpen.map(roomLine));
  if (conflicts.length) out.push(' CONFLICT, nothing imported:', ...conflicts.map(roomLine));
  return out;
}

export function formatReport(report: ReconstructionReport, written: string[] = []): string {
  const out: string[] = [];
  for (const c of report.cohorts) {
    if (c.rooms) {
      out.push(...courseLines(c.cohort_id, c.imports.length, c.rooms));
      continue;
    }
    const by = (o: LearnerReconstruction['outcome']) => c.learners.filter((l) => l.outcome === o);
    const adopted = by('adopted');
    const partly = by('partly-adopted');
    const create = by('to-create');
    const archived = by('archived');
    const conflicts = by('conflict');
    out.push(
      `cohort ${c.cohort_id}: ${plural(c.imports.length, 'import')}; ${adopted.length + partly.length} matched (${adopted.length} complete, ${partly.length} with missing parts), ${plural(create.length, 'learner')} without a repository, ${archived.length} archived, ${plural(conflicts.length, 'conflict')}`,
    );
    if (partly.length) out.push(' matched, missing parts will be created by the plan:', ...partly.map(learnerLine));
    const noted = adopted.filter((l) => l.notes.length);
    if (noted.length) out.push(' matched, to note:', ...noted.map(learnerLine));
    if (create.length)
      out.push(
        ' no repository, the plan will create the room:',
        ...create.map((l) => `  ${l.github_handle} -> ${l.repository}`),
      );
    if (archived.length) out.push(' archived in the roster, not imported:', ...archived.map(learnerLine));
    if (conflicts.length) out.push(' CONFLICT, nothing imported:', ...conflicts.map(learnerLine));
  }
  if (report.unmatched_repositories.length) {
    out.push(
      `${plural(report.unmatched_repositories.length, 'repository', 'repositories')} of ${report.owner} ${report.unmatched_repositories.length === 1 ? 'looks' : 'look'} like learning rooms but match no learner (not imported):`,
    );
    out.push(...report.unmatched_repositories.map((r) => `  ${r}`));
  }
  out.push(`${plural(report.other_repositories, 'other repository', 'other repositories')} of ${report.owner} ignored`);
  for (const w of written) out.push(`wrote ${w}`);
  return out.join('\n') + '\n';
}
