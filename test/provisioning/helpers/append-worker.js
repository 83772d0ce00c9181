// A second process appending to the provisioning log, for the "two writers at once" test.
// Runs the TypeScript sources directly: each .ts file is transpiled on require (no type check).
'use strict';
const fs = require('node:fs');
const ts = require('typescript');
require.extensions['.ts'] = (module, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: filename,
  });
  module._compile(out.outputText, filename);
};
const { appendRun } = require('../../../provisioning/log-file.ts');

const [logPath, runId, count, goFile] = process.argv.slice(2);
const records = Array.from({ length: Number(count) }, (_, i) => ({
  run_id: runId, commit: 'c', time: '2026-09-28T12:00:00Z', cohort: 'c1', learner: `l${i}`, outcome: 'created', detail: 'room created',
}));
// Start together: wait until the test creates the go file.
while (!fs.existsSync(goFile)) { /* spin: a few milliseconds at most */ }
try {
  const r = appendRun(logPath, runId, 'c1', records);
  process.stdout.write(JSON.stringify({ ok: true, appended: r.appended.length }));
} catch (err) {
  process.stdout.write(JSON.stringify({ ok: false, refused: err.name === 'LogRefusedError', message: err.message }));
}
