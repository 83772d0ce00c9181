/** The gradebook export: CSV a spreadsheet opens safely and Canvas or Moodle can import, and JSON. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvCell, csvDocument, neutralise } from '../../export/csv';
import { gradebookCsv, gradebookRows } from '../../export/gradebook';
import { buildReport, serializeReport } from '../../progress/report';
import { parseCsv } from '../../reconstruct/csv';
import { serializeRoster } from '../../roster';
import type { Roster } from '../../roster/types';
import { cli } from '../helpers/cli';

const roster: Roster = {
  format_version: 1,
  cohorts: [{ cohort_id: 'c1' }, { cohort_id: 'c2' }],
  learners: [
    {
      github_handle: 'ann',
      cohort_id: 'c1',
      path: 'web',
      name: '=HYPERLINK("http://evil.example","x")',
      email: 'ann@school.example',
      student_id: 'S1',
      provisioning: { state: 'provisioned' },
    },
    {
      github_handle: 'bo',
      cohort_id: 'c1',
      path: 'web',
      name: 'Bo, "the" Builder\nJr',
      provisioning: { state: 'provisioned' },
    },
    {
      github_handle: 'cy',
      cohort_id: 'c1',
      path: 'data',
      name: 'Zoë Ø',
      email: 'cy@school.example',
      provisioning: { state: 'archived' },
    },
    {
      github_handle: 'di',
      cohort_id: 'c2',
      path: 'web',
      email: 'di@school.example',
      provisioning: { state: 'pending' },
      progress: { status: 'unknown' },
    },
  ],
};
const report = buildReport(
  'acme',
  [
    {
      github_handle: 'ann',
      cohort_id: 'c1',
      repository: 'acme/c1-ann',
      status: 'complete',
      since: '2026-05-02T00:00:00Z',
      updated_at: '2026-05-02T00:00:00Z',
      challenges_closed: 4,
      challenges_total: 4,
      last_activity: '2026-05-03T10:00:00Z',
      completed_at: '2026-05-01T09:00:00Z',
      evidence: [],
      ignored: [],
    },
    {
      github_handle: 'bo',
      cohort_id: 'c1',
      repository: 'acme/c1-bo',
      status: 'in-progress',
      since: '2026-05-02T00:00:00Z',
      updated_at: '2026-05-02T00:00:00Z',
      challenges_closed: 1,
      challenges_total: 4,
      completed_at: '2026-05-01T09:00:00Z',
      evidence: [],
      ignored: [],
    },
  ],
  '2026-05-04T09:00:00Z',
);

describe('CSV cells', () => {
  it('neutralises every formula start a spreadsheet acts on: = + - @ tab and carriage return', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(neutralise(`${start}1+1`)).toBe(`'${start}1+1`);
    expect(neutralise('a=1')).toBe('a=1');
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell(-2)).toBe('-2'); // numbers we write ourselves are numbers
  });

  it('quotes as RFC 4180 says: comma, quote and line break; quotes doubled; CRLF after every record; a BOM first', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(undefined)).toBe('');
    expect(csvDocument(['x', 'y'], [['1', 2]])).toBe('\uFEFFx,y\r\n1,2\r\n');
  });
});

describe('gradebook layouts', () => {
  const rows = gradebookRows(roster, report);

  it('one list per cohort in roster order; withdrawn learners left out; statuses from the report, else the roster', () => {
    expect([...rows.keys()]).toEqual(['c1', 'c2']);
    expect(rows.get('c1')!.map((r) => r.github_handle)).toEqual(['ann', 'bo']);
    expect(rows.get('c2')![0]).toMatchObject({
      github_handle: 'di',
      status: 'unknown',
      challenges_closed: 0,
      challenges_total: 0,
    });
    // completion time only for a learner who is complete
    expect(rows.get('c1')![1].completed_at).toBeUndefined();
  });

  it('plain: every field; parses back cell for cell, with the dangerous name neutralised', () => {
    const csv = gradebookCsv(rows.get('c1')!, 'plain');
    const parsed = parseCsv(csv);
    expect(parsed.problems).toEqual([]);
    expect(parsed.records.map((r) => r.fields)).toEqual([
      [
        'student_id',
        'email',
        'name',
        'github_handle',
        'cohort',
        'path',
        'status',
        'challenges_closed',
        'challenges_total',
        'k_of_n',
        'completed_at',
        'last_activity',
      ],
      [
        'S1',
        'ann@school.example',
        `'=HYPERLINK("http://evil.example","x")`,
        'ann',
        'c1',
        'web',
        'complete',
        '4',
        '4',
        '4 of 4',
        '2026-05-01T09:00:00Z',
        '2026-05-03T10:00:00Z',
      ],
      ['', '', 'Bo, "the" Builder\nJr', 'bo', 'c1', 'web', 'in-progress', '1', '4', '1 of 4', '', ''],
    ]);
  });

  it('canvas: Student, ID, SIS User ID, SIS Login ID, Section, then the assignment column with the challenges done', () => {
    const fields = parseCsv(gradebookCsv(rows.get('c1')!, 'canvas')).records.map((r) => r.fields);
    expect(fields[0]).toEqual(['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'Learning room challenges']);
    expect(fields[1]).toEqual([`'=HYPERLINK("http://evil.example","x")`, '', 'S1', 'ann@school.example', 'c1', '4']);
    expect(fields[2]).toEqual(['Bo, "the" Builder\nJr', '', '', '', 'c1', '1']);
  });

  it('moodle: ID number and Email address to match the user on, a grade column and a status column for feedback', () => {
    const fields = parseCsv(gradebookCsv(rows.get('c1')!, 'moodle')).records.map((r) => r.fields);
    expect(fields[0]).toEqual([
      'ID number',
      'Email address',
      'Full name',
      'GitHub handle',
      'Learning room challenges',
      'Learning room status',
      'Completed at',
      'Last activity',
    ]);
    expect(fields[1]).toEqual([
      'S1',
      'ann@school.example',
      `'=HYPERLINK("http://evil.example","x")`,
      'ann',
      '4',
      'complete (4 of 4)',
      '2026-05-01T09:00:00Z',
      '2026-05-03T10:00:00Z',
    ]);
  });
});

describe('learning-rooms export', () => {
  function admin(): string {
    const dir = mkdtempSync(join(tmpdir(), 'export-'));
    writeFileSync(join(dir, 'roster.json'), serializeRoster(roster));
    writeFileSync(join(dir, 'progress.json'), serializeReport(report));
    return dir;
  }

  it('writes exports/<cohort>.csv per cohort (plain by default) and warns of learners a gradebook cannot match', async () => {
    const dir = admin();
    const r = await cli(['export', 'roster.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'exports')).sort()).toEqual(['c1.csv', 'c2.csv']);
    expect(
      readFileSync(join(dir, 'exports/c1.csv'), 'utf8').startsWith('\uFEFFstudent_id,email,name,github_handle'),
    ).toBe(true);
    const canvas = await cli(['export', 'roster.json', '--format', 'canvas', '--cohort', 'c1', '--out-dir', 'canvas'], {
      cwd: dir,
    });
    expect(canvas.stdout).toMatch(/wrote .*canvas\/c1\.csv \(2 learners\)\n$/);
    expect(canvas.stderr).toBe(
      'warning: c1: 1 learner(s) have neither student_id nor email, so the gradebook cannot match them: bo\n',
    );
  });

  it('writes JSON with the report time; refuses an unknown format or cohort, naming what exists', async () => {
    const dir = admin();
    expect((await cli(['export', '--format', 'json'], { cwd: dir })).code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'exports/c1.json'), 'utf8'));
    expect(json).toMatchObject({ format_version: 1, cohort_id: 'c1', generated_at: '2026-05-04T09:00:00Z' });
    expect(json.learners[0]).toEqual({
      student_id: 'S1',
      email: 'ann@school.example',
      name: '=HYPERLINK("http://evil.example","x")',
      github_handle: 'ann',
      cohort_id: 'c1',
      path: 'web',
      status: 'complete',
      challenges_closed: 4,
      challenges_total: 4,
      completed_at: '2026-05-01T09:00:00Z',
      last_activity: '2026-05-03T10:00:00Z',
    });
    expect((await cli(['export', '--format', 'xlsx'], { cwd: dir })).stderr).toContain(
      '--format: expected one of plain, canvas, moodle, json, found "xlsx"',
    );
    expect((await cli(['export', '--cohort', 'c9'], { cwd: dir })).stderr).toContain(
      '--cohort: "c9" not in the roster (cohorts: c1, c2)',
    );
  });
});
