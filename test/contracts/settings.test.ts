import { readSettings, SETTINGS_ENV } from '../../contracts/settings';
import { deriveProviderTuning } from '../../synthesis/provider-tuning';
import { contentCreationPerRun } from '../../synthesis/admission-budget';
import { contentCreationPerRoom } from '../../synthesis/cost-model';
import { repositoryCollisions, repositoryNameFor, repositoryNameProblem } from '../../contracts/room-names';

describe('readSettings', () => {
  it('has a default for everything, so an empty environment works', () => {
    const { settings, errors } = readSettings({});
    expect(errors).toEqual([]);
    expect(settings).toMatchObject({
      mode: 'github-app',
      owner: 'learning-rooms-example',
      templateRepo: 'learning-rooms-example/learning-room-template',
      baseUrl: 'https://api.github.com/',
      repositoryPattern: '{cohort}-{handle}',
      removalGuardShare: 0.1,
      removalGuardMinimum: 1,
      allowMassArchive: false,
      outdir: 'cdktf.out',
    });
    expect(settings?.admissionBudget).toBeUndefined();
  });

  it('reads every variable and adds the trailing slash to the base URL', () => {
    const { settings } = readSettings({
      PROVISIONING_MODE: 'actions-bot',
      PROVISIONING_STUDENT_OWNER: 'acme',
      LEARNING_ROOM_TEMPLATE_REPO: 'acme/tmpl',
      GITHUB_BASE_URL: 'http://127.0.0.1:8080',
      LEARNING_ROOMS_ADMISSION_BUDGET: '7',
      LEARNING_ROOMS_REMOVAL_GUARD_SHARE: '0.25',
      LEARNING_ROOMS_ALLOW_MASS_ARCHIVE: 'yes',
      LEARNING_ROOMS_REPOSITORY_PATTERN: 'room-{handle}',
    });
    expect(settings).toMatchObject({
      mode: 'actions-bot',
      owner: 'acme',
      templateRepo: 'acme/tmpl',
      baseUrl: 'http://127.0.0.1:8080/',
      admissionBudget: 7,
      removalGuardShare: 0.25,
      allowMassArchive: true,
      repositoryPattern: 'room-{handle}',
    });
  });

  it('reports every bad value at once, naming the variable and what was expected', () => {
    const { settings, errors } = readSettings({
      PROVISIONING_MODE: 'pat',
      LEARNING_ROOM_TEMPLATE_REPO: 'no-slash',
      GITHUB_BASE_URL: 'ftp://x',
      LEARNING_ROOMS_ADMISSION_BUDGET: '-1',
      LEARNING_ROOMS_REMOVAL_GUARD_SHARE: '2',
      LEARNING_ROOMS_REPOSITORY_PATTERN: '{cohort}-{user}',
    });
    expect(settings).toBeUndefined();
    expect(errors).toHaveLength(6);
    expect(errors[0]).toBe('PROVISIONING_MODE: expected one of github-app, actions-bot, found "pat"');
    expect(errors.join('\n')).toMatch(/LEARNING_ROOM_TEMPLATE_REPO: expected "owner\/repository"/);
    expect(errors.join('\n')).toMatch(/GITHUB_BASE_URL: expected an http\(s\) URL/);
    expect(errors.join('\n')).toMatch(
      /LEARNING_ROOMS_ADMISSION_BUDGET: expected a whole number at least 0, found "-1"/,
    );
    expect(errors.join('\n')).toMatch(/LEARNING_ROOMS_REMOVAL_GUARD_SHARE: expected a number between 0 and 1/);
    expect(errors.join('\n')).toMatch(/found \{user\}/);
  });

  it('refuses a base URL carrying credentials, which would land in the configuration', () => {
    const { errors } = readSettings({ GITHUB_BASE_URL: 'https://user:secret@ghe.example.com/' });
    expect(errors).toEqual([`${SETTINGS_ENV.baseUrl}: expected a URL without user name or password`]);
  });
});

describe('provider tuning', () => {
  it("keeps every paced process together under 80 writes a minute and the hour's 5,000 requests, and retries a 429 for a minute", () => {
    for (const p of [1, 2, 10]) {
      const t = deriveProviderTuning({}, p);
      expect((p * 60_000) / t.write_delay_ms).toBeLessThanOrEqual(80 * 0.75);
      // a process sleeps read_delay_ms after every read: with progress's 10% and pull-request plans beside them
      expect((p * 3_600_000) / Math.min(t.read_delay_ms, t.write_delay_ms) + 500 + 100).toBeLessThanOrEqual(5000);
      expect(t.read_delay_ms * t.max_retries).toBeGreaterThanOrEqual(60_000);
      expect(t.read_delay_ms).toBeGreaterThanOrEqual(1000);
      expect(t.retryable_errors).toContain(429);
    }
    expect(deriveProviderTuning({}, 1)).toMatchObject({ write_delay_ms: 1000, read_delay_ms: 1000, max_retries: 60 });
  });

  it('takes explicit overrides', () => {
    expect(deriveProviderTuning({ writeDelayMs: 1, readDelayMs: 0, maxRetries: 2 }, 5)).toEqual({
      write_delay_ms: 1,
      read_delay_ms: 0,
      max_retries: 2,
      retryable_errors: [429, 500, 502, 503, 504],
    });
  });

  it('derives the per-run content-creation allowance from the hourly limit, the interval and a 5% reserve', () => {
    expect(contentCreationPerRun({ contentWritesPerHour: 500, runIntervalMinutes: 30 })).toBe(237);
    expect(contentCreationPerRun({ contentWritesPerHour: 500, runIntervalMinutes: 120 })).toBe(475);
    expect(contentCreationPerRoom(2)).toBe(4);
  });
});

describe('repository names', () => {
  it('fills the pattern with the cohort and the lower-cased handle', () => {
    expect(repositoryNameFor('{cohort}-{handle}', '2026-spring', 'BobOkafor')).toBe('2026-spring-bobokafor');
  });

  it("applies GitHub's rule: at most 100 of A-Za-z0-9 . _ -", () => {
    expect(repositoryNameProblem('a'.repeat(100))).toBeUndefined();
    expect(repositoryNameProblem('a'.repeat(101))).toMatch(/at most 100 characters, found 101/);
    expect(repositoryNameProblem('room/x')).toMatch(/only A-Za-z0-9/);
    expect(repositoryNameProblem('..')).toMatch(/reserved/);
  });

  it('reports a clash naming both learners, case-insensitively', () => {
    const problems = repositoryCollisions(
      [
        { github_handle: 'alice', cohort_id: 'a', repository: 'Room-Alice' },
        { github_handle: 'Alice', cohort_id: 'b', repository: 'room-alice' },
        { github_handle: 'bob', cohort_id: 'a', repository: 'room-bob' },
      ],
      'acme',
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^learners "alice" \(cohort a\) and "Alice" \(cohort b\) would share the repository acme\/Room-Alice/,
    );
  });
});
