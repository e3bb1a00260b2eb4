import express, { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { ACCESS_POLICY, findRule } from '../auth/access-policy';
import type { ClientDirectory } from '../auth/client-directory';
import type { RateLimiter } from '../auth/rate-limit';
import { SUPPORTED_SCOPES, allows } from '../auth/scopes';
import { ASSERTION_ALGORITHMS, TokenDeps, TokenResult, handleTokenRequest } from '../auth/token-endpoint';
import type { Principal } from '../auth/tokens';
import { fail } from '../kernel';

/** Who the caller is when authentication is switched off (local development only). */
export const DEVELOPMENT_PRINCIPAL: Principal = { clientId: 'development', organizations: ['*'], scopes: ['system/*.*', 'ilp/submission.write', 'ilp/submission.read', 'pws/indicators.read', 'pws/targets.write', 'admin'] };

export interface AuthDeps extends TokenDeps {
  disabled: boolean;
  directory: Pick<ClientDirectory, 'isActive'>;
  rateLimit: RateLimiter | undefined;
  /** Absolute URL of this gateway, for the token endpoint's audience and the SMART configuration. */
  baseUrl(req: Request): string;
  /** Told every token endpoint outcome (for the audit trail); must not throw. */
  onTokenResult?(result: TokenResult, address: string | undefined): void;
}

export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) fail('AUTH-MISSING');
  return p;
}

function bearer(req: Request): string | undefined {
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(req.header('authorization') ?? '');
  return m?.[1];
}

/** Applies the access policy to every request before any router sees it. */
export function authorize(deps: AuthDeps): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const rule = findRule(req.method, req.path, ACCESS_POLICY);
    if (rule?.public) return next();
    if (deps.disabled) {
      res.locals.principal = DEVELOPMENT_PRINCIPAL;
      return next();
    }
    res.setHeader('WWW-Authenticate', 'Bearer realm="ilp-gateway"');
    const token = bearer(req);
    if (!token) fail('AUTH-MISSING');
    const principal = await deps.signer.verify(token);
    if (!principal) fail('AUTH-INVALID');
    // Who was refused a scope is recorded by the audit trail (src/api/audit.middleware.ts).
    res.locals.authenticatedClientId = principal.clientId;
    // A revoked client's tokens stop working within AUTH_CLIENT_CACHE_SECONDS, without a restart.
    if (!(await deps.directory.isActive(principal.clientId))) fail('AUTH-CLIENT-REVOKED');
    res.removeHeader('WWW-Authenticate');
    const wait = deps.rateLimit?.take(principal.clientId) ?? 0;
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      fail('AUTH-RATE-LIMIT', { seconds: wait });
    }
    const scope = typeof rule?.scope === 'function' ? rule.scope(req.path, req.method) : rule?.scope;
    if (scope && !allows(principal.scopes, scope)) fail('AUTH-SCOPE', { scope });
    res.locals.principal = principal;
    next();
  };
}

function basicCredentials(req: Request): { clientId: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.header('authorization') ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  try {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before base64.
    return { clientId: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
  } catch {
    return { clientId: '', secret: '' }; // malformed escapes: authentication fails like any wrong secret
  }
}

/** POST /auth/token (OAuth 2.0 client credentials) and the SMART configuration document. */
export function authRouter(deps: AuthDeps): Router {
  // Case-sensitive like the app and the access policy (http-app.ts): a Router() of its own would match
  // /pws/v1/Targets where the policy sees no rule, and skip the scope check.
  const router = Router({ caseSensitive: true, strict: false });
  router.post('/auth/token', express.urlencoded({ extended: false, limit: '16kb' }), async (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const basic = basicCredentials(req);
    // The socket's address, not X-Forwarded-For: a header the caller writes cannot choose its throttle key.
    const address = req.socket.remoteAddress;
    const result = await handleTokenRequest({ form, tokenUrl: `${deps.baseUrl(req)}/auth/token`, ...(basic ? { basic } : {}), ...(address ? { address } : {}) }, deps);
    deps.onTokenResult?.(result, address);
    res.setHeader('Cache-Control', 'no-store');
    if (!result.ok) {
      if (result.err.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="ilp-gateway"');
      if (result.err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(result.err.retryAfterSeconds));
      res.status(result.err.status).json({ error: result.err.error, error_description: result.err.description });
      return;
    }
    res.json(result.body);
  });
  router.get('/fhir/.well-known/smart-configuration', (req, res) => {
    const base = deps.baseUrl(req);
    res.json({
      token_endpoint: `${base}/auth/token`,
      token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic', 'client_secret_post'],
      token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGORITHMS,
      grant_types_supported: ['client_credentials'],
      scopes_supported: SUPPORTED_SCOPES,
      capabilities: ['client-confidential-asymmetric', 'client-confidential-symmetric'],
    });
  });
  return router;
}
