import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { requireAccess } from '../auth/access-decision';
import type { Principal } from '../auth/tokens';
import { fail } from '../kernel';

/**
 * The static admin token (ADMIN_TOKEN) for /admin/v1, one middleware so it can be swapped. The
 * general API auth (src/auth/, run before every router) already requires the `admin` scope on
 * /admin; a caller it authenticated with that scope passes here too. ADMIN_TOKEN matters when API
 * auth is turned off for local development (AUTH_DISABLED=1, refused in production): then the
 * static token still guards the operations that re-queue, pause and hold national credentials.
 * Without ADMIN_TOKEN this guard lets requests through. Tokens are compared as SHA-256 digests with
 * timingSafeEqual, so neither length nor content leaks through timing.
 */
function authenticatedAdmin(res: Response): boolean {
  const p = res.locals.principal as { clientId?: unknown; scopes?: unknown } | undefined;
  return !!p && p.clientId !== 'development' && Array.isArray(p.scopes) && p.scopes.includes('admin');
}

export function adminGuard(adminToken: string | undefined): RequestHandler {
  if (!adminToken) return (_req, _res, next) => next();
  const expected = createHash('sha256').update(adminToken).digest();
  return (req, res, next) => {
    if (authenticatedAdmin(res)) return next();
    const m = /^Bearer (\S+)$/.exec(req.header('authorization') ?? '');
    const given = createHash('sha256').update(m?.[1] ?? '').digest();
    if (!m || !timingSafeEqual(given, expected)) fail('ADMIN-UNAUTHORIZED');
    next();
  };
}

/**
 * The one access decision (src/auth/access-decision.ts): admin actions span every organisation, so
 * a client restricted to organisations or regions may not take them even with the scope. Every
 * /admin/v1 router runs it (clients.routes.ts too).
 */
export const unrestrictedAdmin: RequestHandler = (_req, res, next) => {
  const principal = res.locals.principal as Principal | undefined;
  if (principal) requireAccess(principal, 'admin', 'admin');
  next();
};

