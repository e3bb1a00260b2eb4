import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * The real Chromium of the machine (`.ci/run` installs the Debian package when it is missing),
 * driven by playwright-core. Never skipped: without the browser every test here fails loudly.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
export const SCREENSHOTS = join(__dirname, '..', '..', '..', '.test-results', 'screenshots');

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface ConsoleBrowser {
  context: BrowserContext;
  /** A new tab whose console errors and page errors are collected (checkPage fails on any). */
  open(): Promise<Page>;
  close(): Promise<void>;
}

const problems = new WeakMap<Page, string[]>();

export async function launchBrowser(): Promise<ConsoleBrowser> {
  if (!existsSync(CHROMIUM)) {
    const bar = '!'.repeat(78);
    throw new Error(`\n${bar}\n!! Chromium not found at ${CHROMIUM}: the console's browser tests cannot run.\n!! Install it (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH. They are never skipped.\n${bar}`);
  }
  // A new, empty profile per run: no cache, cookies or extensions from anything before.
  const profile = mkdtempSync(join(tmpdir(), 'ilp-console-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 900 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta',
  });
  context.setDefaultTimeout(15_000);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    context,
    async open() {
      const page = await context.newPage();
      const seen: string[] = [];
      problems.set(page, seen);
      page.on('console', (m) => { if (m.type() === 'error') seen.push(`console error: ${m.text()} (${m.location().url})`); });
      page.on('pageerror', (e) => seen.push(`page error: ${e.message}`));
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * What every page must pass: no serious or critical axe-core violation, no console error, no page
 * error; and a screenshot kept under .test-results/screenshots as a test artefact.
 */
export async function checkPage(page: Page, name: string, opts: { status?: number } = {}): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`)) as AxeViolation[];
  const grave = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(grave.map((v) => `${name}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  // A page answered on purpose with 401/403/429 makes Chromium log "Failed to load resource" for
  // the document itself: that one line is the status the test asked for, not a fault of the page.
  const own = opts.status ? `console error: Failed to load resource: the server responded with a status of ${opts.status}` : undefined;
  expect((problems.get(page) ?? []).filter((p) => !(own && p.startsWith(own) && p.endsWith(`(${page.url()})`)))).toEqual([]);
  problems.set(page, []);
}

/** Signs in through the real form. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string, path = '/console/'): Promise<void> {
  await page.goto(`${baseUrl}/console/login?next=${encodeURIComponent(path)}`);
  await page.getByLabel(/Nama pengguna|Username/).fill(username);
  await page.getByLabel(/Kata sandi|Password/).fill(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/login')), page.getByRole('button', { name: /^(Masuk|Sign in)$/ }).click()]);
}
