#!/usr/bin/env node
'use strict';
// The command line is compiled TypeScript (npm run build); this shim only finds it.
const path = require('node:path');
let cli;
try {
  cli = require(path.join(__dirname, '..', 'dist', 'cli', 'main.js'));
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND') {
    process.stderr.write('learning-rooms: not built yet; run `npm run build` (or `npm ci`, which builds) first.\n');
    process.exit(2);
  }
  throw err;
}
cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
