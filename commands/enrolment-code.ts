import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { enrolmentCodeHash, normaliseEnrolmentCode } from '../gitops/enrolment';
import { defineCommand } from './command';

const IDENTIFIER = /^[a-z0-9][a-z0-9._-]{0,62}$/;
/** Below this many characters (once normalised) a code is found from its hash in moments. */
const SHORT = 12;

/** Typed at a terminal without showing it (nothing of it reaches a screen, a recording or a log). */
function promptHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolvePromise) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolvePromise(answer);
    });
    muted = true;
  });
}

export const enrolmentCodeCommand = defineCommand({
  name: 'enrolment-code',
  summary: "print the roster line for a cohort's enrolment code (its hash; the code is never stored or shown)",
  usage: ['--cohort ID [--code-file FILE]'],
  description: `Reads an enrolment code (typed at a hidden prompt, or the first line of standard input or of
--code-file) and prints "code_sha256": "<hash>", the line to put in the cohort's "enrolment" in
roster.json. Learners type the code into the front door's form; the Register and Enrol workflows
compare its hash. The cohort id is part of the hash: run it again if the cohort is renamed.
A hash hides the code from readers of the roster, not from someone who tries codes against it:
use a long code (four or more words), and prefer "allowed_handles" where only named people may
enrol. Learners type the code in a public issue, where others can read it: the code keeps out
strangers who find the link, nothing more.`,
  options: {
    cohort: { type: 'string', value: 'ID', required: true, help: 'the cohort id exactly as in roster.json' },
    'code-file': {
      type: 'string',
      value: 'FILE',
      help: 'read the code from the first line of FILE ("-": standard input; default: a hidden prompt at a terminal, else standard input)',
    },
  },
  exitStatus: '0 printed; 1 no code given; 2 usage error.',
  usageProblems: ({ values }) =>
    values.cohort !== undefined && !IDENTIFIER.test(values.cohort)
      ? [
          `--cohort: expected a cohort id (lower-case letters, digits, ".", "_" and "-"), found ${JSON.stringify(values.cohort)}`,
        ]
      : [],
  async run({ values }, io) {
    const source = values['code-file'] ?? '-';
    let raw: string;
    if (source !== '-') raw = readFileSync(resolve(io.cwd, source), 'utf8');
    else if (!io.stdin) raw = '';
    else if (io.stdin.isTTY) raw = await promptHidden(`Enrolment code for ${values.cohort} (not shown): `);
    else raw = await io.stdin.read();
    const code = raw.replace(/\r\n?/g, '\n').split('\n')[0];
    const normalised = normaliseEnrolmentCode(code);
    if (normalised === '') {
      io.stderr('learning-rooms enrolment-code: no code given (an empty first line); nothing printed\n');
      return 1;
    }
    if (normalised.length < SHORT) {
      io.stderr(
        `warning: the code has ${normalised.length} characters once spaces and case are set aside: its hash is found by trying codes in moments. Use a longer one, or "allowed_handles".\n`,
      );
    }
    io.stderr(
      `Put this line in the "enrolment" of cohort "${values.cohort}" in roster.json (the code itself is not stored anywhere):\n`,
    );
    io.stdout(`"code_sha256": "${enrolmentCodeHash(values.cohort, code)}"\n`);
    return 0;
  },
});
