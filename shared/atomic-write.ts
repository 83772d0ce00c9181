import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Replaces `path` with `data` so that a reader (or a crash) sees either the old file whole or the
 * new file whole: temporary file in the same folder (rename is atomic only within a file system),
 * fsync of the data, rename, fsync of the folder so the rename itself survives a power loss.
 * The file keeps its permission bits (a 0600 roster stays 0600, since the rename would otherwise
 * give it the temporary file's); a new file gets the default mode, as `writeFileSync` would give.
 */
export function writeFileAtomic(path: string, data: string | Buffer): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const keep = existingMode(path);
  // Created with the kept mode (less the umask), so the temporary file never shows the content more widely than the file did.
  const fd = openSync(tmp, 'wx', keep ?? 0o666);
  try {
    try {
      // Set exactly (the umask applies to openSync's mode, so a kept mode could come out narrower).
      if (keep !== undefined) fchmodSync(fd, keep);
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // the temporary file may already be gone (renamed); nothing to clean
    }
    throw err;
  }
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // some file systems refuse fsync on a directory; the rename has happened regardless
  }
}

/** The permission bits of the file at `path`, or undefined when there is none yet. */
function existingMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
