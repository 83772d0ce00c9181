/**
 * The operator reads README.md and docs/ on GitHub: every relative link there must reach a file of
 * this repository, and every `#anchor` a heading of its target (GitHub's heading ids).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = join(__dirname, '..', '..');
const pages = [
  join(root, 'README.md'),
  join(root, 'CHANGELOG.md'),
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(root, 'docs', f)),
];

/** GitHub's heading id: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens. */
function headingId(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = headingId(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of readFileSync(file, 'utf8').matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) ids.add(m[1]);
  return ids;
}

/** Markdown links outside code: [text](target), target not a URL. */
function linksOf(file: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  let fenced = false;
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      if (fenced) return;
      const prose = line.replace(/`[^`]*`/g, '');
      for (const m of prose.matchAll(/\]\(([^)\s]+)\)/g))
        if (!/^[a-z][a-z0-9+.-]*:/i.test(m[1])) out.push({ target: m[1], line: i + 1 });
    });
  return out;
}

test('GitHub heading ids as GitHub makes them', () => {
  expect(headingId("The operator's first hour")).toBe('the-operators-first-hour');
  expect(headingId('`init` and `upgrade`: pins')).toBe('init-and-upgrade-pins');
  expect(headingId('Rehearse plan and apply with the real provider')).toBe(
    'rehearse-plan-and-apply-with-the-real-provider',
  );
});

test('every relative link in README.md, CHANGELOG.md and docs/ reaches its file and heading', () => {
  const broken: string[] = [];
  for (const page of pages)
    for (const { target, line } of linksOf(page)) {
      const [path, anchor] = target.split('#');
      const file = path === '' ? page : resolve(dirname(page), decodeURIComponent(path));
      const where = `${relative(root, page)}:${line} ${target}`;
      if (!existsSync(file)) {
        broken.push(`${where}: no such file`);
        continue;
      }
      if (anchor !== undefined && statSync(file).isFile() && file.endsWith('.md') && !anchorsOf(file).has(anchor))
        broken.push(`${where}: no heading with this id`);
    }
  expect(broken).toEqual([]);
  expect(pages.length).toBeGreaterThan(5);
});
