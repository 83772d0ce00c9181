import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  chainRecords,
  checkTimes,
  GENESIS_HASH,
  LOG_CLOCK_SKEW_MS,
  LogRecord,
  parseLog,
  serializeLog,
} from '../../provisioning/log';
import { verifyLogText } from '../../provisioning/verify-log';

const NOW = new Date('2026-11-29T08:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
const rec = (run: string, learner: string, time: string): LogRecord => ({
  run_id: run,
  commit: 'c0ffee',
  time,
  cohort: 'c1',
  learner,
  outcome: 'created',
  detail: 'room created',
});
const chain = (...rs: LogRecord[]) => chainRecords(rs, GENESIS_HASH);

describe('entries dated in the future', () => {
  test('up to the clock skew ahead of now is believed; one millisecond more is not', () => {
    expect(LOG_CLOCK_SKEW_MS).toBe(10 * 60 * 1000);
    expect(checkTimes(chain(rec('r1', 'alice', at(LOG_CLOCK_SKEW_MS))), NOW)).toEqual([]);
    const f = checkTimes(chain(rec('r1', 'alice', at(LOG_CLOCK_SKEW_MS + 1))), NOW);
    expect(f.map((x) => [x.kind, x.index, x.learner, x.run_id])).toEqual([['future', 0, 'alice', 'r1']]);
    expect(f[0].message).toBe(
      "entry 0 (learner alice, cohort c1, run r1) is dated 2026-11-29T08:10:00.001Z, in the future: expected a time no later than 2026-11-29T08:10:00.000Z (now, 2026-11-29T08:00:00.000Z, plus the 10-minute clock skew); such an entry would stay the learner's latest and stop every later apply from updating them",
    );
  });

  test('a forged entry from 2099 with a correct hash passes the chain but not the time check', () => {
    const e = chain(
      rec('r1', 'alice', at(-60_000)),
      rec('r1', 'bob', at(-60_000)),
      rec('forged', 'alice', '2099-01-01T00:00:00Z'),
    );
    const r = verifyLogText(serializeLog(e), { now: NOW });
    expect(r.findings.map((x) => [x.kind, x.index, x.learner, x.run_id])).toEqual([['future', 2, 'alice', 'forged']]);
  });

  test('a future entry is reported once, and does not make the entries after it look out of order', () => {
    const e = chain(
      rec('r1', 'alice', at(-120_000)),
      rec('forged', 'alice', '2099-01-01T00:00:00Z'),
      rec('r2', 'bob', at(-60_000)),
    );
    expect(checkTimes(e, NOW).map((x) => [x.kind, x.index])).toEqual([['future', 1]]);
  });
});

describe('entries out of order', () => {
  const base = -3_600_000; // an hour ago
  test('entries of one run share a time; later runs may be up to the skew earlier than the latest', () => {
    const e = chain(
      rec('r1', 'alice', at(base)),
      rec('r1', 'bob', at(base)),
      rec('r2', 'alice', at(base - LOG_CLOCK_SKEW_MS)), // exactly the skew earlier: believed
    );
    expect(checkTimes(e, NOW)).toEqual([]);
  });

  test('one millisecond beyond the skew before the previous entry is refused, naming both entries', () => {
    const e = chain(rec('r1', 'alice', at(base)), rec('r2', 'bob', at(base - LOG_CLOCK_SKEW_MS - 1)));
    const f = checkTimes(e, NOW);
    expect(f.map((x) => [x.kind, x.index, x.learner, x.run_id])).toEqual([['time-order', 1, 'bob', 'r2']]);
    expect(f[0].message).toBe(
      'entry 1 (learner bob, cohort c1, run r2) is dated 2026-11-29T06:49:59.999Z, before entry 0 (learner alice, cohort c1, run r1) at 2026-11-29T07:00:00.000Z: expected entries in the order their applies ran, no earlier than 2026-11-29T06:50:00.000Z (the 10-minute clock skew)',
    );
  });

  test('small steps back, each within the skew, are caught against the latest time so far', () => {
    const step = LOG_CLOCK_SKEW_MS * 0.6;
    const e = chain(rec('r1', 'a', at(base)), rec('r2', 'b', at(base - step)), rec('r3', 'c', at(base - 2 * step)));
    expect(checkTimes(e, NOW).map((x) => [x.kind, x.index])).toEqual([['time-order', 2]]);
  });

  test('`from` reports only the entries from that index, still measured against the earlier ones', () => {
    const e = chain(
      rec('r1', 'a', at(base)),
      rec('r0', 'b', at(base - 2 * LOG_CLOCK_SKEW_MS)),
      rec('r2', 'c', at(base - 2 * LOG_CLOCK_SKEW_MS)),
    );
    expect(checkTimes(e, NOW).map((x) => x.index)).toEqual([1, 2]);
    expect(checkTimes(e, NOW, 2).map((x) => x.index)).toEqual([2]);
  });
});

describe('the log of the project runs (test/fixtures/project-runs)', () => {
  const text = readFileSync(join(__dirname, '..', 'fixtures', 'project-runs', 'provisioning-log.json'), 'utf8');
  const entries = parseLog(text).entries;
  const last = new Date(entries[entries.length - 1].time);

  test('verifies, checked just after it was written and by a clock up to the skew behind', () => {
    expect(entries.length).toBeGreaterThan(30);
    expect(verifyLogText(text, { now: last }).findings).toEqual([]);
    expect(verifyLogText(text, { now: new Date(last.getTime() - LOG_CLOCK_SKEW_MS) }).findings).toEqual([]);
    expect(verifyLogText(text).findings).toEqual([]); // the system clock
  });

  test('checked by a clock further behind, its last run is in the future: the check is not vacuous', () => {
    const f = verifyLogText(text, { now: new Date(last.getTime() - LOG_CLOCK_SKEW_MS - 1000) }).findings;
    expect(f.length).toBeGreaterThan(0);
    expect(new Set(f.map((x) => `${x.kind} ${x.run_id}`))).toEqual(new Set(['future rp-8']));
  });
});
