/**
 * Keeps the progress report still when nothing but the clock moved, so that the workflow that
 * commits it every 30 minutes commits only real changes. A report whose every field other than
 * its time (and the "days" the time implies) equals the previous one keeps the previous time, and
 * so its bytes. Once a day it moves anyway: idle days and "stuck" days are counted up to the
 * report's time, and a time older than a day would make them wrong.
 */
import { buildReport, ProgressReport, serializeReport } from './report';

const utcDay = (iso: string): string => new Date(Date.parse(iso)).toISOString().slice(0, 10);

export function steadyReport(
  next: ProgressReport,
  previous: ProgressReport | undefined,
  stuckLimit?: number,
): ProgressReport {
  if (
    !previous ||
    Number.isNaN(Date.parse(previous.generated_at)) ||
    utcDay(previous.generated_at) !== utcDay(next.generated_at)
  )
    return next;
  const asBefore = buildReport(next.owner, next.learners, previous.generated_at, stuckLimit);
  return serializeReport(asBefore) === serializeReport(previous) ? asBefore : next;
}
