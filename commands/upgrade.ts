import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../shared/atomic-write';
import {
  CALLER_DIR,
  CALLER_WORKFLOWS,
  FRONT_DOOR_CALLER_WORKFLOWS,
  MANIFEST_FILE,
  parseManifest,
  pinProblems,
  readPinSites,
} from '../gitops/admin-repository';
import { FRONT_DOOR_CALLER, renderCallers, renderFrontDoorCallers } from '../gitops/scaffold';
import { changelogBetween, compareVersions, planUpgrade } from '../gitops/upgrade';
import { defineCommand } from './command';
import { DRY_RUN } from './common-options';
import { readRelease, releaseCommit, releaseRoot } from './release';

const options = {
  'tool-ref': {
    type: 'string',
    value: 'SHA',
    help: "the commit to run (default: this checkout's, with a warning when its work tree has changes)",
  },
  version: { type: 'string', value: 'V', help: "its version (default: package.json's)" },
  'tool-repository': {
    type: 'string',
    value: 'OWNER/NAME',
    help: "move to another repository too (default: the manifest's)",
  },
  templates: {
    type: 'boolean',
    help: "replace the caller workflows by this release's templates (pinned), for a release whose workflows changed shape",
  },
  'dry-run': {
    ...DRY_RUN,
    help: `${DRY_RUN.help}: every check, the files it would rewrite, the differences from the templates and the changelog`,
  },
} as const;

/**
 * A public front door, not an admin repository: its caller calls front-door.yml. Its admin
 * repository is read from the caller (the `admin-repository:` input), to render the new template.
 */
function frontDoorKind(
  callers: ReadonlyMap<string, string>,
): { frontDoor: false } | { frontDoor: true; adminRepository: string } {
  const text = callers.get(`${CALLER_DIR}/${FRONT_DOOR_CALLER}`);
  if (text === undefined || !readPinSites(FRONT_DOOR_CALLER, text).some((p) => p.workflow === 'front-door.yml'))
    return { frontDoor: false };
  return { frontDoor: true, adminRepository: /^\s*admin-repository:\s*(\S+)\s*$/m.exec(text)?.[1] ?? '' };
}

export const upgradeCommand = defineCommand({
  name: 'upgrade',
  summary: "move an admin repository's pins to this release of learning-rooms and say what changed",
  usage: ['[DIR] [--tool-ref SHA] [--version V] [--tool-repository OWNER/NAME] [--templates] [--dry-run]'],
  description: `In the admin repository DIR, rewrites the pin of every caller workflow (the SHA of each
\`uses:\` and its tool-ref and tool-repository inputs, and the version comment) and of
${MANIFEST_FILE}, and nothing else. Refuses, naming the file and line, when a pin was edited by
hand so that it no longer names the manifest's commit. Then prints, per caller workflow, how it
differs from this release's template, and the changelog since the old version. Commit the
result in a pull request: its plan runs with the new release. A public front door (init
--front-door) is upgraded the same way: run it on its folder too.`,
  argument: { name: 'DIR', option: 'dir', value: 'DIR', help: 'the admin repository', default: '.' },
  options,
  exitStatus:
    '0 upgraded, already there, or (with --dry-run) would be; 1 refused (every problem listed); 2 usage error or I/O.',
  async run({ values, file = '.' }, io) {
    const dir = resolve(io.cwd, file);
    const manifestPath = join(dir, MANIFEST_FILE);
    if (!existsSync(manifestPath)) {
      io.stderr(
        `learning-rooms upgrade: ${manifestPath}: missing; expected an admin repository made by learning-rooms init\n`,
      );
      return 1;
    }
    const { manifest, errors } = parseManifest(readFileSync(manifestPath, 'utf8'), manifestPath);
    const root = releaseRoot();
    const release = readRelease(root);
    const problems = [...errors];
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
    const to = {
      repository: values['tool-repository'] ?? manifest?.repository ?? '',
      ref: ref ?? '',
      version: values.version ?? release.version,
    };
    if (ref !== undefined)
      problems.push(...pinProblems(to, { repository: '--tool-repository', ref: '--tool-ref', version: '--version' }));
    if (manifest && problems.length === 0 && compareVersions(to.version, manifest.version) < 0) {
      io.stderr(`warning: ${to.version} is older than the pinned ${manifest.version}: this is a downgrade\n`);
    }
    if (!manifest || problems.length > 0) {
      io.stderr(problems.map((p) => `learning-rooms upgrade: ${p}\n`).join(''));
      return 1;
    }

    const callerDir = join(dir, CALLER_DIR);
    const callers = new Map<string, string>();
    if (existsSync(callerDir)) {
      for (const name of readdirSync(callerDir).sort())
        if (/\.ya?ml$/.test(name)) callers.set(`${CALLER_DIR}/${name}`, readFileSync(join(callerDir, name), 'utf8'));
    }
    const vars = { 'tool-repository': to.repository, 'tool-ref': to.ref, version: to.version };
    const kind = frontDoorKind(callers);
    const rendered = kind.frontDoor
      ? renderFrontDoorCallers(release, { ...vars, 'admin-repository': kind.adminRepository })
      : renderCallers(release, vars, [
          ...CALLER_WORKFLOWS,
          ...FRONT_DOOR_CALLER_WORKFLOWS.filter((n) => callers.has(`${CALLER_DIR}/${n}`)),
        ]);
    const plan = planUpgrade({
      callers,
      manifest,
      to,
      templates: rendered.files,
      replaceTemplates: values.templates === true,
      kind: kind.frontDoor ? 'front-door' : 'admin',
    });
    const refused = [...rendered.problems, ...plan.problems];
    if (refused.length > 0) {
      io.stderr(refused.map((p) => `learning-rooms upgrade: ${p}\n`).join(''));
      return 1;
    }
    const dryRun = values['dry-run'] === true;
    if (!dryRun) {
      for (const [path, text] of plan.writes) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileAtomic(join(dir, path), text);
      }
    }
    if (plan.writes.size === 0) io.stdout(`${dir}: already at ${to.repository}@${to.ref} (v${to.version})\n`);
    else {
      const done = dryRun
        ? `dry run, nothing written: ${plan.writes.size} file(s) would be rewritten`
        : `${plan.writes.size} file(s) rewritten`;
      io.stdout(
        `${dir}: ${manifest.repository}@${manifest.ref.slice(0, 12)} (v${manifest.version}) -> ${to.repository}@${to.ref.slice(0, 12)} (v${to.version}); ${done}:\n`,
      );
      for (const path of plan.writes.keys()) io.stdout(`  ${path}\n`);
    }
    io.stdout(
      `The workflows against v${to.version}'s templates:\n${plan.templateDiff.map((l) => `  ${l}\n`).join('')}`,
    );
    const notes = changelogBetween(release.changelog, manifest.version, to.version);
    io.stdout(
      notes.length > 0
        ? `What changed (CHANGELOG.md):\n\n${notes.join('\n\n')}\n`
        : `CHANGELOG.md has no section after v${manifest.version} up to v${to.version}.\n`,
    );
    return 0;
  },
});
