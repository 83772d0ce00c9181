import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  IssueAuthor,
  isBotAuthor,
  LEGACY_HANDLE_LABEL,
  parseIssueFormBody,
  REGISTER_COMMENT_MARKER,
  registerFromIssue,
  REGISTRATION_FIELDS,
  renderRegistrationProblems,
} from '../../gitops/issue-form';
import { parseRoster, Roster, serializeRoster } from '../../roster';
import { learner, roster } from '../../test-kit/rosters';

type FormFields = Partial<Record<keyof typeof REGISTRATION_FIELDS, string>>;

/** A body as GitHub renders a submitted issue form (CRLF line ends, as the API returns them). */
function body(fields: FormFields, legacyHandle?: string): string {
  const sections = (Object.keys(REGISTRATION_FIELDS) as (keyof typeof REGISTRATION_FIELDS)[]).map(
    (k) => `### ${REGISTRATION_FIELDS[k]}\r\n\r\n${fields[k] ?? '_No response_'}`,
  );
  // Issues opened with the old form begin with a handle section.
  if (legacyHandle !== undefined) sections.unshift(`### ${LEGACY_HANDLE_LABEL}\r\n\r\n${legacyHandle}`);
  return sections.join('\r\n\r\n');
}

const base = (): Roster =>
  roster(
    [
      learner('alice', '2026-spring', {
        provisioning: { state: 'provisioned', provisioned_at: '2026-04-01T10:00:00Z' },
      }),
    ],
    ['2026-spring', '2026-autumn'],
  );
const bob: IssueAuthor = { login: 'bob', type: 'User' };
const alice: IssueAuthor = { login: 'alice', type: 'User' };

describe('issue form body', () => {
  test('sections by label; _No response_ and empty are absent', () => {
    const form = parseIssueFormBody(body({ cohort_id: '2026-spring', path: 'web', email: '' }, 'bob'));
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
  test('a form without a handle field registers its author: a pending learner, with name and email', () => {
    const r = registerFromIssue(
      body({ cohort_id: '2026-autumn', path: 'web', name: 'Bob Li', email: 'bob@example.org' }),
      base(),
      bob,
    );
    expect(r.problems).toEqual([]);
    expect(r.created).toBe(true);
    const added = r.roster?.learners.find((l) => l.github_handle === 'bob');
    expect(added).toEqual({
      github_handle: 'bob',
      cohort_id: '2026-autumn',
      path: 'web',
      name: 'Bob Li',
      email: 'bob@example.org',
      provisioning: { state: 'pending' },
    });
    expect(parseRoster(serializeRoster(r.roster as Roster)).errors).toEqual([]);
  });

  test('a cohort in other case and a path in capitals are understood; the login keeps its spelling', () => {
    const r = registerFromIssue(body({ cohort_id: '2026-SPRING', path: 'Web' }), base(), { login: 'Bob-Li' });
    expect(r.patch).toEqual({ github_handle: 'Bob-Li', cohort_id: '2026-spring', path: 'web' });
  });

  test('a cohort in other case finds the learner already there: no second entry', () => {
    const r = registerFromIssue(body({ cohort_id: '2026-Spring', path: 'accessibility' }), base(), { login: 'ALICE' });
    expect(r.created).toBe(false);
    expect(r.changed).toEqual(['path']);
    expect(r.roster?.learners).toHaveLength(1);
    expect(r.roster?.learners[0]).toMatchObject({
      github_handle: 'alice',
      cohort_id: '2026-spring',
      path: 'accessibility',
      provisioning: { state: 'provisioned', provisioned_at: '2026-04-01T10:00:00Z' },
    });
  });

  test('the same details again: nothing changes', () => {
    const r = registerFromIssue(body({ cohort_id: '2026-spring', path: 'web' }), base(), alice);
    expect(r.created).toBe(false);
    expect(r.changed).toEqual([]);
    expect(r.roster).toEqual(base());
  });

  test('an old form naming someone else registers nobody and tells the author why', () => {
    const r = registerFromIssue(
      body({ cohort_id: '2026-spring', path: 'accessibility', email: 'mallory@example.org' }, 'alice'),
      base(),
      { login: 'mallory' },
    );
    expect(r.roster).toBeUndefined();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].field).toBe('github_handle');
    expect(r.problems[0].message).toMatch(
      /^says `alice`, but registrations are for yourself: you are signed in as `mallory`/,
    );
    expect(r.problems[0].message).toContain('delete the GitHub handle section');
  });

  test('an old form naming the author (any case, "@", profile URL) is ignored', () => {
    for (const h of ['bob', 'BOB', '@Bob', 'https://github.com/bob/']) {
      const r = registerFromIssue(body({ cohort_id: '2026-spring', path: 'web' }, h), base(), bob);
      expect({ h, problems: r.problems, patch: r.patch }).toEqual({
        h,
        problems: [],
        patch: { github_handle: 'bob', cohort_id: '2026-spring', path: 'web' },
      });
    }
  });

  test('a bot author is refused, by its [bot] login or by its account type', () => {
    for (const author of [
      { login: 'dependabot[bot]' },
      { login: 'helper', type: 'Bot' },
      { login: 'helper', type: 'bot' },
    ]) {
      const r = registerFromIssue(body({ cohort_id: '2026-spring', path: 'web' }), base(), author);
      expect(r.roster).toBeUndefined();
      expect(r.problems.map((p) => p.field)).toEqual(['registrant']);
      expect(r.problems[0].message).toMatch(/an app or bot account\. A learning room is for a person/);
    }
    expect(isBotAuthor({ login: 'botany', type: 'User' })).toBe(false);
  });

  test('an author login the roster cannot hold is explained with the rule it breaks', () => {
    const cases: [string, RegExp][] = [
      ['-bob', /must not start with a hyphen/],
      ['bob-', /must not end with a hyphen/],
      ['bo--b', /two hyphens in a row/],
      ['bob smith', /a person's name, not a GitHub user name/],
      ['b'.repeat(40), /at most 39 characters/],
      ['', /must not be empty/],
    ];
    for (const [login, why] of cases) {
      const r = registerFromIssue(body({ cohort_id: '2026-spring', path: 'web' }), base(), { login });
      expect(r.roster).toBeUndefined();
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0].field).toBe('registrant');
      expect(r.problems[0].message).toMatch(why);
    }
  });

  test('an archived learner cannot register again: the reason, the time and who can reinstate', () => {
    const archived = learner('alice', '2026-spring', {
      provisioning: {
        state: 'archived',
        last_outcome: 'archived',
        updated_at: '2026-05-02T09:30:00Z',
        provisioned_at: '2026-04-01T10:00:00Z',
      },
    });
    const r = registerFromIssue(
      body({ cohort_id: '2026-spring', path: 'web' }),
      roster([archived], ['2026-spring']),
      alice,
    );
    expect(r.roster).toBeUndefined();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].message).toMatch(
      /^You were withdrawn from cohort `2026-spring`: your learning room was archived at `2026-05-02T09:30:00Z`/,
    );
    expect(r.problems[0].message).toContain(
      'a facilitator: they can reinstate you through a reviewed roster change (editing roster.json in a pull request)',
    );
  });

  test('a learner withdrawn by hand (state archived, no archive recorded yet) is refused without a made-up time', () => {
    const withdrawn = learner('alice', '2026-spring', {
      provisioning: { state: 'archived', last_outcome: 'created', updated_at: '2026-04-01T10:00:00Z' },
    });
    const r = registerFromIssue(
      body({ cohort_id: '2026-spring', path: 'web' }),
      roster([withdrawn], ['2026-spring']),
      alice,
    );
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].message).toMatch(
      /your learning room is archived \(the roster's provisioning state for you is `archived`\)/,
    );
    expect(r.problems[0].message).not.toContain('2026-04-01');
  });

  test('only the entry in the named cohort changes: the same person in another cohort is untouched, archived or not', () => {
    const autumn = learner('alice', '2026-autumn', {
      path: 'data',
      name: 'Alice A',
      email: 'a@example.org',
      provisioning: { state: 'archived', last_outcome: 'archived', updated_at: '2026-05-02T09:30:00Z' },
    });
    const spring = learner('Alice', '2026-spring', { path: 'web', provisioning: { state: 'provisioned' } });
    const before = roster([autumn, spring, learner('bob', '2026-autumn')], ['2026-spring', '2026-autumn']);
    const r = registerFromIssue(
      body({ cohort_id: '2026-spring', path: 'accessibility', name: 'Alice B', email: 'b@example.org' }),
      before,
      alice,
    );
    expect(r.problems).toEqual([]);
    expect(r.roster?.learners).toEqual([
      autumn,
      { ...spring, path: 'accessibility', name: 'Alice B', email: 'b@example.org' },
      learner('bob', '2026-autumn'),
    ]);
    expect(r.changed).toEqual(['path', 'name', 'email']);
  });

  test('an unknown cohort names the known ones', () => {
    const r = registerFromIssue(body({ cohort_id: '2026-fall', path: 'web' }), base(), bob);
    expect(r.problems).toEqual([
      {
        field: 'cohort_id',
        message: '`2026-fall` is not a cohort of this workshop. Known cohorts: `2026-spring`, `2026-autumn`.',
      },
    ]);
  });

  test('every problem is reported at once', () => {
    const r = registerFromIssue(
      body({ cohort_id: 'nope', email: 'not-an-address', name: 'x<script>' }, 'carol'),
      base(),
      { login: 'x[bot]' },
    );
    expect(r.problems.map((p) => p.field).sort()).toEqual([
      'cohort_id',
      'email',
      'github_handle',
      'name',
      'path',
      'registrant',
    ]);
  });

  test('what only the roster rules catch is reported against the field', () => {
    // The path passes the form's own checks but not the roster's identifier rule.
    const r = registerFromIssue(body({ cohort_id: '2026-spring', path: 'web path!' }), base(), bob);
    expect(r.roster).toBeUndefined();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].field).toBe('path');
    expect(r.problems[0].message).toMatch(/^expected .+; found `"web path!"`\.$/);
  });

  test('an empty body is a submission with every required field missing', () => {
    const r = registerFromIssue('', base(), bob);
    expect(r.problems.map((p) => p.field)).toEqual(['cohort_id', 'path']);
  });
});

describe('the comment for a submission with problems', () => {
  test('starts with the marker, names each field, and cannot ping or inject', () => {
    const r = registerFromIssue(body({ cohort_id: '`x` | <img>', path: 'web' }, '@everyone <b>'), base(), {
      login: '<i>@all[bot]',
    });
    const md = renderRegistrationProblems(r.problems);
    expect(md.startsWith(REGISTER_COMMENT_MARKER)).toBe(true);
    expect(md).toContain('- **GitHub handle** says `everyone <b>`, but registrations are for yourself');
    expect(md).toContain('- **Cohort** ` x  \\| <img>` is not a cohort of this workshop');
    expect(md).toContain('- This issue was opened by `<i>@all[bot]`, an app or bot account');
    expect(md).not.toMatch(/(^|[^`])@everyone/);
    // Every value from the submission sits inside a code span: outside them, no tag and no mention.
    for (const line of md.split('\n').filter((l) => l.startsWith('- ')))
      expect(line.replace(/`[^`]*`/g, '')).not.toMatch(/[<@]/);
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

  test('only cohort and path are required; there is no handle field', () => {
    const required = [...template.matchAll(/label: (.+)\n(?:.*\n)*?\s+required: (true|false)/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(required).toEqual(Object.values(REGISTRATION_FIELDS).map((l, i) => [l, i < 2 ? 'true' : 'false']));
    expect(template).not.toMatch(/id: github_handle|label: GitHub handle/);
  });
});
