import { App, TerraformStack } from 'cdktf';
import { AssignmentRoom, assignmentRoomProblems, AssignmentRoomProps } from '../../constructs/assignment-room';

const props = (extra: Partial<AssignmentRoomProps> = {}): AssignmentRoomProps => ({
  key: 'a1-html--alice',
  repositoryName: 'web-101-a1-html-alice',
  template: { owner: 'acme', repository: 'tmpl' },
  requiredFiles: [{ path: 'a.md', content: 'x' }],
  members: [{ username: 'alice', permission: 'push' }],
  facilitators: [{ username: 'tina', permission: 'maintain' }],
  feedbackPullRequest: false,
  visibility: 'private',
  ...extra,
});

describe('AssignmentRoom', () => {
  test('valid props have no problem', () => {
    expect(assignmentRoomProblems(props({ feedbackPullRequest: true }))).toEqual([]);
  });

  test('every problem at once, each naming the room and the field', () => {
    const bad = props({
      key: 'A1--alice',
      repositoryName: 'a b',
      members: [
        { username: 'alice', permission: 'push' },
        { username: 'Alice', permission: 'write' as never },
      ],
      facilitators: [{ username: '@tina', permission: 'maintain' }],
      facilitatorTeam: { id: 0, permission: 'maintain' },
      requiredFiles: [
        { path: 'feedback', content: '' },
        { path: '../x', content: '' },
      ],
    });
    expect(assignmentRoomProblems(bad)).toEqual([
      'room A1--alice: key: expected "<assignment>--<learner or team>", found "A1--alice"',
      'room A1--alice: repositoryName: expected only A-Za-z0-9 . _ - in "a b"',
      'room A1--alice: members: "Alice": expected one of pull, triage, push, maintain, admin, found "write"',
      'room A1--alice: members: "Alice" is already listed (as "alice")',
      'room A1--alice: facilitators: expected a GitHub login, found "@tina"',
      'room A1--alice: facilitatorTeam.id: expected a numeric team id, found 0',
      `room A1--alice: requiredFiles: "feedback" maps to the resource name "feedback", the feedback branch's`,
      'room A1--alice: requiredFiles: expected a relative path inside the repository, found "../x"',
    ]);
    expect(assignmentRoomProblems(props({ members: [], requiredFiles: [], feedbackPullRequest: true }))).toEqual([
      "room a1-html--alice: members: expected the learner or the team's members, found none",
      'room a1-html--alice: feedbackPullRequest: expected at least one required file (the commit the feedback branch lacks: GitHub refuses a pull request with none)',
    ]);
    const stack = new TerraformStack(new App(), 's');
    expect(() => new AssignmentRoom(stack, bad)).toThrow(/key: expected[\s\S]*facilitatorTeam\.id/);
  });
});
