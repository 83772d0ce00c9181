// A second process appending to the provisioning log, for the "two writers at once" test.
// The test transpiles the log writer's sources into a folder (argv[6]) so that workers load plain JS.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const [logPath, runId, count, goFile, jsRoot] = process.argv.slice(2);
const { appendRun } = require(path.join(jsRoot, 'provisioning', 'log-file.js'));
const records = Array.from({ length: Number(count) }, (_, i) => ({
  run_id: runId,
  commit: 'c',
  time: '2026-09-28T12:00:00Z',
  cohort: 'c1',
  learner: `l${i}`,
  outcome: 'created',
  detail: 'room created',
}));
// Start together: say we are loaded, then wait (sleeping, not spinning) for the test's go file.
process.stderr.write('ready\n');
const pause = new Int32Array(new SharedArrayBuffer(4));
while (!fs.existsSync(goFile)) Atomics.wait(pause, 0, 0, 2);
try {
  const r = appendRun(logPath, runId, 'c1', records);
  process.stdout.write(JSON.stringify({ ok: true, appended: r.appended.length }));
} catch (err) {
  process.stdout.write(JSON.stringify({ ok: false, refused: err.name === 'LogRefusedError', message: err.message }));
}
