/**
 * The workflows' settings, kept in the admin repository itself (`config/gitops.json`) so that a
 * change of backend, owner, template or healing goes through the same pull request, plan and
 * review as a roster change. The workflows export them as environment variables.
 *
 * Only names of this project's own settings are accepted: a file that a pull request can edit
 * must never set NODE_OPTIONS, BASH_ENV, PATH or the like for later steps, and credentials belong
 * in secrets, not in a reviewed file.
 */

export const GITOPS_CONFIG_FILE = 'config/gitops.json';

const NAME = /^(LEARNING_ROOMS?|PROVISIONING)_[A-Z0-9_]+$/;
const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PRIVATE|PEM|_KEY$|_KEY_)/;

export function gitopsEnv(
  text: string,
  source: string = GITOPS_CONFIG_FILE,
): { env: Record<string, string>; errors: string[] } {
  const errors: string[] = [];
  const env: Record<string, string> = {};
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { env, errors: [`${source}: expected JSON; ${(err as Error).message}`] };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { env, errors: [`${source}: expected an object of settings, e.g. {"LEARNING_ROOMS_BACKEND": "s3"}`] };
  }
  for (const [key, value] of Object.entries(doc)) {
    if (key.startsWith('//') || key === '$comment') continue;
    if (!NAME.test(key)) {
      errors.push(`${source}: "${key}": expected a setting named LEARNING_ROOMS_*, LEARNING_ROOM_* or PROVISIONING_*`);
    } else if (SECRET_NAME.test(key)) {
      errors.push(
        `${source}: "${key}" looks like a credential: store it as an environment secret, not in the repository`,
      );
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      const v = String(value);
      if (/[\r\n]/.test(v)) errors.push(`${source}: "${key}": expected one line`);
      else env[key] = v;
    } else if (typeof value === 'object' && value !== null) {
      env[key] = JSON.stringify(value); // e.g. LEARNING_ROOMS_BACKEND_CONFIG as one JSON line
    } else {
      errors.push(`${source}: "${key}": expected a string, number, boolean or object`);
    }
  }
  return errors.length > 0 ? { env: {}, errors } : { env, errors };
}

/**
 * Settings a pull request may change for its own plan. Everything else (the owner, the provisioning
 * mode, the backend and its settings, folders) decides where credentials and state go, so a plan of
 * a pull request uses the default branch's value until the change is merged and reviewed.
 */
export const PULL_REQUEST_SETTINGS: ReadonlySet<string> = new Set([
  'LEARNING_ROOM_TEMPLATE_REPO',
  'LEARNING_ROOMS_REPOSITORY_PATTERN',
  'LEARNING_ROOMS_ADMISSION_BUDGET',
  'LEARNING_ROOMS_CONTENT_WRITES_PER_HOUR',
  'LEARNING_ROOMS_RUN_INTERVAL_MINUTES',
  'LEARNING_ROOMS_REMOVAL_GUARD_SHARE',
  'LEARNING_ROOMS_REMOVAL_GUARD_MINIMUM',
  'LEARNING_ROOMS_ALLOW_MASS_ARCHIVE',
  'LEARNING_ROOMS_HEAL',
]);

/**
 * The settings for the plan of a pull request: the default branch's, with the pull request's value
 * for the names it may change. `pinned` names every setting the pull request changes that the plan
 * does not take (to say so in the plan comment).
 */
export function pullRequestEnv(
  main: Record<string, string>,
  pullRequest: Record<string, string>,
): { env: Record<string, string>; pinned: string[] } {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(main)) if (!PULL_REQUEST_SETTINGS.has(k)) env[k] = v;
  for (const [k, v] of Object.entries(pullRequest)) if (PULL_REQUEST_SETTINGS.has(k)) env[k] = v;
  const names = new Set([...Object.keys(main), ...Object.keys(pullRequest)]);
  const pinned = [...names].filter((k) => !PULL_REQUEST_SETTINGS.has(k) && main[k] !== pullRequest[k]).sort();
  return { env, pinned };
}
