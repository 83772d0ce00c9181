/**
 * The trusted stack folder: the only folder Terraform runs in. A synthesized stack folder comes
 * from a pull request (an artifact), and Terraform loads every file in its working directory
 * (`*.tf`, `*.tf.json`, `*_override.tf.json`, `*.tfvars`, `terraform.d/plugins`, ...), so it never
 * runs there. From the artifact only `cdk.tf.json` is read; the folder Terraform gets holds exactly
 * that document re-serialized after the check, our backend override and the trusted lock file.
 * This module is the file-system edge; the checks are gitops/stack-check.ts and provider-lock.ts.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../shared/atomic-write';
import { LOCK_FILE } from './provider-lock';
import { BACKEND_OVERRIDE_FILE } from './stack-prep';

export const STACK_CONFIG_FILE = 'cdk.tf.json';
/** The three files of a trusted stack folder, and nothing else. */
export const TRUSTED_STACK_FILES = [STACK_CONFIG_FILE, BACKEND_OVERRIDE_FILE, LOCK_FILE] as const;
/** About 14,000 learners with two required files of the example's size (4.7 KB each); a bound on what a pull request can make the runner read. */
export const MAX_STACK_CONFIG_BYTES = 64 * 1024 * 1024;

/**
 * The text of `<dir>/cdk.tf.json`: a regular file (not a symbolic link, which could point at a
 * secret on the runner; not a FIFO, which would block), at most `maxBytes`, valid UTF-8.
 */
export function readStackConfigText(
  dir: string,
  maxBytes = MAX_STACK_CONFIG_BYTES,
): { text?: string; problem?: string } {
  const path = join(dir, STACK_CONFIG_FILE);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP')
      return { problem: `${STACK_CONFIG_FILE} is a symbolic link; expected the synthesized file itself` };
    if (code === 'ENOENT') return { problem: `no ${STACK_CONFIG_FILE} in ${dir}` };
    return { problem: `${STACK_CONFIG_FILE}: ${(err as Error).message}` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { problem: `${STACK_CONFIG_FILE} is not a regular file` };
    if (stat.size > maxBytes)
      return { problem: `${STACK_CONFIG_FILE} is ${stat.size} bytes; at most ${maxBytes} are read` };
    // Read to the end, but never past the cap, whatever the size said.
    const buf = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (let n; length < buf.length && (n = readSync(fd, buf, length, buf.length - length, null)) > 0;) length += n;
    if (length > maxBytes) return { problem: `${STACK_CONFIG_FILE} grew past ${maxBytes} bytes while being read` };
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, length)) };
    } catch {
      return { problem: `${STACK_CONFIG_FILE} is not valid UTF-8 text` };
    }
  } finally {
    closeSync(fd);
  }
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest (for folders not made yet). */
function realish(path: string): string {
  let head = resolve(path);
  const tail: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(head), ...tail);
    } catch {
      const parent = dirname(head);
      if (parent === head) return resolve(path);
      tail.unshift(head.slice(parent.length).replace(/^[\\/]+/, ''));
      head = parent;
    }
  }
}

/** True when `inner` is `outer` or inside it, symbolic links resolved. */
export function isWithin(inner: string, outer: string): boolean {
  const rel = relative(realish(outer), realish(inner));
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
}

/** Why `out` cannot be the trusted folder for a stack read from `dir`; empty when it can. */
export function outDirProblems(out: string, dir: string): string[] {
  if (isWithin(out, dir))
    return [`--out-dir ${out}: must not be the stack folder or inside it (Terraform would see the artifact's files)`];
  let stat;
  try {
    stat = lstatSync(out);
  } catch {
    return [];
  }
  if (stat.isSymbolicLink()) return [`--out-dir ${out}: is a symbolic link; expected a new or empty folder`];
  if (!stat.isDirectory()) return [`--out-dir ${out}: exists and is not a folder; expected a new or empty folder`];
  if (readdirSync(out).length > 0)
    return [
      `--out-dir ${out}: is not empty; expected a new or empty folder, so that it holds only what prepare-stack writes`,
    ];
  return [];
}

export interface TrustedStack {
  out: string;
  /** The checked configuration, written back out so Terraform reads what was checked. */
  config: unknown;
  backendOverride: unknown;
  lockText: string;
}

export function writeTrustedStack(stack: TrustedStack): void {
  mkdirSync(stack.out, { recursive: true });
  writeFileAtomic(join(stack.out, STACK_CONFIG_FILE), JSON.stringify(stack.config, null, 2) + '\n');
  writeFileAtomic(join(stack.out, BACKEND_OVERRIDE_FILE), JSON.stringify(stack.backendOverride, null, 2) + '\n');
  writeFileAtomic(join(stack.out, LOCK_FILE), stack.lockText);
}
