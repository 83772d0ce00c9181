import { resolve } from 'node:path';
import { parseFullName } from '../contracts/settings';
import { FRONT_DOOR_SETTING } from '../gitops/admin-repository';
import { answerRequest, ENROL_INTERVAL_MINUTES, type Answer } from '../gitops/front-door-answer';
import { readCommentState, renderSuperseded } from '../gitops/front-door-comment';
import { readRequest } from '../gitops/front-door';
import {
  closeIssue,
  closeReviewPullRequest,
  commitFile,
  listOpenRequests,
  listOurComments,
  readFileAt,
  splitFullName,
  updateReviewBranch,
  writeComment,
  type PublicIssue,
} from '../gitops/front-door-github';
import { readQueueHints, type QueueHints } from '../gitops/front-door-status';
import { readLearnerIndex, type LearnerIndex } from '../contracts/learner-index';
import {
  enrolCommitMessage,
  planBatch,
  REVIEW_BRANCH,
  reviewPullRequest,
  type AcceptedRequest,
  type Batch,
} from '../gitops/enrolment-batch';
import { formatRosterError, parseRoster, serializeRoster, type Roster } from '../roster';
import { defineCommand } from './command';
import { DRY_RUN, GITHUB_OPTIONS } from './common-options';
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
import { foldHandle } from '../roster/handle';

const ROSTER = 'roster.json';
const MAIN = 'main';
/** Pushes that lose a race with another commit to main start over from the new main, this often. */
const ATTEMPTS = 5;

const options = {
  repository: { type: 'string', value: 'OWNER/NAME', help: 'the admin repository (default: $GITHUB_REPOSITORY)' },
  index: {
    type: 'string',
    multiple: true,
    value: 'FILE',
    help: "a learner index (learners.json) whose entries' queue (position, expected_at) tell a waiting learner their place and time (repeatable: every stack's, for the whole queue)",
  },
  'base-url': GITHUB_OPTIONS['base-url'],
  now: NOW_OPTION,
  'request-interval': REQUEST_INTERVAL_OPTION,
  'dry-run': { ...DRY_RUN, help: `${DRY_RUN.help}: judge every request and print what would be enrolled and answered` },
} as const;

/** The learner indexes named by --index, read by the contract's one reader (contracts/learner-index.ts). */
function queueHints(files: readonly string[], cwd: string, problems: string[]): QueueHints {
  const indexes: LearnerIndex[] = [];
  for (const f of files) {
    try {
      indexes.push(readLearnerIndex(resolve(cwd, f)));
    } catch (err) {
      problems.push(`--index ${f}: ${(err as Error).message}`);
    }
  }
  return readQueueHints(indexes);
}

/** Of two open requests by one person for one cohort, the newer counts; the older is closed. */
function newerRequests(requests: readonly PublicIssue[]): Map<number, number> {
  const newest = new Map<string, number>();
  for (const r of requests) {
    const key = `${foldHandle(r.author.login)}\0${readRequest(r.body).cohort?.toLowerCase() ?? ''}`;
    newest.set(key, Math.max(newest.get(key) ?? 0, r.number));
  }
  const superseded = new Map<number, number>();
  for (const r of requests) {
    const n =
      newest.get(`${foldHandle(r.author.login)}\0${readRequest(r.body).cohort?.toLowerCase() ?? ''}`) ?? r.number;
    if (n !== r.number) superseded.set(r.number, n);
  }
  return superseded;
}

export const enrolCommand = defineCommand({
  name: 'enrol',
  summary: 'enrol the accepted requests of the public front door in one roster change, and answer every open request',
  usage: ['[--repository OWNER/NAME] [--index FILE]... [--now TIME] [--dry-run]'],
  description: `Run by the admin repository's Enrol workflow every ${ENROL_INTERVAL_MINUTES} minutes. Judges every open registration
request of the front door ($${FRONT_DOOR_SETTING}) against ${ROSTER} on main and each cohort's
enrolment rule. The accepted ones are enrolled together: those of cohorts whose review is "auto"
in one commit to main (records App, "[skip ci]": Apply's schedule makes the rooms), those of
"manual" cohorts in one pull request from ${REVIEW_BRANCH}, rebuilt from main each run while they
wait. Then every request's comment is brought up to date (what to fix, accepted, place in the
queue, room ready), and a request whose room became ready is closed. A request the learner
replaced by a newer one for the same cohort is closed.`,
  options,
  environment: `${TOKEN_ENV.frontDoor} (the registration App on the front door: issues), ${TOKEN_ENV.registration} (the registration App on the admin repository: contents and pull requests), ${TOKEN_ENV.records} (the records App on the admin repository: contents). ${FRONT_DOOR_SETTING}, PROVISIONING_STUDENT_OWNER, LEARNING_ROOMS_REPOSITORY_PATTERN as in config/gitops.json.`,
  exitStatus:
    '0 done (or, with --dry-run, judged); 1 the roster on main is invalid, or main kept moving; 2 usage, settings or a token missing.',
  async run({ values }, io) {
    const problems: string[] = [];
    const frontDoor = frontDoorRepository(io.env, problems);
    const admin = values.repository ?? io.env.GITHUB_REPOSITORY ?? '';
    if (!parseFullName(admin))
      problems.push(
        `--repository: expected OWNER/NAME of the admin repository (or $GITHUB_REPOSITORY), found ${JSON.stringify(admin)}`,
      );
    const now = readNow(values.now, problems);
    const interval = readInterval(values['request-interval'], problems);
    const { rooms, baseUrl } = roomSettings(io.env, values['base-url'], problems);
    const tokens = {
      frontDoor: token(io.env, TOKEN_ENV.frontDoor, problems),
      registration: token(io.env, TOKEN_ENV.registration, problems),
      records: token(io.env, TOKEN_ENV.records, problems),
    };
    const hints = queueHints(values.index ?? [], io.cwd, problems);
    if (problems.length > 0) {
      io.stderr(problems.map((p) => `learning-rooms enrol: ${p}\n`).join(''));
      return 2;
    }
    const warn = (m: string) => io.stderr(`warning: ${m}\n`);
    const fd = client(baseUrl, tokens.frontDoor, interval, warn);
    const records = client(baseUrl, tokens.records, interval, warn);
    const registration = client(baseUrl, tokens.registration, interval, warn);
    const fdWhere = splitFullName(frontDoor);
    const adminWhere = splitFullName(admin);
    const ctx = { now, rooms, hints };
    const dryRun = values['dry-run'] === true;

    const requests = await listOpenRequests(fd, fdWhere);
    const comments = await listOurComments(fd, fdWhere);
    const superseded = newerRequests(requests);
    const previous = (n: number) => {
      const c = comments.get(n);
      return c && readCommentState(c.body);
    };
    const live = requests.filter((r) => !superseded.has(r.number));

    // The roster of main, the batch on it, and the commit (again from the new main if it moved).
    let roster: Roster | undefined;
    let batch: Batch;
    let pushed: string | undefined;
    for (let attempt = 1; ; attempt++) {
      const file = await readFileAt(records, adminWhere, ROSTER, MAIN);
      if (!file) {
        io.stderr(`learning-rooms enrol: ${admin} has no ${ROSTER} on ${MAIN}\n`);
        return 1;
      }
      const parsed = parseRoster(file.text);
      if (!parsed.roster) {
        io.stderr(
          parsed.errors.map((e) => `learning-rooms enrol: ${formatRosterError(e, `${ROSTER} on ${MAIN}`)}\n`).join(''),
        );
        return 1;
      }
      roster = parsed.roster;
      const accepted: AcceptedRequest[] = [];
      for (const r of live) {
        const a = answerRequest(r, previous(r.number), roster, ctx);
        if (a.decision.kind === 'accepted') accepted.push({ issue: r.number, decision: a.decision });
      }
      batch = planBatch(roster, accepted);
      if (!batch.auto || dryRun) break;
      const commit = await commitFile(
        records,
        adminWhere,
        MAIN,
        ROSTER,
        serializeRoster(batch.auto.roster),
        file.sha,
        enrolCommitMessage(batch.auto.requests),
      );
      if (commit !== 'conflict') {
        pushed = commit;
        roster = batch.auto.roster;
        break;
      }
      if (attempt === ATTEMPTS) {
        io.stderr(
          `learning-rooms enrol: ${MAIN} kept moving (${ATTEMPTS} attempts); nothing enrolled, the next run tries again\n`,
        );
        return 1;
      }
    }

    const out: string[] = [];
    if (batch.auto)
      out.push(
        `${dryRun ? 'would enrol' : 'enrolled'} ${batch.auto.requests.length} (auto review)${pushed ? ` in ${pushed.slice(0, 12)}` : ''}: ${batch.auto.requests.map((r) => `#${r.issue}`).join(' ')}`,
      );
    if (batch.manual) {
      const pull = reviewPullRequest(batch.manual.requests, frontDoor);
      if (dryRun) out.push(`would send ${batch.manual.requests.length} for review in ${REVIEW_BRANCH}`);
      else {
        const pr = await updateReviewBranch(
          registration,
          adminWhere,
          REVIEW_BRANCH,
          { branch: MAIN, path: ROSTER, text: serializeRoster(batch.manual.roster) },
          pull,
        );
        out.push(`${batch.manual.requests.length} waiting for review: ${pr.url}${pr.changed ? '' : ' (unchanged)'}`);
      }
    } else if (!dryRun) {
      // Every request it held was enrolled, withdrawn or turned down (its issue closed) meanwhile.
      const closed = await closeReviewPullRequest(
        registration,
        adminWhere,
        REVIEW_BRANCH,
        'No registration waits for review any more (each was enrolled, or its request was closed in the front door): closed by the Enrol workflow.',
      );
      if (closed) out.push(`closed ${closed}: nothing waits for review`);
    }

    // Every request answered from the roster as main now holds it.
    const counts = new Map<string, number>();
    for (const r of requests) {
      const newer = superseded.get(r.number);
      let answer: Pick<Answer, 'body' | 'close' | 'state'>;
      if (newer !== undefined) {
        const state = { state: 'refused' as const };
        answer = { body: renderSuperseded(newer, state), close: true, state };
      } else answer = answerRequest(r, previous(r.number), roster, ctx);
      counts.set(answer.state.state, (counts.get(answer.state.state) ?? 0) + 1);
      if (dryRun) continue;
      const written = await writeComment(fd, fdWhere, r.number, comments.get(r.number), answer.body);
      if (answer.close) await closeIssue(fd, fdWhere, r.number, newer !== undefined ? 'not_planned' : 'completed');
      if (written !== 'unchanged' || answer.close)
        out.push(`#${r.number}: ${answer.state.state}${answer.close ? ', closed' : ''}`);
    }
    const tally = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
    io.stdout(
      `${frontDoor}: ${requests.length} open request${requests.length === 1 ? '' : 's'}${tally ? ` (${tally})` : ''}${dryRun ? '; dry run, nothing written' : ''}\n`,
    );
    for (const line of out) io.stdout(`  ${line}\n`);
    return 0;
  },
});
