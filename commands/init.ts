import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from './io';
import { writeFileAtomic } from '../shared/atomic-write';
import { DEFAULT_OWNER, DEFAULT_TEMPLATE_NAME } from '../contracts/settings';
import { DEFAULT_TOOL_REPOSITORY, MANIFEST_FILE } from '../gitops/admin-repository';
import { LOCK_FILE } from '../gitops/provider-lock';
import { scaffoldAdminRepository } from '../gitops/scaffold';
import { lockProvidersCommand } from './lock-providers';
import { readRelease, releaseCommit, releaseRoot } from './release';

export const DEFAULT_COHORT = 'cohort-1';

export const initCommand: Command = {
  summary: 'scaffold an admin repository whose workflows call this release of learning-rooms',
  usage: `Usage: learning-rooms init DIR [--owner O] [--template OWNER/NAME] [--cohort ID]
                           [--tool-repository OWNER/NAME] [--tool-ref SHA] [--version V] [--lock] [--force]

Writes a new admin repository into DIR: roster.json (one cohort, no learners), required-files/,
config/gitops.json, the workflows in .github/workflows/ (callers of this project's reusable
workflows, pinned to one commit), the registration issue form, ${MANIFEST_FILE} (the pin) and a
README with the operator's first hour. No copy of learning-rooms' code goes into it.

  --owner O                   who owns the learning rooms (default ${DEFAULT_OWNER})
  --template OWNER/NAME       the template repository of the rooms (default O/${DEFAULT_TEMPLATE_NAME})
  --cohort ID                 the first cohort's id (default ${DEFAULT_COHORT})
  --tool-repository OWNER/NAME  where the workflows find learning-rooms (default ${DEFAULT_TOOL_REPOSITORY})
  --tool-ref SHA              the commit they run (default: this checkout's, with a warning when
                              its work tree has changes); it must be pushed to --tool-repository
  --version V                 the release's version (default: package.json's)
  --lock                      also write ${LOCK_FILE} now (terraform providers lock; needs the
                              Terraform registry); without it the README says how
  --force                     write into a DIR that is not empty

Exit status: 0 written; 1 refused (every problem listed) or --lock failed; 2 usage.`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        owner: { type: 'string' },
        template: { type: 'string' },
        cohort: { type: 'string' },
        'tool-repository': { type: 'string' },
        'tool-ref': { type: 'string' },
        version: { type: 'string' },
        lock: { type: 'boolean' },
        force: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new Error('expected one DIR, the folder of the new admin repository');
    const dir = resolve(io.cwd, positionals[0]);
    const root = releaseRoot();
    const release = readRelease(root);
    const problems: string[] = [];

    let ref = values['tool-ref'];
    if (ref === undefined) {
      const commit = releaseCommit(root);
      if (!commit) problems.push(`--tool-ref: required, since ${root} is not a git checkout whose commit could be pinned`);
      else {
        ref = commit.ref;
        if (commit.dirty) io.stderr(`warning: ${root} has uncommitted changes; the workflows will run ${ref}, not them\n`);
      }
    }
    if (existsSync(dir) && !statSync(dir).isDirectory()) problems.push(`DIR: ${dir} is a file, expected a folder for the new admin repository`);
    else if (existsSync(dir) && readdirSync(dir).length > 0 && !values.force) problems.push(`DIR: ${dir} is not empty; choose a new folder, or --force to write into it`);

    const owner = values.owner ?? DEFAULT_OWNER;
    const { files, problems: scaffoldProblems } = scaffoldAdminRepository(release, {
      pin: { repository: values['tool-repository'] ?? DEFAULT_TOOL_REPOSITORY, ref: ref ?? '0'.repeat(40), version: values.version ?? release.version },
      owner,
      template: values.template ?? `${owner}/${DEFAULT_TEMPLATE_NAME}`,
      cohort: values.cohort ?? DEFAULT_COHORT,
    });
    problems.push(...scaffoldProblems);
    if (problems.length > 0) {
      io.stderr(problems.map((p) => `learning-rooms init: ${p}\n`).join(''));
      return 1;
    }

    for (const [path, content] of files) {
      const target = join(dir, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileAtomic(target, content);
    }
    io.stdout(`${dir}: a new admin repository (${files.size} files), its workflows pinned to ${values['tool-repository'] ?? DEFAULT_TOOL_REPOSITORY}@${ref}\n`);
    if (values.owner === undefined) io.stdout(`  the rooms go under ${owner}: set PROVISIONING_STUDENT_OWNER in config/gitops.json (or rerun with --owner)\n`);

    if (values.lock) {
      let code: number;
      try {
        code = await lockProvidersCommand.run(['--out', join(dir, LOCK_FILE), '--run'], io);
      } catch (err) {
        // e.g. no terraform on PATH: the repository is written all the same; say what is missing.
        io.stderr(`learning-rooms init: lock-providers: ${(err as Error).message}\n`);
        code = 1;
      }
      if (code !== 0) {
        io.stderr(`learning-rooms init: ${LOCK_FILE} not written; the README's step 7 says how to write it where the Terraform registry is reachable\n`);
        return 1;
      }
    } else {
      io.stdout(`  no ${LOCK_FILE} yet: the README's step 7 writes it (lock-providers --run, where the Terraform registry is reachable)\n`);
    }
    io.stdout(`Next: the operator's first hour in ${join(dir, 'README.md')}\n`);
    return 0;
  },
};
