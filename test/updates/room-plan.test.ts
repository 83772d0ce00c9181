import { pendingWrites, proposeForRoom } from '../../updates/room-plan';
import type { FileChange } from '../../updates/template-diff';

const CHANGES: FileChange[] = [
  { path: 'added-new', kind: 'added', to: 'N' },
  { path: 'added-same', kind: 'added', to: 'S' },
  { path: 'added-own', kind: 'added', to: 'T' },
  { path: 'mod-clean', kind: 'modified', from: 'A', to: 'B' },
  { path: 'mod-done', kind: 'modified', from: 'A', to: 'B' },
  { path: 'mod-changed', kind: 'modified', from: 'A', to: 'B' },
  { path: 'mod-removed', kind: 'modified', from: 'A', to: 'B' },
  { path: 'rm-clean', kind: 'removed', from: 'R' },
  { path: 'rm-gone', kind: 'removed', from: 'R' },
  { path: 'rm-changed', kind: 'removed', from: 'R' },
];

const ROOM = new Map([
  ['added-same', 'S'],
  ['added-own', 'mine'],
  ['mod-clean', 'A'],
  ['mod-done', 'B'],
  ['mod-changed', 'mine'],
  ['rm-clean', 'R'],
  ['rm-changed', 'mine'],
]);

describe("one room's proposal", () => {
  const proposal = proposeForRoom(CHANGES, ROOM);

  test('each file: added, updated or removed, with what the learner had there', () => {
    expect(proposal.files).toEqual([
      { path: 'added-new', action: 'add', to: 'N', learnerChanged: false, learnerRemoved: false },
      { path: 'added-own', action: 'update', to: 'T', learnerChanged: true, learnerRemoved: false },
      { path: 'mod-clean', action: 'update', to: 'B', learnerChanged: false, learnerRemoved: false },
      { path: 'mod-changed', action: 'update', to: 'B', learnerChanged: true, learnerRemoved: false },
      { path: 'mod-removed', action: 'add', to: 'B', learnerChanged: false, learnerRemoved: true },
      { path: 'rm-clean', action: 'delete', learnerChanged: false, learnerRemoved: false },
    ]);
  });

  test('skipped: already as the template has it, already removed, and removals of files the learner changed', () => {
    expect(proposal.skipped).toEqual([
      { path: 'added-same', why: 'identical' },
      { path: 'mod-done', why: 'identical' },
      { path: 'rm-gone', why: 'already-removed' },
      { path: 'rm-changed', why: 'kept-learner-changed' },
    ]);
  });

  test('a room with every change already in place needs no pull request', () => {
    const done = new Map([
      ['added-new', 'N'],
      ['added-same', 'S'],
      ['added-own', 'T'],
      ['mod-clean', 'B'],
      ['mod-done', 'B'],
      ['mod-changed', 'B'],
      ['mod-removed', 'B'],
    ]);
    expect(proposeForRoom(CHANGES, done).files).toEqual([]);
  });
});

describe('the writes a branch still needs', () => {
  const proposal = proposeForRoom(CHANGES, ROOM);

  test('a new branch (at the default head) needs every proposed file, with the sha of what it replaces', () => {
    expect(pendingWrites(proposal, ROOM)).toEqual([
      { path: 'added-new', kind: 'put', to: 'N' },
      { path: 'added-own', kind: 'put', to: 'T', sha: 'mine' },
      { path: 'mod-clean', kind: 'put', to: 'B', sha: 'A' },
      { path: 'mod-changed', kind: 'put', to: 'B', sha: 'mine' },
      { path: 'mod-removed', kind: 'put', to: 'B' },
      { path: 'rm-clean', kind: 'delete', sha: 'R' },
    ]);
  });

  test('a branch a stopped run half-wrote needs only the rest', () => {
    const half = new Map([...ROOM, ['added-new', 'N'], ['added-own', 'T'], ['mod-clean', 'B']]);
    half.delete('rm-clean');
    expect(pendingWrites(proposal, half).map((w) => w.path)).toEqual(['mod-changed', 'mod-removed']);
  });
});
