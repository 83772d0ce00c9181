import { execFileSync } from 'node:child_process';
import { parseRoster, serializeRoster, validateRoster } from '../roster';
import { generatedRoster } from '../test-kit/rosters';
import { measure, Measurement, printTable } from './measure';

// Each size runs in its own process so that the peak memory figure belongs to that size alone.
const size = Number(process.argv[2]);
if (Number.isFinite(size) && size > 0) {
  const r = generatedRoster(size);
  const rows: Measurement[] = [];
  const { result: text, m: s } = measure(`serialize ${size}`, () => serializeRoster(r));
  rows.push(s);
  rows.push(measure(`validate ${size}`, () => validateRoster(r)).m);
  const { result: parsed, m: p } = measure(`parse+validate ${size}`, () => parseRoster(text));
  if (parsed.errors.length) throw new Error('generated roster is invalid');
  rows.push(p);
  process.stdout.write(JSON.stringify({ rows, bytes: text.length }) + '\n');
} else {
  const all: Measurement[] = [];
  for (const n of [1000, 10000]) {
    const out = execFileSync(process.execPath, [__filename, String(n)], { encoding: 'utf8' });
    const { rows, bytes } = JSON.parse(out) as { rows: Measurement[]; bytes: number };
    all.push(...rows);
    console.log(`${n} learners: roster of ${(bytes / 1024 / 1024).toFixed(2)} MiB`);
  }
  printTable(all);
}
