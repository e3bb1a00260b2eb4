import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { NextFunction, Request, Response, Router } from 'express';
import { translator } from '../console/i18n';
import { principalOfUser } from '../console/roles';
import type { ConsoleView } from '../console/layout';
import { mayOpen, type ConsolePageEntry } from '../console/pages';
import { errorPage, homePage, loginPage } from '../console/views';
import { OperationOutcomeError, type Logger } from '../kernel';
import { consoleOf, csrfValid, endSessionCookie, cookies, openSession, resolveSession, sessionHash, SESSION_COOKIE, startSession, type ConsoleAuthDeps, type ConsoleRequest } from './console-session';
import type { ConsolePages, PageRender } from './console-pages';
import { registerPwsPages, type PwsPageDeps } from './console-pws.routes';
import { registerOpsPages, type OpsPageDeps } from './console-ops.routes';
import { registerConformancePages, type ConformancePageDeps } from './console-conformance.routes';

/**
 * The web console under /console (issue #11): server-rendered pages (src/console), one stylesheet
 * and one small script served from here (no CDN: Puskesmas networks are slow or offline), sign-in
 * for people, and the API's access decision for what they see. docs/decisions/0020-console.md.
 */
export interface ConsoleRouteDeps extends ConsoleAuthDeps, PwsPageDeps {
  logger: Logger;
  /** The operations pages (transaction log, conformance, validate, relay health; src/ops/). */
  ops?: OpsPageDeps & ConformancePageDeps;
}

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const ASSET_DIR = join(__dirname, '..', 'console', 'assets');
const ASSETS: Record<string, string> = { 'console.css': 'text/css; charset=utf-8', 'console.js': 'text/javascript; charset=utf-8' };

export function viewOf(req: Request, res: Response, deps: Pick<ConsoleAuthDeps, 'authDisabled'>): ConsoleView {
  const c = consoleOf(res);
  return {
    lang: c.lang, t: translator(c.lang), url: new URL(req.originalUrl, 'http://console.invalid'), csrf: c.csrf, authDisabled: deps.authDisabled,
    ...(c.user ? { user: { username: c.user.username, role: c.user.role, ...(c.user.displayName ? { displayName: c.user.displayName } : {}) } } : {}),
  };
}

function send(res: Response, status: number, body: string): void {
  res.status(status).type('text/html; charset=utf-8').send(body);
}

/** Only a path inside the console: never another host (`//evil`, `/\evil`) after sign-in. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/console(\/[^\\]*)?$/.test(next) && !next.startsWith('//') && !next.includes('//') ? next : '/console/';
}

function assetRouter(): Router {
  const files = new Map(Object.entries(ASSETS).map(([name, type]) => [name, { type, body: readFileSync(join(ASSET_DIR, name)) }]));
  const router = Router({ caseSensitive: true });
  router.get('/:name', (req, res, next) => {
    const file = files.get(String(req.params.name));
    if (!file) return next();
    // Versioned URLs (?v=): a browser may keep them; they hold no personal data.
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type(file.type).send(file.body);
  });
  return router;
}

function signedIn(req: Request, res: Response): ConsoleRequest | undefined {
  const c = consoleOf(res);
  if (c.user && c.principal) return c;
  const next = encodeURIComponent(req.originalUrl.split('#')[0] ?? '/console/');
  res.redirect(303, `/console/login?next=${next}${c.expired ? '&expired=1' : ''}`);
  return undefined;
}

function pagesOn(router: Router, deps: ConsoleRouteDeps): ConsolePages {
  const guarded = (entry: Pick<ConsolePageEntry, 'roles'>, render: PageRender, post: boolean) => async (req: Request, res: Response) => {
    const c = signedIn(req, res);
    if (!c?.user) return;
    const view = viewOf(req, res, deps);
    if (post && !csrfValid(req, res)) return send(res, 403, errorPage(view, 'error.csrf'));
    if (!mayOpen(c.user.role, entry)) return send(res, 403, errorPage(view, 'error.forbidden'));
    const body = await render(view, req, res);
    if (typeof body === 'string') send(res, 200, body);
  };
  return {
    get: (entry, path, render) => { router.get(path, guarded(entry, render, false)); },
    post: (entry, path, handle) => { router.post(path, guarded(entry, handle, true)); },
  };
}

function authRoutes(router: Router, deps: ConsoleRouteDeps): void {
  router.get('/login', (req, res) => {
    const view = viewOf(req, res, deps);
    if (deps.authDisabled || consoleOf(res).user) return res.redirect(303, safeNext(req.query.next));
    send(res, 200, loginPage(view, { next: safeNext(req.query.next), ...(req.query.expired ? { message: 'login.expired' as const } : {}) }));
  });
  router.post('/login', async (req, res) => {
    const view = viewOf(req, res, deps);
    if (!csrfValid(req, res)) return send(res, 403, errorPage(view, 'error.csrf'));
    const form = req.body as Record<string, unknown>;
    const username = typeof form.username === 'string' ? form.username.trim().toLowerCase().slice(0, 64) : '';
    const password = typeof form.password === 'string' ? form.password.slice(0, 1024) : '';
    const next = safeNext(form.next);
    const again = (status: number, message: Parameters<typeof loginPage>[1]['message'], params?: Record<string, number>) =>
      send(res, status, loginPage(view, { next, username, ...(message ? { message } : {}), ...(params ? { params } : {}) }));
    // The socket's address, not X-Forwarded-For: a header the caller writes cannot choose its throttle key.
    const address = req.socket.remoteAddress ?? 'unknown';
    const wait = Math.max(deps.throttle.user.retryAfter(username), deps.throttle.address.retryAfter(address));
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      return again(429, 'login.throttled', { seconds: wait });
    }
    const found = await deps.users.credentials(username);
    const verdict = found ? await deps.secrets.verify(password, found.passwordHash) : (await deps.secrets.imitate(), 'mismatch' as const);
    if (verdict === 'busy') return again(429, 'login.busy');
    if (verdict !== 'match' || found?.user.status !== 'active') {
      deps.throttle.user.failed(username);
      deps.throttle.address.failed(address);
      return again(401, 'login.failed');
    }
    deps.throttle.user.succeeded(username);
    // A browser that signs in again (another user at a shared computer) leaves no live session behind.
    const id = await openSession(deps, found.user.username, cookies(req).get(SESSION_COOKIE));
    startSession(req, res, deps, id);
    res.locals.principal = principalOfUser(found.user);
    res.redirect(303, next);
  });
  router.post('/logout', async (req, res) => {
    const view = viewOf(req, res, deps);
    if (!csrfValid(req, res)) return send(res, 403, errorPage(view, 'error.csrf'));
    const id = cookies(req).get(SESSION_COOKIE);
    if (id) await deps.users.closeSession(sessionHash(id));
    endSessionCookie(req, res, deps);
    res.redirect(303, '/console/login');
  });
}

export function consoleRouter(deps: ConsoleRouteDeps): Router {
  // Case-sensitive like the app and the access policy (http-app.ts).
  const router = Router({ caseSensitive: true, strict: false });
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', CSP);
    next();
  });
  router.use('/assets', assetRouter());
  router.use(express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 200 }));
  router.use(resolveSession(deps));
  authRoutes(router, deps);
  const pages = pagesOn(router, deps);
  pages.get({ roles: ['admin', 'district', 'vendor-support', 'tester'] }, '/', (view, _req, res) => {
    const user = consoleOf(res).user;
    return homePage(view, { regions: user?.regions ?? [], organizations: user?.organizations ?? [] });
  });
  registerPwsPages(pages, deps);
  if (deps.ops) {
    registerOpsPages(pages, deps.ops);
    registerConformancePages(pages, deps.ops);
  }
  router.use((req: Request, res: Response) => send(res, 404, errorPage(viewOf(req, res, deps), 'error.notFound')));
  router.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof OperationOutcomeError) || !res.locals.console) return next(err);
    const view = viewOf(req, res, deps);
    const text = err.issues.map((i) => i.message[view.lang]).join(' ');
    send(res, err.status, errorPage(view, err.status === 403 ? 'error.forbidden' : 'error.title', text));
  });
  return router;
}
