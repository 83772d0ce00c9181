import { randomBytes, verify } from 'node:crypto';
import { HttpError } from './http';
import type { DoubleState } from './state';
import type { AppPermissionName, AppPermissions, Identity, Permission } from './types';

const LEVEL: Record<Permission, number> = { read: 1, write: 2, admin: 3 };
/** GitHub rejects App JWTs valid for more than ten minutes. */
const MAX_JWT_LIFETIME_S = 600;
/** Leeway for clock drift on `iat`, as GitHub allows. */
const IAT_SKEW_S = 60;
export const INSTALLATION_TOKEN_TTL_MS = 3600_000;

const badCredentials = (): HttpError => new HttpError(401, 'Bad credentials');

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Checks an App JWT: RS256 signature against the App's public key, `iss`, `iat`, `exp`. */
export function verifyAppJwt(state: DoubleState, jwt: string, nowMs: number): { appId: number } {
  const [h, p, s] = jwt.split('.');
  const header = decodeJson(h);
  const payload = decodeJson(p);
  if (!header || !payload || header.alg !== 'RS256') throw new HttpError(401, 'A JSON web token could not be decoded');
  const app = state.app;
  if (!app || !app.publicKey) throw new HttpError(401, 'A JSON web token could not be decoded');
  const ok = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), app.publicKey, Buffer.from(s, 'base64url'));
  if (!ok) throw new HttpError(401, 'A JSON web token could not be decoded');
  if (String(payload.iss) !== String(app.id)) throw new HttpError(401, 'Integration not found');
  const now = Math.floor(nowMs / 1000);
  const { iat, exp } = payload;
  if (typeof iat !== 'number' || iat > now + IAT_SKEW_S) {
    throw new HttpError(401, "'Issued at' claim ('iat') must be an Integer representing a time in the past.");
  }
  if (typeof exp !== 'number' || exp <= now || exp - iat > MAX_JWT_LIFETIME_S) {
    throw new HttpError(
      401,
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.",
    );
  }
  return { appId: app.id };
}

/** Who the `Authorization` header says the caller is; 401 for anything not recognised. */
export function resolveIdentity(state: DoubleState, authorization: string | undefined, nowMs: number): Identity {
  if (!authorization) return { kind: 'anonymous', key: 'anonymous' };
  const m = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(authorization);
  if (!m) throw badCredentials();
  const token = m[1];
  if (token.split('.').length === 3) {
    const { appId } = verifyAppJwt(state, token, nowMs);
    return { kind: 'app', key: `app:${appId}`, appId };
  }
  const minted = state.mintedTokens.get(token);
  if (minted) {
    const installation = state.installations.get(minted.installationId);
    if (!installation || minted.expiresAt <= nowMs) throw badCredentials();
    return {
      kind: 'installation',
      key: `installation:${installation.id}`,
      installation,
      account: installation.account,
    };
  }
  const st = state.staticTokens.get(token);
  if (st) {
    const account = state.account(st.login);
    if (account)
      return { kind: 'user', key: `user:${account.login.toLowerCase()}`, account, permissions: st.permissions };
  }
  throw badCredentials();
}

export function mintInstallationToken(
  state: DoubleState,
  installationId: number,
  nowMs: number,
): { token: string; expiresAt: number; permissions: AppPermissions } {
  const installation = state.installations.get(installationId);
  if (!installation) throw new HttpError(404, 'Not Found');
  const token = `ghs_${randomBytes(18).toString('hex')}`;
  const expiresAt = nowMs + INSTALLATION_TOKEN_TTL_MS;
  state.mintedTokens.set(token, { installationId, expiresAt, permissions: installation.permissions });
  return { token, expiresAt, permissions: installation.permissions };
}

/** The permissions that bind a caller, or null when it may do anything (an unrestricted token). */
export function permissionsOf(identity: Identity): AppPermissions | null {
  switch (identity.kind) {
    case 'installation':
      return identity.installation.permissions;
    case 'user':
      return identity.permissions;
    default:
      return {};
  }
}

export function allows(perms: AppPermissions | null, need: [AppPermissionName, Permission]): boolean {
  if (perms === null) return true;
  const [name, level] = need;
  // every installation can read metadata, as on GitHub
  const have = perms[name] ?? (name === 'metadata' ? 'read' : undefined);
  return have !== undefined && LEVEL[have] >= LEVEL[level];
}

/** The account whose resources a caller may reach: an installation sees only its own account's. */
export function canSeeOwner(identity: Identity, ownerLogin: string): boolean {
  if (identity.kind === 'installation') return identity.account.login.toLowerCase() === ownerLogin.toLowerCase();
  return identity.kind === 'user';
}
