import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SecretVerifier } from '../auth/secret-verifier';
import type { FailureThrottle } from '../auth/throttle';
import type { Principal } from '../auth/tokens';
import type { ConsoleConfig } from '../config/console-config';
import { isLang, type Lang } from '../console/i18n';
import { principalOfUser } from '../console/roles';
import type { ConsoleUser, ConsoleUserStore } from '../store/console-ports';
import { DEVELOPMENT_PRINCIPAL } from './auth.routes';

/**
 * People's sessions for the console (docs/decisions/0020-console.md): a random id in an httpOnly,
 * SameSite=Strict cookie scoped to /console (Secure over HTTPS), its SHA-256 in console_session,
 * an idle timeout checked on every request, and a CSRF token per session that every POST must
 * echo in `_csrf`. Before sign-in (and with AUTH_DISABLED=1) the token is a random value in a
 * second cookie the form echoes (double submit), so the sign-in form is protected too.
 */
export const SESSION_COOKIE = 'ilp_console';
const PRE_COOKIE = 'ilp_console_csrf';
const LANG_COOKIE = 'ilp_console_lang';

export interface ConsoleAuthDeps {
  users: ConsoleUserStore;
  secrets: SecretVerifier;
  /** Sign-in failures per username and per source address (the API token endpoint's limits). */
  throttle: { user: FailureThrottle; address: FailureThrottle };
  config: ConsoleConfig;
  authDisabled: boolean;
  publicBaseUrl: string | undefined;
}

/** What res.locals.console holds for every console request. */
export interface ConsoleRequest {
  lang: Lang;
  csrf: string;
  user?: Pick<ConsoleUser, 'username' | 'role' | 'regions' | 'organizations' | 'displayName'>;
  /** The same principal shape the API uses; undefined until signed in. */
  principal?: Principal;
  /** The request named a session that is gone (idle timeout, signed out elsewhere, user disabled). */
  expired?: boolean;
}

export function consoleOf(res: Response): ConsoleRequest {
  return res.locals.console as ConsoleRequest;
}

export function cookies(req: Request): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    if (!out.has(name)) out.set(name, part.slice(i + 1).trim());
  }
  return out;
}

const token = (): string => randomBytes(32).toString('base64url');
export const sessionHash = (id: string): string => createHash('sha256').update(id).digest('base64url');

function secure(req: Request, deps: ConsoleAuthDeps): boolean {
  if (deps.config.cookieSecure !== 'auto') return deps.config.cookieSecure === 'always';
  return req.secure || (deps.publicBaseUrl?.startsWith('https:') ?? false);
}

function setCookie(res: Response, req: Request, deps: ConsoleAuthDeps, name: string, value: string, extra: string[] = []): void {
  const attrs = [`${name}=${value}`, 'Path=/console', 'HttpOnly', 'SameSite=Strict', ...extra, ...(secure(req, deps) ? ['Secure'] : [])];
  res.append('Set-Cookie', attrs.join('; '));
}

export function startSession(req: Request, res: Response, deps: ConsoleAuthDeps, id: string): void {
  setCookie(res, req, deps, SESSION_COOKIE, id);
}

export function endSessionCookie(req: Request, res: Response, deps: ConsoleAuthDeps): void {
  setCookie(res, req, deps, SESSION_COOKIE, '', ['Max-Age=0']);
}

function language(req: Request, res: Response, deps: ConsoleAuthDeps, jar: Map<string, string>): Lang {
  const asked = req.query.lang;
  if (isLang(asked)) {
    if (jar.get(LANG_COOKIE) !== asked) setCookie(res, req, deps, LANG_COOKIE, asked, ['Max-Age=31536000']);
    return asked;
  }
  const remembered = jar.get(LANG_COOKIE);
  return isLang(remembered) ? remembered : 'id';
}

/** The double-submit token of a browser without a session (set when missing). */
function preToken(req: Request, res: Response, deps: ConsoleAuthDeps, jar: Map<string, string>): string {
  const existing = jar.get(PRE_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const fresh = token();
  setCookie(res, req, deps, PRE_COOKIE, fresh);
  return fresh;
}

/** Resolves language, session, principal and CSRF token of every console request. */
export function resolveSession(deps: ConsoleAuthDeps): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const jar = cookies(req);
    const lang = language(req, res, deps, jar);
    if (deps.authDisabled) {
      const user = { username: 'development', role: 'admin' as const, regions: [], organizations: [] };
      res.locals.console = { lang, csrf: preToken(req, res, deps, jar), user, principal: DEVELOPMENT_PRINCIPAL } satisfies ConsoleRequest;
      res.locals.principal = DEVELOPMENT_PRINCIPAL;
      return next();
    }
    const id = jar.get(SESSION_COOKIE);
    const session = id ? await deps.users.touchSession(sessionHash(id), deps.config) : undefined;
    if (session) {
      const principal = principalOfUser(session.user);
      res.locals.console = { lang, csrf: session.csrfToken, user: session.user, principal } satisfies ConsoleRequest;
      // The audit trail records who acted (src/api/audit.middleware.ts reads the principal).
      res.locals.principal = principal;
      return next();
    }
    if (id) endSessionCookie(req, res, deps);
    res.locals.console = { lang, csrf: preToken(req, res, deps, jar), ...(id ? { expired: true } : {}) } satisfies ConsoleRequest;
    next();
  };
}

/** Every POST carries the request's CSRF token in `_csrf`, compared in constant time. */
export function csrfValid(req: Request, res: Response): boolean {
  const sent = (req.body as Record<string, unknown> | undefined)?._csrf;
  const expected = consoleOf(res).csrf;
  if (typeof sent !== 'string' || sent.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
}

/** A new session for `username`; the one the browser signed in with (`previousId`), if any, ends. */
export async function openSession(deps: ConsoleAuthDeps, username: string, previousId?: string): Promise<string> {
  const id = token();
  await deps.users.openSession(sessionHash(id), username, token(), deps.config, previousId ? sessionHash(previousId) : undefined);
  return id;
}
