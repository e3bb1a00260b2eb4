import type { Page } from 'playwright-core';
import { checkPage, launchBrowser, signIn, type ConsoleBrowser } from './support/browser';
import { startConsoleGateway, type ConsoleGateway } from './support/console-gateway';

/** Sign-in for people in a real Chromium: the form, the session cookie, sign-out, languages, refusals. */
let gw: ConsoleGateway;
let browser: ConsoleBrowser;
let page: Page;

beforeAll(async () => {
  [gw, browser] = await Promise.all([startConsoleGateway(), launchBrowser()]);
  await gw.addUser('admin.satu', 'kata-sandi-admin-1', 'admin');
  page = await browser.open();
});

afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

test('an unsigned visitor is sent to the sign-in page, which passes axe', async () => {
  await page.goto(`${gw.url}/console/pws`);
  expect(new URL(page.url()).pathname).toBe('/console/login');
  expect(await page.locator('h1').textContent()).toBe('Masuk');
  await checkPage(page, 'login');
});

test('a wrong password is refused and says so', async () => {
  await page.goto(`${gw.url}/console/login`);
  await page.getByLabel('Nama pengguna').fill('admin.satu');
  await page.getByLabel('Kata sandi').fill('wrong-password-123');
  const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/console/login') && r.request().method() === 'POST'), page.getByRole('button', { name: 'Masuk' }).click()]);
  expect(res.status()).toBe(401);
  expect(await page.getByRole('alert').textContent()).toContain('salah');
  await checkPage(page, 'login-failed', { status: 401 });
});

test('signing in opens the page asked for; the cookie is httpOnly and SameSite=Strict', async () => {
  await signIn(page, gw.url, 'admin.satu', 'kata-sandi-admin-1', '/console/');
  expect(new URL(page.url()).pathname).toBe('/console/');
  expect(await page.locator('main').textContent()).toContain('admin.satu');
  const cookie = (await browser.context.cookies(`${gw.url}/console/`)).find((c) => c.name === 'ilp_console');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' });
  await checkPage(page, 'home');
});

test('English is one click away and remembered', async () => {
  await page.getByRole('link', { name: 'English' }).click();
  expect(await page.locator('h1').textContent()).toBe('Home');
  await page.goto(`${gw.url}/console/`);
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
  await checkPage(page, 'home-en');
  await page.getByRole('link', { name: 'Bahasa Indonesia' }).click();
  expect(await page.locator('h1').textContent()).toBe('Beranda');
});

test('a POST without the CSRF token is refused', async () => {
  const status = await page.evaluate(async () => (await fetch('/console/logout', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '_csrf=forged' })).status);
  expect(status).toBe(403);
  await page.goto(`${gw.url}/console/`);
  expect(new URL(page.url()).pathname).toBe('/console/');
});

test('signing out ends the session on the server, not only in the browser', async () => {
  const old = (await browser.context.cookies(`${gw.url}/console/`)).find((c) => c.name === 'ilp_console');
  await page.getByRole('button', { name: 'Keluar' }).click();
  await page.waitForURL((u) => u.pathname === '/console/login');
  // The old cookie value no longer opens anything.
  const replay = await fetch(`${gw.url}/console/`, { headers: { cookie: `ilp_console=${old?.value}` }, redirect: 'manual' });
  expect(replay.status).toBe(303);
  expect(replay.headers.get('location')).toMatch(/^\/console\/login/);
});

test('a console sign-in is recorded in the audit trail with the person', async () => {
  await new Promise((r) => setTimeout(r, 300));
  const { rows } = await gw.sql.query<{ n: string }>(`SELECT count(*) AS n FROM audit_event WHERE client_id = 'console:admin.satu' AND 'console-login' = ANY(subtype)`);
  expect(Number(rows[0]?.n)).toBeGreaterThanOrEqual(1);
});
