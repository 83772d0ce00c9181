import { classifyFailure, MAX_DETAIL_LENGTH, scrubSecrets } from '../../provisioning/failure-cause';

describe('cause classes from what the provider reports', () => {
  test.each([
    [
      'POST http://127.0.0.1:18765/api/v3/repos/acme/tmpl/generate: 422 Repository creation failed. [{Resource:Repository Field:name Code:custom Message:name already exists on this account}]',
      'name-clash',
      422,
    ],
    [
      'PUT https://api.github.com/repos/acme/r/contents/a.yml: 422 Invalid request. ["sha" wasn\'t supplied.] []',
      'other',
      422,
    ],
    [
      'GET https://api.github.com/repos/acme/2026-spring-bob: 429 You have exceeded a secondary rate limit. []',
      'rate-limit',
      429,
    ],
    [
      'POST https://api.github.com/repos/acme/tmpl/generate: 403 You have exceeded a secondary rate limit and have been temporarily blocked from content creation. []',
      'rate-limit',
      403,
    ],
    [
      'PUT https://api.github.com/repos/acme/r/collaborators/x: 403 Must have admin rights to Repository. []',
      'permission',
      403,
    ],
    ['GET https://api.github.com/orgs/acme: 401 Bad credentials []', 'permission', 401],
    ['POST https://api.github.com/repos/acme/tmpl/generate: 404 Not Found []', 'not-found', 404],
    ['PATCH https://api.github.com/repos/acme/r: 502 Bad Gateway []', 'network-or-server', 502],
  ])('%s', (summary, cause, status) => {
    expect(classifyFailure(summary)).toMatchObject({ cause, status });
  });

  test.each([
    [
      'Post "https://api.github.com/repos/acme/tmpl/generate": dial tcp 140.82.112.6:443: connect: connection refused',
      'network-or-server',
    ],
    [
      'Get "https://ghe.example.com/api/v3/repos/acme/r": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      'network-or-server',
    ],
    ['refusing to overwrite existing file: configure `overwrite_on_create` to `true` to override', 'name-clash'],
    ['API rate limit exceeded for installation ID 42.', 'rate-limit'],
    ['Unsupported argument', 'other'],
  ])('without a status: %s', (summary, cause) => {
    const r = classifyFailure(summary);
    expect(r.cause).toBe(cause);
    expect(r.status).toBeUndefined();
  });

  test('the status may be in the detail (a provisioner error puts the command output there)', () => {
    expect(
      classifyFailure(
        'local-exec provisioner error',
        'Error running command: exit status 1. Output: GET https://x/repos/a/b: 404 Not Found []',
      ),
    ).toMatchObject({
      cause: 'not-found',
      status: 404,
      message:
        'local-exec provisioner error: Error running command: exit status 1. Output: GET /repos/a/b: 404 Not Found []',
    });
  });
});

describe('scrubbing', () => {
  // Built at run time so that no token-shaped literal sits in the repository.
  const ghp = 'gh' + 'p_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
  const pat = 'github' + '_pat_' + '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz';

  test('base URLs (with user-info and an Enterprise prefix) become API paths', () => {
    expect(scrubSecrets('GET https://user:pw@ghe.internal.example:8443/api/v3/repos/acme/r: 500 x')).toBe(
      'GET /repos/acme/r: 500 x',
    );
    expect(scrubSecrets('POST http://127.0.0.1:18765/api/v3/repos/acme/tmpl/generate: 422 y')).toBe(
      'POST /repos/acme/tmpl/generate: 422 y',
    );
    expect(scrubSecrets('see https://docs.github.com')).toBe('see /');
  });

  test('credentials of every shape are removed', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjM0NSJ9.c2lnbmF0dXJlLXZhbHVl';
    const text = [
      `token ${ghp}`,
      pat,
      `Authorization: Bearer ${jwt}`,
      'GET https://x/repos/a?access_token=s3cr3tvalue&page=2',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----',
    ].join(' | ');
    const out = scrubSecrets(text);
    for (const secret of [ghp, pat, jwt, 's3cr3tvalue', 'MIIEow']) expect(out).not.toContain(secret);
    expect(out).toBe(
      'token [token removed] | [token removed] | Authorization: Bearer [token removed] | GET /repos/a?access_token=[removed]&page=2 | [private key removed]',
    );
  });

  test('bearer and token values of any shape, and URL user-info, are removed', () => {
    expect(scrubSecrets('Authorization: Bearer abcdef123456 and token=zzz&x=1')).toBe(
      'Authorization: Bearer [removed] and token=zzz&x=1',
    );
    expect(scrubSecrets('GET https://x-access-token:abc123secret@github.com/acme/r.git failed')).toBe(
      'GET /acme/r.git failed',
    );
  });

  test('the stored message is bounded', () => {
    const r = classifyFailure(`PATCH https://api.github.com/repos/a/b: 422 ${'x'.repeat(2000)}`);
    expect(r.message.length).toBe(MAX_DETAIL_LENGTH);
    expect(r.message.endsWith('…')).toBe(true);
  });
});
