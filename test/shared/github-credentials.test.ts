/** The one credential reader in its environment-only form (reconstruct); progress's form: test/progress/settings.test.ts. */
import { generateKeyPairSync } from 'node:crypto';
import { readGitHubCredentials } from '../../shared/github-credentials';

describe('readGitHubCredentials, from the environment only (reconstruct)', () => {
  it('reads App credentials, else a token, naming what is missing and never a value', () => {
    const { privateKey: pem } = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    // the PEM text with literal "\n" for its line breaks, as the provider reads it
    expect(
      readGitHubCredentials({
        GITHUB_APP_ID: '1',
        GITHUB_APP_INSTALLATION_ID: '2',
        GITHUB_APP_PEM_FILE: pem.replace(/\n/g, '\\n'),
        GITHUB_TOKEN: 't',
      }).credentials?.auth,
    ).toEqual({ kind: 'app', appId: '1', installationId: '2', privateKey: pem });
    expect(readGitHubCredentials({ GITHUB_TOKEN: ' t ' }).credentials?.auth).toEqual({ kind: 'token', token: 't' });
    const partial = readGitHubCredentials({ GITHUB_APP_ID: '1', GITHUB_TOKEN: 'secret-token-value' });
    expect(partial.errors).toEqual([
      'GitHub App credentials are incomplete: set GITHUB_APP_INSTALLATION_ID and GITHUB_APP_PEM_FILE as well',
    ]);
    expect(readGitHubCredentials({}).errors).toEqual([expect.stringMatching(/^no GitHub credentials/)]);
  });
});
