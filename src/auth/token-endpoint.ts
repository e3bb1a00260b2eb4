import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import type { ApiClient } from './clients';
import { grantScopes } from './scopes';
import type { SecretVerifier } from './secret-verifier';
import type { FailureThrottle } from './throttle';
import type { TokenSigner } from './tokens';

/** RFC 6749 §5.2 error codes; OAuth clients expect this shape from a token endpoint, not an OperationOutcome. */
export type OAuthError = {
  status: 400 | 401 | 429;
  error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope' | 'temporarily_unavailable';
  description: string;
  /** With 429: seconds until the caller may try again (Retry-After). */
  retryAfterSeconds?: number;
};
export type TokenResult = { ok: true; clientId: string; body: { access_token: string; token_type: 'Bearer'; expires_in: number; scope: string } } | { ok: false; clientId?: string; err: OAuthError };

export interface TokenRequest {
  form: Record<string, unknown>;
  /** Credentials from an HTTP Basic Authorization header, if any. */
  basic?: { clientId: string; secret: string };
  /** The token endpoint's own absolute URL: the audience of client assertions. */
  tokenUrl: string;
  /** The caller's network address, for the per-address failure throttle. */
  address?: string;
}

export interface TokenDeps {
  /** An active client by id (revoked and unknown ones are undefined). */
  findClient(clientId: string): Promise<ApiClient | undefined>;
  signer: TokenSigner;
  secrets: SecretVerifier;
  /** The key set of a client registered with a jwks_uri, refreshed when `kid` is unknown. */
  remoteJwks(uri: string, kid: string | undefined): Promise<JSONWebKeySet | undefined>;
  /** True on an assertion id's first use (client + jti until it expires): the replay cache. */
  firstUse(clientId: string, jti: string, expiresAtSeconds: number): Promise<boolean>;
  throttle: { client: FailureThrottle; address: FailureThrottle };
  now?: () => number;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Client assertion algorithms SMART Backend Services names (RS384, ES384) plus their SHA-256 kin. */
export const ASSERTION_ALGORITHMS = ['RS384', 'ES384', 'RS256', 'ES256'];
/** SMART Backend Services: an assertion expires at most five minutes after it is made. */
const MAX_ASSERTION_LIFETIME_S = 300;
/** Clock skew tolerated on exp/nbf/iat between the client and us. */
const CLOCK_TOLERANCE_S = 30;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const fail = (status: 400 | 401, error: OAuthError['error'], description: string): TokenResult => ({ ok: false, err: { status, error, description } });
const REFUSED: OAuthError = { status: 401, error: 'invalid_client', description: 'client authentication failed' };
const BUSY: OAuthError = { status: 429, error: 'temporarily_unavailable', description: 'too many token requests are being checked; retry shortly', retryAfterSeconds: 1 };

async function bySecret(clientId: string | undefined, secret: string | undefined, deps: TokenDeps): Promise<ApiClient | OAuthError> {
  const client = clientId ? await deps.findClient(clientId) : undefined;
  // Same answer, after about the same time, for an unknown client and a wrong secret: do not
  // reveal which client ids exist (src/auth/secret-verifier.ts).
  if (!client?.secretHash || !secret) {
    await deps.secrets.imitate();
    return REFUSED;
  }
  const verdict = await deps.secrets.verify(secret, client.secretHash);
  if (verdict === 'busy') return BUSY;
  return verdict === 'match' ? client : REFUSED;
}

async function keysOf(client: ApiClient, assertion: string, deps: TokenDeps): Promise<JSONWebKeySet | undefined> {
  if (client.jwks) return client.jwks;
  if (!client.jwksUri) return undefined;
  const { kid } = decodeProtectedHeader(assertion);
  return deps.remoteJwks(client.jwksUri, typeof kid === 'string' ? kid : undefined);
}

/** SMART Backend Services: a JWT signed with the client's private key (hl7.org/fhir/uv/bulkdata/authorization). */
async function byAssertion(client: ApiClient | undefined, assertion: string, tokenUrl: string, deps: TokenDeps): Promise<ApiClient | OAuthError> {
  const bad: OAuthError = { status: 401, error: 'invalid_client', description: 'client assertion rejected' };
  if (!client) return bad;
  try {
    const keys = await keysOf(client, assertion, deps);
    if (!keys) return bad;
    const nowS = (deps.now ?? Date.now)() / 1000;
    // `algorithms` pins asymmetric algorithms: `alg: none` and HS256 signed with a public key are refused.
    const { payload } = await jwtVerify(assertion, createLocalJWKSet(keys), {
      issuer: client.clientId, subject: client.clientId, audience: tokenUrl, algorithms: ASSERTION_ALGORITHMS, requiredClaims: ['exp', 'jti'],
      clockTolerance: CLOCK_TOLERANCE_S, currentDate: new Date(nowS * 1000),
    });
    // `iat` is optional in SMART Backend Services; the lifetime is bounded through `exp` instead,
    // and an assertion claiming to be made in the future is refused.
    if (typeof payload.jti !== 'string' || payload.jti.length > 255 || typeof payload.exp !== 'number' || payload.exp - nowS > MAX_ASSERTION_LIFETIME_S) return bad;
    if (typeof payload.iat === 'number' && payload.iat > nowS + CLOCK_TOLERANCE_S) return bad;
    if (!(await deps.firstUse(client.clientId, payload.jti, payload.exp))) return { status: 400, error: 'invalid_grant', description: 'client assertion was already used' };
    return client;
  } catch {
    return bad;
  }
}

function decodeIssuer(jwt: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload.iss === 'string' ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}

/** Who the request claims to be, before anything is checked: the key of the per-client throttle. */
function claimedClient(req: TokenRequest): string | undefined {
  const assertion = str(req.form.client_assertion);
  return assertion ? decodeIssuer(assertion) : req.basic?.clientId ?? str(req.form.client_id);
}

async function authenticate(req: TokenRequest, claimed: string | undefined, deps: TokenDeps): Promise<ApiClient | OAuthError> {
  if (req.form.client_assertion_type === undefined) return bySecret(claimed, req.basic?.secret ?? str(req.form.client_secret), deps);
  if (req.form.client_assertion_type !== ASSERTION_TYPE) return { status: 400, error: 'invalid_request', description: `client_assertion_type must be ${ASSERTION_TYPE}` };
  const assertion = str(req.form.client_assertion);
  if (!assertion) return { status: 400, error: 'invalid_request', description: 'client_assertion is required' };
  return byAssertion(claimed ? await deps.findClient(claimed) : undefined, assertion, req.tokenUrl, deps);
}

/** 429 while the claimed client id or the source address has failed too often (issue #8). */
function throttled(claimed: string | undefined, address: string | undefined, deps: TokenDeps): OAuthError | undefined {
  const wait = Math.max(claimed ? deps.throttle.client.retryAfter(claimed) : 0, address ? deps.throttle.address.retryAfter(address) : 0);
  if (wait === 0) return undefined;
  return { status: 429, error: 'temporarily_unavailable', description: `too many failed attempts; retry after ${wait} s`, retryAfterSeconds: wait };
}

/** OAuth 2.0 client credentials grant, authenticated by client secret or by signed assertion. */
export async function handleTokenRequest(req: TokenRequest, deps: TokenDeps): Promise<TokenResult> {
  if (req.form.grant_type !== 'client_credentials') return fail(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
  const claimed = claimedClient(req)?.slice(0, 200);
  const refused = throttled(claimed, req.address, deps);
  if (refused) return { ok: false, ...(claimed ? { clientId: claimed } : {}), err: refused };
  const client = await authenticate(req, claimed, deps);
  if ('error' in client) {
    // Failed authentications and replays count; malformed requests cost nothing and do not.
    if (client.status === 401 || client.error === 'invalid_grant') {
      if (claimed) deps.throttle.client.failed(claimed);
      if (req.address) deps.throttle.address.failed(req.address);
    }
    return { ok: false, ...(claimed ? { clientId: claimed } : {}), err: client };
  }
  deps.throttle.client.succeeded(client.clientId);
  const scopes = grantScopes(client.scopes, str(req.form.scope));
  if (scopes.length === 0) return { ok: false, clientId: client.clientId, err: { status: 400, error: 'invalid_scope', description: 'none of the requested scopes is granted to this client' } };
  const { token, expiresIn } = await deps.signer.issue(client, scopes);
  return { ok: true, clientId: client.clientId, body: { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: scopes.join(' ') } };
}
