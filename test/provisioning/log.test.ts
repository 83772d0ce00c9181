import {
  chainRecords,
  checkAnchors,
  entryHash,
  GENESIS_HASH,
  isLogPrefix,
  LogEntry,
  LogRecord,
  parseLog,
  serializeLog,
  verifyChain,
} from '../../provisioning/log';
import { verifyLogText } from '../../provisioning/verify-log';

function records(n: number, run = 'run-1'): LogRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    run_id: run,
    commit: 'c0ffee',
    time: `2026-09-28T12:00:0${i % 10}Z`,
    cohort: '2026-spring',
    learner: `learner${i}`,
    outcome: i % 3 === 0 ? 'failed' : 'created',
    ...(i % 3 === 0 ? { cause: 'name-clash' as const } : {}),
    detail: `detail ${i}`,
  }));
}

const log = (n = 6) => chainRecords(records(n), GENESIS_HASH);
const kinds = (entries: LogEntry[]) => verifyChain(entries).map((f) => [f.kind, f.index, f.learner]);

describe('the chain', () => {
  test('entries chain from the genesis hash, each hash covering every field', () => {
    const entries = log(3);
    expect(entries[0].prev_hash).toBe(GENESIS_HASH);
    expect(entries[1].prev_hash).toBe(entries[0].hash);
    expect(entries[2].prev_hash).toBe(entries[1].hash);
    for (const field of [
      'run_id',
      'commit',
      'time',
      'cohort',
      'learner',
      'outcome',
      'cause',
      'detail',
      'prev_hash',
    ] as const) {
      const changed = { ...entries[0], [field]: field === 'cause' ? 'other' : `${entries[0][field]}x` };
      expect(entryHash(changed)).not.toBe(entries[0].hash);
    }
    expect(entryHash({ ...entries[1], repository: 'r' })).not.toBe(entries[1].hash);
    expect(verifyChain(log(50))).toEqual([]);
  });

  test('the file has one entry per line and round-trips exactly', () => {
    const entries = log(3);
    const text = serializeLog(entries);
    expect(text.split('\n')).toHaveLength(3 + 3 + 3);
    expect(text.split('\n')[3]).toMatch(/^ {4}\{"run_id":"run-1","commit":"c0ffee",.*"hash":"[0-9a-f]{64}"\},$/);
    const parsed = parseLog(text);
    expect(parsed).toEqual({ entries, findings: [], canonical: true });
    expect(parseLog(serializeLog([]))).toEqual({ entries: [], findings: [], canonical: true });
  });

  test('an older log is a prefix of the log with more entries, and only then', () => {
    const entries = log(4);
    expect(isLogPrefix(serializeLog(entries.slice(0, 2)), serializeLog(entries))).toBe(true);
    expect(isLogPrefix(serializeLog([]), serializeLog(entries))).toBe(true);
    expect(isLogPrefix(serializeLog(entries), serializeLog(entries))).toBe(true);
    expect(isLogPrefix(serializeLog(entries), serializeLog(entries.slice(0, 3)))).toBe(false);
    const other = chainRecords(records(2, 'run-2'), GENESIS_HASH);
    expect(isLogPrefix(serializeLog(other), serializeLog(entries))).toBe(false);
  });
});

describe('tampering, each kind said with its entry', () => {
  test('an edited entry', () => {
    const e = log();
    e[3] = { ...e[3], outcome: 'created', cause: undefined };
    expect(kinds(e)).toEqual([['edited', 3, 'learner3']]);
  });

  test('an edited entry whose hash was recomputed breaks the next link', () => {
    const e = log();
    const forged = { ...e[2], detail: 'forged' };
    e[2] = { ...forged, hash: entryHash(forged) };
    const f = verifyChain(e);
    expect(f.map((x) => [x.kind, x.index, x.learner])).toEqual([['removed', 3, 'learner3']]);
    expect(f[0].message).toContain(
      '(or entry 2 (learner learner2, cohort 2026-spring, run run-1) was edited and re-hashed)',
    );
  });

  test('a removed entry (middle and first)', () => {
    const e = log();
    expect(kinds([...e.slice(0, 2), ...e.slice(3)])).toEqual([['removed', 2, 'learner3']]);
    expect(verifyChain([...e.slice(0, 2), ...e.slice(3)])[0].message).toMatch(
      /^entries were removed between entry 1 \(learner learner1.*\) and entry 2 \(learner learner3/,
    );
    expect(kinds(e.slice(1))).toEqual([['removed', 0, 'learner1']]);
  });

  test('an inserted entry, forged to chain to its predecessor or not, and at the start', () => {
    const e = log();
    const [forged] = chainRecords([{ ...records(1)[0], learner: 'mallory' }], e[1].hash);
    expect(kinds([...e.slice(0, 2), forged, ...e.slice(2)])).toEqual([['inserted', 2, 'mallory']]);
    const loose = { ...forged, prev_hash: 'f'.repeat(64) };
    expect(kinds([...e.slice(0, 2), loose, ...e.slice(2)])).toEqual([
      ['inserted', 2, 'mallory'],
      ['edited', 2, 'mallory'],
    ]);
    const [first] = chainRecords([{ ...records(1)[0], learner: 'mallory' }], GENESIS_HASH);
    expect(kinds([first, ...e])).toEqual([['inserted', 0, 'mallory']]);
  });

  test('reordered entries', () => {
    const e = log();
    expect(kinds([e[0], e[2], e[1], ...e.slice(3)])).toEqual([
      ['reordered', 1, 'learner2'],
      ['reordered', 2, 'learner1'],
      ['reordered', 3, 'learner3'],
    ]);
    expect(verifyChain([e[1], e[0], ...e.slice(2)])[1].message).toBe(
      'entry 1 (learner learner0, cohort 2026-spring, run run-1) is out of order: it was written after the start of the log',
    );
  });

  test('a duplicated entry', () => {
    const e = log();
    expect(kinds([...e.slice(0, 3), e[2], ...e.slice(3)]).filter((k) => k[0] === 'duplicate')).toEqual([
      ['duplicate', 3, 'learner2'],
    ]);
  });

  test('entries cut from the end are caught by the anchors, not the chain', () => {
    const e = log();
    expect(verifyChain(e.slice(0, 4))).toEqual([]);
    const byBase = checkAnchors(e.slice(0, 4), { base: e });
    expect(byBase.map((f) => [f.kind, f.index, f.learner])).toEqual([['removed', 4, 'learner4']]);
    const byRoster = checkAnchors(e.slice(0, 4), {
      runs: [
        { learner: 'Learner5', cohort: '2026-spring', run_id: 'run-1' },
        { learner: 'learner1', cohort: '2026-spring', run_id: 'run-1' },
      ],
    });
    expect(byRoster.map((f) => [f.kind, f.learner])).toEqual([['anchor', 'Learner5']]);
    const rewritten = chainRecords(records(6, 'run-x'), GENESIS_HASH);
    expect(checkAnchors(rewritten, { base: e }).map((f) => [f.kind, f.index])).toEqual([['anchor', 0]]);
  });

  test('a truncated file: syntax error, and the intact entries before the cut are read', () => {
    const text = serializeLog(log());
    const cut = text.slice(0, text.indexOf('learner4') + 3);
    const r = verifyLogText(cut);
    expect(r.entries).toBe(4);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0].kind).toBe('syntax');
    expect(r.findings[0].message).toMatch(/truncated or damaged; 4 entries are readable before the damage$/);
  });

  test('bad fields are named, all at once', () => {
    const e = log(2);
    const text = serializeLog(e)
      .replace('"outcome":"created"', '"outcome":"made"')
      .replace(`"hash":"${e[0].hash}"`, '"hash":"xyz","extra":1');
    const f = verifyLogText(text).findings.filter((x) => x.kind === 'field');
    expect(f.map((x) => x.message)).toEqual([
      'entry 0 (learner learner0, cohort 2026-spring, run run-1): unknown field "extra"; "hash" should be 64 hex digits',
      'entry 1 (learner learner1, cohort 2026-spring, run run-1): "outcome" should be one of created, already-exists, healed, access-changed, archived, queued, failed, found "made"',
    ]);
  });

  test('a reformatted but intact file verifies with a format note', () => {
    const text = JSON.stringify(JSON.parse(serializeLog(log(2))), null, 2);
    expect(verifyLogText(text).findings.map((f) => f.kind)).toEqual(['format']);
  });
});
