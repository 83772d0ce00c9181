import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../shared/atomic-write';
import { DEFAULT_OWNER, DEFAULT_TEMPLATE_NAME, SETTINGS_ENV } from '../contracts/settings';
import { DEFAULT_TOOL_REPOSITORY, MANIFEST_FILE } from '../gitops/admin-repository';
import { LOCK_FILE } from '../gitops/provider-lock';
import { scaffoldAdminRepository, scaffoldFrontDoor, type FrontDoorOptions } from '../gitops/scaffold';
import { defineCommand } from './command';
import { DRY_RUN, GITHUB_OPTIONS } from './common-options';
import { lockProvidersCommand } from './lock-providers';
import { readRelease, releaseCommit, releaseRoot } from './release';

export const DEFAULT_COHORT = 'cohort-1';

const options = {
  owner: {
    ...GITHUB_OPTIONS.owner,
    help: `who owns the learning rooms, written into config/gitops.json (default: $${SETTINGS_ENV.owner}, else ${DEFAULT_OWNER})`,
  },
  template: {
    type: 'string',
    value: 'OWNER/NAME',
    help: `the template repository of the rooms (default: OWNER/${DEFAULT_TEMPLATE_NAME})`,
  },
  cohort: { type: 'string', value: 'ID', help: `the first cohort's id (default: ${DEFAULT_COHORT})` },
  'tool-repository': {
    type: 'string',
    value: 'OWNER/NAME',
    help: `where the workflows find learning-rooms (default: ${DEFAULT_TOOL_REPOSITORY})`,
  },
  'tool-ref': {
    type: 'string',
    value: 'SHA',
    help: "the commit they run (default: this checkout's, with a warning when its work tree has changes); it must be pushed to --tool-repository",
  },
  version: { type: 'string', value: 'V', help: "the release's version (default: package.json's)" },
  'front-door': {
    type: 'string',
    value: 'DIR2',
    help: 'also write the public front door into DIR2: the registration form learners open, its workflow that hands each request to the admin repository, and a README for learners',
  },
  'front-door-repository': {
    type: 'string',
    value: 'OWNER/NAME',
    help: "the front door's repository on GitHub (default: OWNER/<DIR2's folder name>)",
  },
  'admin-repository': {
    type: 'string',
    value: 'OWNER/NAME',
    help: "the admin repository on GitHub, where the front door hands requests (default: OWNER/<DIR's folder name>)",
  },
  lock: {
    type: 'boolean',
    help: `also write ${LOCK_FILE} now (terraform providers lock; needs the Terraform registry); without it the README says how`,
  },
  force: { type: 'boolean', help: 'write into a DIR that is not empty' },
  'dry-run': {
    ...DRY_RUN,
    help: `${DRY_RUN.help}: every check, then the files it would write into DIR (and, with --lock, the lock file it would write)`,
  },
} as const;

export const initCommand = defineCommand({
  name: 'init',
  summary: 'scaffold an admin repository whose workflows call this release of learning-rooms',
  usage: ['DIR [--owner NAME] [--template OWNER/NAME] [--cohort ID] [--front-door DIR2] [options]'],
  description: `Writes a new admin repository into DIR: roster.json (one cohort, no learners), required-files/,
config/gitops.json, the workflows in .github/workflows/ (callers of this project's reusable
workflows, pinned to one commit), the registration issue form, ${MANIFEST_FILE} (the pin) and a
README with the operator's first hour. No copy of learning-rooms' code goes into it.
With --front-door DIR2, also the public front door where learners register (the replacement
for GitHub Classroom's invitation link): its form, its workflow and a README for learners; the
admin repository then also gets the Enrol workflow, the front door in config/gitops.json and a
first cohort whose enrolment is open, each registration reviewed by a facilitator.`,
  argument: {
    name: 'DIR',
    option: 'out-dir',
    value: 'DIR',
    help: 'the folder of the new admin repository',
    required: true,
  },
  options,
  exitStatus:
    '0 written (or, with --dry-run, would be); 1 refused (every problem listed) or --lock failed; 2 usage error.',
  async run({ values, file }, io) {
    const dir = resolve(io.cwd, file ?? '.');
    const root = releaseRoot();
    const release = readRelease(root);
    const problems: string[] = [];

    let ref = values['tool-ref'];
    if (ref === undefined) {
      const commit = releaseCommit(root);
      if (!commit)
        problems.push(`--tool-ref: required, since ${root} is not a git checkout whose commit could be pinned`);
      else {
        ref = commit.ref;
        if (commit.dirty)
          io.stderr(`warning: ${root} has uncommitted changes; the workflows will run ${ref}, not them\n`);
      }
    }
    const folderProblem = (name: string, d: string, what: string) => {
      if (existsSync(d) && !statSync(d).isDirectory())
        problems.push(`${name}: ${d} is a file, expected a folder for ${what}`);
      else if (existsSync(d) && readdirSync(d).length > 0 && !values.force)
        problems.push(`${name}: ${d} is not empty; choose a new folder, or --force to write into it`);
    };
    folderProblem('DIR', dir, 'the new admin repository');
    const frontDoorDir = values['front-door'] === undefined ? undefined : resolve(io.cwd, values['front-door']);
    if (frontDoorDir !== undefined) {
      folderProblem('--front-door', frontDoorDir, 'the front door');
      if (frontDoorDir === dir)
        problems.push(
          '--front-door: expected another folder than DIR (the front door is a repository of its own, public)',
        );
    } else {
      for (const o of ['front-door-repository', 'admin-repository'] as const)
        if (values[o] !== undefined) problems.push(`--${o}: only with --front-door`);
    }

    const ownerGiven = values.owner ?? io.env[SETTINGS_ENV.owner];
    const owner = ownerGiven ?? DEFAULT_OWNER;
    const toolRepository = values['tool-repository'] ?? DEFAULT_TOOL_REPOSITORY;
    const frontDoor: FrontDoorOptions | undefined =
      frontDoorDir === undefined
        ? undefined
        : {
            repository: values['front-door-repository'] ?? `${owner}/${basename(frontDoorDir)}`,
            adminRepository: values['admin-repository'] ?? `${owner}/${basename(dir)}`,
          };
    const scaffold = {
      pin: { repository: toolRepository, ref: ref ?? '0'.repeat(40), version: values.version ?? release.version },
      owner,
      template: values.template ?? `${owner}/${DEFAULT_TEMPLATE_NAME}`,
      cohort: values.cohort ?? DEFAULT_COHORT,
      ...(frontDoor ? { frontDoor } : {}),
    };
    const { files, problems: scaffoldProblems } = scaffoldAdminRepository(release, scaffold);
    problems.push(...scaffoldProblems);
    const publicFiles =
      frontDoor && scaffoldProblems.length === 0 ? scaffoldFrontDoor(release, { ...scaffold, frontDoor }) : undefined;
    problems.push(...(publicFiles?.problems ?? []));
    if (problems.length > 0) {
      io.stderr(problems.map((p) => `learning-rooms init: ${p}\n`).join(''));
      return 1;
    }

    if (values['dry-run']) {
      io.stdout(
        `${dir}: dry run, nothing written; a new admin repository would have ${files.size} files, its workflows pinned to ${toolRepository}@${ref}:\n`,
      );
      for (const path of files.keys()) io.stdout(`  ${path}\n`);
      if (values.lock) io.stdout(`  ${LOCK_FILE} (terraform providers lock, not run)\n`);
      if (frontDoorDir && publicFiles) {
        io.stdout(
          `${frontDoorDir}: the public front door ${frontDoor?.repository} would have ${publicFiles.files.size} files:\n`,
        );
        for (const path of publicFiles.files.keys()) io.stdout(`  ${path}\n`);
      }
      return 0;
    }
    const writeAll = (root: string, map: ReadonlyMap<string, string | Buffer>) => {
      for (const [path, content] of map) {
        const target = join(root, path);
        mkdirSync(dirname(target), { recursive: true });
        writeFileAtomic(target, content);
      }
    };
    writeAll(dir, files);
    io.stdout(
      `${dir}: a new admin repository (${files.size} files), its workflows pinned to ${toolRepository}@${ref}\n`,
    );
    if (frontDoorDir && publicFiles && frontDoor) {
      writeAll(frontDoorDir, publicFiles.files);
      io.stdout(
        `${frontDoorDir}: the public front door ${frontDoor.repository} (${publicFiles.files.size} files), handing requests to ${frontDoor.adminRepository}\n`,
      );
      io.stdout(
        `  learners register at https://github.com/${frontDoor.repository}/issues/new?template=register.yml (the admin README's "The public front door" says what to set up first)\n`,
      );
    }
    if (ownerGiven === undefined)
      io.stdout(
        `  the rooms go under ${owner}: set PROVISIONING_STUDENT_OWNER in config/gitops.json (or rerun with --owner)\n`,
      );

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
        io.stderr(
          `learning-rooms init: ${LOCK_FILE} not written; the README's step 7 says how to write it where the Terraform registry is reachable\n`,
        );
        return 1;
      }
    } else {
      io.stdout(
        `  no ${LOCK_FILE} yet: the README's step 7 writes it (lock-providers --run, where the Terraform registry is reachable)\n`,
      );
    }
    io.stdout(`Next: the operator's first hour in ${join(dir, 'README.md')}\n`);
    return 0;
  },
});
