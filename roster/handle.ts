/** GitHub's login rules, with an explanation of the first rule a candidate breaks. */

export const HANDLE_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

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

/** Handles are compared case-insensitively, as GitHub does. */
export function sameHandle(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The identity key of a learner: (handle, cohort), handle case-folded. */
export function learnerKey(handle: string, cohortId: string): string {
  return `${handle.toLowerCase()}\u0000${cohortId}`;
}
