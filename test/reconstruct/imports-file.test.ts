import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseImportsFile,
  readImportsFile,
  serializeImportsFile,
  writeImportsFiles,
} from '../../contracts/import-entries';
import { formatReport } from '../../reconstruct/report-text';
import { apiBaseUrl } from '../../shared/github-client';
import { CohortReconstruction, ReconstructionReport } from '../../reconstruct/types';
import { collaboratorAddress, fileAddress, repositoryAddress } from '../../contracts/room-addresses';
import { cli } from '../helpers/cli';

const cohort: CohortReconstruction = {
  cohort_id: 'spring',
  imports: [
    { cohort_id: 'spring', github_handle: 'Bob', address: repositoryAddress('Bob'), id: 'spring-bob' },
    { cohort_id: 'spring', github_handle: 'Bob', address: fileAddress('Bob', 'a.md'), id: 'spring-bob/a.md' },
  ],
  learners: [
    {
      cohort_id: 'spring',
      github_handle: 'Bob',
      repository: 'spring-bob',
      outcome: 'partly-adopted',
      imported: [repositoryAddress('Bob'), fileAddress('Bob', 'a.md')],
      missing: [collaboratorAddress('Bob')],
      notes: [],
    },
    {
      cohort_id: 'spring',
      github_handle: 'cy',
      repository: 'spring-cy',
      outcome: 'to-create',
      imported: [],
      missing: [repositoryAddress('cy')],
      notes: [],
    },
    {
      cohort_id: 'spring',
      github_handle: 'dee',
      repository: 'spring-dee',
      outcome: 'adopted',
      imported: [repositoryAddress('dee')],
      missing: [],
      notes: ['invitation pending (the provider counts it as present)'],
    },
    {
      cohort_id: 'spring',
      github_handle: 'eve',
      repository: 'x',
      outcome: 'conflict',
      imported: [],
      missing: [],
      notes: ['shares the repository name with zed (cohort spring): give one of them a "repository" in the roster'],
    },
  ],
};

describe('imports file', () => {
  it('round-trips through write and read', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'imports-')), 'imports');
    const [path] = writeImportsFiles(dir, 'org', [cohort], '2026-11-25T20:00:00.000Z');
    expect(path).toBe(join(dir, 'spring.json'));
    const read = readImportsFile(dir, 'spring');
    expect(read).toEqual({
      format_version: 1,
      cohort_id: 'spring',
      owner: 'org',
      generated_at: '2026-11-25T20:00:00.000Z',
      imports: cohort.imports,
      learners: cohort.learners,
    });
    expect(serializeImportsFile(read!)).toBe(readFileSync(path, 'utf8'));
    expect(readImportsFile(dir, 'autumn')).toBeUndefined();
  });

  it('lists every problem of a bad file', () => {
    const text = JSON.stringify({
      format_version: 1,
      cohort_id: 'spring',
      owner: 'org',
      imports: [
        { cohort_id: 'autumn', github_handle: 'a', address: repositoryAddress('a'), id: 'x' },
        { cohort_id: 'spring', github_handle: 'b', address: repositoryAddress('b'), id: 'y' },
        { cohort_id: 'spring', github_handle: 'b', address: repositoryAddress('b'), id: 'z' },
      ],
    });
    expect(parseImportsFile(text, 'f').errors).toEqual([
      'f/imports/0: expected cohort_id "spring" (the file\'s cohort), found "autumn"',
      `f/imports/2: expected each address once, found ${repositoryAddress('b')} again`,
    ]);
    const schemaErrors = parseImportsFile(
      JSON.stringify({
        format_version: 2,
        cohort_id: 'spring',
        owner: 'org',
        imports: [{ address: 'aws_instance.x', id: '' }],
      }),
      'f',
    ).errors;
    expect(schemaErrors.join('\n')).toMatch(/f\/format_version/);
    expect(schemaErrors.join('\n')).toMatch(/f\/imports\/0\/address: must match pattern/);
    expect(schemaErrors.join('\n')).toMatch(/f\/imports\/0: must have required property 'cohort_id'/);
    expect(parseImportsFile('{', 'f').errors[0]).toMatch(/^f: expected JSON/);
  });

  it('refuses a file of another cohort', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imports-'));
    writeImportsFiles(dir, 'org', [cohort], '2026-11-25T20:00:00.000Z');
    writeFileSync(join(dir, 'autumn.json'), readFileSync(join(dir, 'spring.json')));
    expect(() => readImportsFile(dir, 'autumn')).toThrow(
      /expected the import entries of cohort "autumn", found cohort "spring"/,
    );
  });
});

describe('formatReport', () => {
  it('says what is imported, what will be created, what conflicts and what is unmatched', () => {
    const report: ReconstructionReport = {
      owner: 'org',
      cohorts: [cohort],
      unmatched_repositories: ['spring-zoe'],
      other_repositories: 7,
    };
    const text = formatReport(report, ['imports/spring.json']);
    expect(text).toContain(
      'cohort spring: 2 imports; 2 matched (1 complete, 1 with missing parts), 1 learner without a repository, 0 archived, 1 conflict',
    );
    expect(text).toContain('  Bob -> spring-bob: will create: collaborator');
    expect(text).toContain('  cy -> spring-cy');
    expect(text).toContain('  dee -> spring-dee: invitation pending');
    expect(text).toMatch(/CONFLICT, nothing imported:\n {2}eve -> x: shares the repository name with zed/);
    expect(text).toContain(
      '1 repository of org looks like learning rooms but match no learner (not imported):\n  spring-zoe',
    );
    expect(text).toContain('7 other repositories of org ignored');
    expect(text).toContain('wrote imports/spring.json');
  });
});

describe('GitHub edge configuration', () => {
  it('finds the REST root the way the provider does', () => {
    expect(apiBaseUrl('https://api.github.com/')).toBe('https://api.github.com');
    expect(apiBaseUrl('https://api.acme.ghe.com/')).toBe('https://api.acme.ghe.com');
    expect(apiBaseUrl('https://ghes.example.org/')).toBe('https://ghes.example.org/api/v3');
    expect(apiBaseUrl('http://127.0.0.1:8080/api/v3/')).toBe('http://127.0.0.1:8080/api/v3');
  });
});

describe('learning-rooms reconstruct: input problems', () => {
  it('lists every problem before any request', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'reconstruct-'));
    writeFileSync(
      join(cwd, 'roster.json'),
      readFileSync(join(__dirname, '..', '..', 'examples', 'roster.example.json')),
    );
    const res = await cli(['reconstruct', '--cohort', 'nope', '--cohort', '2026-spring'], {
      cwd,
      env: { GITHUB_BASE_URL: 'not a url' },
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/--cohort: expected a cohort of the roster \(2026-spring, 2026-autumn\), found "nope"/);
    expect(res.stderr).toMatch(/GITHUB_BASE_URL: expected an http\(s\) URL/);
    expect(res.stderr).toMatch(/no GitHub credentials/);
  });

  it('reports an invalid roster', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'reconstruct-'));
    writeFileSync(join(cwd, 'roster.json'), '{"format_version": 1}');
    const res = await cli(['reconstruct'], { cwd, env: { GITHUB_TOKEN: 't' } });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/roster.json/);
  });
});
