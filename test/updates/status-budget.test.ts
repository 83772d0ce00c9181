import { nextRoom, roomCost } from '../../updates/budget';
import { parseStarterCodeDocument, statusSentence, type StarterCodeStatus } from '../../updates/status';

const FROM = '0123abcdef0123abcdef0123abcdef0123abcdef';
const TO = '4567fedcba4567fedcba4567fedcba4567fedcba';
const status = (extra: Partial<StarterCodeStatus>): StarterCodeStatus => ({
  cohort_id: 'c1',
  template: 'acme/tmpl',
  state: 'changed',
  from: FROM,
  to: TO,
  files: 3,
  refused: 0,
  rooms: 38,
  ...extra,
});

describe('the starter-code line', () => {
  test.each([
    [
      status({}),
      'Starter code: 3 files changed in acme/tmpl (cohort c1) since 0123abc; propose-update would open a pull request in 38 rooms (a room that already has it is skipped).',
    ],
    [
      status({ files: 1, rooms: 1, refused: 2, assignment_id: 'hw1' }),
      'Starter code: 1 file changed in acme/tmpl (assignment hw1 of cohort c1) since 0123abc (2 more files left out: see the run); propose-update would open a pull request in 1 room (a room that already has it is skipped).',
    ],
    [
      status({ rooms: 0 }),
      'Starter code: 3 files changed in acme/tmpl (cohort c1) since 0123abc; no room exists yet to offer it to.',
    ],
    [
      status({ state: 'unchanged', to: FROM, files: 0 }),
      'Starter code of acme/tmpl (cohort c1): unchanged since 0123abc.',
    ],
    [
      status({ state: 'unchanged', files: 0, refused: 1 }),
      'Starter code of acme/tmpl (cohort c1): nothing a pull request can carry has changed since 0123abc.',
    ],
    [
      status({ state: 'unrecorded', from: undefined, to: undefined, files: 0 }),
      'Starter code of acme/tmpl (cohort c1): no template commit recorded; run learning-rooms propose-update --record-current once the rooms exist.',
    ],
    [
      status({ state: 'not-read', files: 0 }),
      'Starter code of acme/tmpl (cohort c1): not read, the run stopped before it; the next run continues.',
    ],
    [
      status({ state: 'unreadable', detail: 'acme/tmpl: not found' }),
      'Starter code of acme/tmpl (cohort c1): could not be read (acme/tmpl: not found).',
    ],
  ])('%#', (s, sentence) => {
    expect(statusSentence(s)).toBe(sentence);
  });

  test('values can be quoted (the plan comment puts them in code spans)', () => {
    expect(statusSentence(status({ rooms: 2 }), (t) => `[${t}]`)).toBe(
      'Starter code: 3 files changed in [acme/tmpl] (cohort c1) since [0123abc]; [propose-update] would open a pull request in 2 rooms (a room that already has it is skipped).',
    );
  });

  test('the document: read back as written, every problem at once', () => {
    const doc = { format_version: 1, units: [status({})], rooms: [] };
    expect(parseStarterCodeDocument(JSON.stringify(doc), 'sc.json').units).toEqual([status({})]);
    expect(() => parseStarterCodeDocument('{', 'sc.json')).toThrow(/^sc\.json: not JSON/);
    expect(() => parseStarterCodeDocument('[]', 'sc.json')).toThrow(
      'sc.json: expected an object with "units" (a list)',
    );
    expect(() =>
      parseStarterCodeDocument(
        JSON.stringify({ units: [{ cohort_id: 1, template: 't', state: 'odd', files: -1, refused: 0, rooms: 1.5 }] }),
        'sc.json',
      ),
    ).toThrow(
      'sc.json: not a starter-code document:\n  - units[0].cohort_id: expected a string\n  - units[0].state: expected one of changed, unchanged, unrecorded, unreadable, not-read\n  - units[0].files: expected a whole number\n  - units[0].rooms: expected a whole number',
    );
  });
});

describe('the budget between rooms', () => {
  test('a room costs its reads and, unless dry, the branch, each file and the pull request', () => {
    expect(roomCost(3)).toEqual({ requests: 11, writes: 5 });
    expect(roomCost(3, true)).toEqual({ requests: 6, writes: 0 });
  });

  test('the writes of this run: the next room must fit whole', () => {
    expect(nextRoom(5, {}, roomCost(3), { maxWrites: 10 })).toEqual({ go: true });
    expect(nextRoom(6, {}, roomCost(3), { maxWrites: 10 })).toEqual({
      go: false,
      reason: "this run's share of GitHub's content-creation limit is spent (6 of 10 writes)",
    });
  });

  test("the installation's requests: a reserve is kept, a tenth of the limit unless given", () => {
    const cost = roomCost(1); // 9 requests
    expect(nextRoom(0, { remaining: 510, limit: 5000 }, cost, { maxWrites: 99 })).toEqual({ go: true });
    expect(nextRoom(0, { remaining: 508, limit: 5000, reset: 1_800_000_000 }, cost, { maxWrites: 99 })).toEqual({
      go: false,
      reason:
        "the installation's hourly request budget is nearly spent (508 left, 500 kept for the other workflows) (it resets at 2027-01-15T08:00:00.000Z)",
    });
    expect(nextRoom(0, { remaining: 20 }, cost, { maxWrites: 99, reserve: 11 }).go).toBe(true);
    expect(nextRoom(0, { remaining: 19 }, cost, { maxWrites: 99, reserve: 11 }).go).toBe(false);
  });
});
