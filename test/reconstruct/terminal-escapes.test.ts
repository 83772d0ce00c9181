/** Values from a CSV export or a roster never reach the terminal as raw control characters. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../reconstruct/csv';
import { serializeRoster } from '../../roster';
import { escapeControls, quoted, quotedIfNeeded } from '../../shared/terminal-text';
import { cli } from '../helpers/cli';
import { roster } from '../../test-kit/rosters';

const ESC = '\u001b';
const CSI = '\u009b'; // the one-character form of ESC [
const BEL = '\u0007';
/** Any character a terminal (or a bidi-aware renderer) might act on. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this pattern finds
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

describe('the helpers', () => {
  test('every control and format character is shown as a \\u escape; printable text is unchanged', () => {
    expect(escapeControls(`a${ESC}[31mred${CSI}2J${BEL}\u202eevil\ttab\nline é ✓`)).toBe(
      'a\\u001b[31mred\\u009b2J\\u0007\\u202eevil\\u0009tab\\u000aline é ✓',
    );
    expect(quoted(`x${ESC}]0;title${BEL}`)).toBe('"x\\u001b]0;title\\u0007"');
    expect(quoted(`x${CSI}`)).toBe('"x\\u009b"');
    expect(quotedIfNeeded('alice-nguyen')).toBe('alice-nguyen');
    expect(quotedIfNeeded('two words')).toBe('"two words"');
    expect(quotedIfNeeded(`a${CSI}b`)).toBe('"a\\u009bb"');
  });

  test('the CSV reader names a stray character after a closing quote visibly', () => {
    expect(parseCsv(`"a"${CSI},b\n`).problems).toEqual([
      { line: 1, message: 'expected a comma or a line end after a closing quote, found "\\u009b"' },
    ]);
  });
});

describe('import-classroom prints the cells of a hostile export escaped', () => {
  function workspace(csv: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'escapes-'));
    writeFileSync(join(dir, 'roster.json'), serializeRoster(roster([], ['2026-spring'])));
    writeFileSync(join(dir, 'export.csv'), csv);
    return dir;
  }
  const args = [
    'import-classroom',
    '--csv',
    'export.csv',
    '--prefix',
    'intro',
    '--cohort',
    '2026-spring',
    '--path',
    'web',
    '--dry-run',
  ];
  const hostile = [
    'identifier,github_username,github_id,name',
    `${ESC}[2J${ESC}[Hcleared,alice${ESC}]0;pwned${BEL},1,A`,
    `${CSI}31mred,bob${CSI}1m,2,B`,
    `x\u202eevil,,3,C`,
    'ok,carol,4,Carol',
  ].join('\n');

  test('text output: the rows not mapped, with every control character visible', async () => {
    const res = await cli(args, { cwd: workspace(hostile) });
    expect(res.code).toBe(0);
    expect(res.stdout).not.toMatch(RAW);
    expect(res.stdout).toContain(
      'line 2 (github_username "alice\\u001b]0;pwned\\u0007", identifier "\\u001b[2J\\u001b[Hcleared"): github_username is not a GitHub login',
    );
    expect(res.stdout).toContain('line 3 (github_username "bob\\u009b1m", identifier "\\u009b31mred")');
    expect(res.stdout).toContain('line 4 (identifier "x\\u202eevil")');
  });

  test('--json output: still valid JSON, with the same values once parsed', async () => {
    const res = await cli([...args, '--json'], { cwd: workspace(hostile) });
    expect(res.stdout).not.toMatch(RAW);
    const parsed = JSON.parse(res.stdout) as { unmapped: { identifier?: string; github_username?: string }[] };
    expect(parsed.unmapped.map((u) => u.github_username)).toEqual([
      `alice${ESC}]0;pwned${BEL}`,
      `bob${CSI}1m`,
      undefined,
    ]);
  });

  test('fatal problems (a header without the columns) quote the header cells visibly', async () => {
    const res = await cli(args, { cwd: workspace(`identifier,${CSI}github_username\nx,y\n`) });
    expect(res.code).toBe(1);
    expect(res.stderr).not.toMatch(RAW);
    expect(res.stderr).toContain('found "identifier", "\\u009bgithub_username"');
  });
});

test('roster errors echo keys and values of the file with control characters visible', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'escapes-'));
  const r = {
    format_version: 1,
    cohorts: [{ cohort_id: 'c1' }],
    learners: [
      {
        github_handle: `eve${ESC}[8m`,
        cohort_id: `c1${CSI}`,
        path: 'web',
        provisioning: { state: 'pending' },
        [`x${ESC}]0;t${BEL}`]: 1,
      },
    ],
  };
  writeFileSync(join(dir, 'roster.json'), JSON.stringify(r));
  const res = await cli(['validate', 'roster.json'], { cwd: dir });
  expect(res.code).toBe(1);
  expect(res.stderr).not.toMatch(RAW);
  expect(res.stderr).toContain('learner 1 ("eve\\u001b[8m")');
  expect(res.stderr).toContain('unknown field "x\\u001b]0;t\\u0007"');
  expect(res.stderr).toContain('found "c1\\u009b"');
});
