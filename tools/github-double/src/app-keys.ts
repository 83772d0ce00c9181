import { createSign, generateKeyPairSync } from 'node:crypto';

/**
 * A throwaway GitHub App key pair for tests: the private key in PKCS#1 PEM (`BEGIN RSA PRIVATE
 * KEY`), the only form the Terraform provider accepts, and the public key for the double.
 */
export function generateAppKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * An App JWT as GitHub and the provider make it: RS256, `iss` = the App id as a string,
 * `iat` = now - 60 s, `exp` = now + 5 min (overridable, to test rejections).
 */
export function signAppJwt(opts: {
  appId: number | string;
  privateKeyPem: string;
  nowSeconds?: number;
  iat?: number;
  exp?: number;
  alg?: string;
}): string {
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: opts.alg ?? 'RS256', typ: 'JWT' }));
  const payload = b64url(
    JSON.stringify({ iss: String(opts.appId), iat: opts.iat ?? now - 60, exp: opts.exp ?? now + 300 }),
  );
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(opts.privateKeyPem);
  return `${header}.${payload}.${b64url(signature)}`;
}
