import { createLocalJWKSet, jwtVerify } from 'jose';
import type { ApiClient } from './clients';
import { grantScopes } from './scopes';
import { verifySecret } from './secrets';
import type { TokenSigner } from './tokens';

/** RFC 6749 §5.2 error codes; OAuth clients expect this shape from a token endpoint, not an OperationOutcome. */
export type OAuthError = { status: 400 | 401; error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_scope'; description: string };
export type TokenResult = { ok: true; body: { access_token: string; token_type: 'Bearer'; expires_in: number; scope: string } } | { ok: false; err: OAuthError };

export interface TokenRequest {
  form: Record<string, unknown>;
  /** Credentials from an HTTP Basic Authorization header, if any. */
  basic?: { clientId: string; secret: string };
  /** The token endpoint's own absolute URL: the audience of client assertions. */
  tokenUrl: string;
}

export interface TokenDeps {
  clients: ReadonlyMap<string, ApiClient>;
  signer: TokenSigner;
  /** Remembers assertion ids until they expire, so an assertion cannot be replayed. */
  seenAssertion(jti: string, expiresAtSeconds: number): boolean;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Client assertion algorithms SMART Backend Services names (RS384, ES384) plus their SHA-256 kin. */
export const ASSERTION_ALGORITHMS = ['RS384', 'ES384', 'RS256', 'ES256'];
/** SMART Backend Services: an assertion expires at most five minutes after it is made. */
const MAX_ASSERTION_LIFETIME_S = 300;
/** A well-formed hash of nothing, so that an unknown client costs as much as a wrong secret. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const fail = (status: 400 | 401, error: OAuthError['error'], description: string): TokenResult => ({ ok: false, err: { status, error, description } });

async function bySecret(req: TokenRequest, deps: TokenDeps): Promise<ApiClient | OAuthError> {
  const clientId = req.basic?.clientId ?? str(req.form.client_id);
  const secret = req.basic?.secret ?? str(req.form.client_secret);
  const client = clientId ? deps.clients.get(clientId) : undefined;
  // Same answer, and the same scrypt cost, for an unknown client and a wrong secret: do not reveal
  // which client ids exist.
  const matches = await verifySecret(secret ?? '', client?.secretHash ?? DUMMY_HASH);
  if (!client?.secretHash || !secret || !matches) {
    return { status: 401, error: 'invalid_client', description: 'client authentication failed' };
  }
  return client;
}

/** SMART Backend Services: a JWT signed with the client's private key (hl7.org/fhir/uv/bulkdata/authorization). */
async function byAssertion(req: TokenRequest, deps: TokenDeps): Promise<ApiClient | OAuthError> {
  const assertion = str(req.form.client_assertion);
  const bad: OAuthError = { status: 401, error: 'invalid_client', description: 'client assertion rejected' };
  if (!assertion) return { status: 400, error: 'invalid_request', description: 'client_assertion is required' };
  const unverifiedIss = decodeIssuer(assertion);
  const client = unverifiedIss ? deps.clients.get(unverifiedIss) : undefined;
  if (!client?.jwks) return bad;
  try {
    const { payload } = await jwtVerify(assertion, createLocalJWKSet(client.jwks), {
      issuer: client.clientId, subject: client.clientId, audience: req.tokenUrl, algorithms: ASSERTION_ALGORITHMS, requiredClaims: ['exp', 'jti'],
    });
    // `iat` is optional in SMART Backend Services; the lifetime is bounded through `exp` instead.
    if (typeof payload.jti !== 'string' || typeof payload.exp !== 'number' || payload.exp - Date.now() / 1000 > MAX_ASSERTION_LIFETIME_S) return bad;
    if (deps.seenAssertion(`${client.clientId}|${payload.jti}`, payload.exp)) return { status: 400, error: 'invalid_grant', description: 'client assertion was already used' };
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

/** OAuth 2.0 client credentials grant, authenticated by client secret or by signed assertion. */
export async function handleTokenRequest(req: TokenRequest, deps: TokenDeps): Promise<TokenResult> {
  if (req.form.grant_type !== 'client_credentials') return fail(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
  const usesAssertion = req.form.client_assertion_type !== undefined;
  if (usesAssertion && req.form.client_assertion_type !== ASSERTION_TYPE) return fail(400, 'invalid_request', `client_assertion_type must be ${ASSERTION_TYPE}`);
  const client = usesAssertion ? await byAssertion(req, deps) : await bySecret(req, deps);
  if ('error' in client) return { ok: false, err: client };
  const scopes = grantScopes(client.scopes, str(req.form.scope));
  if (scopes.length === 0) return fail(400, 'invalid_scope', 'none of the requested scopes is granted to this client');
  const { token, expiresIn } = await deps.signer.issue(client, scopes);
  return { ok: true, body: { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: scopes.join(' ') } };
}

/** A bounded in-memory replay cache for assertion ids (jti), dropping entries once they expire. */
export function createReplayCache(now: () => number = Date.now, max = 100_000): (key: string, expiresAtSeconds: number) => boolean {
  const seen = new Map<string, number>();
  return (key, expiresAtSeconds) => {
    const t = now() / 1000;
    if (seen.size >= max) for (const [k, exp] of seen) if (exp < t) seen.delete(k);
    // Still full of live ids: forget the oldest (insertion order) rather than grow without bound.
    for (const k of seen.keys()) {
      if (seen.size < max) break;
      seen.delete(k);
    }
    const known = seen.has(key) && (seen.get(key) ?? 0) >= t;
    if (!known) seen.set(key, expiresAtSeconds);
    return known;
  };
}
