/**
 * What a learning-rooms stack may contain: the one table that synthesis writes to and that
 * `prepare-stack` checks a synthesized `cdk.tf.json` against before Terraform runs it with the
 * App's credentials (gitops/stack-check.ts). Anything not listed here is refused.
 *
 * Adding a resource type is one entry in ROOM_RESOURCES: its attributes and the rule for each value.
 * Keep the rules as tight as what synthesis emits: every attribute listed here is something a pull
 * request can set in a configuration that runs at plan time.
 */

/** The provider every stack uses, pinned to one version (the @cdktf/provider-github 15.3.1 binding). */
export const GITHUB_PROVIDER = {
  /** The `required_providers` source. */
  source: 'integrations/github',
  /** Exact version: synthesis pins it, the lock file holds its hashes. */
  version: '6.9.0',
  /** The address Terraform uses in the lock file and in the CLI configuration. */
  address: 'registry.terraform.io/integrations/github',
} as const;

/** A repository generated from a template must never show a template change as drift (see constructs/learning-room.ts). */
export const REPOSITORY_IGNORE_CHANGES: readonly string[] = ['template'];
/**
 * The feedback branch and pull request are made once, at provisioning (constructs/assignment-room.ts):
 * a learner renaming the default branch, or editing the pull request, must not make a plan replace
 * or rewrite them (source_branch and head_ref are ForceNew in the provider).
 */
export const FEEDBACK_BRANCH_IGNORE_CHANGES: readonly string[] = ['source_branch'];
export const FEEDBACK_PULL_REQUEST_IGNORE_CHANGES: readonly string[] = [
  'base_ref',
  'head_ref',
  'title',
  'body',
  'maintainer_can_modify',
];
/** The provider's names of repository permissions (the collaborators API's; `read`/`write` would read back as pull/push, a permanent diff). */
export const PERMISSIONS: readonly string[] = ['pull', 'triage', 'push', 'maintain', 'admin'];

/** How one attribute's value is checked. */
export type ValueRule =
  /** A JSON string that Terraform reads as literal text (no `${` or `%{`). */
  | { kind: 'string' }
  | { kind: 'boolean' }
  | { kind: 'integer'; min: number; max: number }
  /** An array of integers, e.g. HTTP status codes. */
  | { kind: 'integers'; min: number; max: number }
  /** Exactly this JSON value (an empty app_auth, the one allowed lifecycle). */
  | { kind: 'exact'; value: unknown; hint: string }
  /** One nested object (never an array of blocks) with these attributes. */
  | { kind: 'object'; attributes: Readonly<Record<string, ValueRule>>; required: readonly string[] }
  /** Exactly `${github_repository.<name>.name}`, where <name> is a github_repository of the same stack. */
  | { kind: 'repository-name' }
  /** Exactly `${github_repository.<name>.<attribute>}` for this attribute, <name> a github_repository of the same stack. */
  | { kind: 'repository-attribute'; attribute: string }
  /** A whole number written as text (a team's numeric id: a slug would cost a request per comparison). */
  | { kind: 'integer-text' }
  /** One of these strings. */
  | { kind: 'one-of'; values: readonly string[] }
  /** Repeated nested blocks (JSON: an array of objects, each one block), at most `max`. */
  | { kind: 'blocks'; attributes: Readonly<Record<string, ValueRule>>; required: readonly string[]; max: number }
  /** `depends_on`: addresses `<type>.<name>` of resources of these types declared in the same stack. */
  | { kind: 'references'; types: readonly string[] }
  /** Equal to a trusted setting of the run (never taken from the configuration). */
  | { kind: 'trusted'; setting: 'owner' | 'baseUrl' };

export interface BlockPolicy {
  attributes: Readonly<Record<string, ValueRule>>;
  required: readonly string[];
}

const STRING: ValueRule = { kind: 'string' };
const BOOLEAN: ValueRule = { kind: 'boolean' };
const REPOSITORY_NAME: ValueRule = { kind: 'repository-name' };
const DEFAULT_BRANCH: ValueRule = { kind: 'repository-attribute', attribute: 'default_branch' };
const PERMISSION: ValueRule = { kind: 'one-of', values: PERMISSIONS };
/** A course room's collaborators: its learners (a team's members) and facilitators; GitHub allows no more than this many per repository anyway. */
const MAX_COLLABORATORS = 1000;
const lifecycle = (ignore: readonly string[]): ValueRule => ({
  kind: 'exact',
  value: { ignore_changes: ignore },
  hint: `{"ignore_changes": ${JSON.stringify(ignore)}}`,
});
/** Provider pacing: milliseconds and retry counts, bounded so a typo cannot stall a run for days. */
const PACING: ValueRule = { kind: 'integer', min: 0, max: 3_600_000 };

/** The github provider block: owner and base URL come from the trusted settings, credentials from the environment only. */
export const PROVIDER_POLICY: BlockPolicy = {
  attributes: {
    owner: { kind: 'trusted', setting: 'owner' },
    base_url: { kind: 'trusted', setting: 'baseUrl' },
    // github-app mode: an EMPTY block the provider fills from GITHUB_APP_* at plan time.
    app_auth: {
      kind: 'exact',
      value: {},
      hint: 'an empty object: the provider reads the App id, installation and key from its environment',
    },
    read_delay_ms: PACING,
    write_delay_ms: PACING,
    max_retries: { kind: 'integer', min: 0, max: 10_000 },
    retryable_errors: { kind: 'integers', min: 100, max: 599 },
    parallel_requests: BOOLEAN,
  },
  required: ['owner', 'base_url'],
};

/** The resource types of a learning room and what each may set. */
export const ROOM_RESOURCES: Readonly<Record<string, BlockPolicy>> = {
  github_repository: {
    attributes: {
      name: STRING,
      description: STRING,
      visibility: STRING,
      has_issues: BOOLEAN,
      archive_on_destroy: BOOLEAN,
      template: {
        kind: 'object',
        attributes: { owner: STRING, repository: STRING },
        required: ['owner', 'repository'],
      },
      lifecycle: {
        kind: 'exact',
        value: { ignore_changes: REPOSITORY_IGNORE_CHANGES },
        hint: `{"ignore_changes": ${JSON.stringify(REPOSITORY_IGNORE_CHANGES)}}`,
      },
    },
    required: ['name'],
  },
  github_repository_collaborator: {
    attributes: { repository: REPOSITORY_NAME, username: STRING, permission: STRING },
    required: ['repository', 'username'],
  },
  github_repository_file: {
    attributes: {
      repository: REPOSITORY_NAME,
      file: STRING,
      content: STRING,
      overwrite_on_create: BOOLEAN,
      // A course room's files wait for its feedback branch, so the branch holds the starter code alone.
      depends_on: { kind: 'references', types: ['github_branch'] },
    },
    required: ['repository', 'file', 'content'],
  },
  // A course's rooms (docs/course.md): access that changes (cutoffs, facilitators, hand-over) is one
  // authoritative list per room, changed in place; never the singular resource, whose permission is ForceNew.
  github_repository_collaborators: {
    attributes: {
      repository: REPOSITORY_NAME,
      user: {
        kind: 'blocks',
        attributes: { username: STRING, permission: PERMISSION },
        required: ['username', 'permission'],
        max: MAX_COLLABORATORS,
      },
      team: {
        kind: 'blocks',
        attributes: { team_id: { kind: 'integer-text' }, permission: PERMISSION },
        required: ['team_id', 'permission'],
        max: 1,
      },
    },
    required: ['repository'],
  },
  github_branch: {
    attributes: {
      repository: REPOSITORY_NAME,
      branch: { kind: 'one-of', values: ['feedback'] },
      source_branch: DEFAULT_BRANCH,
      lifecycle: lifecycle(FEEDBACK_BRANCH_IGNORE_CHANGES),
    },
    required: ['repository', 'branch'],
  },
  github_repository_pull_request: {
    attributes: {
      base_repository: REPOSITORY_NAME,
      base_ref: { kind: 'one-of', values: ['feedback'] },
      head_ref: DEFAULT_BRANCH,
      title: STRING,
      body: STRING,
      maintainer_can_modify: BOOLEAN,
      depends_on: { kind: 'references', types: ['github_branch', 'github_repository_file'] },
      lifecycle: lifecycle(FEEDBACK_PULL_REQUEST_IGNORE_CHANGES),
    },
    required: ['base_repository', 'base_ref', 'head_ref', 'title'],
  },
  // A facilitators' team on a learner's room (a cohort without assignments), by numeric id.
  github_team_repository: {
    attributes: { team_id: { kind: 'integer-text' }, repository: REPOSITORY_NAME, permission: PERMISSION },
    required: ['team_id', 'repository'],
  },
};

/** Top-level keys of the document. `//` is cdktf's metadata comment, which Terraform ignores. */
export const TOP_LEVEL_KEYS = ['//', 'terraform', 'provider', 'resource', 'import', 'removed'] as const;

/** Terraform and resource names: an identifier (Terraform's rule, letters, digits, `_` and `-`). */
export const TERRAFORM_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
