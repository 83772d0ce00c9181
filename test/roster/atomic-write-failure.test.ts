import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../shared/atomic-write';

let failRename = false;
jest.mock('node:fs', () => {
  const actual = jest.requireActual<typeof import('node:fs')>('node:fs');
  return {
    ...actual,
    renameSync: (from: string, to: string) => {
      if (failRename) throw Object.assign(new Error('EIO: simulated failure'), { code: 'EIO' });
      return actual.renameSync(from, to);
    },
  };
});

test('a write that fails before the rename leaves the old file whole and no temporary file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
  const file = join(dir, 'roster.json');
  writeFileSync(file, 'old');
  failRename = true;
  try {
    expect(() => writeFileAtomic(file, 'new')).toThrow('simulated failure');
  } finally {
    failRename = false;
  }
  expect(readFileSync(file, 'utf8')).toBe('old');
  expect(readdirSync(dir)).toEqual(['roster.json']);
  writeFileAtomic(file, 'new');
  expect(readFileSync(file, 'utf8')).toBe('new');
});
