import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { defineCommand, optionEnv, UsageError } from './command';
import { DRY_RUN, GITHUB_OPTIONS, outDir, STATE_DIR } from './common-options';
import { writeFileAtomic } from '../shared/atomic-write';
import { GITHUB_PROVIDER } from '../contracts/stack-policy';
import { readSettings, SETTINGS_ENV } from '../contracts/settings';
import { mirrorPathProblem, PROVIDER_MIRROR_ENV, terraformCliConfig } from '../gitops/cli-config';
import { checkLockFile, LOCK_FILE, LOCK_HOW_TO } from '../gitops/provider-lock';
import { parseStackConfig, TrustedSettings } from '../gitops/stack-check';
import { BACKEND_OVERRIDE_FILE, backendOverride, parseBackendChoice, STACK_NAME } from '../gitops/stack-prep';
import {
  isWithin,
  outDirProblems,
  readStackConfigText,
  STACK_CONFIG_FILE,
  writeTrustedStack,
} from '../gitops/trusted-stack';

const options = {
  dir: {
    type: 'string',
    value: 'DIR',
    required: true,
    help: 'the synthesized stack folder (its name is the stack name)',
  },
  'out-dir': outDir('the trusted folder to create: new or empty, not inside --dir', ['out']),
  'lock-file': {
    type: 'string',
    value: 'FILE',
    help: `the lock file of the trusted checkout (default: ./${LOCK_FILE}); create it once with learning-rooms lock-providers`,
  },
  'cli-config': {
    type: 'string',
    value: 'FILE',
    help: 'where to write the CLI configuration (default: <out-dir>.tfrc, or <dir>.tfrc with --backend-only); never inside either folder',
  },
  'github-env': {
    type: 'string',
    value: 'FILE',
    help: 'append TF_CLI_CONFIG_FILE=... and STACK_RUN_DIR=... to FILE ("$GITHUB_ENV")',
  },
  'state-dir': {
    ...STATE_DIR,
    help: 'the folder of per-cohort Terraform state files, where the git backend keeps <stack>.tfstate (synth --state-dir reads that folder as it is; default: ./state)',
  },
  'backend-only': {
    type: 'boolean',
    help: 'the folder holds no configuration yet (to pull state before synthesis): write only the backend override into it, named after the folder, and the CLI configuration',
  },
  ...GITHUB_OPTIONS,
  'dry-run': { ...DRY_RUN, help: `${DRY_RUN.help}: every check, then the folder and files it would write` },
} as const;

export const prepareStackCommand = defineCommand({
  name: 'prepare-stack',
  summary: 'check a synthesized stack and build the trusted folder Terraform runs in (backend, lock file, CLI config)',
  usage: ['--dir ARTIFACT/stacks/<stack> --out-dir RUN_DIR [options]', '--backend-only --dir DIR [--cli-config FILE]'],
  description: `A synthesized stack comes from a pull request, and Terraform loads every file of the folder it
runs in. So prepare-stack reads ONLY <dir>/${STACK_CONFIG_FILE} (a regular file, not a link),
checks it against the allow-list of docs/trusted-stack.md (the github provider pinned to
${GITHUB_PROVIDER.version} with this run's owner and base URL and no credential; only room resources
with their allowed attributes; no data source, output, module, provisioner, meta-argument or
template expression), and writes the folder --out-dir with exactly three files:

  ${STACK_CONFIG_FILE}               the checked document, re-serialized
  ${BACKEND_OVERRIDE_FILE}  the state backend chosen by the environment (below)
  ${LOCK_FILE}       copied from --lock-file (the provider's hashes)

and a Terraform CLI configuration (--cli-config) whose provider_installation allows only
${GITHUB_PROVIDER.address}, from the registry or from the mirror in ${PROVIDER_MIRROR_ENV},
and no local plugin folder. Run Terraform with TF_CLI_CONFIG_FILE set to it:
terraform init -input=false -lockfile=readonly, in --out-dir.`,
  options,
  environment: `--owner and --base-url are the settings synthesis reads (the provider block must repeat them exactly). LEARNING_ROOMS_BACKEND (git, s3, gcs, azurerm, pg or http) and LEARNING_ROOMS_BACKEND_CONFIG (its non-secret settings as a JSON object), ${PROVIDER_MIRROR_ENV} (optional: a filesystem mirror folder instead of the registry).`,
  exitStatus: `0 ready; 1 the configuration holds something not allowed, or the lock file, the backend or the settings are wrong (every problem on stderr, with its JSON path); 2 usage (for example --out-dir not empty or inside --dir) or I/O.`,
  usageProblems: ({ values }) => [
    ...(values['out-dir'] && values['backend-only'] ? ['--out-dir and --backend-only do not go together'] : []),
    // Terraform must never run in the synthesized folder itself: it could hold anything.
    ...(!values['out-dir'] && !values['backend-only']
      ? ['--out-dir is required: the trusted folder Terraform runs in (or --backend-only)']
      : []),
  ],
  async run({ values }, io) {
    const usageProblems: string[] = [];
    const dir = resolve(io.cwd, values.dir);
    const stack = basename(dir);
    if (!STACK_NAME.test(stack))
      usageProblems.push(`--dir ${dir}: the folder name is the stack name; expected letters, digits, ".", "_" or "-"`);
    const env = optionEnv(options, values, io.env);
    const out = values['out-dir'] ? resolve(io.cwd, values['out-dir']) : undefined;
    const defaultCliConfig = out ? `${out}.tfrc` : values['backend-only'] ? `${dir}.tfrc` : undefined;
    const cliConfig = values['cli-config'] ? resolve(io.cwd, values['cli-config']) : defaultCliConfig;
    const githubEnv = values['github-env'] ? resolve(io.cwd, values['github-env']) : undefined;

    // Where things go: a wrong place is a usage error, reported before anything is read.
    const usage = [...usageProblems, ...(out ? outDirProblems(out, dir) : [])];
    if (cliConfig) {
      for (const [folder, name] of [[dir, '--dir'], ...(out ? [[out, '--out-dir']] : [])]) {
        if (isWithin(cliConfig, folder))
          usage.push(
            `--cli-config ${cliConfig}: must not be inside ${name} (Terraform would read it as part of the folder, or the artifact could have planted it)`,
          );
      }
    }
    for (const p of [out, cliConfig])
      if (p && /[\r\n]/.test(p))
        usage.push(`${p}: a path with a line break cannot go into ${githubEnv ?? 'the environment file'}`);
    if (usage.length > 0) throw new UsageError(usage);

    const problems: string[] = [];
    const { choice, errors: backendErrors } = parseBackendChoice(
      io.env.LEARNING_ROOMS_BACKEND,
      io.env.LEARNING_ROOMS_BACKEND_CONFIG,
    );
    problems.push(...backendErrors);
    const mirrorRaw = io.env[PROVIDER_MIRROR_ENV]?.trim();
    const mirror = mirrorRaw ? resolve(io.cwd, mirrorRaw) : undefined;
    const mirrorProblem = mirror ? mirrorPathProblem(mirror) : undefined;
    if (mirrorProblem) problems.push(mirrorProblem);

    let config: unknown;
    if (!values['backend-only']) {
      const { settings, errors } = readSettings(env);
      problems.push(...errors);
      if (settings) {
        const trusted: TrustedSettings = { owner: settings.owner, baseUrl: settings.baseUrl };
        const { text, problem } = readStackConfigText(dir);
        if (problem) problems.push(`${stack}: ${problem}`);
        else {
          const parsed = parseStackConfig(text ?? '', trusted);
          problems.push(...parsed.problems.map((p) => `${stack}: ${STACK_CONFIG_FILE}: ${p}`));
          config = parsed.config;
        }
      }
    }
    let lockText: string | undefined;
    if (out) {
      const lockFile = resolve(io.cwd, values['lock-file'] ?? LOCK_FILE);
      try {
        lockText = readFileSync(lockFile, 'utf8');
        problems.push(...checkLockFile(lockText, lockFile));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        problems.push(
          code === 'ENOENT' ? `${lockFile}: no lock file; ${LOCK_HOW_TO}` : `${lockFile}: ${(err as Error).message}`,
        );
      }
    }
    if (problems.length > 0 || !choice) {
      io.stderr(problems.map((p) => `learning-rooms prepare-stack: ${p}\n`).join(''));
      return 1;
    }

    const override = backendOverride(choice, stack, resolve(io.cwd, env[SETTINGS_ENV.stateDir] ?? 'state'));
    if (values['dry-run']) {
      const files = [out ?? join(dir, BACKEND_OVERRIDE_FILE), cliConfig, githubEnv].filter((f) => f !== undefined);
      io.stdout(`${stack}: checked; dry run, nothing written (would write ${files.join(', ')})\n`);
      return 0;
    }
    if (out) writeTrustedStack({ out, config, backendOverride: override, lockText: lockText ?? '' });
    else writeFileAtomic(join(dir, BACKEND_OVERRIDE_FILE), JSON.stringify(override, null, 2) + '\n');
    if (cliConfig) {
      mkdirSync(dirname(cliConfig), { recursive: true });
      writeFileAtomic(cliConfig, terraformCliConfig(mirror));
    }
    if (githubEnv) {
      const lines = [
        ...(cliConfig ? [`TF_CLI_CONFIG_FILE=${cliConfig}`] : []),
        ...(out ? [`STACK_RUN_DIR=${out}`] : []),
      ];
      appendFileSync(githubEnv, lines.map((l) => `${l}\n`).join(''));
    }

    const backend = `backend ${choice.type}${choice.type === 'git' ? ` (state in ${Object.values(override.terraform.backend)[0].path})` : ''}`;
    const provider = `github provider ${GITHUB_PROVIDER.version} from ${mirror ? `the mirror ${mirror}` : 'the registry'}`;
    if (out)
      io.stdout(
        `${stack}: checked; Terraform runs in ${out} with ${backend}, ${provider}, CLI configuration ${cliConfig}\n`,
      );
    else io.stdout(`${stack}: ${backend}${cliConfig ? `; CLI configuration ${cliConfig}` : ''}\n`);
    return 0;
  },
});
