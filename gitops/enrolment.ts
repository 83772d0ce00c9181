/**
 * A cohort's enrolment rule (roster `cohorts[].enrolment`), judged for one registration from the
 * public front door: is enrolment open now, may this account register, is the enrolment code right.
 * Pure: the roster's cohort, the registrant, the code typed and the time in; the verdict out.
 *
 * The code is stored as a salted hash (the cohort id is the salt, so one code gives different
 * hashes in two cohorts). A hash hides the code from whoever reads the roster, not from someone
 * who tries codes against it: a short code is found in seconds. The allow-list is the strong rule.
 */
import { createHash } from 'node:crypto';
import { describeMoment, enrolmentMoment } from '../roster/enrolment';
import { sameHandle } from '../roster/handle';
import type { Cohort, Enrolment, Roster } from '../roster/types';

/** Case, spaces and look-alike forms (full-width letters) do not matter to a person copying a code. */
export function normaliseEnrolmentCode(code: string): string {
  return code.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** The roster's `code_sha256` for a code in a cohort. */
export function enrolmentCodeHash(cohortId: string, code: string): string {
  return createHash('sha256')
    .update(`learning-rooms enrolment code\0${cohortId}\0${normaliseEnrolmentCode(code)}`)
    .digest('hex');
}

export type EnrolmentWindow =
  { open: true } | { open: false; why: 'not-yet'; when: string } | { open: false; why: 'closed'; when: string };

/** Whether enrolment is open at `now` (ms), and if not, since or until when, in words. */
export function enrolmentWindow(rule: Enrolment, now: number): EnrolmentWindow {
  const opens = rule.opens === undefined ? undefined : enrolmentMoment(rule.opens, 'start');
  const closes = rule.closes === undefined ? undefined : enrolmentMoment(rule.closes, 'end');
  if (opens && now < opens.at)
    return { open: false, why: 'not-yet', when: describeMoment(rule.opens as string, 'start') };
  if (closes && now >= closes.at)
    return { open: false, why: 'closed', when: describeMoment(rule.closes as string, 'end') };
  return { open: true };
}

/** The cohorts that take registrations at `now`, in roster order. */
export function openCohorts(roster: Roster, now: number): Cohort[] {
  return roster.cohorts.filter((c) => c.enrolment !== undefined && enrolmentWindow(c.enrolment, now).open);
}

/** Why the rule turns a registration away; the window is judged by the caller (it may be judged at another time). */
export type RuleRefusal = { why: 'not-allowed' } | { why: 'code-missing' } | { why: 'code-wrong' };

/**
 * The allow-list and the code, both when both are set. `code` is what the registrant typed (never
 * shown back: a message says only that it is missing or wrong).
 */
export function judgeEnrolmentRule(
  cohortId: string,
  rule: Enrolment,
  handle: string,
  code: string | undefined,
): RuleRefusal[] {
  const out: RuleRefusal[] = [];
  if (rule.allowed_handles !== undefined && !rule.allowed_handles.some((h) => sameHandle(h, handle)))
    out.push({ why: 'not-allowed' });
  if (rule.code_sha256 !== undefined) {
    if (code === undefined || normaliseEnrolmentCode(code) === '') out.push({ why: 'code-missing' });
    else if (enrolmentCodeHash(cohortId, code) !== rule.code_sha256) out.push({ why: 'code-wrong' });
  }
  return out;
}
