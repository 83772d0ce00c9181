/**
 * prepare-stack's allow-list for a course's resources (contracts/stack-policy.ts): what synthesis
 * writes passes (test/helpers/course.ts checks every synthesized stack); anything else is refused,
 * naming its JSON path.
 */
import { checkStackConfig } from '../../gitops/stack-check';
import { courseRoster, T } from '../../test-kit/course';
import { Config, only, OWNER, synthAt } from '../helpers/course';

const TRUSTED = { owner: OWNER, baseUrl: 'https://api.github.com/' };
const stack = (): Config => only(synthAt(courseRoster({ learners: 1 }), T.a2Opens)).config;

test.each<[string, (c: Config) => void, RegExp]>([
  [
    "a permission not in the provider's names",
    (c) => (c.resource.github_repository_collaborators['a1-html--l1'].user[0].permission = 'write'),
    /^resource\.github_repository_collaborators\["a1-html--l1"\]\.user\[0\]\.permission: expected one of "pull", "triage", "push", "maintain", "admin", found the string "write"$/,
  ],
  [
    'a team by slug',
    (c) =>
      (c.resource.github_repository_collaborators['a1-html--l1'].team = [{ team_id: 'staff', permission: 'maintain' }]),
    /\.team\[0\]\.team_id: expected a whole number written as text \(a numeric id\)/,
  ],
  [
    'two teams',
    (c) =>
      (c.resource.github_repository_collaborators['a1-html--l1'].team = [
        { team_id: '1', permission: 'maintain' },
        { team_id: '2', permission: 'maintain' },
      ]),
    /\.team: expected at most 1 blocks, found 2/,
  ],
  [
    'a user block that is not an object',
    (c) => (c.resource.github_repository_collaborators['a1-html--l1'].user = [['x']]),
    /\.user\[0\]: expected a nested block as one JSON object/,
  ],
  [
    'depends_on a resource the stack does not declare',
    (c) =>
      (c.resource.github_repository_file['a2-css--l1--github_workflows_ack_yml'].depends_on = [
        'github_branch.elsewhere',
      ]),
    /\.depends_on\[0\]: "github_branch\.elsewhere" is not a resource of this stack/,
  ],
  [
    'depends_on a type the policy does not name',
    (c) =>
      (c.resource.github_repository_file['a2-css--l1--github_workflows_ack_yml'].depends_on = [
        'github_repository.a2-css--l1',
      ]),
    /\.depends_on\[0\]: expected the address of a github_branch of this stack/,
  ],
  [
    'the branch from another attribute of the repository',
    (c) =>
      (c.resource.github_branch['a2-css--l1--feedback'].source_branch = '${github_repository.a2-css--l1.full_name}'),
    /source_branch: expected exactly "\$\{github_repository\.<name>\.default_branch\}"/,
  ],
  [
    'a pull request into another base',
    (c) => (c.resource.github_repository_pull_request['a2-css--l1--feedback'].base_ref = 'main'),
    /base_ref: expected one of "feedback"/,
  ],
  [
    'another lifecycle on the pull request',
    (c) => (c.resource.github_repository_pull_request['a2-css--l1--feedback'].lifecycle = { ignore_changes: 'all' }),
    /lifecycle: expected exactly \{"ignore_changes": \["base_ref","head_ref","title","body","maintainer_can_modify"\]\}/,
  ],
])('refused: %s', (_name, mutate, expected) => {
  const c = stack();
  expect(checkStackConfig(c, TRUSTED)).toEqual([]);
  mutate(c);
  const problems = checkStackConfig(c, TRUSTED);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(expected);
});
