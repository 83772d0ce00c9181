/**
 * The dates of a cohort's enrolment (`enrolment.opens`, `enrolment.closes`): a date alone is a UTC
 * day (enrolment opens at its start and closes at its end), a date and time carries its zone.
 * Shared by the roster's validation and the front door's rule, so both read a date the same way.
 */

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface Moment {
  /** The instant, in milliseconds since the epoch. */
  at: number;
  /** A date alone: the whole UTC day is meant. */
  dateOnly: boolean;
}

/** A date alone must be a real day: Date.parse would turn 2026-02-30 into 2 March. */
function realDay(value: string): boolean {
  const m = DATE_ONLY.exec(value);
  if (!m) return true;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * When enrolment opens (`edge` "start") or stops (`edge` "end", the instant after its last moment),
 * or undefined when the value is not a date the roster accepts.
 */
export function enrolmentMoment(value: string, edge: 'start' | 'end'): Moment | undefined {
  const dateOnly = DATE_ONLY.test(value);
  if (!realDay(value)) return undefined;
  const at = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(at)) return undefined;
  return { at: dateOnly && edge === 'end' ? at + DAY_MS : at, dateOnly };
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "1 September 2026" */
export function dayText(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "09:00 UTC" */
export function timeText(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} UTC`;
}

/**
 * For people: "on 1 September 2026 at 09:00 UTC", or for a date alone "on 1 September 2026" when it
 * opens and "at the end of 30 September 2026 (UTC)" when it closes.
 */
export function describeMoment(value: string, edge: 'start' | 'end'): string {
  const m = enrolmentMoment(value, edge);
  if (!m) return JSON.stringify(value);
  if (!m.dateOnly) return `on ${dayText(m.at)} at ${timeText(m.at)}`;
  return edge === 'start' ? `on ${dayText(m.at)} (UTC)` : `at the end of ${dayText(m.at - DAY_MS)} (UTC)`;
}
