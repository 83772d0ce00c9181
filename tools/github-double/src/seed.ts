import Ajv, { type ErrorObject } from 'ajv';
import { slugify } from './state';
import { APP_PERMISSION_NAMES, type AppPermissions } from './types';

/** The seed file: the whole world the double starts with. See docs/github-double.md. */
export interface Seed {
  /** Logins referenced anywhere become users; list them here only to give them a name. */
  users?: Array<string | { login: string; name?: string }>;
  orgs?: Array<{ login: string; name?: string; members?: string[]; teams?: SeedTeam[]; secrets?: SeedOrgSecret[] }>;
  /** When true, an API call naming an unknown login creates that user instead of answering 404. */
  autoUsers?: boolean;
  /** Static tokens (the provider's `token` mode). Without `permissions` a token may do anything. */
  tokens?: Array<{ token: string; login: string; permissions?: AppPermissions }>;
  app?: {
    id: number;
    slug?: string;
    /** PEM of the App's public key (SPKI or PKCS#1), or a file holding it. */
    publicKey?: string;
    publicKeyFile?: string;
    installations?: SeedInstallation[];
  };
  /** Other GitHub Apps: their installations are listed (GET /orgs/:org/installations), they cannot authenticate. */
  apps?: Array<{ id: number; slug: string; installations?: SeedInstallation[] }>;
  repos?: SeedRepo[];
}

/** A team of an org; its members and maintainers become members of the org. */
export interface SeedTeam {
  name: string;
  /** GitHub's slug of the name unless given. */
  slug?: string;
  description?: string;
  privacy?: 'closed' | 'secret';
  members?: string[];
  maintainers?: string[];
}

export interface SeedInstallation {
  id: number;
  account: string;
  permissions: AppPermissions;
  repository_selection?: 'all' | 'selected';
}

export interface SeedOrgSecret {
  name: string;
  visibility?: 'all' | 'private' | 'selected';
  /** For `selected`: `owner/name` of the repositories that may read it. */
  repositories?: string[];
}

/** A deployment environment, in the shape of GitHub's create-or-update body. */
export interface SeedEnvironment {
  name: string;
  /** null (the default): every branch may use it. */
  deployment_branch_policy?: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  /** With custom_branch_policies: the name patterns; `type` defaults to branch. */
  branch_policies?: Array<string | { name: string; type?: 'branch' | 'tag' }>;
  /** Secret names (the double holds no values). */
  secrets?: string[];
}

/** A repository ruleset, in the shape of GitHub's create body. */
export interface SeedRuleset {
  name: string;
  target?: 'branch' | 'tag';
  enforcement?: 'active' | 'evaluate' | 'disabled';
  conditions?: { ref_name: { include?: string[]; exclude?: string[] } };
  rules?: Array<{ type: string; parameters?: Record<string, unknown> }>;
  bypass_actors?: Array<{
    actor_id?: number | null;
    actor_type: 'Integration' | 'OrganizationAdmin' | 'RepositoryRole' | 'Team' | 'DeployKey';
    bypass_mode?: 'always' | 'pull_request';
  }>;
}

/** A repository's settings that the admin API can replace (`POST /_admin/repo_settings`). */
export interface SeedRepoSettings {
  environments?: SeedEnvironment[];
  /** Repository-level Actions secret names. */
  secrets?: string[];
  rulesets?: SeedRuleset[];
}

export interface SeedRepo extends SeedRepoSettings {
  owner: string;
  name: string;
  visibility?: 'public' | 'private' | 'internal';
  is_template?: boolean;
  archived?: boolean;
  default_branch?: string;
  description?: string;
  has_issues?: boolean;
  topics?: string[];
  /** Path -> UTF-8 text. */
  files?: Record<string, string>;
  labels?: Array<string | { name: string; color?: string; description?: string }>;
  collaborators?: Array<{ login: string; permission?: string }>;
  invitations?: Array<{ login: string; permission?: string; expired?: boolean }>;
  /** Teams of the owning org with access: the team's slug and its permission. */
  teams?: Array<{ team: string; permission?: string }>;
  /** More branches, each at the default branch's head commit. */
  branches?: string[];
  issues?: SeedIssue[];
  pulls?: SeedPull[];
}

export interface SeedComment {
  author: string;
  body: string;
  created_at?: string;
  updated_at?: string;
}

export interface SeedIssue {
  number?: number;
  title: string;
  body?: string;
  state?: 'open' | 'closed';
  state_reason?: 'completed' | 'not_planned' | 'reopened';
  author: string;
  labels?: string[];
  assignees?: string[];
  created_at?: string;
  updated_at?: string;
  closed_at?: string;
  /**
   * Who closed it (a closed one only): GraphQL's ClosedEvent actor, REST's `closed_by`; a login
   * ending in `[bot]` is an App. Without it a closed issue has no closing event, like one imported
   * without its history.
   */
  closed_by?: string;
  /** Issues only: the pull request of the same repository whose merge closed it (its author closed it unless `closed_by` says). */
  closed_by_pull?: number;
  comments?: SeedComment[];
}

export interface SeedPull extends Omit<SeedIssue, 'state_reason' | 'closed_by_pull'> {
  merged?: boolean;
  merged_at?: string;
  draft?: boolean;
  head?: string;
  base?: string;
  /** Issues the pull request closes: a number in the same repository or `owner/repo#n`. */
  closes?: Array<number | string>;
}

const login = { type: 'string', pattern: '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(\\[bot\\])?$' };
const time = { type: 'string', format: 'date-time' };
const permissions = {
  type: 'object',
  propertyNames: { enum: [...APP_PERMISSION_NAMES] },
  additionalProperties: { enum: ['read', 'write', 'admin'] },
};
const installation = {
  type: 'object',
  required: ['id', 'account', 'permissions'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer', minimum: 1 },
    account: login,
    permissions,
    repository_selection: { enum: ['all', 'selected'] },
  },
};
const fullName = { type: 'string', pattern: '^[^/]+/[^/]+$' };
const secretName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' };
/** The settings a repository seed and `POST /_admin/repo_settings` share. */
export const REPO_SETTINGS_PROPERTIES = {
  environments: {
    type: 'array',
    items: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1 },
        deployment_branch_policy: {
          anyOf: [
            { type: 'null' },
            {
              type: 'object',
              required: ['protected_branches', 'custom_branch_policies'],
              additionalProperties: false,
              properties: { protected_branches: { type: 'boolean' }, custom_branch_policies: { type: 'boolean' } },
            },
          ],
        },
        branch_policies: {
          type: 'array',
          items: {
            anyOf: [
              { type: 'string', minLength: 1 },
              {
                type: 'object',
                required: ['name'],
                additionalProperties: false,
                properties: { name: { type: 'string', minLength: 1 }, type: { enum: ['branch', 'tag'] } },
              },
            ],
          },
        },
        secrets: { type: 'array', items: secretName },
      },
    },
  },
  secrets: { type: 'array', items: secretName },
  rulesets: {
    type: 'array',
    items: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1 },
        target: { enum: ['branch', 'tag'] },
        enforcement: { enum: ['active', 'evaluate', 'disabled'] },
        conditions: {
          type: 'object',
          required: ['ref_name'],
          additionalProperties: false,
          properties: {
            ref_name: {
              type: 'object',
              additionalProperties: false,
              properties: {
                include: { type: 'array', items: { type: 'string' } },
                exclude: { type: 'array', items: { type: 'string' } },
              },
            },
          },
        },
        rules: {
          type: 'array',
          items: {
            type: 'object',
            required: ['type'],
            additionalProperties: false,
            properties: { type: { type: 'string', minLength: 1 }, parameters: { type: 'object' } },
          },
        },
        bypass_actors: {
          type: 'array',
          items: {
            type: 'object',
            required: ['actor_type'],
            additionalProperties: false,
            properties: {
              actor_id: { type: ['integer', 'null'] },
              actor_type: { enum: ['Integration', 'OrganizationAdmin', 'RepositoryRole', 'Team', 'DeployKey'] },
              bypass_mode: { enum: ['always', 'pull_request'] },
            },
          },
        },
      },
    },
  },
} as const;
const role = { enum: ['pull', 'triage', 'push', 'maintain', 'admin', 'read', 'write'] };
const comment = {
  type: 'object',
  required: ['author', 'body'],
  additionalProperties: false,
  properties: { author: login, body: { type: 'string' }, created_at: time, updated_at: time },
};
const issueProps = {
  number: { type: 'integer', minimum: 1 },
  title: { type: 'string', minLength: 1 },
  body: { type: 'string' },
  state: { enum: ['open', 'closed'] },
  author: login,
  labels: { type: 'array', items: { type: 'string', minLength: 1 } },
  assignees: { type: 'array', items: login },
  created_at: time,
  updated_at: time,
  closed_at: time,
  closed_by: login,
  comments: { type: 'array', items: comment },
};

const SEED_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $comment: { type: 'string' },
    users: {
      type: 'array',
      items: {
        anyOf: [
          login,
          {
            type: 'object',
            required: ['login'],
            additionalProperties: false,
            properties: { login, name: { type: 'string' } },
          },
        ],
      },
    },
    orgs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['login'],
        additionalProperties: false,
        properties: {
          login,
          name: { type: 'string' },
          members: { type: 'array', items: login },
          teams: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name'],
              additionalProperties: false,
              properties: {
                name: { type: 'string', minLength: 1 },
                slug: { type: 'string', pattern: '^[a-z0-9_-]+$' },
                description: { type: 'string' },
                privacy: { enum: ['closed', 'secret'] },
                members: { type: 'array', items: login },
                maintainers: { type: 'array', items: login },
              },
            },
          },
          secrets: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name'],
              additionalProperties: false,
              properties: {
                name: secretName,
                visibility: { enum: ['all', 'private', 'selected'] },
                repositories: { type: 'array', items: fullName },
              },
            },
          },
        },
      },
    },
    autoUsers: { type: 'boolean' },
    tokens: {
      type: 'array',
      items: {
        type: 'object',
        required: ['token', 'login'],
        additionalProperties: false,
        properties: { token: { type: 'string', minLength: 1 }, login, permissions },
      },
    },
    app: {
      type: 'object',
      required: ['id'],
      additionalProperties: false,
      properties: {
        id: { type: 'integer', minimum: 1 },
        slug: { type: 'string' },
        publicKey: { type: 'string' },
        publicKeyFile: { type: 'string' },
        installations: { type: 'array', items: installation },
      },
    },
    apps: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'slug'],
        additionalProperties: false,
        properties: {
          id: { type: 'integer', minimum: 1 },
          slug: { type: 'string', minLength: 1 },
          installations: { type: 'array', items: installation },
        },
      },
    },
    repos: {
      type: 'array',
      items: {
        type: 'object',
        required: ['owner', 'name'],
        additionalProperties: false,
        properties: {
          owner: login,
          name: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,100}$' },
          visibility: { enum: ['public', 'private', 'internal'] },
          is_template: { type: 'boolean' },
          archived: { type: 'boolean' },
          default_branch: { type: 'string', minLength: 1 },
          description: { type: 'string' },
          has_issues: { type: 'boolean' },
          topics: { type: 'array', items: { type: 'string' } },
          files: { type: 'object', additionalProperties: { type: 'string' } },
          labels: {
            type: 'array',
            items: {
              anyOf: [
                { type: 'string', minLength: 1 },
                {
                  type: 'object',
                  required: ['name'],
                  additionalProperties: false,
                  properties: {
                    name: { type: 'string', minLength: 1 },
                    color: { type: 'string', pattern: '^[0-9a-fA-F]{6}$' },
                    description: { type: 'string' },
                  },
                },
              ],
            },
          },
          collaborators: {
            type: 'array',
            items: {
              type: 'object',
              required: ['login'],
              additionalProperties: false,
              properties: { login, permission: role },
            },
          },
          invitations: {
            type: 'array',
            items: {
              type: 'object',
              required: ['login'],
              additionalProperties: false,
              properties: { login, permission: role, expired: { type: 'boolean' } },
            },
          },
          teams: {
            type: 'array',
            items: {
              type: 'object',
              required: ['team'],
              additionalProperties: false,
              properties: { team: { type: 'string', minLength: 1 }, permission: role },
            },
          },
          branches: { type: 'array', items: { type: 'string', pattern: '^[^\\s~^:?*\\[]+$' } },
          ...REPO_SETTINGS_PROPERTIES,
          issues: {
            type: 'array',
            items: {
              type: 'object',
              required: ['title', 'author'],
              additionalProperties: false,
              properties: {
                ...issueProps,
                state_reason: { enum: ['completed', 'not_planned', 'reopened'] },
                closed_by_pull: { type: 'integer', minimum: 1 },
              },
            },
          },
          pulls: {
            type: 'array',
            items: {
              type: 'object',
              required: ['title', 'author'],
              additionalProperties: false,
              properties: {
                ...issueProps,
                merged: { type: 'boolean' },
                merged_at: time,
                draft: { type: 'boolean' },
                head: { type: 'string' },
                base: { type: 'string' },
                closes: {
                  type: 'array',
                  items: {
                    anyOf: [
                      { type: 'integer', minimum: 1 },
                      { type: 'string', pattern: '^[^/#]+/[^/#]+#[0-9]+$' },
                    ],
                  },
                },
              },
            },
          },
        },
      },
    },
  },
} as const;

// date-time without pulling ajv-formats into the double's hot path: a strict ISO-8601 UTC check.
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
const validateSeedShape = ajv.compile<Seed>(SEED_SCHEMA);

function formatAjvError(e: ErrorObject, source: string): string {
  const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '(top level)';
  const extra = e.keyword === 'additionalProperties' ? ` "${String(e.params.additionalProperty)}"` : '';
  const allowed = e.keyword === 'enum' ? `: ${JSON.stringify(e.params.allowedValues)}` : '';
  return `${source}: ${where}: ${e.message ?? 'is invalid'}${extra}${allowed}`;
}

/** Checks a seed's shape and cross-references; returns every problem at once. */
export function parseSeed(value: unknown, source = 'seed'): { seed?: Seed; errors: string[] } {
  if (!validateSeedShape(value)) {
    // anyOf failures repeat each branch's complaint; keep one line per distinct message
    const lines = (validateSeedShape.errors ?? []).map((e) => formatAjvError(e, source));
    return { errors: [...new Set(lines)] };
  }
  const seed = value;
  const errors: string[] = [];
  const repoKeys = new Set<string>();
  (seed.repos ?? []).forEach((r, i) => {
    const key = `${r.owner}/${r.name}`.toLowerCase();
    if (repoKeys.has(key)) errors.push(`${source}: repos.${i}: repository ${r.owner}/${r.name} appears twice`);
    repoKeys.add(key);
    const numbers = new Set<number>();
    for (const [kind, list] of [
      ['issues', r.issues ?? []],
      ['pulls', r.pulls ?? []],
    ] as const) {
      list.forEach((item, j) => {
        if (item.number === undefined) return;
        if (numbers.has(item.number))
          errors.push(
            `${source}: repos.${i}.${kind}.${j}.number: ${item.number} is already used in ${r.owner}/${r.name} (issues and pull requests share numbers)`,
          );
        numbers.add(item.number);
      });
    }
    const pulls = new Set((r.pulls ?? []).map((p) => p.number));
    for (const [kind, list] of [
      ['issues', r.issues ?? []],
      ['pulls', r.pulls ?? []],
    ] as const) {
      list.forEach((item: SeedIssue | SeedPull, j) => {
        const closed = item.state === 'closed' || (kind === 'pulls' && (item as SeedPull).merged === true);
        for (const field of ['closed_by', 'closed_by_pull'] as const) {
          if (field in item && !closed)
            errors.push(
              `${source}: repos.${i}.${kind}.${j}.${field}: only a closed ${kind === 'issues' ? 'issue' : 'pull request'} has a closer (set "state": "closed")`,
            );
        }
        const by = (item as SeedIssue).closed_by_pull;
        if (by !== undefined && !pulls.has(by))
          errors.push(
            `${source}: repos.${i}.${kind}.${j}.closed_by_pull: expected the number of a pull request of ${r.owner}/${r.name} (pulls[].number), got ${by}`,
          );
      });
    }
  });
  const teams = new Map<string, Set<string>>();
  for (const o of seed.orgs ?? [])
    teams.set(o.login.toLowerCase(), new Set((o.teams ?? []).map((t) => (t.slug ?? slugify(t.name)).toLowerCase())));
  (seed.repos ?? []).forEach((r, i) => {
    (r.teams ?? []).forEach((t, j) => {
      if (!teams.get(r.owner.toLowerCase())?.has(t.team.toLowerCase()))
        errors.push(`${source}: repos.${i}.teams.${j}.team: no team ${t.team} in org ${r.owner} (orgs[].teams)`);
    });
    if ((r.branches ?? []).length && !Object.keys(r.files ?? {}).length)
      errors.push(`${source}: repos.${i}.branches: an empty repository has no commit to branch from (give it files)`);
  });
  const tokens = new Set<string>();
  (seed.tokens ?? []).forEach((t, i) => {
    if (tokens.has(t.token)) errors.push(`${source}: tokens.${i}.token: the same token appears twice`);
    tokens.add(t.token);
  });
  const appIds = new Set<number>();
  const installationIds = new Set<number>();
  [
    ...(seed.app ? [{ ...seed.app, where: 'app' }] : []),
    ...(seed.apps ?? []).map((a, i) => ({ ...a, where: `apps.${i}` })),
  ].forEach((a) => {
    if (appIds.has(a.id)) errors.push(`${source}: ${a.where}.id: App ${a.id} appears twice`);
    appIds.add(a.id);
    (a.installations ?? []).forEach((inst, j) => {
      if (installationIds.has(inst.id))
        errors.push(`${source}: ${a.where}.installations.${j}.id: installation ${inst.id} appears twice`);
      installationIds.add(inst.id);
    });
  });
  if (seed.app && seed.app.publicKey && seed.app.publicKeyFile) {
    errors.push(`${source}: app: give publicKey or publicKeyFile, not both`);
  }
  return errors.length ? { errors } : { seed, errors };
}

const validateRepoSettingsShape = ajv.compile<SeedRepoSettings & { repo: string }>({
  type: 'object',
  required: ['repo'],
  additionalProperties: false,
  properties: { repo: fullName, ...REPO_SETTINGS_PROPERTIES },
});

/** The body of `POST /_admin/repo_settings`: `repo` and the parts of a repository seed to replace. */
export function parseRepoSettings(value: unknown): {
  settings?: SeedRepoSettings & { repo: string };
  errors: string[];
} {
  if (!validateRepoSettingsShape(value))
    return {
      errors: [...new Set((validateRepoSettingsShape.errors ?? []).map((e) => formatAjvError(e, 'repo_settings')))],
    };
  return { settings: value, errors: [] };
}
