import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

test('a writer killed at any moment leaves one of the complete versions', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-kill-'));
  const file = join(dir, 'roster.json');
  const size = 4 * 1024 * 1024;
  const a = 'A'.repeat(size);
  writeFileSync(file, a);
  // The child runs the real module (transpiled here) and rewrites the file in a loop until killed.
  const source = readFileSync(join(__dirname, '../../shared/atomic-write.ts'), 'utf8');
  const modulePath = join(dir, 'atomic-write.js');
  writeFileSync(modulePath, ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText);
  const child = spawn(process.execPath, [
    '-e',
    `const {writeFileAtomic}=require(${JSON.stringify(modulePath)});
     const a='A'.repeat(${size}), b='B'.repeat(${size});
     process.stdout.write('ready\\n');
     for (let i=0;;i++) writeFileAtomic(${JSON.stringify(file)}, i%2?a:b);`,
  ], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const seen = new Set<string>();
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 3 + (i % 7)));
    const content = readFileSync(file, 'utf8');
    expect(content.length).toBe(size);
    expect(content === a || content === 'B'.repeat(size)).toBe(true);
    seen.add(content[0]);
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const content = readFileSync(file, 'utf8');
  expect(content === a || content === 'B'.repeat(size)).toBe(true);
  expect(seen.has('B')).toBe(true); // the child really was replacing the file while we read
});
