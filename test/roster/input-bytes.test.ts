/** Strict reading of the JSON inputs: invalid UTF-8 and very deep nesting are errors with a position. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chainRecords, GENESIS_HASH, parseLog, serializeLog } from '../../provisioning/log';
import { parseLearnerIndex, readLearnerIndex } from '../../contracts/learner-index';
import { appendRun, LogRefusedError } from '../../provisioning/log-file';
import { parsePlanJson } from '../../contracts/terraform-plan';
import { parseRoster, readRosterFile, serializeRoster } from '../../roster';
import { ROSTER_MAX_DEPTH } from '../../roster/json-text';
import { decodeUtf8, firstInvalidUtf8, nestingBeyond } from '../../shared/text-input';
import { cli } from '../helpers/cli';
import { learner, roster } from '../../test-kit/rosters';

const dir = mkdtempSync(join(tmpdir(), 'input-bytes-'));
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('UTF-8, strictly', () => {
  test('well-formed text of every sequence length decodes unchanged', () => {
    const text = 'a é € 𝄞 \u{10ffff} \ufeff';
    expect(firstInvalidUtf8(Buffer.from(text, 'utf8'))).toBeUndefined();
    expect(decodeUtf8(Buffer.from(text, 'utf8'))).toEqual({ text });
  });

  test.each([
    ['a stray continuation byte', [0x80]],
    ['a Latin-1 é', [0xe9, 0x20]],
    ['an overlong "/"', [0xc0, 0xaf]],
    ['an overlong three-byte form', [0xe0, 0x80, 0x80]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a sequence cut short', [0xe2, 0x82]],
    ['0xff', [0xff]],
  ])('%s is found at its byte offset', (_what, bad) => {
    const b = bytes('{"x": "ok é"}\n  "y', bad, '"');
    const offset = Buffer.byteLength('{"x": "ok é"}\n  "y');
    expect(firstInvalidUtf8(b)).toBe(offset);
    const d = decodeUtf8(b);
    expect('problem' in d && d.problem).toMatchObject({ offset, line: 2, column: 5 });
  });

  test('the roster: an invalid byte is an error naming byte, line and column, not a silent U+FFFD', async () => {
    const good = serializeRoster(roster([learner('alice', 'c1', { name: 'Zoe' })]));
    const at = good.indexOf('Zoe') + 1;
    const b = Buffer.from(good, 'utf8');
    b[at] = 0xe9; // "Zoe" saved as Latin-1 "Zé" would look like this
    writeFileSync(join(dir, 'latin1.json'), b);
    const line = good.slice(0, at).split('\n').length;
    const column = at - good.lastIndexOf('\n', at - 1);
    const r = readRosterFile(join(dir, 'latin1.json'));
    expect(r.roster).toBeUndefined();
    expect(r.errors).toEqual([
      {
        path: '(document)',
        expected: `not valid UTF-8 at byte ${at}: found the bytes 0xe9 0x65 0x22 0x2c; save the file as UTF-8`,
        found: 'invalid UTF-8',
        line,
        column,
      },
    ]);
    const res = await cli(['validate', 'latin1.json'], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`latin1.json:${line}:${column}: not valid UTF-8 at byte ${at}: found the bytes 0xe9`);
  });

  test('the log, the plan and the learner index read through the same strict decoder', async () => {
    const entries = chainRecords(
      [
        {
          run_id: 'r1',
          commit: 'c',
          time: '2026-09-28T12:00:00Z',
          cohort: 'c1',
          learner: 'alice',
          outcome: 'created',
          detail: 'room créé',
        },
      ],
      GENESIS_HASH,
    );
    const text = serializeLog(entries);
    const b = Buffer.from(text, 'utf8');
    const at = b.indexOf(Buffer.from('é'));
    b[at + 1] = 0x41; // é's continuation byte replaced: an invalid sequence
    writeFileSync(join(dir, 'provisioning-log.json'), b);
    const v = await cli(['verify-log', '--json'], { cwd: dir });
    expect(v.code).toBe(1);
    const line = text.slice(0, text.indexOf('é')).split('\n').length;
    const column = text.indexOf('é') - text.lastIndexOf('\n', text.indexOf('é')); // é is the column-th character of its line
    expect(JSON.parse(v.stdout).findings).toEqual([
      {
        kind: 'syntax',
        message: `line ${line}, column ${column}: not valid UTF-8 at byte ${at}: found the bytes 0xc3 0x41 0xc3 0xa9; save the file as UTF-8: the file is damaged`,
      },
    ]);
    expect(() => appendRun(join(dir, 'provisioning-log.json'), 'r2', 'c1', [])).toThrow(LogRefusedError);
    expect(() => appendRun(join(dir, 'provisioning-log.json'), 'r2', 'c1', [])).toThrow(
      /provisioning-log\.json:\d+:\d+: not valid UTF-8 at byte \d+.*the log is damaged, so nothing was appended/,
    );
    writeFileSync(join(dir, 'learners.json'), bytes('{"x":"', [0xff], '"}'));
    expect(() => readLearnerIndex(join(dir, 'learners.json'))).toThrow(
      /learners\.json:1:7: not valid UTF-8 at byte 6: found the bytes 0xff/,
    );
  });
});

describe('nesting 200,000 levels deep', () => {
  const N = 200_000;
  const deepArray = '['.repeat(N) + ']'.repeat(N);
  const deepObject = '{"a":'.repeat(N) + '1' + '}'.repeat(N);

  test('JSON.parse itself survives it; the recursive steps after it would not', () => {
    expect(() => JSON.parse(deepArray)).not.toThrow();
    expect(() => JSON.stringify(JSON.parse(deepObject))).toThrow(RangeError); // what the depth bound keeps us from
  });

  test('the scan finds the first level too many, and is not fooled by brackets in strings', () => {
    expect(nestingBeyond('[[["[[[[[["]]]', 3)).toBeUndefined();
    expect(nestingBeyond('[[["\\"[[[[["]]]', 3)).toBeUndefined();
    expect(nestingBeyond('{"a":\n [[[1]]]}', 3)).toEqual({
      message: 'nested deeper than 3 levels (arrays and objects)',
      line: 2,
      column: 4,
    });
  });

  test('the roster: a clear error with its position, exit 1, at 65 levels and at 200,000', async () => {
    const at = (depth: number) =>
      `{"format_version": 1, "cohorts": [], "learners": [], "x": ${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
    // 64 levels are read (and then refused by the schema for the unknown field), 65 are not.
    expect(parseRoster(at(ROSTER_MAX_DEPTH)).errors.map((e) => e.path)).toEqual(['x']);
    // The document is level 1, so level 65 is the 64th bracket of "x" (1-based column: index + 1).
    const column = at(65).indexOf('"x": ') + 5 + 63 + 1;
    expect(parseRoster(at(ROSTER_MAX_DEPTH + 1)).errors).toEqual([
      {
        path: '(document)',
        expected:
          'nested deeper than 64 levels (arrays and objects): a roster has only a few levels (document, learners, learner, provisioning)',
        found: 'invalid JSON',
        line: 1,
        column,
      },
    ]);
    writeFileSync(join(dir, 'deep.json'), `{"format_version": 1, "cohorts": [], "learners": [], "x": ${deepObject}}`);
    const res = await cli(['validate', 'deep.json'], { cwd: dir });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('deep.json:1:');
    expect(res.stderr).toContain('nested deeper than 64 levels');
    expect(res.stderr).not.toMatch(/call stack/i);
  });

  test('the log, the plan and the learner index: each a clear error', async () => {
    const deepLog = `{"format_version": 1, "entries": [{"cause": ${deepArray}}]}`;
    // Levels 1-3 are the document, "entries" and the entry: level 65 is the 62nd bracket of "cause".
    const column = deepLog.indexOf('"cause": ') + 9 + 61 + 1;
    expect(parseLog(deepLog).findings).toEqual([
      {
        kind: 'syntax',
        message: `nested deeper than 64 levels (arrays and objects) at line 1, column ${column}: a log entry is a flat object, so the file is damaged`,
      },
    ]);
    writeFileSync(join(dir, 'deep-log.json'), deepLog);
    const v = await cli(['verify-log', 'deep-log.json'], { cwd: dir });
    expect(v.code).toBe(1);
    expect(v.stderr).toContain('nested deeper than 64 levels');
    expect(() => parsePlanJson(`{"format_version": "1.2", "prior_state": ${deepObject}}`, 'plan.json')).toThrow(
      /^plan\.json:1:\d+: nested deeper than 256 levels \(arrays and objects\); expected the output of `terraform show -json PLANFILE`$/,
    );
    expect(() => parseLearnerIndex(`{"format_version": ${deepArray}}`, 'learners.json')).toThrow(
      /^learners\.json:1:\d+: nested deeper than 64 levels/,
    );
  });
});
