import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseIssueFormBody,
  REGISTER_COMMENT_MARKER,
  registerFromIssue,
  REGISTRATION_FIELDS,
  renderRegistrationProblems,
} from '../../gitops/issue-form';
import { parseRoster, Roster, serializeRoster } from '../../roster';
import { cli } from '../helpers/cli';
import { learner, roster } from '../helpers/rosters';

/** A body as GitHub renders a submitted issue form (CRLF line ends, as the API returns them). */
function body(fields: Partial<Record<keyof typeof REGISTRATION_FIELDS, string>>): string {
  return (Object.keys(REGISTRATION_FIELDS) as (keyof typeof REGISTRATION_FIELDS)[])
    .map((k) => `### ${REGISTRATION_FIELDS[k]}\r\n\r\n${fields[k] ?? '_No response_'}`)
    .join('\r\n\r\n');
}

const base = (): Roster => roster([learner('alice', '2026-spring', { provisioning: { state: 'provisioned', provisioned_at: '2026-04-01T10:00:00Z' } })], ['2026-spring', '2026-autumn']);

describe('issue form body', () => {
  test('sections by label; _No response_ and empty are absent', () => {
    const form = parseIssueFormBody(body({ github_handle: 'bob', cohort_id: '2026-spring', path: 'web', email: '' }));
    expect(form.get('GitHub handle')).toBe('bob');
    expect(form.get('Cohort')).toBe('2026-spring');
    expect(form.get('Name (optional)')).toBeUndefined();
    expect(form.get('Email (optional)')).toBeUndefined();
  });

  test('a repeated label keeps the first answer; text before the first section is ignored', () => {
    const form = parseIssueFormBody('preamble\n### Cohort\n\nfirst\n\n### Cohort\n\nsecond\n');
    expect(form.get('Cohort')).toBe('first');
    expect(form.size).toBe(1);
  });
});

describe('registration from an issue', () => {
  test('a good submission adds a pending learner, with name and email', () => {
    const r = registerFromIssue(body({ github_handle: 'bob', cohort_id: '2026-autumn', path: 'web', name: 'Bob Li', email: 'bob@example.org' }), base());
    expect(r.problems).toEqual([]);
    expect(r.created).toBe(true);
    const bob = r.roster?.learners.find((l) => l.github_handle === 'bob');
    expect(bob).toEqual({ github_handle: 'bob', cohort_id: '2026-autumn', path: 'web', name: 'Bob Li', email: 'bob@example.org', provisioning: { state: 'pending' } });
    expect(parseRoster(serializeRoster(r.roster as Roster)).errors).toEqual([]);
  });

  test('"@handle", a profile URL, a cohort in other case and a path in capitals are understood', () => {
    for (const h of ['@bob', 'https://github.com/bob', 'https://github.com/bob/']) {
      const r = registerFromIssue(body({ github_handle: h, cohort_id: '2026-SPRING', path: 'Web' }), base());
      expect(r.patch).toEqual({ github_handle: 'bob', cohort_id: '2026-spring', path: 'web' });
    }
  });

  test('a learner already in the cohort is updated in place and keeps provisioning', () => {
    const r = registerFromIssue(body({ github_handle: 'ALICE', cohort_id: '2026-spring', path: 'accessibility' }), base());
    expect(r.created).toBe(false);
    expect(r.roster?.learners).toHaveLength(1);
    expect(r.roster?.learners[0]).toMatchObject({ github_handle: 'alice', path: 'accessibility', provisioning: { state: 'provisioned', provisioned_at: '2026-04-01T10:00:00Z' } });
  });

  test('a bad handle is explained with the rule it breaks', () => {
    const cases: [string, RegExp][] = [
      ['-bob', /must not start with a hyphen/],
      ['bob-', /must not end with a hyphen/],
      ['bo--b', /two hyphens in a row/],
      ['bob smith', /only ASCII letters, digits and hyphens/],
      ['b'.repeat(40), /at most 39 characters/],
    ];
    for (const [handle, why] of cases) {
      const r = registerFromIssue(body({ github_handle: handle, cohort_id: '2026-spring', path: 'web' }), base());
      expect(r.roster).toBeUndefined();
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0].field).toBe('github_handle');
      expect(r.problems[0].message).toMatch(why);
    }
  });

  test('an unknown cohort names the known ones', () => {
    const r = registerFromIssue(body({ github_handle: 'bob', cohort_id: '2026-fall', path: 'web' }), base());
    expect(r.problems).toEqual([{ field: 'cohort_id', message: '`2026-fall` is not a cohort of this workshop. Known cohorts: `2026-spring`, `2026-autumn`.' }]);
  });

  test('every problem is reported at once', () => {
    const r = registerFromIssue(body({ github_handle: '', cohort_id: 'nope', email: 'not-an-address', name: 'x<script>' }), base());
    expect(r.problems.map((p) => p.field).sort()).toEqual(['cohort_id', 'email', 'github_handle', 'name', 'path']);
  });

  test('what only the roster rules catch is reported against the field', () => {
    // The path passes the form's own checks but not the roster's identifier rule.
    const r = registerFromIssue(body({ github_handle: 'bob', cohort_id: '2026-spring', path: 'web path!' }), base());
    expect(r.roster).toBeUndefined();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].field).toBe('path');
    expect(r.problems[0].message).toMatch(/^expected .+; found `"web path!"`\.$/);
  });

  test('an empty body is a submission with every required field missing', () => {
    const r = registerFromIssue('', base());
    expect(r.problems.map((p) => p.field)).toEqual(['github_handle', 'cohort_id', 'path']);
  });
});

describe('the comment for a submission with problems', () => {
  test('starts with the marker, names each field, and cannot ping or inject', () => {
    const r = registerFromIssue(body({ github_handle: '@everyone <b>', cohort_id: '`x` | <img>', path: 'web' }), base());
    const md = renderRegistrationProblems(r.problems);
    expect(md.startsWith(REGISTER_COMMENT_MARKER)).toBe(true);
    expect(md).toContain('- **GitHub handle** `everyone <b>` is not a GitHub user name');
    expect(md).toContain('- **Cohort** ` x  \\| <img>` is not a cohort of this workshop');
    expect(md).not.toMatch(/(^|[^`])@everyone/);
    // Every value from the submission sits inside a code span: outside them, no tag and no mention.
    for (const line of md.split('\n').filter((l) => l.startsWith('- '))) expect(line.replace(/`[^`]*`/g, '')).not.toMatch(/[<@]/);
  });
});

describe('register command', () => {
  function setup(issue: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'register-'));
    writeFileSync(join(dir, 'roster.json'), serializeRoster(base()));
    writeFileSync(join(dir, 'issue.md'), issue);
    return dir;
  }

  test('upserts into the roster file and writes the result for the workflow', async () => {
    const dir = setup(body({ github_handle: 'bob', cohort_id: '2026-spring', path: 'web' }));
    const r = await cli(['register', '--issue-body-file', 'issue.md', '--roster', 'roster.json', '--result-file', 'result.json'], { cwd: dir });
    expect(r).toEqual({ code: 0, stdout: 'Added learner bob in cohort 2026-spring (path web).\n', stderr: '' });
    expect(JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'))).toEqual({ github_handle: 'bob', cohort_id: '2026-spring', path: 'web', created: true });
    const written = parseRoster(readFileSync(join(dir, 'roster.json'), 'utf8'));
    expect(written.roster?.learners.map((l) => l.github_handle)).toEqual(['alice', 'bob']);
  });

  test('a bad submission prints the comment, exits 1 and leaves the roster alone', async () => {
    const dir = setup(body({ github_handle: 'bob', cohort_id: 'winter', path: 'web' }));
    const before = readFileSync(join(dir, 'roster.json'), 'utf8');
    const r = await cli(['register', '--issue-body-file', 'issue.md', '--roster', 'roster.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('`winter` is not a cohort of this workshop');
    expect(readFileSync(join(dir, 'roster.json'), 'utf8')).toBe(before);
  });

  test('an invalid roster is the operator’s problem: exit 2, not a comment', async () => {
    const dir = setup(body({ github_handle: 'bob', cohort_id: '2026-spring', path: 'web' }));
    writeFileSync(join(dir, 'roster.json'), '{"format_version": 1, "cohorts": []');
    const r = await cli(['register', '--issue-body-file', 'issue.md', '--roster', 'roster.json'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});

describe('the issue form template', () => {
  const template = readFileSync(join(__dirname, '..', '..', '.github', 'ISSUE_TEMPLATE', 'register.yml'), 'utf8');

  test('has the labels the parser reads, in order, and the label the workflow filters on', () => {
    const labels = [...template.matchAll(/^ {6}label: (.+)$/gm)].map((m) => m[1]);
    expect(labels).toEqual(Object.values(REGISTRATION_FIELDS));
    expect(template).toMatch(/^labels: \["registration"\]$/m);
    const workflow = readFileSync(join(__dirname, '..', '..', '.github', 'workflows', 'register.yml'), 'utf8');
    expect(workflow).toContain("contains(github.event.issue.labels.*.name, 'registration')");
  });

  test('only handle, cohort and path are required', () => {
    const required = [...template.matchAll(/label: (.+)\n(?:.*\n)*?\s+required: (true|false)/g)].map((m) => [m[1], m[2]]);
    expect(required).toEqual(Object.values(REGISTRATION_FIELDS).map((l, i) => [l, i < 3 ? 'true' : 'false']));
  });
});
