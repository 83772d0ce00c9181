import { resolve } from 'node:path';
import { InvalidRosterError, loadRoster } from '../roster';
import { FRONT_DOOR_SETTING } from '../gitops/admin-repository';
import { answerRequest } from '../gitops/front-door-answer';
import { readCommentState } from '../gitops/front-door-comment';
import { FRONT_DOOR_LABEL } from '../gitops/front-door';
import { closeIssue, findOurComment, readIssue, splitFullName, writeComment } from '../gitops/front-door-github';
import { defineCommand } from './command';
import { DRY_RUN, GITHUB_OPTIONS, rosterArgument } from './common-options';
import {
  client,
  frontDoorRepository,
  NOW_OPTION,
  readInterval,
  readNow,
  REQUEST_INTERVAL_OPTION,
  roomSettings,
  token,
  TOKEN_ENV,
} from './front-door-context';

const options = {
  repository: {
    type: 'string',
    value: 'OWNER/NAME',
    required: true,
    help: `the repository the request is in (the dispatch's client_payload.repository); only the front door of $${FRONT_DOOR_SETTING} is answered`,
  },
  issue: {
    type: 'string',
    value: 'N',
    required: true,
    help: "the request's issue number there (client_payload.issue_number)",
  },
  'base-url': GITHUB_OPTIONS['base-url'],
  now: NOW_OPTION,
  'request-interval': REQUEST_INTERVAL_OPTION,
  'dry-run': { ...DRY_RUN, help: `${DRY_RUN.help}: read the request and print the comment it would get` },
} as const;

export const enrolRequestCommand = defineCommand({
  name: 'enrol-request',
  summary: 'answer one registration request of the public front door, when it is opened or edited',
  usage: ['[roster.json] --repository OWNER/NAME --issue N [--now TIME] [--dry-run]'],
  description: `Run by the admin repository's Register workflow when the front door hands it a request
(repository_dispatch). Reads the issue from the API of the front door (its author is the
registrant; the dispatch carries only where the issue is), judges it against the roster and the
cohort's enrolment rule, and writes or updates the one comment on it: what to fix, accepted
(enrolled by the next scheduled enrolment, or reviewed by a facilitator), or the learner's
status when already enrolled. Changes nothing in the roster: the Enrol workflow enrols.`,
  argument: rosterArgument('the roster of the default branch (read only)', { default: 'roster.json' }),
  options,
  environment: `${TOKEN_ENV.frontDoor}: a token of the registration App on the front door (issues: write). ${FRONT_DOOR_SETTING}: the front door, OWNER/NAME. PROVISIONING_STUDENT_OWNER and LEARNING_ROOMS_REPOSITORY_PATTERN name a ready room.`,
  exitStatus:
    '0 answered (or nothing to answer: not an open registration request); 1 the roster cannot be read; 2 usage, settings, a token missing, or a request from another repository than the front door.',
  async run({ values, file = 'roster.json' }, io) {
    const problems: string[] = [];
    const frontDoor = frontDoorRepository(io.env, problems);
    if (!/^[1-9][0-9]{0,9}$/.test(values.issue))
      problems.push(`--issue: expected an issue number, found ${JSON.stringify(values.issue)}`);
    // The dispatch names the repository; only the configured front door is taken, so nothing else
    // (another repository, a fork) can have its issues judged and answered by the registration App.
    if (frontDoor !== '' && values.repository.toLowerCase() !== frontDoor.toLowerCase()) {
      problems.push(
        `--repository: ${JSON.stringify(values.repository)} is not the front door (${FRONT_DOOR_SETTING} is ${frontDoor}); refused`,
      );
    }
    const now = readNow(values.now, problems);
    const interval = readInterval(values['request-interval'], problems);
    const { rooms, baseUrl } = roomSettings(io.env, values['base-url'], problems);
    const frontDoorToken = token(io.env, TOKEN_ENV.frontDoor, problems);
    if (problems.length > 0) {
      io.stderr(problems.map((p) => `learning-rooms enrol-request: ${p}\n`).join(''));
      return 2;
    }
    let roster;
    try {
      roster = loadRoster(resolve(io.cwd, file));
    } catch (err) {
      if (!(err instanceof InvalidRosterError)) throw err;
      io.stderr(`learning-rooms enrol-request: ${err.message}\n`);
      return 1;
    }
    const where = splitFullName(frontDoor);
    const octokit = client(baseUrl, frontDoorToken, interval, (m) => io.stderr(`warning: ${m}\n`));
    const number = Number(values.issue);
    const issue = await readIssue(octokit, where, number);
    if (!issue || issue.state !== 'open' || !issue.labels.includes(FRONT_DOOR_LABEL)) {
      io.stdout(`${frontDoor}#${number}: not an open registration request; nothing to answer\n`);
      return 0;
    }
    const ours = await findOurComment(octokit, where, number);
    const answer = answerRequest(issue, ours && readCommentState(ours.body), roster, { now, rooms });
    const summary = `${frontDoor}#${number} (${issue.author.login}): ${answer.state.state}`;
    if (values['dry-run']) {
      io.stdout(`${summary}; dry run, nothing written. The comment would read:\n\n${answer.body}\n`);
      return 0;
    }
    const written = await writeComment(octokit, where, number, ours, answer.body);
    if (answer.close) await closeIssue(octokit, where, number, 'completed');
    io.stdout(`${summary}; comment ${written}${answer.close ? '; issue closed (room ready)' : ''}\n`);
    return 0;
  },
});
