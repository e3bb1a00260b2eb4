import express, { Router, type RequestHandler } from 'express';
import type { SimState, SimToken } from './state';

/**
 * SATUSEHAT's OAuth2 (Apigee) as documented in satusehat-api.md §1.2–§1.3 and §5.1:
 * `POST /oauth2/v1/accesstoken?grant_type=client_credentials` with a form body; an Apigee JSON
 * answer whose values are all strings; one wrong secret locks the client for a minute; FHIR calls
 * without a valid bearer get Apigee's `fault` 401.
 */
export interface AuthOptions {
  tokenTtlSeconds: number;
  lockoutSeconds: number;
  /** HTTP status of the lock-out answer (default 401; the docs say only "4xx"). */
  lockoutStatus?: number;
}

const AUTH_FAILED = 'The user or system was not able to be authenticated (either client_id or client_secret combination is unacceptable)';
const RATE_LIMITED = 'Authentication temporarily cannot be performed due to the rate limit policy. Rate limit: 1 request per minute after a failed attempt.';

const oauthOutcome = (text: string) => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'invalid', code: 'value', details: { text } }] });

function tokenBody(token: string, clientId: string, ttlSeconds: number) {
  return {
    refresh_token_expires_in: '0', api_product_list: '[api-sandbox]', api_product_list_json: ['api-sandbox'],
    organization_name: 'ilp-gateway-sim', 'developer.email': 'sim@example.invalid', token_type: 'BearerToken',
    issued_at: String(Date.now()), client_id: clientId, access_token: token, application_name: 'ilp-gateway-sim',
    scope: '', expires_in: String(ttlSeconds), refresh_count: '0', status: 'approved',
  };
}

export function authRouter(state: SimState, opts: () => AuthOptions): Router {
  const router = Router();
  router.post('/accesstoken', express.urlencoded({ extended: false, limit: '16kb' }), (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const clientId = typeof form.client_id === 'string' ? form.client_id : '';
    const secret = typeof form.client_secret === 'string' ? form.client_secret : '';
    if (req.query.grant_type !== 'client_credentials') {
      res.status(400).json(oauthOutcome('grant_type must be client_credentials'));
      return;
    }
    const client = state.client(clientId);
    if (!client) {
      res.status(401).json({ ErrorCode: 'invalid_client', Error: 'ClientId is Invalid' });
      return;
    }
    const locked = state.lockedUntil.get(clientId) ?? 0;
    if (locked > Date.now()) {
      // §1.3 documents the message and only "4xx": answer 401 without Retry-After by default (not the
      // 429 a client would recognise anyway), so that the relay must recognise the documented text.
      const status = opts().lockoutStatus ?? 401;
      if (status === 429) res.set('Retry-After', String(Math.ceil((locked - Date.now()) / 1000)));
      res.status(status).json(oauthOutcome(RATE_LIMITED));
      return;
    }
    if (secret !== client.secret) {
      state.lockedUntil.set(clientId, Date.now() + opts().lockoutSeconds * 1000);
      res.status(401).json(oauthOutcome(AUTH_FAILED));
      return;
    }
    const ttl = opts().tokenTtlSeconds;
    res.status(200).json(tokenBody(state.issueToken(clientId, client.orgId, ttl), clientId, ttl));
  });
  return router;
}

function fault(res: Parameters<RequestHandler>[1], faultstring: string, errorcode: string): void {
  res.status(401)
    .set('WWW-Authenticate', `Bearer realm="null",error="invalid_token",error_description="${errorcode}: ${faultstring}"`)
    .json({ fault: { faultstring, detail: { errorcode } } });
}

/** The bearer check; puts the caller's token in res.locals.token. An injected expiry (faults.ts) sets res.locals.expireToken. */
export function requireBearer(state: SimState): RequestHandler {
  return (req, res, next) => {
    const m = /^Bearer (\S+)$/.exec(req.header('authorization') ?? '');
    const token = m ? state.tokens.get(m[1] ?? '') : undefined;
    if (!token) {
      fault(res, 'Invalid access token', 'oauth.v2.InvalidAccessToken');
      return;
    }
    // An injected expiry ends the token for good, as a real expiry would.
    if (res.locals.expireToken === true) token.expiresAt = 0;
    if (token.expiresAt <= Date.now()) {
      fault(res, 'Access Token expired', 'keymanagement.service.access_token_expired');
      return;
    }
    res.locals.token = token satisfies SimToken;
    next();
  };
}
