/**
 * Markdown building blocks for comments and issue bodies that GitHub renders, and the fitting of
 * a document under GitHub's body limit. Every value that came from outside (handles, cohort ids,
 * roster messages, Terraform reasons) goes through `code` or `text`, so that it can neither break
 * a table, open HTML, nor mention (@) or link anyone.
 */

/** GitHub rejects issue and comment bodies longer than this many characters. */
export const GITHUB_BODY_LIMIT = 65_536;

/** Inline code that is safe inside a table cell. */
export function code(value: string, max = 120): string {
  let v = value.replace(/[`\r\n]/g, ' ');
  if (v.length > max) v = v.slice(0, max - 1) + '…';
  return '`' + v.replace(/\|/g, '\\|') + '`';
}

/**
 * What GitHub's autolinker makes a link of on its own: a scheme and `//` (https://, ftp://...),
 * `www.` or mailto:/xmpp:, up to the next space or quote.
 */
const URL_LIKE = /(?:\b[a-z][a-z0-9+.-]*:\/\/|\bwww\.|\b(?:mailto|xmpp):)[^\s"'<>`]*/gi;

/**
 * Plain text with Markdown and HTML specials neutralised (for prose and table cells). A URL in it
 * (a roster value such as `https://evil.example/x`) goes into a code span: GitHub links bare URLs
 * by itself, but never inside code.
 */
export function text(value: string, max = 500): string {
  let v = value.replace(/\r?\n/g, ' ');
  if (v.length > max) v = v.slice(0, max - 1) + '…';
  let out = '';
  let last = 0;
  for (const m of v.matchAll(URL_LIKE)) {
    out += escapeProse(v.slice(last, m.index)) + code(m[0], m[0].length);
    last = (m.index ?? 0) + m[0].length;
  }
  return out + escapeProse(v.slice(last));
}

function escapeProse(v: string): string {
  return v
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => '\\' + c)
    .replace(/@/g, '@\u200b'); // a zero-width space after @ keeps "@someone" from notifying them
}

export function table(headers: string[], rows: string[][]): string[] {
  return [
    `| ${headers.join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

/** A fenced block whose fence is longer than any backtick run inside it. */
export function fenced(body: string, lang = ''): string {
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${body}\n${fence}`;
}

/** Part of a document that `fit` may shorten. */
export type Part =
  | string
  /** Kept whole when everything fits, otherwise replaced by `dropped`. */
  | { optional: string; dropped: string }
  /**
   * Rows kept in order while they fit (at most `max` when shortening), then `more(n)` saying
   * what was left out, then `tail` (e.g. a table's total row), which is always kept.
   */
  | { head: string[]; rows: string[]; more: (hidden: number) => string; tail?: string[]; max?: number };

function partFull(p: Part): string[] {
  if (typeof p === 'string') return [p];
  if ('optional' in p) return [p.optional];
  return [...p.head, ...p.rows, ...(p.tail ?? [])];
}

const joinedLength = (ls: string[]) => ls.reduce((n, l) => n + l.length + 1, 0);

/**
 * Joins the parts with newlines; when the result would exceed `limit`, drops the optional parts
 * and then keeps as many rows of each row part (in document order, each up to its `max`) as fit.
 * Callers bound their fixed strings; should those alone still exceed the limit, the text is cut at
 * the last whole line that fits and `cutNote` (where the full report is) ends it.
 */
export function fit(
  parts: Part[],
  limit = GITHUB_BODY_LIMIT,
  cutNote = '… (cut: the rest is too long for GitHub)',
): string {
  const full = parts.flatMap(partFull).join('\n');
  if (full.length <= limit) return full;
  // Room left for rows once every fixed text, dropped note, "n more" line and tail is counted.
  const fixed = parts.map((p): string[] => {
    if (typeof p === 'string') return [p];
    if ('optional' in p) return [p.dropped];
    return [...p.head, p.more(p.rows.length), ...(p.tail ?? [])];
  });
  let budget = limit - joinedLength(fixed.flat());
  const out: string[] = [];
  parts.forEach((p, i) => {
    if (typeof p === 'string' || 'optional' in p) {
      out.push(...fixed[i]);
      return;
    }
    out.push(...p.head);
    const most = Math.min(p.rows.length, p.max ?? Infinity);
    let kept = 0;
    while (kept < most) {
      const cost = p.rows[kept].length + 1;
      // Reserve for the longest possible "more" line beyond the one already counted.
      if (cost > budget - 40) break;
      budget -= cost;
      kept++;
    }
    for (let k = 0; k < kept; k++) out.push(p.rows[k]);
    if (kept < p.rows.length) out.push(p.more(p.rows.length - kept));
    out.push(...(p.tail ?? []));
  });
  return cut(out.join('\n'), limit, cutNote);
}

/** The text up to the last line break that leaves room for `note`, then the note. */
function cut(text: string, limit: number, note: string): string {
  if (text.length <= limit) return text;
  const room = Math.max(0, limit - note.length - 2);
  const end = text.lastIndexOf('\n', room);
  return `${text.slice(0, end > 0 ? end : room)}\n\n${note}`.slice(0, limit);
}
