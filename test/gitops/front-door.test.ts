/**
 * The front door's cores: a request judged (the author is the registrant; the cohort's rule;
 * every problem at once), the one comment a learner reads (every message, read as a learner
 * would), the answer kept across runs, and the batch of accepted requests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { enrolmentCodeHash } from '../../gitops/enrolment';
import {
  FRONT_DOOR_FIELDS,
  judgeRequest,
  readRequest,
  requestFingerprint,
  type Refusal,
  type RequestAnswers,
} from '../../gitops/front-door';
import { answerRequest, nextBatchAt } from '../../gitops/front-door-answer';
import {
  commentHeader,
  readCommentState,
  refusalLine,
  renderAccepted,
  renderRefused,
  renderStatus,
  renderSuperseded,
} from '../../gitops/front-door-comment';
import { learnerStatus, readQueueHints } from '../../gitops/front-door-status';
import type { LearnerIndex, LearnerIndexEntry } from '../../contracts/learner-index';
import { readSettings } from '../../contracts/settings';
import { planCohorts } from '../../synthesis/cohort-plan';
import { buildLearnerIndex } from '../../synthesis/index-writer';
import { enrolCommitMessage, planBatch, reviewPullRequest, type AcceptedRequest } from '../../gitops/enrolment-batch';
import { validateRoster, type Roster } from '../../roster';
import { learner } from '../../test-kit/rosters';
import { courseRoster, T } from '../../test-kit/course';
import { appliedAll, only, synthAt } from '../helpers/course';

const NOW = Date.parse('2026-09-15T10:32:00Z');
const CODE = 'Blue Ocean';
const rooms = { owner: 'acme', repositoryPattern: '{cohort}-{handle}', htmlBase: 'https://github.com' };

function world(): Roster {
  return {
    format_version: 1,
    cohorts: [
      {
        cohort_id: '2026-spring',
        title: 'Spring 2026',
        enrolment: {
          review: 'auto',
          opens: '2026-09-01',
          closes: '2026-09-30',
          code_sha256: enrolmentCodeHash('2026-spring', CODE),
        },
      },
      { cohort_id: '2026-autumn', enrolment: { review: 'manual', allowed_handles: ['bob', 'Dave'] } },
      { cohort_id: 'staff' },
    ],
    learners: [
      learner('alice', '2026-spring', {
        provisioning: { state: 'provisioned', provisioned_at: '2026-09-10T10:00:00Z' },
      }),
      learner('carol', '2026-spring', {
        provisioning: { state: 'archived', last_outcome: 'archived', updated_at: '2026-09-12T09:30:00Z' },
      }),
      learner('dave', '2026-spring', { name: 'Dave Private', email: 'dave@example.org' }),
      learner('erin', '2026-spring', { provisioning: { state: 'failed', cause: 'rate-limit' } }),
    ],
  };
}

const user = (login: string) => ({ login, type: 'User' });
const judge = (answers: RequestAnswers, login = 'bob', now = NOW, windowAt?: number) =>
  judgeRequest(answers, user(login), world(), { now, ...(windowAt ? { windowAt } : {}) });
const refusals = (answers: RequestAnswers, login = 'bob', now = NOW) => {
  const d = judge(answers, login, now);
  return d.kind === 'refused' ? d.refusals.map((r) => r.why) : d.kind;
};
const spring = { cohort: '2026-spring', path: 'web', code: CODE };

function body(answers: Record<string, string | undefined>): string {
  return Object.entries(FRONT_DOOR_FIELDS)
    .map(([k, label]) => `### ${label}\n\n${answers[k] ?? '_No response_'}`)
    .join('\n\n');
}

describe('the public form and its reader agree', () => {
  const form = parse(
    readFileSync(
      join(__dirname, '..', '..', 'templates', 'front-door', '.github', 'ISSUE_TEMPLATE', 'register.yml'),
      'utf8',
    ),
  ) as {
    labels: string[];
    body: { type: string; id?: string; attributes: { label?: string; value?: string } }[];
  };
  test("the fields are the reader's labels; nothing personal is asked; the label is applied", () => {
    const inputs = form.body.filter((b) => b.type !== 'markdown');
    expect(inputs.map((b) => [b.id, b.attributes.label])).toEqual(Object.entries(FRONT_DOOR_FIELDS));
    expect(JSON.stringify(inputs.map((b) => [b.id, b.attributes.label])).toLowerCase()).not.toMatch(
      /name|e-?mail|handle|student/,
    );
    expect(form.labels).toEqual(['registration']);
    const note = form.body.find((b) => b.type === 'markdown')!.attributes.value!;
    expect(note).toMatch(/GitHub account you are signed in with/);
    expect(note).toMatch(/anyone can read/i);
  });

  test('a submission reads back; a name or email section someone adds is ignored', () => {
    const text = `${body({ cohort_id: ' 2026-Spring ', path: 'web', code: 'Blue Ocean' })}\n\n### Email\n\nbob@example.org`;
    expect(readRequest(text)).toEqual({ cohort: '2026-Spring', path: 'web', code: 'Blue Ocean' });
    expect(readRequest(body({}))).toEqual({ cohort: undefined, path: undefined, code: undefined });
  });
});

describe('judging a request', () => {
  test('from its author, with the right code, in the window: accepted for the next batch (auto)', () => {
    const d = judge({ ...spring, cohort: '2026-SPRING', code: ' blue   OCEAN ' });
    expect(d).toMatchObject({
      kind: 'accepted',
      review: 'auto',
      created: true,
      patch: { github_handle: 'bob', cohort_id: '2026-spring', path: 'web' },
    });
  });

  test('a wrong code, a missing code', () => {
    expect(refusals({ ...spring, code: 'green ocean' })).toEqual(['code-wrong']);
    expect(refusals({ ...spring, code: undefined })).toEqual(['code-missing']);
  });

  test('before opening and after closing; a request accepted in time stays accepted after the close', () => {
    expect(judge(spring, 'bob', Date.parse('2026-08-31T12:00:00Z'))).toMatchObject({
      kind: 'refused',
      refusals: [{ why: 'not-yet', when: 'on 1 September 2026 (UTC)' }],
    });
    expect(judge(spring, 'bob', Date.parse('2026-10-01T00:00:00Z'))).toMatchObject({
      kind: 'refused',
      refusals: [{ why: 'closed', when: 'at the end of 30 September 2026 (UTC)' }],
    });
    expect(judge(spring, 'bob', Date.parse('2026-10-03T00:00:00Z'), NOW).kind).toBe('accepted');
  });

  test('an unknown cohort: the nearest open one suggested, the open ones listed', () => {
    const d = judge({ ...spring, cohort: '2026-sping' });
    expect(d).toEqual({
      kind: 'refused',
      refusals: [{ why: 'cohort-unknown', typed: '2026-sping', suggestion: '2026-spring' }],
      open: [{ cohort_id: '2026-spring', title: 'Spring 2026' }, { cohort_id: '2026-autumn' }],
    });
    expect(refusals({ ...spring, cohort: 'staff' })).toEqual(['cohort-not-here']);
  });

  test('a withdrawn learner is turned away, whatever else the request says', () => {
    expect(judge({ cohort: '2026-spring' }, 'Carol')).toMatchObject({
      kind: 'refused',
      refusals: [{ why: 'withdrawn', cohort: '2026-spring' }],
    });
  });

  test('the allow-list: a handle not on it', () => {
    expect(judge({ cohort: '2026-autumn', path: 'web' }, 'mallory')).toMatchObject({
      kind: 'refused',
      refusals: [{ why: 'not-allowed', login: 'mallory' }],
    });
    expect(judge({ cohort: '2026-autumn', path: 'web' }, 'DAVE')).toMatchObject({ kind: 'accepted', review: 'manual' });
  });

  test('bots are people-only refused; every other problem is listed at once', () => {
    expect(judgeRequest(spring, { login: 'helper[bot]', type: 'Bot' }, world(), { now: NOW })).toMatchObject({
      kind: 'refused',
      refusals: [{ why: 'bot' }],
    });
    expect(refusals({})).toEqual(['cohort-missing', 'path-missing']);
    expect(refusals({ cohort: '2026-spring', path: 'Web Design!' })).toEqual(['code-missing', 'path-invalid']);
    expect(judge({ ...spring, path: 'Web Design' })).toMatchObject({
      refusals: [{ why: 'path-invalid', suggestion: 'web-design' }],
    });
  });

  test('already in the cohort with these details: enrolled, whatever the rule; a new path is a change to accept', () => {
    expect(judge({ cohort: '2026-spring', path: 'web' }, 'alice', Date.parse('2027-01-01T00:00:00Z'))).toMatchObject({
      kind: 'enrolled',
      learner: { github_handle: 'alice' },
    });
    expect(judge({ ...spring, path: 'data' }, 'alice')).toMatchObject({
      kind: 'accepted',
      created: false,
      changed: ['path'],
      patch: { path: 'data' },
    });
  });
});

/** A course (test-kit/course.ts) whose first learner's rooms were made: their status at `at`, with or without the index. */
function courseReady(at: string, withIndex: boolean) {
  const c = courseRoster({ learners: 2 });
  c.learners[0].provisioning = { state: 'provisioned', provisioned_at: T.a1Opens };
  const hints = withIndex ? readQueueHints([only(synthAt(c, at, appliedAll(synthAt(c, at)))).index]) : undefined;
  return { c, status: learnerStatus(c, c.learners[0], rooms, hints, Date.parse(at)) };
}

/** Everything a learner can read: every refusal, both acceptances, every status, the superseded note. */
/** The learner indexes synthesis writes for `r` with one new room per run (contracts/learner-index.ts). */
function queueOf(r: Roster) {
  const { settings, errors } = readSettings({
    LEARNING_ROOMS_RUN_STARTED_AT: '2026-09-15T10:12:00Z',
    LEARNING_ROOMS_ADMISSION_BUDGET: '1',
  });
  if (!settings) throw new Error(errors.join('\n'));
  return readQueueHints(planCohorts({ roster: r, settings }).stacks.map(buildLearnerIndex));
}

function everyMessage(): { what: string; text: string }[] {
  const open = [{ cohort_id: '2026-spring', title: 'Spring 2026' }];
  const all: Refusal[] = [
    { why: 'bot', login: 'helper[bot]' },
    { why: 'login', login: 'a_b' },
    { why: 'withdrawn', cohort: '2026-spring' },
    { why: 'cohort-missing' },
    { why: 'cohort-unknown', typed: 'sping', suggestion: '2026-spring' },
    { why: 'cohort-not-here', cohort: 'staff' },
    { why: 'not-yet', cohort: '2026-spring', when: 'on 1 September 2026 (UTC)' },
    { why: 'closed', cohort: '2026-spring', when: 'at the end of 30 September 2026 (UTC)' },
    { why: 'not-allowed', cohort: '2026-autumn', login: 'mallory' },
    { why: 'code-missing', cohort: '2026-spring' },
    { why: 'code-wrong', cohort: '2026-spring' },
    { why: 'path-missing', known: ['web'] },
    { why: 'path-invalid', typed: 'Web Design', suggestion: 'web-design', known: [] },
  ];
  const state = { state: 'refused' as const };
  const accepted = (review: 'auto' | 'manual', created = true) =>
    renderAccepted(
      {
        kind: 'accepted',
        review,
        cohort: world().cohorts[0],
        patch: { github_handle: 'bob', cohort_id: '2026-spring', path: 'web' },
        created,
        changed: [],
      },
      { state: 'accepted' },
      nextBatchAt(NOW),
    );
  const r = world();
  return [
    ...all.map((x) => ({ what: x.why, text: renderRefused({ kind: 'refused', refusals: [x], open }, state) })),
    { what: 'accepted auto', text: accepted('auto') },
    { what: 'accepted manual', text: accepted('manual') },
    { what: 'accepted change', text: accepted('auto', false) },
    {
      what: 'waiting',
      text: renderStatus(r.learners[2], learnerStatus(r, r.learners[2], rooms), { state: 'enrolled' }),
    },
    {
      what: 'waiting in the queue of every cohort',
      text: renderStatus(r.learners[2], learnerStatus(r, r.learners[2], rooms, queueOf(r)), { state: 'enrolled' }),
    },
    {
      what: 'retrying',
      text: renderStatus(r.learners[3], learnerStatus(r, r.learners[3], rooms), { state: 'enrolled' }),
    },
    { what: 'ready', text: renderStatus(r.learners[0], learnerStatus(r, r.learners[0], rooms), { state: 'ready' }) },
    {
      what: 'ready course',
      text: (() => {
        const { c, status } = courseReady(T.a2Opens, true);
        return renderStatus(c.learners[0], status, { state: 'ready' });
      })(),
    },
    { what: 'superseded', text: renderSuperseded(12, state) },
  ];
}

describe('what a learner reads', () => {
  test.each(everyMessage())('$what: plain words, nobody mentioned, nothing private, no tool jargon', ({ text }) => {
    const prose = text
      .split('\n')
      .slice(1)
      .join('\n')
      .replace(/`[^`]*`/g, '');
    expect(text.startsWith('<!-- learning-rooms:front-door state=')).toBe(true);
    expect(prose).not.toMatch(/@/);
    expect(prose).not.toMatch(
      /roster|cohort[ _]id|provision|synth|terraform|dispatch|workflow|pull request|\bJSON\b|GitHub App|admin/i,
    );
    expect(text).not.toMatch(/Dave Private|dave@example\.org|blue ocean/i);
    expect(text.length).toBeLessThan(1500);
  });

  test('what to fix: each answer named, the open cohorts listed, how to edit; no edit advice where editing cannot help', () => {
    const d = judge({ cohort: 'sping', path: 'Web Design', code: 'x' });
    expect(d.kind).toBe('refused');
    if (d.kind !== 'refused') return;
    expect(renderRefused(d, { state: 'refused' })).toBe(
      [
        '<!-- learning-rooms:front-door state=refused -->',
        'Thank you for registering. We cannot accept this request yet:',
        '',
        "- **Cohort**: there is no cohort called `sping`. Check the spelling in your facilitator's message. Cohorts open for registration now: `2026-spring` (Spring 2026), `2026-autumn`.",
        '- **Learning path**: `Web Design` cannot be a learning path name: use only lower-case letters, digits, dots, dashes and underscores. Did you mean `web-design`?',
        '',
        'To fix it, edit your request: choose **···** at the top right of it, then **Edit**, correct your answers and save. We check your request again every time you edit it.',
      ].join('\n'),
    );
    const withdrawn = judge({ cohort: '2026-spring' }, 'carol');
    if (withdrawn.kind !== 'refused') throw new Error('expected refused');
    expect(renderRefused(withdrawn, { state: 'refused' })).not.toMatch(/edit your request/);
    expect(refusalLine({ why: 'code-wrong', cohort: '2026-spring' }, [])).toBe(
      "**Enrolment code**: this is not the code for `2026-spring`. Copy it again from your facilitator's message (capital letters and spaces do not matter).",
    );
  });

  test('accepted: when the next group is enrolled, and what comes after', () => {
    expect(nextBatchAt(NOW)).toBe(Date.parse('2026-09-15T10:45:00Z'));
    const text = everyMessage().find((m) => m.what === 'accepted auto')!.text;
    expect(text).toContain(
      'You will be enrolled with the next group of learners, at about 10:45 UTC. Then your learning room is created, and GitHub emails you an invitation to it.',
    );
    expect(text).toContain('this issue closes when your room is ready');
  });

  test('waiting: the place in the queue; the expected time when the learner index gives one', () => {
    const r = world();
    expect(learnerStatus(r, r.learners[2], rooms)).toEqual({ kind: 'waiting', position: 2, of: 2 });
    expect(renderStatus(r.learners[2], learnerStatus(r, r.learners[2], rooms), { state: 'enrolled' })).toContain(
      'you are number 2 of 2 waiting for a room in this cohort. Rooms are created in groups',
    );
    const index = (learners: LearnerIndexEntry[]): LearnerIndex => ({
      format_version: 1,
      cohort_id: '2026-spring',
      stack: '2026-spring',
      owner: 'acme',
      learners,
    });
    const entry = (github_handle: string, queue?: LearnerIndexEntry['queue']): LearnerIndexEntry => ({
      github_handle,
      cohort_id: '2026-spring',
      repository: `2026-spring-${github_handle}`,
      admitted: queue === undefined,
      ...(queue ? { queue } : {}),
      addresses: { repository: '', collaborator: '', files: {} },
    });
    const hints = readQueueHints([
      index([entry('Dave', { position: 1, run: 1, expected_at: '2026-09-15T11:30:00Z' }), entry('erin')]),
    ]);
    const text = renderStatus(r.learners[2], learnerStatus(r, r.learners[2], rooms, hints), { state: 'enrolled' });
    expect(text).toContain(
      'you are number 1 of 1 in the queue for learning rooms, and it is expected at about 11:30 UTC.',
    );
    // An entry admitted by the plan, or a queue without a usable position, gives no hint.
    expect(learnerStatus(r, r.learners[3], rooms, hints)).toEqual({ kind: 'retrying' });
    const unusable = readQueueHints([index([entry('dave', { position: 0 })])]);
    expect(unusable.byLearner.size).toBe(0);
    expect(learnerStatus(r, r.learners[2], rooms, unusable)).toEqual({ kind: 'waiting', position: 2, of: 2 });
  });

  test("waiting, with synthesis' learner indexes: the place in the one queue of every cohort, and when", () => {
    // One new room per run, shared by the cohorts: one queue across both (contracts/learner-index.ts);
    // gina is the only one waiting in her cohort, yet third in the queue.
    const r = world();
    r.learners.push(learner('frank', '2026-spring'), learner('gina', '2026-autumn'));
    const hints = queueOf(r);
    const say = (handle: string) => {
      const l = r.learners.find((x) => x.github_handle === handle)!;
      return { handle, status: learnerStatus(r, l, rooms, hints) };
    };
    expect(['dave', 'frank', 'gina'].map(say)).toEqual([
      {
        handle: 'dave',
        status: { kind: 'waiting', position: 1, of: 3, expectedAt: '2026-09-15T10:37:00Z', allCohorts: true },
      },
      {
        handle: 'frank',
        status: { kind: 'waiting', position: 2, of: 3, expectedAt: '2026-09-15T11:07:00Z', allCohorts: true },
      },
      {
        handle: 'gina',
        status: { kind: 'waiting', position: 3, of: 3, expectedAt: '2026-09-15T11:37:00Z', allCohorts: true },
      },
    ]);
    const gina = r.learners.find((x) => x.github_handle === 'gina')!;
    expect(renderStatus(gina, say('gina').status, { state: 'enrolled' })).toContain(
      'you are number 3 of 3 in the queue for learning rooms, and it is expected at about 11:37 UTC.',
    );
  });

  test('ready: the room, where to accept the invitation, that it expires after 7 days', () => {
    const text = everyMessage().find((m) => m.what === 'ready')!.text;
    expect(text).toContain('Your learning room is ready: https://github.com/acme/2026-spring-alice');
    expect(text).toContain(
      'accept the invitation while signed in to GitHub as `alice`: https://github.com/acme/2026-spring-alice/invitations',
    );
    expect(text).toContain('The invitation expires after 7 days');
  });
});

test("ready in a course: each open assignment's room with its link, from the learner index or, without it, from the roster at that instant", () => {
  const text = everyMessage().find((m) => m.what === 'ready course')!.text;
  expect(text.split('\n').filter((l) => l.startsWith('- '))).toEqual([
    '- **Accessible HTML** (`a1-html`): https://github.com/acme/web-101-a1-html-l1',
    '- **CSS that adapts** (`a2-css`): https://github.com/acme/web-101-a2-css-l1',
  ]);
  expect(text).toContain(
    'accept each invitation while signed in to GitHub as `l1`: https://github.com/acme/web-101-a1-html-l1/invitations, https://github.com/acme/web-101-a2-css-l1/invitations',
  );
  // no single room named {cohort}-{handle}: a course's learner has none
  expect(text).not.toContain('web-101-l1');
  // the same rooms from the roster alone (no index given), and only those open at the instant
  expect(courseReady(T.a2Opens, false).status).toEqual(courseReady(T.a2Opens, true).status);
  const early = courseReady(T.a1Opens, false).status;
  expect(early.kind === 'ready-course' && early.rooms.map((x) => x.repository)).toEqual(['web-101-a1-html-l1']);
  // not provisioned yet: not ready
  const c = courseRoster({ learners: 2 });
  expect(learnerStatus(c, c.learners[0], rooms, undefined, Date.parse(T.a2Opens)).kind).toBe('waiting');
});

test('docs/gitops.md quotes what a learner reads, as the code writes it', () => {
  const flat = (t: string) => t.replace(/\s+/g, ' ');
  const docs = flat(readFileSync(join(__dirname, '..', '..', 'docs', 'gitops.md'), 'utf8'));
  const lines = everyMessage()
    .filter((m) => !/^accepted|^waiting|^retrying|^ready|^superseded/.test(m.what))
    .map(
      (m) =>
        m.text
          .split('\n')
          .find((l) => l.startsWith('- '))!
          .slice(2)
          .split(' Cohorts open for registration now')[0],
    );
  expect(lines).toHaveLength(13);
  for (const line of lines) expect({ line, quoted: docs.includes(flat(line)) }).toEqual({ line, quoted: true });
  const sentences = everyMessage()
    .filter((m) => /^accepted|^waiting|^retrying|^ready|^superseded/.test(m.what))
    .flatMap((m) =>
      m.text
        .split('\n')
        .slice(1)
        .join(' ')
        .split(/(?<=[.:])\s+(?=[A-Z])/),
    )
    .filter((x) => x.trim() !== '' && !/`|https?:|#\d|number \d/.test(x));
  expect(sentences.length).toBeGreaterThan(15);
  for (const sentence of sentences)
    expect({ sentence, quoted: docs.includes(flat(sentence.trim())) }).toEqual({ sentence, quoted: true });
});

describe('the answer kept across runs', () => {
  const issue = (answers: Record<string, string>, login = 'bob') => ({ author: user(login), body: body(answers) });
  const form = { cohort_id: '2026-spring', path: 'web', code: CODE };

  test("the comment's first line keeps the state; a learner's look-alike is not ours", () => {
    const s = { state: 'accepted' as const, at: '2026-09-15T10:32:00.000Z', request: '0123456789abcdef' };
    expect(readCommentState(`${commentHeader(s)}\nText`)).toEqual(s);
    expect(readCommentState('<!-- learning-rooms:front-door state=owned -->')).toBeUndefined();
    expect(readCommentState('Hello\n<!-- learning-rooms:front-door state=ready -->')).toBeUndefined();
  });

  test('accepted once, it is judged against the window at that time until the answers change', () => {
    const first = answerRequest(issue(form), undefined, world(), { now: NOW, rooms });
    expect(first.state).toMatchObject({ state: 'accepted', at: '2026-09-15T10:32:00.000Z' });
    const late = Date.parse('2026-10-05T00:00:00Z');
    expect(answerRequest(issue(form), first.state, world(), { now: late, rooms }).state).toEqual(first.state);
    const edited = answerRequest(issue({ ...form, path: 'data' }), first.state, world(), { now: late, rooms });
    expect(edited.decision).toMatchObject({ kind: 'refused', refusals: [{ why: 'closed' }] });
    expect(requestFingerprint('Bob', readRequest(body(form)))).toBe(first.state.request);
  });

  test('the room ready closes the issue once, not again when the learner reopens it', () => {
    const ready = answerRequest(
      issue({ cohort_id: '2026-spring', path: 'web' }, 'alice'),
      { state: 'enrolled' },
      world(),
      { now: NOW, rooms },
    );
    expect(ready).toMatchObject({ close: true, state: { state: 'ready' } });
    expect(
      answerRequest(issue({ cohort_id: '2026-spring', path: 'web' }, 'alice'), ready.state, world(), {
        now: NOW,
        rooms,
      }).close,
    ).toBe(false);
  });
});

describe('the batch', () => {
  const accepted = (issue: number, login: string, cohort: string, review: 'auto' | 'manual'): AcceptedRequest => ({
    issue,
    decision: {
      kind: 'accepted',
      review,
      cohort: { cohort_id: cohort },
      patch: { github_handle: login, cohort_id: cohort, path: 'web' },
      created: true,
      changed: [],
    },
  });

  test('twenty at once: one roster change for the auto ones, one for review on top of it', () => {
    const requests = Array.from({ length: 20 }, (_, i) =>
      accepted(20 - i, `learner-${i}`, i % 4 === 0 ? '2026-autumn' : '2026-spring', i % 4 === 0 ? 'manual' : 'auto'),
    );
    const batch = planBatch(world(), requests);
    expect(batch.auto?.requests.map((r) => r.issue)).toEqual([1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15, 17, 18, 19]);
    expect(batch.auto?.roster.learners).toHaveLength(4 + 15);
    expect(batch.manual?.roster.learners).toHaveLength(4 + 20);
    expect(validateRoster(batch.manual!.roster)).toEqual([]);
    expect(enrolCommitMessage(batch.auto!.requests)).toBe('learning-rooms: enrol 15 learners [skip ci]');
    const pr = reviewPullRequest(batch.manual!.requests, 'acme/register');
    expect(pr.title).toBe('Enrol 5 learners who registered (for review)');
    expect(pr.body).toContain('- adds `learner-16` in `2026-autumn` on path `web`: acme/register#4');
  });

  test('an auto part that would leave the roster invalid is never pushed: it joins the review', () => {
    const bad = accepted(1, 'bob', 'no-such-cohort', 'auto');
    const batch = planBatch(world(), [bad, accepted(2, 'eve', '2026-spring', 'auto')]);
    expect(batch.auto).toBeUndefined();
    expect(batch.manual?.requests.map((r) => r.issue)).toEqual([1, 2]);
  });
});
