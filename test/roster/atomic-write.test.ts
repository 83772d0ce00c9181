import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { writeFileAtomic } from '../../shared/atomic-write';

describe('permissions', () => {
  const mode = (p: string) => statSync(p).mode & 0o777;

  test.each([0o600, 0o640, 0o664, 0o444])('a file of mode %o keeps it when replaced', (m) => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-mode-'));
    const file = join(dir, 'roster.json');
    writeFileSync(file, 'old');
    chmodSync(file, m);
    writeFileAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(mode(file).toString(8)).toBe(m.toString(8));
    expect(readdirSync(dir)).toEqual(['roster.json']);
  });

  test('a new file gets the default mode, the one writeFileSync gives', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-mode-'));
    writeFileSync(join(dir, 'plain'), 'x');
    writeFileAtomic(join(dir, 'atomic'), 'x');
    expect(mode(join(dir, 'atomic')).toString(8)).toBe(mode(join(dir, 'plain')).toString(8));
  });
});

test('a writer killed at any moment leaves one of the complete versions', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-kill-'));
  const file = join(dir, 'roster.json');
  const size = 4 * 1024 * 1024;
  const a = 'A'.repeat(size);
  writeFileSync(file, a);
  // The child runs the real module (transpiled here) and rewrites the file in a loop until killed.
  const source = readFileSync(join(__dirname, '../../shared/atomic-write.ts'), 'utf8');
  const modulePath = join(dir, 'atomic-write.js');
  writeFileSync(
    modulePath,
    ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } })
      .outputText,
  );
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const {writeFileAtomic}=require(${JSON.stringify(modulePath)});
     const a='A'.repeat(${size}), b='B'.repeat(${size});
     process.stdout.write('ready\\n');
     for (let i=0;;i++) writeFileAtomic(${JSON.stringify(file)}, i%2?a:b);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
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
