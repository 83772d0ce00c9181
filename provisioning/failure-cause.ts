/**
 * The cause class of a failed resource, from the error Terraform reports, and a scrubbed copy of
 * that message fit for the provisioning log, the roster and a step summary.
 *
 * The provider reports GitHub errors as go-github formats them in the diagnostic's summary:
 * `POST https://api.github.com/repos/acme/tmpl/generate: 422 Repository creation failed. [...]`,
 * i.e. method, URL, status, GitHub's message. Transport errors carry no status.
 */
import type { FailureCause } from '../roster/types';

export interface ClassifiedFailure {
  cause: FailureCause;
  /** HTTP status when the message carries one. */
  status?: number;
  /** The message with the base URL and anything secret-looking removed, bounded in length. */
  message: string;
}

export const MAX_DETAIL_LENGTH = 400;

const HTTP_ERROR = /\b(GET|POST|PUT|PATCH|DELETE|HEAD)\s+(\S+):\s+(\d{3})\b\s*(.*)$/s;

/**
 * Removes what must never be stored: credentials (GitHub tokens, bearer values, JWTs, private keys,
 * secrets in query strings or URL user-info) and the API base URL (which names an internal host for
 * GitHub Enterprise or a test double). `https://host/api/v3/repos/x` becomes `/repos/x`.
 */
export function scrubSecrets(text: string): string {
  return (
    text
      .replace(
        /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
        '[private key removed]',
      )
      .replace(/\b(gh[pousr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{20,})/g, '[token removed]')
      .replace(/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[token removed]')
      .replace(/\b(Bearer|token|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [removed]')
      .replace(
        /([?&](?:access_token|token|client_secret|secret|password|sig|signature|code)=)[^&\s#\]:]+/gi,
        '$1[removed]',
      )
      // URL: drop scheme, user-info, host and an Enterprise `/api/v3` prefix, keep the path.
      .replace(/\bhttps?:\/\/[^\s/]+(\/api\/v3)?(\/[^\s]*)?/gi, (_m, _api, path: string | undefined) => path ?? '/')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

function bounded(text: string): string {
  return text.length <= MAX_DETAIL_LENGTH ? text : `${text.slice(0, MAX_DETAIL_LENGTH - 1)}…`;
}

const RATE_LIMIT_TEXT = /rate limit|abuse detection|secondary rate|too many requests/i;
const NETWORK_TEXT =
  /\b(dial tcp|connection (refused|reset)|no such host|i\/o timeout|timeout|timed out|TLS handshake|EOF|broken pipe|network is unreachable|context deadline exceeded|server misbehaving|giving up after \d+ attempt)/i;
const NAME_CLASH_TEXT = /already exists|name already|refusing to overwrite existing file/i;
const PERMISSION_TEXT =
  /must have admin|resource not accessible|bad credentials|requires authentication|forbidden|permission/i;

export function causeFromStatus(status: number, message: string): FailureCause {
  if (status === 429) return 'rate-limit';
  if (status === 403 && RATE_LIMIT_TEXT.test(message)) return 'rate-limit';
  if (status === 401 || status === 403) return 'permission';
  if (status === 404) return 'not-found';
  if (status === 409 || status === 422) return NAME_CLASH_TEXT.test(message) ? 'name-clash' : 'other';
  if (status >= 500) return 'network-or-server';
  return 'other';
}

/** Classifies an error from its diagnostic summary and detail (either may hold the GitHub message). */
export function classifyFailure(summary: string, detail = ''): ClassifiedFailure {
  const raw = [summary, detail].filter((s) => s.trim() !== '').join(': ');
  const message = bounded(scrubSecrets(raw)) || 'Terraform reported an error without a message';
  for (const text of [summary, detail]) {
    const m = HTTP_ERROR.exec(text);
    if (m) {
      const status = Number(m[3]);
      return { cause: causeFromStatus(status, m[4]), status, message };
    }
  }
  let cause: FailureCause = 'other';
  if (RATE_LIMIT_TEXT.test(raw)) cause = 'rate-limit';
  else if (NETWORK_TEXT.test(raw)) cause = 'network-or-server';
  else if (NAME_CLASH_TEXT.test(raw)) cause = 'name-clash';
  else if (PERMISSION_TEXT.test(raw)) cause = 'permission';
  else if (/not found|could not find/i.test(raw)) cause = 'not-found';
  return { cause, message };
}
