/**
 * One Terraform stack per cohort, with its own state, so plan, apply and drift checks run per
 * cohort and in parallel. The stack holds the provider (owner, base URL, pacing, authentication
 * mode: never a credential), a local backend, one LearningRoom per admitted learner, and removed
 * blocks that forget the files and collaborator of rooms being archived.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { ISynthesisSession, LocalBackend, TerraformStack } from 'cdktf';
import { GithubProvider } from '@cdktf/provider-github/lib/provider';
import { LearningRoom, learningRoomFragment, learningRoomProblems, LearningRoomProps, RoomFragment } from './learning-room';
import type { ProvisioningMode } from '../contracts/settings';
import { parseRoomAddress } from '../contracts/room-addresses';
import { markCanonical, stableJson } from './stable-json';
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
  readonly owner: string;
  /** With a trailing slash. */
  readonly baseUrl: string;
  readonly mode: ProvisioningMode;
  readonly tuning: ProviderTuning;
  readonly rooms: readonly LearningRoomProps[];
  /** Addresses to forget without destroying (files and collaborators of rooms being archived). */
  readonly forget?: readonly string[];
  /** Existing room resources to adopt: Terraform import blocks (Terraform 1.5+; a no-op once in state). Repositories from the planner, any room resource from reconstruct (synthesis/imports.ts). */
  readonly imports?: readonly { readonly to: string; readonly id: string }[];
  /** Local backend state file; default `terraform.<cohort>.tfstate` in the working directory. */
  readonly statePath?: string;
  /**
   * How rooms reach the configuration. "json" (default) renders them with learningRoomFragment
   * after cdktf has synthesized the rest of the stack: identical output, a fraction of the time
   * (cdktf resolves every resource's tokens twice). "constructs" adds a LearningRoom child each.
   */
  readonly rendering?: 'json' | 'constructs';
}

/** Cohort ids become stack names and folder names under cdktf.out/stacks/. */
const COHORT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The provider block, shared by the construct and the fast JSON path. */
export function providerBlock(props: Pick<CohortStackProps, 'owner' | 'baseUrl' | 'mode' | 'tuning'>): Record<string, unknown> {
  return {
    owner: props.owner,
    base_url: props.baseUrl,
    // github-app: an EMPTY app_auth block; the provider fills id, installation_id and pem_file from
    // GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PEM_FILE at plan time. actions-bot:
    // nothing; the provider reads GITHUB_TOKEN. A credential written here would appear verbatim in
    // `terraform show -json`, sensitive or not.
    ...(props.mode === 'github-app' ? { app_auth: {} } : {}),
    write_delay_ms: props.tuning.write_delay_ms,
    read_delay_ms: props.tuning.read_delay_ms,
    max_retries: props.tuning.max_retries,
    retryable_errors: props.tuning.retryable_errors,
  };
}

export function removedBlocks(forget: readonly string[]): { from: string; lifecycle: { destroy: false } }[] {
  return forget.map((from) => ({ from, lifecycle: { destroy: false } }));
}

export function cohortStackProblems(props: CohortStackProps): string[] {
  const problems: string[] = [];
  if (!COHORT_ID.test(props.cohortId)) problems.push(`cohort "${props.cohortId}": expected an id of A-Za-z0-9 . _ - (it names the stack's folder)`);
  if (!props.baseUrl.endsWith('/')) problems.push(`cohort ${props.cohortId}: baseUrl: expected a trailing slash, found "${props.baseUrl}"`);
  const seen = new Set<string>();
  for (const room of props.rooms) {
    const key = foldHandle(room.githubHandle);
    if (seen.has(key)) problems.push(`cohort ${props.cohortId}: learner "${room.githubHandle}" appears twice`);
    seen.add(key);
  }
  for (const i of props.imports ?? []) {
    if (!parseRoomAddress(i.to)) problems.push(`cohort ${props.cohortId}: imports: expected a room's repository, collaborator or file address, found "${i.to}"`);
  }
  for (const a of props.forget ?? []) {
    const parsed = parseRoomAddress(a);
    // Forgetting a repository would leave it live and unmanaged instead of archived.
    if (!parsed || parsed.kind === 'repository') problems.push(`cohort ${props.cohortId}: forget: expected a room's file or collaborator address, found "${a}"`);
  }
  return problems;
}

export class CohortStack extends TerraformStack {
  /** The LearningRoom children (rendering "constructs" only). */
  public readonly rooms: LearningRoom[];
  private readonly jsonRooms: readonly LearningRoomProps[];
  private includeJsonRooms = true;

  constructor(scope: Construct, props: CohortStackProps) {
    const problems = cohortStackProblems(props);
    if (problems.length) throw new Error(problems.join('\n'));
    super(scope, props.cohortId);
    const block = providerBlock(props);
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
      throw new Error(`the provider binding pins ${provider.terraformGeneratorMetadata?.providerVersion}, the stack policy ${GITHUB_PROVIDER.version}: update contracts/stack-policy.ts and the lock file together`);
    }
    // The typed binding requires app_auth's id; an override writes the empty block the provider fills from env.
    if ('app_auth' in block) provider.addOverride('app_auth', {});
    new LocalBackend(this, { path: props.statePath ?? `terraform.${props.cohortId}.tfstate` });
    if (props.rendering === 'constructs') {
      this.rooms = props.rooms.map((room) => new LearningRoom(this, room));
      this.jsonRooms = [];
    } else {
      const roomProblems = props.rooms.flatMap(learningRoomProblems);
      if (roomProblems.length) throw new Error(roomProblems.join('\n'));
      this.rooms = [];
      this.jsonRooms = props.rooms;
    }
    if (props.forget?.length) this.addOverride('removed', removedBlocks(props.forget));
    if (props.imports?.length) this.addOverride('import', props.imports.map((i) => ({ to: i.to, id: i.id })));
    if (this.jsonRooms.length) this.writeRoomsFast();
  }

  /**
   * cdktf's synthesizer does the stack's bookkeeping (aspects, validations, manifest, annotations)
   * and writes cdk.tf.json with json-stable-stringify, which cost ~0.4 s per 1,000 rooms. Here it
   * runs without the rooms, then the file is rewritten whole, rooms included, by stableJson: the
   * same bytes (test/constructs compares them with the constructs' rendering through cdktf).
   */
  private writeRoomsFast(): void {
    const base = this.synthesizer;
    this.synthesizer = {
      synthesize: (session: ISynthesisSession) => {
        this.includeJsonRooms = false;
        try {
          base.synthesize(session);
        } finally {
          this.includeJsonRooms = true;
        }
        const stackManifest = session.manifest.forStack(this);
        if (session.manifest.hclOutput) throw new Error('CohortStack writes JSON only; unset SYNTH_HCL_OUTPUT');
        writeFileSync(join(session.outdir, stackManifest.synthesizedStackPath), stableJson(this.toTerraform()));
      },
    };
  }

  /** cdktf's synthesis of the stack, plus the rooms rendered as JSON (already resolved: plain values). */
  public toTerraform(): any /* cdktf's own signature returns any: the Terraform JSON document */ {
    const tf = super.toTerraform() as { resource?: Record<string, Record<string, unknown>> };
    if (this.jsonRooms.length === 0 || !this.includeJsonRooms) return tf;
    const fragment: RoomFragment = { github_repository: {}, github_repository_collaborator: {}, github_repository_file: {} };
    for (const room of this.jsonRooms) learningRoomFragment(this.node.path, room, fragment);
    if (tf.resource === undefined) {
      // The stack has no resource of its own: the rooms are the whole tree. Rebuilt in sorted key
      // order (the bodies already are), it is canonical and stableJson writes it in one native pass.
      const sorted: Record<string, Record<string, unknown>> = {};
      for (const type of Object.keys(fragment).sort() as (keyof RoomFragment)[]) {
        const byName = fragment[type];
        const names = Object.keys(byName).sort();
        if (!names.length) continue;
        const ordered: Record<string, unknown> = {};
        for (const n of names) ordered[n] = byName[n];
        sorted[type] = ordered;
      }
      tf.resource = markCanonical(sorted);
      return tf;
    }
    for (const [type, resources] of Object.entries(fragment)) {
      if (Object.keys(resources).length) tf.resource[type] = { ...(tf.resource[type] ?? {}), ...resources };
    }
    return tf;
  }
}
