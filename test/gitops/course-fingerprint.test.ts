import { compareRoom, expectedRooms, gitBlobId } from '../../gitops/drift-fingerprint';
import { expiredInvitationAddresses } from '../../gitops/watchdog-report';
import { courseRoster, T } from '../../test-kit/course';
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

test("the watchdog re-sends no expired invitation in a course's stack (its learners have no collaborator of their own)", () => {
  const r = courseRoster({ learners: 2 });
  for (const l of r.learners) l.progress = { status: 'invitation-expired' };
  const s = only(synthAt(r, T.a1Opens));
  expect(s.index.learners.every((l) => l.admitted)).toBe(true);
  expect(expiredInvitationAddresses(r, s.index)).toEqual([]);
});
