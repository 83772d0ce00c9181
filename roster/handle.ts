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

/** Where a reader finds a login: said after a rule the tool cannot fix for them. */
const LOOK_IT_UP = "copy it from the learner's GitHub profile";

/**
 * Longer values are not read for typing mistakes: no login or pasted login is this long, and the
 * patterns below (trimming, an email's dots) could take quadratic time on a hostile value.
 */
const READ_AT_MOST = 256;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An email address, roughly: enough to tell someone pasted one where something else belongs. */
export function looksLikeEmail(value: string): boolean {
  return value.length <= READ_AT_MOST && EMAIL.test(value.trim());
}

/** An address within other text: "Alice <alice@example.org>", "mailto:alice@example.org". */
const EMAIL_INSIDE = /[^\s@<]@[^\s@>]+\.[^\s@>]/;
const GITHUB_LINK = /^(?:https?:\/\/)?(?:www\.)?github\.com(?:\/(.*))?$/i;
/** Words of letters with single spaces between: "Alice Nguyen", "José da Silva". */
const PERSON_NAME = /^\p{L}[\p{L}\p{M}'.-]*,?(?: \p{L}[\p{L}\p{M}'.-]*)+$/u;
const ANY_LINK = /^(?:[a-z]+:\/\/|www\.)/i;

/** "a", "a and b", "a, b and c" */
function listing(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * What pasting from a list, a chat or an email adds around a login, each with how to name it
 * once removed; listed in the order a message names them.
 */
const WRAPPINGS: { pattern: RegExp; what: (removed: string) => string }[] = [
  { pattern: /^@+/, what: () => 'the @' },
  { pattern: /^["'`\u2018\u201c]+|["'`\u2019\u201d]+$/g, what: () => 'the quotes' },
  { pattern: /^[-*\u2022]\s+/, what: () => 'the list bullet' },
  { pattern: /^\s+|\s+$/g, what: (s) => (s.length === 1 ? 'the space' : 'the spaces') },
  { pattern: /[,;.:]+$/, what: (s) => `the ${JSON.stringify(s)} at the end` },
];

/** The value without what was pasted around it, and what was removed (empty when nothing was). */
function unwrap(raw: string): { value: string; dropped: string[] } {
  const removed = WRAPPINGS.map(() => '');
  let value = raw;
  // Peel until nothing changes: " @alice," needs the spaces gone before the @ shows.
  for (let changed = true; changed;) {
    changed = false;
    WRAPPINGS.forEach(({ pattern }, i) => {
      const next = value.replace(pattern, (m) => {
        removed[i] += m;
        return '';
      });
      changed ||= next !== value;
      value = next;
    });
  }
  const dropped = WRAPPINGS.flatMap(({ what }, i) => (removed[i] === '' ? [] : [what(removed[i])]));
  return { value, dropped };
}

/** A pasted link (to a profile, a repository, anything): what to write instead, or undefined. */
function explainLink(value: string): string | undefined {
  const m = GITHUB_LINK.exec(value);
  if (!m)
    return ANY_LINK.test(value)
      ? `this is a link, not a GitHub user name: write the user name only (${LOOK_IT_UP})`
      : undefined;
  const parts = (m[1] ?? '')
    .split(/[?#]/)[0]
    .split('/')
    .filter((p) => p !== '');
  const login = parts[0];
  if (login === undefined || !isValidHandle(login))
    return `this is a link to GitHub, not a user name: write the user name only (${LOOK_IT_UP})`;
  if (parts.length === 1) return `this is a link to a GitHub profile: write only the user name, "${login}"`;
  return `this is a link to a repository or page on GitHub, not a user name: if it is the learner's own, write "${login}"`;
}

/** Several logins in one value, as pasted from a list ("alice, bob"), or undefined. */
function severalHandles(value: string): string[] | undefined {
  if (!/[,;\n]/.test(value)) return undefined;
  const parts = value
    .split(/[,;\n]/)
    .map((p) => unwrap(p).value)
    .filter((p) => p !== '');
  // "Nguyen, Alice" is a name as a school's export writes it, not two logins.
  if (parts.length === 2 && parts.every((p) => /^\p{Lu}\p{Ll}+$/u.test(p))) return undefined;
  return parts.length > 1 && parts.every(isValidHandle) ? parts : undefined;
}

/** The rule of logins a value breaks, for a value nothing was pasted around. */
function brokenRule(value: string): string {
  if (value === '') return 'a GitHub user name must not be empty: write the name the learner signs in to GitHub with';
  if (value.length > 39)
    return `a GitHub user name has at most 39 characters (this one has ${value.length}): ${LOOK_IT_UP}`;
  if (value.includes('_')) return `a GitHub user name has no underscore "_" (hyphens "-" are allowed): ${LOOK_IT_UP}`;
  const bad = [...value].find((c) => !/[A-Za-z0-9-]/.test(c));
  if (bad !== undefined)
    return `a GitHub user name holds only letters a-z, digits and hyphens (found ${JSON.stringify(bad)}): ${LOOK_IT_UP}`;
  if (value.startsWith('-')) return `a GitHub user name must not start with a hyphen: ${LOOK_IT_UP}`;
  if (value.endsWith('-')) return `a GitHub user name must not end with a hyphen: ${LOOK_IT_UP}`;
  return `a GitHub user name must not contain two hyphens in a row: ${LOOK_IT_UP}`;
}

/**
 * The login a value most likely means when it only has something pasted around it ("@alice",
 * " alice,", a profile link), or undefined when it is a login already or cannot be told.
 */
export function suggestHandle(raw: string): string | undefined {
  if (raw.length > READ_AT_MOST) return undefined;
  const { value } = unwrap(raw);
  const link = GITHUB_LINK.exec(value)?.[1]
    ?.split(/[?#]/)[0]
    .split('/')
    .filter((p) => p !== '');
  const candidate = link?.length === 1 ? link[0] : value;
  return candidate !== raw && isValidHandle(candidate) ? candidate : undefined;
}

/**
 * Why a value is not a GitHub login, saying what to write instead when that can be told (the
 * mistakes people make: "@alice", an email address, a profile link, a person's name, a pasted
 * list); undefined when it is a login.
 */
export function explainHandle(raw: string): string | undefined {
  if (isValidHandle(raw)) return undefined;
  if (raw.length > READ_AT_MOST) return brokenRule(raw);
  const { value, dropped } = unwrap(raw);
  if (value === '') return brokenRule('');
  const link = explainLink(value);
  if (link) return link;
  if (looksLikeEmail(value) || EMAIL_INSIDE.test(value))
    return 'this is an email address, not a GitHub user name: ask the learner for the name they sign in to GitHub with (it shows at the top right of github.com)';
  const several = severalHandles(value);
  if (several)
    return `this holds ${several.length} user names (${several.join(', ')}): give each learner an entry of their own`;
  if (isValidHandle(value)) return `drop ${listing(dropped)}: write "${value}"`;
  if (PERSON_NAME.test(value))
    return "this looks like a person's name, not a GitHub user name (user names have no spaces): write the name the learner signs in to GitHub with";
  const rule = brokenRule(value);
  return dropped.length > 0 ? `${rule}; also drop ${listing(dropped)}` : rule;
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
