/**
 * GitHub's closing keywords in a pull request's title or body: "Closes #3", "fixes owner/repo#3",
 * "Resolved: https://github.com/owner/repo/issues/3". Each reference needs its own keyword, as on
 * GitHub ("Closes #1, #2" closes #1 only).
 */

export interface IssueReference {
  /** "owner/name" when the text names a repository; undefined for a bare "#N" (the same repository). */
  repository?: string;
  number: number;
}

const KEYWORD = '(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)';
const NAME = '[A-Za-z0-9_.-]+';
const SHORT = `(?:(${NAME})\\/(${NAME}))?#(\\d+)`;
const URL = `https?:\\/\\/[^\\s/]+\\/(${NAME})\\/(${NAME})\\/issues\\/(\\d+)`;
// The keyword must stand alone ("prefixes #3" is not "fixes #3"); a colon may follow it.
const PATTERN = `(?<![A-Za-z0-9_])${KEYWORD}(?::\\s*|\\s+)(?:${SHORT}|${URL})(?![A-Za-z0-9_])`;

/** Every issue a text claims to close, in order of appearance, duplicates removed. */
export function closingReferences(text: string | null | undefined): IssueReference[] {
  if (!text) return [];
  const found: IssueReference[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(new RegExp(PATTERN, 'gi'))) {
    const owner = m[1] ?? m[4];
    const name = m[2] ?? m[5];
    const number = Number(m[3] ?? m[6]);
    const ref: IssueReference = owner && name ? { repository: `${owner}/${name}`, number } : { number };
    const key = `${ref.repository?.toLowerCase() ?? ''}#${number}`;
    if (!seen.has(key)) {
      seen.add(key);
      found.push(ref);
    }
  }
  return found;
}

/** True when `ref` names an issue of `repository` ("owner/name"): a bare "#N", or the same name in any case. */
export function isSameRepository(ref: IssueReference, repository: string): boolean {
  return ref.repository === undefined || ref.repository.toLowerCase() === repository.toLowerCase();
}
