import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defineCommand, UsageError } from './command';
import { outFile } from './common-options';
import { writeFileAtomic } from '../shared/atomic-write';
import { GITHUB_PROVIDER } from '../contracts/stack-policy';
import {
  checkLockFile,
  LOCK_FILE,
  LOCK_PLATFORMS,
  lockCommandArgs,
  lockRequirementDocument,
} from '../gitops/provider-lock';

/** POSIX shell quoting for the printed command. */
function sh(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export const lockProvidersCommand = defineCommand({
  name: 'lock-providers',
  summary: `write the provider lock file (${LOCK_FILE}) that prepare-stack copies into every trusted stack folder`,
  usage: ['--out FILE [--run] [--platform P]... [--fs-mirror DIR]'],
  description: `Once per provider version, the operator records the hashes of ${GITHUB_PROVIDER.address}
${GITHUB_PROVIDER.version} in ${LOCK_FILE} and commits it to the admin repository; prepare-stack
refuses to build a trusted stack folder without it, and terraform init -lockfile=readonly then
installs only a package with one of these hashes.

Writes a folder holding only the pinned required_providers (a temporary folder) and prints the
terraform command to run in it and the copy to FILE; with --run, runs it (Terraform fetches the
packages from the registry, or from --fs-mirror) and writes FILE after checking it. Without
--run nothing but the temporary folder is written, so it takes no --dry-run.`,
  options: {
    out: { ...outFile(`the lock file to write (commit it as ./${LOCK_FILE})`), required: true },
    run: { type: 'boolean', help: 'run terraform providers lock now (needs terraform on PATH and the registry)' },
    platform: {
      type: 'string',
      multiple: true,
      value: 'P',
      help: `a platform to hash, repeatable (default: ${LOCK_PLATFORMS.join(', ')})`,
    },
    'fs-mirror': {
      type: 'string',
      value: 'DIR',
      help: 'take the packages from this filesystem mirror instead of the registry',
    },
  },
  exitStatus:
    '0 the command printed, or (with --run) FILE written; 1 terraform failed or its lock file is not what prepare-stack accepts; 2 usage or I/O.',
  async run({ values }, io) {
    const out = resolve(io.cwd, values.out);
    const platforms = values.platform?.length ? values.platform : [...LOCK_PLATFORMS];
    const wrong = platforms.filter((p) => !/^[a-z0-9]+_[a-z0-9]+$/.test(p));
    if (wrong.length > 0) throw new UsageError(wrong.map((p) => `--platform ${p}: expected os_arch, e.g. linux_amd64`));
    const mirror = values['fs-mirror'] ? resolve(io.cwd, values['fs-mirror']) : undefined;
    const work = mkdtempSync(join(tmpdir(), 'learning-rooms-lock-'));
    writeFileSync(join(work, 'versions.tf.json'), JSON.stringify(lockRequirementDocument(), null, 2) + '\n');
    const tfArgs = lockCommandArgs(platforms, mirror);
    if (!values.run) {
      io.stdout(
        `Run, then commit ${LOCK_FILE}:\n  cd ${sh(work)} && terraform ${tfArgs.map(sh).join(' ')} && cp ${LOCK_FILE} ${sh(out)}\n`,
      );
      return 0;
    }
    const r = spawnSync('terraform', [...tfArgs, '-no-color'], { cwd: work, env: io.env, encoding: 'utf8' });
    if (r.error) throw new Error(`terraform: ${r.error.message}`);
    if (r.status !== 0) {
      io.stderr(
        `learning-rooms lock-providers: terraform providers lock failed (exit ${r.status}) in ${work}:\n${r.stderr}${r.stdout}`,
      );
      return 1;
    }
    const text = readFileSync(join(work, LOCK_FILE), 'utf8');
    const problems = checkLockFile(text, join(work, LOCK_FILE));
    if (problems.length > 0) {
      io.stderr(problems.map((p) => `learning-rooms lock-providers: ${p}\n`).join(''));
      return 1;
    }
    writeFileAtomic(out, text);
    io.stdout(`${out}: ${GITHUB_PROVIDER.address} ${GITHUB_PROVIDER.version}, hashes for ${platforms.join(', ')}\n`);
    return 0;
  },
});
