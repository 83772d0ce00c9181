/**
 * The state backend of a cohort stack in a workflow: cdktf writes a `local` backend with an
 * absolute path on the machine that synthesized, which is useless on a runner that is gone after
 * the run. A `backend_override.tf.json` beside `cdk.tf.json` replaces it (Terraform merges
 * `*_override` files last and an override's backend block replaces the original one) with the
 * backend the operator chose in config/gitops.json, keyed per cohort stack. What the configuration
 * itself may hold is checked by gitops/stack-check.ts; where Terraform runs, by trusted-stack.ts.
 */

export const BACKEND_TYPES = ['git', 's3', 'gcs', 'azurerm', 'pg', 'http'] as const;
export type BackendType = (typeof BACKEND_TYPES)[number];
export const DEFAULT_BACKEND: BackendType = 'git';
export const BACKEND_OVERRIDE_FILE = 'backend_override.tf.json';

type Setting = string | number | boolean;
export interface BackendChoice {
  type: BackendType;
  /** Non-secret settings (bucket, region, container, ...). */
  settings: Record<string, Setting>;
}

/** Settings that hold credentials: they belong in the environment (secrets), never in a file. */
const SECRET_SETTINGS = new Set([
  'access_key',
  'secret_key',
  'token',
  'sse_customer_key',
  'credentials',
  'access_token',
  'encryption_key',
  'sas_token',
  'client_secret',
  'client_certificate_password',
  'oidc_token',
  'conn_str',
  'password',
]);

/** The setting that separates one cohort's state from another's, per backend type. */
const STATE_KEY: Record<Exclude<BackendType, 'git' | 'http'>, string> = {
  s3: 'key',
  gcs: 'prefix',
  azurerm: 'key',
  pg: 'schema_name',
};

export const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Reads the operator's choice from the settings `LEARNING_ROOMS_BACKEND` (a type;
 * empty means `git`) and `LEARNING_ROOMS_BACKEND_CONFIG` (a JSON object of non-secret settings).
 */
export function parseBackendChoice(
  type: string | undefined,
  config: string | undefined,
): { choice?: BackendChoice; errors: string[] } {
  const errors: string[] = [];
  const t = (type ?? '').trim() || DEFAULT_BACKEND;
  if (!(BACKEND_TYPES as readonly string[]).includes(t)) {
    errors.push(`LEARNING_ROOMS_BACKEND: expected one of ${BACKEND_TYPES.join(', ')}; found "${t}".`);
  }
  let settings: Record<string, Setting> = {};
  if (config && config.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(config);
    } catch (err) {
      errors.push(`LEARNING_ROOMS_BACKEND_CONFIG: expected a JSON object; ${(err as Error).message}.`);
    }
    if (parsed !== undefined) {
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        errors.push(
          'LEARNING_ROOMS_BACKEND_CONFIG: expected a JSON object of settings, e.g. {"bucket": "my-state", "region": "eu-west-1"}.',
        );
      } else {
        for (const [k, v] of Object.entries(parsed)) {
          if (SECRET_SETTINGS.has(k)) {
            errors.push(
              `LEARNING_ROOMS_BACKEND_CONFIG.${k}: a credential does not belong in config/gitops.json; pass it as a secret through the backend's environment variable (see docs/state-backends.md).`,
            );
          } else if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
            errors.push(`LEARNING_ROOMS_BACKEND_CONFIG.${k}: expected a string, number or boolean.`);
          } else {
            settings[k] = v;
          }
        }
      }
    }
  }
  if (t === 'http' && typeof settings.address !== 'string') {
    errors.push(
      'LEARNING_ROOMS_BACKEND_CONFIG.address: the http backend needs an address, with {stack} where the cohort stack name goes.',
    );
  }
  if (t === 'git' && Object.keys(settings).length > 0) settings = {};
  return errors.length > 0 ? { errors } : { choice: { type: t as BackendType, settings }, errors };
}

/**
 * The override document for one stack. `stateDir` is where the `git` backend keeps state files
 * (the workflow commits them to the admin repository).
 */
export function backendOverride(
  choice: BackendChoice,
  stack: string,
  stateDir: string,
): { terraform: { backend: Record<string, Record<string, Setting>> } } {
  if (!STACK_NAME.test(stack)) throw new Error(`stack name "${stack}": expected letters, digits, ".", "_" or "-"`);
  const s = { ...choice.settings };
  const prefix = typeof s.key_prefix === 'string' ? s.key_prefix : 'learning-rooms/';
  delete s.key_prefix;
  let backend: Record<string, Setting>;
  switch (choice.type) {
    case 'git':
      return { terraform: { backend: { local: { path: `${stateDir.replace(/\/+$/, '')}/${stack}.tfstate` } } } };
    case 'http':
      backend = { ...s };
      for (const k of ['address', 'lock_address', 'unlock_address']) {
        if (typeof backend[k] === 'string')
          backend[k] = (backend[k] as string).split('{stack}').join(encodeURIComponent(stack));
      }
      break;
    case 'pg':
      // A schema per cohort; Postgres folds unquoted names to lower case and dislikes "-" and ".".
      backend = { ...s, schema_name: `${prefix}${stack}`.toLowerCase().replace(/[^a-z0-9_]/g, '_') };
      break;
    case 'gcs':
      backend = { ...s, prefix: `${prefix}${stack}` };
      break;
    default:
      backend = { ...s, [STATE_KEY[choice.type]]: `${prefix}${stack}.tfstate` };
  }
  return { terraform: { backend: { [choice.type]: backend } } };
}
