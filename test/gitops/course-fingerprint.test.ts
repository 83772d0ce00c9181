import { compareRoom, expectedRooms, gitBlobId } from '../../gitops/drift-fingerprint';
import { expiredInvitationAddresses } from '../../gitops/watchdog-report';
import { courseRoster, T } from '../../test-kit/course';
import { courseRoomsWithExpired, roomsToCheck } from '../../provisioning/expired-course-invitations';
import { appliedAll, only, synthAt } from '../helpers/course';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

test("the watchdog's fingerprint of a course's rooms: settings, files, the first member's permission; archived at the end", () => {
  const r = courseRoster({ learners: 2, endOfCourse: { at: T.end, mode: 'archive', allow_mass_change: true } });
  const s = only(synthAt(r, '2026-03-10T17:05:00Z'));
  const rooms = expectedRooms(s.config, s.index, () => true);
  const progress = readFileSync(
    join(__dirname, '..', '..', 'required-files', '.github/workflows/progress.yml'),
    'utf8',
  );
  expect(rooms.find((x) => x.repository === 'web-101-a1-html-l1')).toEqual({
    stack: 'web-101',
    cohort_id: 'web-101',
    handle: 'l1',
    repository: 'web-101-a1-html-l1',
    state: 'configured',
    provisioned: true,
    visibility: 'PRIVATE',
    hasIssues: true,
    permission: 'READ',
    files: [{ path: '.github/workflows/progress.yml', oid: gitBlobId(progress) }],
  });
  expect(rooms.find((x) => x.repository === 'web-101-a2-css-l2')?.permission).toBe('WRITE');
  // a learner still with write access after the cutoff is drift the watchdog sends to a plan
  const e = rooms.find((x) => x.repository === 'web-101-a1-html-l1')!;
  const files = { '.github/workflows/progress.yml': gitBlobId(progress) };
  expect(
    compareRoom(e, {
      exists: true,
      archived: false,
      visibility: 'PRIVATE',
      hasIssues: true,
      permission: 'WRITE',
      files,
    }),
  ).toEqual([expect.objectContaining({ kind: 'permission', detail: 'permission WRITE instead of READ' })]);
  const ended = only(synthAt(r, T.end, appliedAll(synthAt(r, '2026-03-10T17:05:00Z'))));
  const archiving = expectedRooms(ended.config, ended.index, () => true);
  expect(archiving.every((x) => x.state === 'archiving')).toBe(true);
  expect(archiving.map((x) => x.repository).sort()).toEqual([
    'web-101-a1-html-l1',
    'web-101-a1-html-l2',
    'web-101-a2-css-l1',
    'web-101-a2-css-l2',
  ]);
});

test("expired invitations in a course's stack: no -replace (the room's one list would be emptied), the watchdog heals the stack and the apply withdraws them", () => {
  const r = courseRoster({ learners: 2 });
  const first = synthAt(r, T.a1Opens);
  const s = only(first);
  expect(s.index.learners.every((l) => l.admitted)).toBe(true);
  // a room made this run holds no invitation yet: nothing to read or heal
  r.learners[0].progress = { status: 'invitation-expired' };
  expect(roomsToCheck(s.index)).toEqual([]);
  expect(courseRoomsWithExpired(r, s.index)).toEqual([]);
  delete r.learners[0].progress;
  const made = only(synthAt(r, T.a1Opens, appliedAll(first)));
  // nothing known yet: the stack is not healed for invitations
  expect(courseRoomsWithExpired(r, made.index)).toEqual([]);
  // progress of record says l1's invitation expired: every open room of l1 counts
  r.learners[0].progress = { status: 'invitation-expired' };
  expect(expiredInvitationAddresses(r, made.index)).toEqual([]);
  expect(courseRoomsWithExpired(r, made.index).map((x) => x.repository)).toEqual(['web-101-a1-html-l1']);
  // the fingerprint found l2's room with an expired invitation (another stack's finding does not count)
  const findings = [
    { stack: 'web-101', repository: 'web-101-a1-html-l2', kind: 'invitation-expired' },
    { stack: 'web-102', repository: 'web-101-a1-html-l2', kind: 'invitation-expired' },
    { stack: 'web-101', repository: 'web-101-a1-html-l2', kind: 'file-deleted' },
  ];
  expect(courseRoomsWithExpired(r, made.index, findings).map((x) => x.repository)).toEqual([
    'web-101-a1-html-l1',
    'web-101-a1-html-l2',
  ]);
  // the rooms the apply reads: every admitted room already made, with its members and facilitators
  expect(roomsToCheck(made.index)).toEqual([
    { key: 'a1-html--l1', repository: 'web-101-a1-html-l1', people: ['l1', 'tina-ta', 'sam-teacher'] },
    { key: 'a1-html--l2', repository: 'web-101-a1-html-l2', people: ['l2', 'tina-ta', 'sam-teacher'] },
  ]);
});
