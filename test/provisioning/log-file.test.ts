import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { LogRecord, parseLog, serializeLog, verifyChain } from '../../provisioning/log';
import { appendRun, LogRefusedError } from '../../provisioning/log-file';

const REPO = join(__dirname, '..', '..');
let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'prov-log-'));
  path = join(dir, 'provisioning-log.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The given sources as CommonJS in a folder of the same layout, for plain `node` workers. */
function transpile(files: string[]): string {
  const root = join(dir, 'js');
  for (const f of files) {
    const out = ts.transpileModule(readFileSync(join(REPO, f), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    mkdirSync(dirname(join(root, f)), { recursive: true });
    writeFileSync(join(root, f.replace(/\.ts$/, '.js')), out.outputText);
  }
  return root;
}

const recs = (runId: string, learners: string[], cohort = 'c1'): LogRecord[] =>
  learners.map((learner) => ({
    run_id: runId,
    commit: 'abc',
    time: '2026-09-28T12:00:00Z',
    cohort,
    learner,
    outcome: 'created',
    detail: 'room created',
  }));

test('appends runs one after the other; each write keeps the old file as a prefix', () => {
  appendRun(path, 'r1', 'c1', recs('r1', ['a', 'b']));
  const first = readFileSync(path, 'utf8');
  const r = appendRun(path, 'r2', 'c1', recs('r2', ['a']));
  const second = readFileSync(path, 'utf8');
  expect(r.appended).toHaveLength(1);
  expect(second.startsWith(first.slice(0, first.lastIndexOf('\n  ]')))).toBe(true);
  const parsed = parseLog(second);
  expect(parsed.canonical).toBe(true);
  expect(parsed.entries.map((e) => [e.run_id, e.learner])).toEqual([
    ['r1', 'a'],
    ['r1', 'b'],
    ['r2', 'a'],
  ]);
  expect(verifyChain(parsed.entries)).toEqual([]);
  expect(existsSync(`${path}.lock`)).toBe(false);
}, 60000);

test('idempotent on run id and cohort: the same run twice appends nothing; another cohort of that run appends', () => {
  appendRun(path, 'r1', 'c1', recs('r1', ['a', 'b']));
  const before = readFileSync(path, 'utf8');
  const again = appendRun(path, 'r1', 'c1', recs('r1', ['a', 'b', 'c']));
  expect(again.alreadyRecorded).toBe(true);
  expect(again.appended).toEqual([]);
  expect(again.runEntries.map((e) => e.learner)).toEqual(['a', 'b']);
  expect(readFileSync(path, 'utf8')).toBe(before);
  expect(appendRun(path, 'r1', 'c2', recs('r1', ['z'], 'c2')).appended).toHaveLength(1);
});

test('refuses, writing nothing, when the log on disk fails verification or was reformatted', () => {
  appendRun(path, 'r1', 'c1', recs('r1', ['a', 'b', 'c']));
  const good = readFileSync(path, 'utf8');
  const edited = good.replace('"learner":"b"', '"learner":"mallory"');
  writeFileSync(path, edited);
  expect(() => appendRun(path, 'r2', 'c1', recs('r2', ['a']))).toThrow(
    /fails verification[\s\S]*entry 1 \(learner mallory, cohort c1, run r1\) was edited/,
  );
  expect(readFileSync(path, 'utf8')).toBe(edited);
  writeFileSync(path, JSON.stringify(JSON.parse(good), null, 2));
  expect(() => appendRun(path, 'r2', 'c1', recs('r2', ['a']))).toThrow(/not in the canonical layout/);
  writeFileSync(path, good.slice(0, good.length - 30));
  expect(() => appendRun(path, 'r2', 'c1', recs('r2', ['a']))).toThrow(/truncated or damaged/);
});

test('two writers: the one that read first and wrote second refuses; the log holds the other run only', () => {
  appendRun(path, 'r0', 'c1', recs('r0', ['a']));
  let inner: ReturnType<typeof appendRun> | undefined;
  const outer = () =>
    appendRun(path, 'r1', 'c1', recs('r1', ['a', 'b']), {
      // The second writer gets in between this writer's read and its write (its lock is bypassed
      // by removing it, as a writer on another machine sharing the file would not see it).
      beforeWrite: () => {
        rmSync(`${path}.lock`);
        inner = appendRun(path, 'r2', 'c1', recs('r2', ['c']));
      },
    });
  let error: unknown;
  try {
    outer();
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(LogRefusedError);
  expect((error as Error).message).toMatch(/no longer a prefix of what would be written/);
  expect(inner?.appended).toHaveLength(1);
  const entries = parseLog(readFileSync(path, 'utf8')).entries;
  expect(entries.map((e) => e.run_id)).toEqual(['r0', 'r2']);
  expect(verifyChain(entries)).toEqual([]);
});

test('a held lock makes a writer refuse at once', () => {
  writeFileSync(`${path}.lock`, 'pid 123 since 2026-09-28T12:00:00Z\n');
  expect(() => appendRun(path, 'r1', 'c1', recs('r1', ['a']))).toThrow(/another writer holds .*\.lock \(pid 123 since/);
  expect(existsSync(path)).toBe(false);
  expect(readFileSync(`${path}.lock`, 'utf8')).toContain('pid 123'); // not ours to remove
});

test('many processes appending at once: none corrupts the log, and each run is in it whole or not at all', async () => {
  writeFileSync(path, serializeLog([]));
  const go = join(dir, 'go');
  const worker = join(__dirname, 'helpers', 'append-worker.js');
  const jsRoot = transpile([
    'provisioning/log-file.ts',
    'provisioning/log.ts',
    'shared/atomic-write.ts',
    'shared/text-input.ts',
    'roster/types.ts',
    'roster/handle.ts',
  ]);
  const runs = Array.from({ length: 6 }, (_, i) => `run-${i}`);
  const workers = runs.map((id) =>
    spawn(process.execPath, [worker, path, id, '50', go, jsRoot], { stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  const ready = workers.map(
    (w) => new Promise<void>((res) => w.stderr.on('data', (d: Buffer) => d.toString().includes('ready') && res())),
  );
  const done = workers.map(
    (w) =>
      new Promise<string>((res, rej) => {
        let out = '';
        w.stdout.on('data', (d: Buffer) => (out += d.toString()));
        w.on('error', rej);
        w.on('close', (code) => (code === 0 ? res(out) : rej(new Error(`worker exited ${code}`))));
      }),
  );
  await Promise.all(ready); // every worker loaded: now they start together
  writeFileSync(go, '');
  const results = (await Promise.all(done)).map(
    (out) => JSON.parse(out) as { ok: boolean; refused?: boolean; message?: string },
  );
  for (const r of results) if (!r.ok) expect(r.refused).toBe(true);
  const parsed = parseLog(readFileSync(path, 'utf8'));
  expect(parsed.findings).toEqual([]);
  expect(verifyChain(parsed.entries)).toEqual([]);
  const written = runs.filter((_, i) => results[i].ok);
  expect(written.length).toBeGreaterThan(0);
  expect([...new Set(parsed.entries.map((e) => e.run_id))].sort()).toEqual(written.sort());
  for (const id of written) expect(parsed.entries.filter((e) => e.run_id === id)).toHaveLength(50);
  expect(existsSync(`${path}.lock`)).toBe(false);
}, 60000);
