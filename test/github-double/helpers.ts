import type { GitHubDouble } from '@learning-rooms/github-double';

export const TOKEN = 'dummy-token-not-a-secret';

/** The fixtures' world: org acme with template tmpl, learners, an operator token. */
export function acmeSeed(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    orgs: [{ login: 'acme', members: ['operator', 'mentor'] }],
    users: ['alice', 'bob', 'carol', 'dave'],
    tokens: [{ token: TOKEN, login: 'operator' }],
    repos: [{ owner: 'acme', name: 'tmpl', is_template: true, files: { 'README.md': '# template\n' } }],
    ...extra,
  };
}

export interface Answer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test, read field by field
}

/** One HTTP request to the double, as a client would send it. */
export async function call(
  double: GitHubDouble,
  method: string,
  path: string,
  opts: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { Accept: 'application/vnd.github+json', ...opts.headers };
  const token = opts.token === undefined ? TOKEN : opts.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${double.url}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** An admin call over HTTP (as an operator or another process would make it). */
export async function admin(
  double: GitHubDouble,
  method: string,
  path: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON under test
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${double.url}${path}`, {
    method,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
