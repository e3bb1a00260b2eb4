import { hashSecret } from '../../../src/auth/secrets';
import { runUsers } from '../../../src/cli/users';
import { sessionHash } from '../../../src/api/console-session';
import { testDbKind } from '../../support/database';
import { startGateway, type TestGateway } from '../../support/gateway';

/**
 * Console users and sessions on both databases (migration 0014), through the store, the CLI and
 * the real HTTP surface: CSRF on every POST, the sign-in throttle, the idle timeout, disabling.
 */
let gw: TestGateway;

beforeAll(async () => {
  gw = await startGateway({ RELAY_ENABLED: '0', AUTH_THROTTLE_CLIENT_FAILURES: '3', CONSOLE_IDLE_MINUTES: '1' });
});

afterAll(async () => {
  await gw?.close();
});

function io(stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), readStdin: async () => stdin } };
}

/** A browser without one: the sign-in form's CSRF cookie and token. */
async function loginForm(): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${gw.url}/console/login`);
  const cookie = (res.headers.getSetCookie()[0] ?? '').split(';')[0]!;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await res.text())?.[1] ?? '';
  return { cookie, csrf };
}

async function login(username: string, password: string, form?: { cookie: string; csrf: string }): Promise<Response> {
  const f = form ?? (await loginForm());
  return fetch(`${gw.url}/console/login`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: f.cookie },
    body: new URLSearchParams({ _csrf: f.csrf, username, password, next: '/console/' }).toString(),
  });
}

const sessionCookie = (res: Response): string => res.headers.getSetCookie().find((c) => c.startsWith('ilp_console='))?.split(';')[0] ?? '';

describe(`console users (${testDbKind()})`, () => {
  test('users add/list/disable through the CLI; the hash is never listed', async () => {
    const add = io('a-long-password-1\n');
    expect(await runUsers(gw.db.console, ['add', 'dinkes.lumajang', '--role', 'district', '--region', '3508', '--password-stdin'], add.io)).toBe(0);
    const dup = io('a-long-password-1');
    expect(await runUsers(gw.db.console, ['add', 'dinkes.lumajang', '--role', 'district', '--region', '3508', '--password-stdin'], dup.io)).toBe(1);
    const bad = io();
    expect(await runUsers(gw.db.console, ['add', 'x', '--role', 'district'], bad.io)).toBe(2);
    expect(bad.err.join('')).toContain('a district user needs at least one --region');
    const generated = io();
    expect(await runUsers(gw.db.console, ['add', 'vendor.a', '--role', 'vendor-support', '--org', '10000005'], generated.io)).toBe(0);
    expect(generated.out.join('')).toMatch(/password: [A-Za-z0-9_-]{20}/);
    const list = io();
    expect(await runUsers(gw.db.console, ['list', '--json'], list.io)).toBe(0);
    const users = JSON.parse(list.out.join('')) as Record<string, unknown>[];
    expect(users.map((u) => [u.username, u.role, u.regions, u.organizations])).toEqual([
      ['dinkes.lumajang', 'district', ['3508'], []], ['vendor.a', 'vendor-support', [], ['10000005']],
    ]);
    expect(JSON.stringify(users)).not.toContain('scrypt');
  });

  test('a sign-in POST without the form token is refused, with it the session cookie is set', async () => {
    const form = await loginForm();
    const forged = await login('dinkes.lumajang', 'a-long-password-1', { cookie: form.cookie, csrf: 'x'.repeat(43) });
    expect(forged.status).toBe(403);
    const ok = await login('dinkes.lumajang', 'a-long-password-1', form);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/console/');
    const set = ok.headers.getSetCookie().find((c) => c.startsWith('ilp_console='))!;
    expect(set).toMatch(/; Path=\/console; HttpOnly; SameSite=Strict$/);
    const home = await fetch(`${gw.url}/console/`, { headers: { cookie: sessionCookie(ok) } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Wilayah: 3508');
  });

  test('repeated failures are throttled like /auth/token (429 with Retry-After), even with the right password', async () => {
    await gw.db.console.create({ username: 'target.user', passwordHash: await hashSecret('the-right-password'), role: 'admin', regions: [], organizations: [] });
    for (let i = 0; i < 3; i += 1) expect((await login('target.user', 'wrong-password-xx')).status).toBe(401);
    const throttled = await login('target.user', 'the-right-password');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  test('an idle session ends: the store refuses it and deletes it', async () => {
    const ok = await login('dinkes.lumajang', 'a-long-password-1');
    const id = sessionCookie(ok).split('=')[1]!;
    expect(await gw.db.console.touchSession(sessionHash(id), { idleSeconds: 60, lifetimeSeconds: 3600 })).toMatchObject({ user: { username: 'dinkes.lumajang' } });
    await new Promise((r) => setTimeout(r, 1100));
    expect(await gw.db.console.touchSession(sessionHash(id), { idleSeconds: 1, lifetimeSeconds: 3600 })).toBeUndefined();
    // Deleted, so even a longer timeout does not bring it back.
    expect(await gw.db.console.touchSession(sessionHash(id), { idleSeconds: 3600, lifetimeSeconds: 3600 })).toBeUndefined();
    const after = await fetch(`${gw.url}/console/`, { headers: { cookie: sessionCookie(ok) }, redirect: 'manual' });
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toContain('expired=1');
  });

  test('a session in use still ends at its absolute lifetime', async () => {
    const id = sessionCookie(await login('dinkes.lumajang', 'a-long-password-1')).split('=')[1]!;
    const limits = { idleSeconds: 3600, lifetimeSeconds: 1 };
    expect(await gw.db.console.touchSession(sessionHash(id), limits)).toBeDefined();
    await new Promise((r) => setTimeout(r, 600));
    // Touched again: the idle clock restarts, the lifetime does not.
    expect(await gw.db.console.touchSession(sessionHash(id), limits)).toBeDefined();
    await new Promise((r) => setTimeout(r, 600));
    expect(await gw.db.console.touchSession(sessionHash(id), limits)).toBeUndefined();
  });

  test('signing in again in the same browser ends the session it had', async () => {
    const first = await login('dinkes.lumajang', 'a-long-password-1');
    // The sign-in page opened with the session cookie carries that session's form token.
    const page = await fetch(`${gw.url}/console/login`, { headers: { cookie: sessionCookie(first) } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const again = await login('dinkes.lumajang', 'a-long-password-1', { cookie: sessionCookie(first), csrf });
    expect(again.status).toBe(303);
    const generous = { idleSeconds: 3600, lifetimeSeconds: 3600 };
    expect(await gw.db.console.touchSession(sessionHash(sessionCookie(first).split('=')[1]!), generous)).toBeUndefined();
    expect((await fetch(`${gw.url}/console/`, { headers: { cookie: sessionCookie(first) }, redirect: 'manual' })).status).toBe(303);
    expect((await fetch(`${gw.url}/console/`, { headers: { cookie: sessionCookie(again) } })).status).toBe(200);
  });

  test('a sign-in deletes sessions past their limits, so abandoned ones do not pile up', async () => {
    const stale = sessionHash('abandoned-session-id');
    await gw.db.console.openSession(stale, 'dinkes.lumajang', 'csrf-a', { idleSeconds: 60, lifetimeSeconds: 3600 });
    await new Promise((r) => setTimeout(r, 1100));
    const fresh = sessionHash('fresh-session-id');
    await gw.db.console.openSession(fresh, 'dinkes.lumajang', 'csrf-b', { idleSeconds: 1, lifetimeSeconds: 3600 });
    // Asked with generous limits, a session still stored would be found: the abandoned one is gone.
    const generous = { idleSeconds: 3600, lifetimeSeconds: 3600 };
    expect(await gw.db.console.touchSession(stale, generous)).toBeUndefined();
    expect(await gw.db.console.touchSession(fresh, generous)).toMatchObject({ csrfToken: 'csrf-b' });
  });

  test('disabling a user ends its sessions at once', async () => {
    const ok = await login('vendor.a', 'unknown-password');
    expect(ok.status).toBe(401);
    await gw.db.console.create({ username: 'soon.gone', passwordHash: await hashSecret('soon-gone-password'), role: 'tester', regions: [], organizations: [] });
    const signed = await login('soon.gone', 'soon-gone-password');
    expect(signed.status).toBe(303);
    expect((await fetch(`${gw.url}/console/`, { headers: { cookie: sessionCookie(signed) } })).status).toBe(200);
    const d = io();
    expect(await runUsers(gw.db.console, ['disable', 'soon.gone'], d.io)).toBe(0);
    expect((await fetch(`${gw.url}/console/`, { headers: { cookie: sessionCookie(signed) }, redirect: 'manual' })).status).toBe(303);
    expect((await login('soon.gone', 'soon-gone-password')).status).toBe(401);
  });

  test('a tester may not open the PWS dashboard (403 page), and bad parameters are a 400 page', async () => {
    await gw.db.console.create({ username: 'tester.a', passwordHash: await hashSecret('tester-password-1'), role: 'tester', regions: [], organizations: [] });
    const cookie = sessionCookie(await login('tester.a', 'tester-password-1'));
    const pws = await fetch(`${gw.url}/console/pws?area=35&period=2026-03`, { headers: { cookie } });
    expect(pws.status).toBe(403);
    expect(pws.headers.get('content-type')).toContain('text/html');
    const lumajang = sessionCookie(await login('dinkes.lumajang', 'a-long-password-1'));
    const bad = await fetch(`${gw.url}/console/pws?area=35x&period=2026-13`, { headers: { cookie: lumajang } });
    expect(bad.status).toBe(400);
    const body = await bad.text();
    expect(body).toContain('2026-13');
    expect(body).not.toContain('<script>');
  });
});

describe(`AUTH_DISABLED=1 (${testDbKind()})`, () => {
  let open: TestGateway;
  beforeAll(async () => {
    open = await startGateway({ RELAY_ENABLED: '0', AUTH_DISABLED: '1' });
  });
  afterAll(async () => {
    await open?.close();
  });

  test('the console opens without sign-in and says so in a banner', async () => {
    const res = await fetch(`${open.url}/console/`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('role="alert">AUTH_DISABLED=1');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});
