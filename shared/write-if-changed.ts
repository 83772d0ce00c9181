import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic-write';

/**
 * Writes `text` atomically unless the file already holds exactly it: an unchanged record keeps its
 * bytes and its time stamp, so nothing downstream (git, a commit step) sees a change.
 * Returns whether it wrote.
 */
export function writeFileIfChanged(path: string, text: string): boolean {
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (current === text) return false;
  writeFileAtomic(path, text);
  return true;
}
