/**
 * GitHub logins, in one place: the rule (with an explanation of the first part a candidate breaks),
 * the case-folding and the comparisons. GitHub compares logins case-insensitively, so "Alice" and
 * "alice" are one learner, one room, one owner. Organizations follow the same rule as users, so the
 * rooms' owner is checked with it too.
 */

/** The rule without anchors, for patterns that embed a login (room names, roster.schema.json). */
export const HANDLE_PATTERN_BODY = '[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}';

/** 1-39 of A-Za-z0-9 and single inner hyphens: a learner's handle, and any user or organization login. */
export const HANDLE_PATTERN = new RegExp(`^${HANDLE_PATTERN_BODY}$`);

export function isValidHandle(handle: string): boolean {
  return HANDLE_PATTERN.test(handle);
}

/** Why a handle is not a GitHub login, or undefined when it is one. */
export function explainHandle(handle: string): string | undefined {
  if (handle.length === 0) return 'a handle must not be empty';
  if (handle.length > 39) return `a handle has at most 39 characters (this one has ${handle.length})`;
  const bad = [...handle].find((c) => !/[A-Za-z0-9-]/.test(c));
  if (bad !== undefined) return `a handle holds only ASCII letters, digits and hyphens (found ${JSON.stringify(bad)})`;
  if (handle.startsWith('-')) return 'a handle must not start with a hyphen';
  if (handle.endsWith('-')) return 'a handle must not end with a hyphen';
  if (handle.includes('--')) return 'a handle must not contain two hyphens in a row';
  return undefined;
}

/** A handle in the one case GitHub does not tell apart: the key of maps, sets and addresses. */
export function foldHandle(handle: string): string {
  return handle.toLowerCase();
}

/** Handles are compared case-insensitively, as GitHub does. */
export function sameHandle(a: string, b: string): boolean {
  return foldHandle(a) === foldHandle(b);
}

/** Orders handles case-insensitively (by code unit: stable across locales). */
export function compareHandles(a: string, b: string): number {
  const x = foldHandle(a);
  const y = foldHandle(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The identity key of a learner: (handle, cohort), handle case-folded. */
export function learnerKey(handle: string, cohortId: string): string {
  return `${foldHandle(handle)}\u0000${cohortId}`;
}
