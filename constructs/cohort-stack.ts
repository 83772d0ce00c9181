/**
 * One Terraform stack per cohort, with its own state, so plan, apply and drift checks run per
 * cohort and in parallel. The stack holds the provider (owner, base URL, pacing, authentication
 * mode: never a credential), a local backend, one LearningRoom per admitted learner, and removed
 * blocks that forget the files and collaborator of rooms being archived.
 */
import { Construct } from 'constructs';
import { LocalBackend, TerraformStack } from 'cdktf';
import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { LearningRoom, learningRoomProblems, LearningRoomProps } from './learning-room';
import { AssignmentRoom, assignmentRoomProblems, AssignmentRoomProps } from './assignment-room';
import type { ProvisioningMode } from '../contracts/settings';
import { parseCourseRoomAddress, parseRoomAddress } from '../contracts/room-addresses';
import { GITHUB_PROVIDER } from '../contracts/stack-policy';
import { foldHandle } from '../roster/handle';

/** The provider's pacing; synthesis derives it from GitHub's limits (synthesis/provider-tuning.ts). */
export interface ProviderTuning {
  write_delay_ms: number;
  read_delay_ms: number;
  max_retries: number;
  retryable_errors: number[];
}

export interface CohortStackProps {
  readonly cohortId: string;
  /** The stack's name (its folder under cdktf.out/stacks/): the cohort id for shard 0, `<cohort>.shard-<k>` for shard k. */
  readonly stackName?: string;
  readonly owner: string;
  /** With a trailing slash. */
  readonly baseUrl: string;
  readonly mode: ProvisioningMode;
  readonly tuning: ProviderTuning;
  readonly rooms: readonly LearningRoomProps[];
  /** A course's rooms (a cohort with assignments, docs/course.md), one per open assignment and learner or team. */
  readonly assignmentRooms?: readonly AssignmentRoomProps[];
  /** Addresses to forget without destroying (files and collaborators of rooms being archived). */
  readonly forget?: readonly string[];
  /** Existing room resources to adopt: Terraform import blocks (Terraform 1.5+; a no-op once in state). Repositories from the planner, any room resource from reconstruct (synthesis/imports.ts). */
  readonly imports?: readonly { readonly to: string; readonly id: string }[];
  /** Local backend state file; default `terraform.<stack>.tfstate` in the working directory. */
  readonly statePath?: string;
}

/** Cohort ids become stack names and folder names under cdktf.out/stacks/. */
const COHORT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function removedBlocks(forget: readonly string[]): { from: string; lifecycle: { destroy: false } }[] {
  return forget.map((from) => ({ from, lifecycle: { destroy: false } }));
}

export function cohortStackProblems(props: CohortStackProps): string[] {
  const problems: string[] = [];
  if (!COHORT_ID.test(props.cohortId))
    problems.push(`cohort "${props.cohortId}": expected an id of A-Za-z0-9 . _ - (it names the stack's folder)`);
  if (props.stackName !== undefined && !COHORT_ID.test(props.stackName))
    problems.push(
      `cohort ${props.cohortId}: stack "${props.stackName}": expected a name of A-Za-z0-9 . _ - (it names the stack's folder)`,
    );
  if (!props.baseUrl.endsWith('/'))
    problems.push(`cohort ${props.cohortId}: baseUrl: expected a trailing slash, found "${props.baseUrl}"`);
  const seen = new Set<string>();
  for (const room of props.rooms) {
    const key = foldHandle(room.githubHandle);
    if (seen.has(key)) problems.push(`cohort ${props.cohortId}: learner "${room.githubHandle}" appears twice`);
    seen.add(key);
  }
  const keys = new Set<string>();
  for (const room of props.assignmentRooms ?? []) {
    if (keys.has(room.key)) problems.push(`cohort ${props.cohortId}: room ${room.key} appears twice`);
    keys.add(room.key);
  }
  for (const i of props.imports ?? []) {
    if (!parseRoomAddress(i.to) && !parseCourseRoomAddress(i.to))
      problems.push(
        `cohort ${props.cohortId}: imports: expected a room's repository, collaborator or file address, found "${i.to}"`,
      );
  }
  for (const a of props.forget ?? []) {
    const parsed = parseRoomAddress(a) ?? parseCourseRoomAddress(a);
    // Forgetting a repository would leave it live and unmanaged instead of archived.
    if (!parsed || parsed.kind === 'repository')
      problems.push(
        `cohort ${props.cohortId}: forget: expected a room's file, collaborator, branch or pull request address, found "${a}"`,
      );
  }
  // Each LearningRoom checks its own props too; checked here first so that every problem of the cohort is reported at once.
  for (const room of props.rooms) problems.push(...learningRoomProblems(room));
  for (const room of props.assignmentRooms ?? [])
    problems.push(...assignmentRoomProblems(room).map((p) => `cohort ${props.cohortId}: ${p}`));
  return problems;
}

export class CohortStack extends TerraformStack {
  /** One per learner of `props.rooms`, in that order. */
  public readonly rooms: LearningRoom[];
  /** One per room of `props.assignmentRooms`, in that order. */
  public readonly assignmentRooms: AssignmentRoom[];

  constructor(scope: Construct, props: CohortStackProps) {
    const problems = cohortStackProblems(props);
    if (problems.length) throw new Error(problems.join('\n'));
    const name = props.stackName ?? props.cohortId;
    super(scope, name);
    const provider = new GithubProvider(this, 'github', {
      owner: props.owner,
      baseUrl: props.baseUrl,
      writeDelayMs: props.tuning.write_delay_ms,
      readDelayMs: props.tuning.read_delay_ms,
      maxRetries: props.tuning.max_retries,
      retryableErrors: props.tuning.retryable_errors,
    });
    // The stack policy's pin is the one version: prepare-stack refuses any other, the lock file hashes it.
    if (provider.terraformGeneratorMetadata?.providerVersion !== GITHUB_PROVIDER.version) {
      throw new Error(
        `the provider binding pins ${provider.terraformGeneratorMetadata?.providerVersion}, the stack policy ${GITHUB_PROVIDER.version}: update contracts/stack-policy.ts and the lock file together`,
      );
    }
    // github-app: an EMPTY app_auth block; the provider fills id, installation_id and pem_file from
    // GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PEM_FILE at plan time. actions-bot:
    // nothing; the provider reads GITHUB_TOKEN. A credential written here would appear verbatim in
    // `terraform show -json`, sensitive or not. (The typed binding requires app_auth's id, hence the override.)
    if (props.mode === 'github-app') provider.addOverride('app_auth', {});
    new LocalBackend(this, { path: props.statePath ?? `terraform.${name}.tfstate` });
    this.rooms = props.rooms.map((room) => new LearningRoom(this, room));
    this.assignmentRooms = (props.assignmentRooms ?? []).map((room) => new AssignmentRoom(this, room));
    if (props.forget?.length) this.addOverride('removed', removedBlocks(props.forget));
    if (props.imports?.length)
      this.addOverride(
        'import',
        props.imports.map((i) => ({ to: i.to, id: i.id })),
      );
  }
}
