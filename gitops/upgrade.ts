/**
 * `learning-rooms upgrade`: move an admin repository's pins to a newer release and say what
 * changed. Pure: the admin repository's caller files and manifest, the new release's rendered
 * templates and changelog come in; the files to write and the report go out.
 */
import {
  CALLER_DIR,
  CALLER_WORKFLOWS,
  MANIFEST_FILE,
  readPinSites,
  rewritePins,
  serializeManifest,
  type AdminManifest,
  type ToolPin,
} from './admin-repository';

/** Lines added and removed from `before` to `after` (a longest-common-subsequence line diff). */
export function lineDiff(before: string, after: string): { added: number; removed: number } {
  const a = before.split('\n');
  const b = after.split('\n');
  // Callers are about a hundred lines: the quadratic table is small.
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const common = lcs[0][0];
  return { added: b.length - common, removed: a.length - common };
}

/** -1, 0, 1 for two versions `x.y.z` (a pre-release sorts before its release). */
export function compareVersions(x: string, y: string): number {
  const parse = (v: string) => {
    const [core, pre] = v.split('-', 2);
    return { parts: core.split('.').map(Number), pre };
  };
  const a = parse(x);
  const b = parse(y);
  for (let i = 0; i < 3; i++) {
    const d = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (a.pre === b.pre) return 0;
  if (a.pre === undefined) return 1;
  if (b.pre === undefined) return -1;
  return a.pre < b.pre ? -1 : 1;
}

/**
 * The sections of a changelog (`## <version> …` headings, newest first) after `from` up to and
 * including `to`, each with its heading.
 */
export function changelogBetween(text: string, from: string, to: string): string[] {
  const sections: { version: string; text: string[] }[] = [];
  for (const line of text.split('\n')) {
    const m = /^## \[?v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\]?/.exec(line);
    if (m) sections.push({ version: m[1], text: [line] });
    else if (/^## /.test(line)) sections.push({ version: '', text: [line] });
    else sections.at(-1)?.text.push(line);
  }
  return sections
    .filter((s) => s.version !== '' && compareVersions(s.version, from) > 0 && compareVersions(s.version, to) <= 0)
    .map((s) => s.text.join('\n').trimEnd());
}

export interface UpgradeInput {
  /** The admin repository's workflow files: path (`.github/workflows/x.yml`) -> text. */
  callers: ReadonlyMap<string, string>;
  manifest: AdminManifest;
  to: ToolPin;
  /** The new release's caller templates rendered with `to`: path -> text. */
  templates: ReadonlyMap<string, string>;
  /** Replace the caller files by the new release's templates instead of moving the pins only. */
  replaceTemplates: boolean;
  /** An admin repository (default) or a public front door, whose one caller calls front-door.yml. */
  kind?: 'admin' | 'front-door';
}

export interface UpgradePlan {
  /** Path -> new text; empty when there are problems. */
  writes: Map<string, string>;
  /** What stops the upgrade, each naming the file (and line). */
  problems: string[];
  /** One line per caller: how the admin repository's file (after the upgrade) differs from the release's template. */
  templateDiff: string[];
}

export function planUpgrade(input: UpgradeInput): UpgradePlan {
  const writes = new Map<string, string>();
  const problems: string[] = [];
  for (const [path, text] of input.callers) {
    if (readPinSites(path, text).length === 0) continue; // an operator's own workflow: not ours
    const r = rewritePins(path, text, input.manifest, input.to);
    if ('problems' in r) {
      problems.push(
        ...r.problems.map(
          (p) =>
            `${p}: cannot move this pin safely; restore the line as learning-rooms init wrote it, or rerun with --templates`,
        ),
      );
    } else if (r.text !== text) writes.set(path, r.text);
  }
  if (input.replaceTemplates) {
    // The new templates replace ours outright, so a hand-edited pin is no obstacle.
    problems.length = 0;
    writes.clear();
    for (const [path, text] of input.templates) if (input.callers.get(path) !== text) writes.set(path, text);
  }
  const templateDiff: string[] = [];
  // The callers every admin repository has, and those a release offers beside them (the Enrol
  // workflow of a front door; a front door's own caller) when this repository has them.
  const names = new Set<string>([
    ...(input.kind === 'front-door' ? [] : CALLER_WORKFLOWS.map((n) => `${CALLER_DIR}/${n}`)),
    ...input.templates.keys(),
  ]);
  for (const path of names) {
    const ours = writes.get(path) ?? input.callers.get(path);
    const theirs = input.templates.get(path);
    if (theirs === undefined) templateDiff.push(`${path}: not in this release`);
    else if (ours === undefined)
      templateDiff.push(
        `${path}: new in this release (${theirs.split('\n').length} lines); rerun with --templates to add it`,
      );
    else if (ours === theirs) templateDiff.push(`${path}: same as the release's template`);
    else {
      const d = lineDiff(ours, theirs);
      templateDiff.push(
        `${path}: +${d.added} -${d.removed} lines against the release's template; rerun with --templates to take it`,
      );
    }
  }
  if (problems.length > 0) return { writes: new Map(), problems, templateDiff };
  const manifest = serializeManifest(input.to);
  if (manifest !== serializeManifest(input.manifest)) writes.set(MANIFEST_FILE, manifest);
  return { writes, problems, templateDiff };
}
