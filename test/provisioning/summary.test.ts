import { chainRecords, GENESIS_HASH } from '../../provisioning/log';
import { summaryMarkdown } from '../../provisioning/summary';

test('counts every outcome, lists each failure with its cause, escapes Markdown in details', () => {
  const entries = chainRecords(
    [
      {
        run_id: 'r',
        commit: 'c',
        time: '2026-09-28T12:00:00Z',
        cohort: 'c1',
        learner: 'ann',
        outcome: 'created',
        detail: 'room created (4 resources)',
      },
      {
        run_id: 'r',
        commit: 'c',
        time: '2026-09-28T12:00:00Z',
        cohort: 'c1',
        learner: 'bo',
        outcome: 'failed',
        cause: 'permission',
        detail: 'collaborator: PUT /repos/a/b|c: 403 <b>no</b> `x` [y]',
      },
      {
        run_id: 'r',
        commit: 'c',
        time: '2026-09-28T12:00:00Z',
        cohort: 'c1',
        learner: 'cy',
        outcome: 'queued',
        detail: 'budget',
      },
    ],
    GENESIS_HASH,
  );
  const md = summaryMarkdown({
    cohort: 'c1',
    runId: 'r',
    entries,
    alreadyRecorded: false,
    warnings: ['w1'],
    rosterNotes: [],
  });
  expect(md.split('\n')).toEqual([
    '### Provisioning: cohort c1, run r',
    '',
    '| outcome | learners |',
    '|---|---:|',
    '| created | 1 |',
    '| already-exists | 0 |',
    '| healed | 0 |',
    '| access-changed | 0 |',
    '| archived | 0 |',
    '| queued | 1 |',
    '| failed | 1 |',
    '| **total** | **3** |',
    '',
    '#### Failed (1)',
    '',
    '- **bo** (permission): collaborator: PUT /repos/a/b\\|c: 403 \\<b\\>no\\</b\\> \\`x\\` \\[y\\]',
    '',
    '#### Notes',
    '',
    '- w1',
    '',
  ]);
});
