/**
 * The starter-code lines in the plan comment (optional, from `propose-update --count --out`) and
 * the Propose update run's summary: made, skipped, failed, left.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderPlanComment } from '../../gitops/plan-comment';
import { starterCodeSection, starterCodeSummary } from '../../gitops/starter-code-summary';
import type { ProposeResult } from '../../updates/run';
import type { StarterCodeStatus } from '../../updates/status';
import { cli } from '../helpers/cli';

const FROM = '0123abcdef0123abcdef0123abcdef0123abcdef';
const TO = '4567fedcba4567fedcba4567fedcba4567fedcba';
const CHANGED: StarterCodeStatus = {
  cohort_id: '2026-spring',
  template: 'acme/tmpl',
  state: 'changed',
  from: FROM,
  to: TO,
  files: 3,
  refused: 0,
  rooms: 38,
};
const UNCHANGED: StarterCodeStatus = { ...CHANGED, cohort_id: 'quiet', state: 'unchanged', to: FROM, files: 0 };
const LINE =
  '- Starter code: 3 files changed in `acme/tmpl` (cohort 2026-spring) since `0123abc`; `propose-update` would open a pull request in 38 rooms (a room that already has it is skipped).';

describe('the plan comment’s starter-code section', () => {
  test('lists the templates that moved or cannot be read, not the quiet or unrecorded ones', () => {
    const unreadable: StarterCodeStatus = { ...CHANGED, cohort_id: 'x', state: 'unreadable', detail: 'gone' };
    const unrecorded: StarterCodeStatus = { ...UNCHANGED, state: 'unrecorded', from: undefined, to: undefined };
    expect(starterCodeSection([CHANGED, UNCHANGED, unrecorded, unreadable])).toEqual([
      '### Starter code',
      '',
      LINE,
      '- Starter code of `acme/tmpl` (cohort x): could not be read (gone).',
      '',
    ]);
    expect(starterCodeSection([UNCHANGED, unrecorded])).toEqual([]);
  });

  test('is in the comment when given, absent otherwise; plan-comment --starter-code reads the file', async () => {
    expect(renderPlanComment({ stacks: [], starterCode: [CHANGED] })).toContain(`### Starter code\n\n${LINE}\n`);
    expect(renderPlanComment({ stacks: [] })).not.toContain('Starter code');
    const dir = mkdtempSync(join(tmpdir(), 'lr-starter-'));
    writeFileSync(join(dir, 'sc.json'), JSON.stringify({ format_version: 1, units: [CHANGED, UNCHANGED] }));
    const res = await cli(['plan-comment', '--starter-code', 'sc.json'], { cwd: dir });
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(res.stdout).toContain(LINE);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ units: [{ cohort_id: 'x' }] }));
    const bad = await cli(['plan-comment', '--starter-code', 'bad.json'], { cwd: dir });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('bad.json: not a starter-code document');
  });
});

describe('the run summary', () => {
  const result: ProposeResult = {
    units: [{ unit: '2026-spring', cohort_id: '2026-spring', status: CHANGED, complete: false }],
    rooms: [
      {
        unit: '2026-spring',
        repository: 'r-alice',
        learners: ['alice'],
        outcome: 'opened',
        pull_request: { number: 4, url: 'u' },
        files: [{ path: 'a', change: 'update' }],
      },
      { unit: '2026-spring', repository: 'r-bob', learners: ['bob'], outcome: 'already-open' },
      { unit: '2026-spring', repository: 'r-carol', learners: ['carol'], outcome: 'archived' },
      { unit: '2026-spring', repository: 'r-dave', learners: ['dave'], outcome: 'failed', detail: 'Server Error' },
      { unit: '2026-spring', repository: 'r-erin', learners: ['erin'], outcome: 'left' },
    ],
    stopped: "this run's share of GitHub's content-creation limit is spent (370 of 375 writes)",
    requests: 40,
    writes: 5,
  };

  test('counts made, skipped, failed and left, says why it stopped, and lists each room but the left ones', () => {
    expect(starterCodeSummary(result).split('\n')).toEqual([
      '## Starter-code updates',
      '',
      LINE,
      '',
      '| made | skipped | failed | left for the next run |',
      '|---|---|---|---|',
      '| 1 | 2 | 1 | 1 |',
      '',
      "Stopped before the end: this run's share of GitHub's content-creation limit is spent (370 of 375 writes). The next run continues where this one stopped.",
      '',
      '| room | unit | outcome | detail |',
      '|---|---|---|---|',
      '| `r-alice` | `2026-spring` | pull request opened #4 | 1 file |',
      '| `r-bob` | `2026-spring` | already has it (open) |  |',
      '| `r-carol` | `2026-spring` | archived: skipped |  |',
      '| `r-dave` | `2026-spring` | **failed** | `Server Error` |',
      '',
      '<sub>40 requests, 5 writes.</sub>',
      '',
    ]);
  });

  test('a dry run says so and counts what would be made', () => {
    const dry: ProposeResult = {
      ...result,
      stopped: undefined,
      rooms: [{ ...result.rooms[0], outcome: 'would-open' }],
    };
    const md = starterCodeSummary(dry, { dryRun: true });
    expect(md).toContain('## Starter-code updates (dry run: nothing written)');
    expect(md).toContain(
      '| would be made | skipped | failed | left for the next run |\n|---|---|---|---|\n| 1 | 0 | 0 | 0 |',
    );
    expect(md).toContain('| `r-alice` | `2026-spring` | would open a pull request #4 | 1 file |');
  });
});
