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
  /** Equal to a trusted setting of the run (never taken from the configuration). */
  | { kind: 'trusted'; setting: 'owner' | 'baseUrl' };

export interface BlockPolicy {
  attributes: Readonly<Record<string, ValueRule>>;
  required: readonly string[];
}

const STRING: ValueRule = { kind: 'string' };
const BOOLEAN: ValueRule = { kind: 'boolean' };
const REPOSITORY_NAME: ValueRule = { kind: 'repository-name' };
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
    attributes: { repository: REPOSITORY_NAME, file: STRING, content: STRING, overwrite_on_create: BOOLEAN },
    required: ['repository', 'file', 'content'],
  },
};

/** Top-level keys of the document. `//` is cdktf's metadata comment, which Terraform ignores. */
export const TOP_LEVEL_KEYS = ['//', 'terraform', 'provider', 'resource', 'import', 'removed'] as const;

/** Terraform and resource names: an identifier (Terraform's rule, letters, digits, `_` and `-`). */
export const TERRAFORM_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
