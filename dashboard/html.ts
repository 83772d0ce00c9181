/**
 * HTML text from values that came from outside (names, handles, failure details, Terraform's
 * reasons): every value goes through `esc` (or `attr`), so none can open a tag, close an
 * attribute or carry a control character into the page.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text content or a double-quoted attribute value. C0/C1 controls (not allowed in HTML) become U+FFFD. */
export function esc(value: string): string {
  return (
    value
      .replace(/[&<>"']/g, (c) => ENTITIES[c])
      // eslint-disable-next-line no-control-regex -- control characters are exactly what this pattern finds
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '\uFFFD')
  );
}

/**
 * Text that may be written right to left (a name): isolated with <bdi> so it cannot reorder the
 * text around it (a bidi override in a name stays inside its cell).
 */
export function bdi(value: string): string {
  return `<bdi>${esc(value)}</bdi>`;
}

/** A link; `href` is built by the caller from checked parts (a handle, a repository name). */
export function link(href: string, text: string): string {
  return `<a href="${esc(href)}">${esc(text)}</a>`;
}

/** The UTC date of an ISO time, inside <time> with the full time as its machine-readable value. */
export function timeTag(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return esc(iso);
  return `<time datetime="${esc(iso)}">${new Date(t).toISOString().slice(0, 10)}</time>`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
