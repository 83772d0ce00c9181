import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeImportsFile, type ImportEntry, type ImportsFile } from '../../contracts/import-entries';
import { serializeRoster } from '../../roster';
import { collaboratorAddress, fileAddress, repositoryAddress } from '../../contracts/room-addresses';
import { combineImports, importBlocks, knownRoomsWithImports, mergeImportedRooms } from '../../synthesis/imports';
import { cli } from '../helpers/cli';
import { learner, roster } from '../../test-kit/rosters';

const FILE = '.github/workflows/progress.yml';
const entry = (handle: string, address: string, id: string, cohort = 'c1'): ImportEntry => ({
  cohort_id: cohort,
  github_handle: handle,
  address,
  id,
});
const roomEntries = (handle: string, repo: string): ImportEntry[] => [
  entry(handle, repositoryAddress(handle), repo),
  entry(handle, collaboratorAddress(handle), `${repo}:${handle}`),
  entry(handle, fileAddress(handle, FILE), `${repo}/${FILE}`),
];
const file = (imports: ImportEntry[], cohort = 'c1'): ImportsFile => ({
  format_version: 1,
  cohort_id: cohort,
  owner: 'org',
  generated_at: '2026-11-25T20:00:00.000Z',
  imports,
  learners: [],
});

describe('importBlocks', () => {
  it('places entries whose address the stack configures and returns the others', () => {
    const entries = [
      ...roomEntries('Bob', 'c1-bob'),
      entry('zed', repositoryAddress('zed'), 'c1-zed'),
      entry('Bob', fileAddress('Bob', 'gone.md'), 'c1-bob/gone.md'),
    ];
    const { blocks, unplaced } = importBlocks(entries, [{ githubHandle: 'bob', requiredFiles: [{ path: FILE }] }]);
    expect(blocks).toEqual([
      { to: 'github_repository.learner-bob', id: 'c1-bob' },
      { to: 'github_repository_collaborator.learner-bob', id: 'c1-bob:Bob' },
      { to: 'github_repository_file.learner-bob--github_workflows_progress_yml', id: `c1-bob/${FILE}` },
    ]);
    expect(unplaced.map((e) => e.address)).toEqual([repositoryAddress('zed'), fileAddress('Bob', 'gone.md')]);
  });
});

describe('combineImports', () => {
  const rooms = ['bob', 'eve', 'fin'].map((h) => ({ githubHandle: h, requiredFiles: [{ path: FILE }] }));
  const planner = [
    { to: repositoryAddress('bob'), id: 'legacy-bob' },
    { to: repositoryAddress('eve'), id: 'legacy-eve' },
    { to: repositoryAddress('fin'), id: 'legacy-fin' },
  ];
  it('lets reconstruct decide for every learner it covers, keeps the planner for the others, one block per address', () => {
    const f = file(roomEntries('bob', 'legacy-bob'));
    f.learners = [
      {
        cohort_id: 'c1',
        github_handle: 'bob',
        repository: 'legacy-bob',
        outcome: 'adopted',
        imported: [],
        missing: [],
        notes: [],
      },
      // reconstruct saw no repository for eve: the planner's blind import would fail the plan
      {
        cohort_id: 'c1',
        github_handle: 'Eve',
        repository: 'legacy-eve',
        outcome: 'to-create',
        imported: [],
        missing: [repositoryAddress('eve')],
        notes: [],
      },
    ];
    const { blocks, unplaced } = combineImports(planner, f, rooms);
    expect(blocks).toEqual([
      { to: repositoryAddress('fin'), id: 'legacy-fin' },
      ...roomEntries('bob', 'legacy-bob').map((e) => ({ to: e.address, id: e.id })),
    ]);
    expect(unplaced).toEqual([]);
    expect(new Set(blocks.map((b) => b.to)).size).toBe(blocks.length);
  });
  it('keeps the planner blocks as they are without an entries file', () => {
    expect(combineImports(planner, undefined, rooms)).toEqual({ blocks: planner, unplaced: [] });
  });
});

describe('knownRoomsWithImports / mergeImportedRooms', () => {
  it('makes imported rooms known, keeping what state already said', () => {
    const state = {
      source: 'state.json',
      rooms: new Map([
        [
          'amy',
          {
            handle: 'amy',
            repository: 'c1-amy-renamed',
            kinds: new Set(['repository' as const]),
            addresses: [repositoryAddress('amy')],
          },
        ],
      ]),
    };
    const merged = knownRoomsWithImports(
      state,
      file([...roomEntries('Amy', 'c1-amy'), ...roomEntries('Bob', 'c1-bob')]),
    )!;
    expect(merged.source).toBe('state.json + imports');
    expect(merged.rooms.get('amy')?.repository).toBe('c1-amy-renamed');
    expect([...(merged.rooms.get('amy')?.kinds ?? [])].sort()).toEqual(['collaborator', 'file', 'repository']);
    expect(merged.rooms.get('bob')).toEqual({
      handle: 'bob',
      repository: 'c1-bob',
      kinds: new Set(['repository', 'collaborator', 'file']),
      addresses: roomEntries('Bob', 'c1-bob').map((e) => e.address),
    });
    // the state given is not modified
    expect(state.rooms.get('amy')?.kinds.size).toBe(1);
    expect(knownRoomsWithImports(undefined, undefined)).toBeUndefined();
    expect(knownRoomsWithImports(state, file([]))).toBe(state);
  });

  it('ignores entries of learners who left the roster since reconstruct ran', () => {
    const merged = mergeImportedRooms(
      new Map(),
      new Map([['c1', file([...roomEntries('Bob', 'c1-bob'), ...roomEntries('gone', 'c1-gone')])]]),
      roster([learner('bob')]),
    );
    expect([...(merged.get('c1')?.rooms.keys() ?? [])]).toEqual(['bob']);
  });
});

describe('learning-rooms synth --imports', () => {
  function workspace() {
    const cwd = mkdtempSync(join(tmpdir(), 'synth-imports-'));
    mkdirSync(join(cwd, 'required-files', '.github', 'workflows'), { recursive: true });
    writeFileSync(join(cwd, 'required-files', FILE), 'name: progress\non: push\n');
    const r = roster([
      learner('amy'),
      learner('Bob'),
      learner('cy'),
      learner('dee', 'c1', { provisioning: { state: 'archived' } }),
    ]);
    r.cohorts[0].required_files = [FILE];
    writeFileSync(join(cwd, 'roster.json'), serializeRoster(r));
    mkdirSync(join(cwd, 'imports'));
    // Bob's and cy's rooms exist (cy's file does not); dee is archived; an entry for a learner no longer in the roster.
    writeFileSync(
      join(cwd, 'imports', 'c1.json'),
      serializeImportsFile(
        file([
          ...roomEntries('Bob', 'c1-bob'),
          entry('cy', repositoryAddress('cy'), 'c1-cy'),
          entry('cy', collaboratorAddress('cy'), 'c1-cy:cy'),
          ...roomEntries('gone', 'c1-gone'),
        ]),
      ),
    );
    return cwd;
  }
  const env = { LEARNING_ROOMS_ADMISSION_BUDGET: '0', PROVISIONING_STUDENT_OWNER: 'org' };

  it('writes import blocks for configured rooms, and imported rooms are configured whatever the budget', async () => {
    const cwd = workspace();
    const res = await cli(['synth', 'roster.json', '--imports', 'imports'], { cwd, env });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(
      /c1: 5 import blocks; 3 import entries skipped, their learners are not configured this run \(gone\)/,
    );
    const tf = JSON.parse(readFileSync(join(cwd, 'cdktf.out', 'stacks', 'c1', 'cdk.tf.json'), 'utf8'));
    expect(tf.import).toEqual([
      { to: repositoryAddress('Bob'), id: 'c1-bob' },
      { to: collaboratorAddress('Bob'), id: 'c1-bob:Bob' },
      { to: fileAddress('Bob', FILE), id: `c1-bob/${FILE}` },
      { to: repositoryAddress('cy'), id: 'c1-cy' },
      { to: collaboratorAddress('cy'), id: 'c1-cy:cy' },
    ]);
    // Budget 0: amy (pending, no room) is queued; Bob and cy exist, so they are configured.
    expect(Object.keys(tf.resource.github_repository).sort()).toEqual(['learner-bob', 'learner-cy']);
    // every import targets a configured resource with the same repository name
    for (const b of tf.import as { to: string; id: string }[]) {
      const [type, name] = b.to.split('.');
      expect(tf.resource[type][name]).toBeDefined();
    }
    expect(tf.resource.github_repository['learner-bob'].name).toBe('c1-bob');
    expect(tf.resource.github_repository_collaborator['learner-bob'].username).toBe('Bob');
  });

  it('writes no import blocks without an imports folder, and refuses an invalid imports file', async () => {
    const cwd = workspace();
    const plain = await cli(['synth', 'roster.json'], { cwd, env });
    expect(plain.code).toBe(0);
    expect(
      JSON.parse(readFileSync(join(cwd, 'cdktf.out', 'stacks', 'c1', 'cdk.tf.json'), 'utf8')).import,
    ).toBeUndefined();
    writeFileSync(
      join(cwd, 'imports', 'c1.json'),
      JSON.stringify({ format_version: 1, cohort_id: 'c2', owner: 'org', imports: [] }),
    );
    const bad = await cli(['synth', 'roster.json'], { cwd, env: { ...env, LEARNING_ROOMS_IMPORTS_DIR: 'imports' } });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /cohort c1: import entries: .*expected the import entries of cohort "c1", found cohort "c2"/,
    );
  });
});
