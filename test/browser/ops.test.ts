import type { Page } from 'playwright-core';
import { operationOutcome, issue } from '../../src/kernel';
import { example, uniqueId } from '../support/submissions';
import { checkPage, launchBrowser, signIn, type ConsoleBrowser } from './support/browser';
import { startConsoleGateway, type ConsoleGateway } from './support/console-gateway';

/**
 * The operations pages in a real Chromium (issue 11 items 2-4): open a rejected submission and
 * re-send it with a reason; see a vendor's top error and its masked example; validate a file and
 * see each issue at its FHIRPath location; relay health. axe and console errors on every page.
 */
let gw: ConsoleGateway;
let browser: ConsoleBrowser;
let page: Page;
let rejected: { id: string; submissionId: string };
const BAD_NIK = '92710603120000';

async function post(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${gw.url}/ilp/v1/encounters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  [gw, browser] = await Promise.all([startConsoleGateway(), launchBrowser()]);
  await gw.addUser('admin.ops', 'kata-sandi-admin-9', 'admin');
  await gw.addUser('penguji', 'kata-sandi-tester-9', 'tester');
  // A visit the national platform refused: accepted here, then rejected through the relay's own store calls.
  const visit = example();
  visit.submissionId = uniqueId('BROWSER');
  const accepted = await post(visit);
  expect(accepted.status).toBe(202);
  const [work] = await gw.db.relay.claim('browser-test', 10, 60);
  if (!work) throw new Error('nothing to claim');
  expect(await gw.db.relay.reject(work, 'browser-test', operationOutcome([issue('SCHEMA-OTHER', { detail: 'Organization tidak sesuai (RuleNumber: 10117)' })]))).toBe(true);
  rejected = { id: String(accepted.body.id), submissionId: visit.submissionId };
  // Two refusals by the vendor: its top error is the NIK.
  for (let i = 0; i < 2; i += 1) {
    const bad = example();
    bad.submissionId = uniqueId('BROWSER-BAD');
    bad.patient.nik = BAD_NIK;
    expect((await post(bad)).status).toBe(422);
  }
  const until = Date.now() + 10_000;
  while ((await gw.sql.query('SELECT count(*)::int AS n FROM intake_attempt')).rows[0].n < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  page = await browser.open();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

test('an admin opens the rejected submission from the log and re-sends it with a reason', async () => {
  await signIn(page, gw.url, 'admin.ops', 'kata-sandi-admin-9', '/console/submissions?status=rejected');
  expect(await page.locator('h1').textContent()).toBe('Log transaksi');
  await checkPage(page, 'submissions-rejected');
  await Promise.all([page.waitForURL((u) => u.pathname === `/console/submissions/${rejected.id}`), page.getByRole('link', { name: rejected.submissionId }).click()]);
  expect(await page.locator('main').textContent()).toContain('RuleNumber: 10117');
  await checkPage(page, 'submission-detail');
  await page.getByLabel(/^Alasan/).fill('kredensial organisasi sudah diperbaiki');
  await Promise.all([page.waitForURL((u) => u.searchParams.get('resent') === '1'), page.getByRole('button', { name: 'Kirim ulang' }).click()]);
  expect(await page.getByRole('status').textContent()).toContain('Dikirim ulang: 1');
  await checkPage(page, 'submission-resent');
  const events = await gw.sql.query(`SELECT kind, detail ->> 'reason' AS reason FROM relay_event WHERE submission_pk = $1 ORDER BY id`, [rejected.id]);
  expect(events.rows).toEqual([{ kind: 'rejected', reason: null }, { kind: 'requeued', reason: 'kredensial organisasi sudah diperbaiki' }]);
  const status = await gw.sql.query('SELECT status FROM submission WHERE pk = $1', [rejected.id]);
  expect(status.rows[0].status).toBe('accepted');
});

test("the vendor's top error is the NIK at patient.nik, and its example is masked", async () => {
  await page.goto(`${gw.url}/console/conformance`);
  const first = page.locator('table.top-errors tbody tr').first();
  expect(await first.locator('td').nth(0).textContent()).toBe('ILP-NIK-INVALID');
  expect(await first.locator('td').nth(1).textContent()).toBe('patient.nik');
  expect(await first.locator('td').nth(2).textContent()).toBe('2');
  await checkPage(page, 'conformance');
  await Promise.all([page.waitForURL((u) => u.searchParams.get('errorCode') === 'ILP-NIK-INVALID'), first.getByRole('link').click()]);
  const examples = await page.locator('#examples').textContent();
  expect(examples).toContain('ILP-NIK-INVALID');
  expect(await page.locator('#examples').innerHTML()).not.toContain(BAD_NIK);
  await checkPage(page, 'conformance-examples');
});

test('relay health shows the queue and passes axe', async () => {
  await page.goto(`${gw.url}/console/relay`);
  expect(await page.locator('h1').textContent()).toBe('Kesehatan relay ke SATUSEHAT');
  expect(await page.locator('main').textContent()).toContain(rejected.submissionId);
  await checkPage(page, 'relay');
});

test('a tester validates a file and sees each issue at its FHIRPath location', async () => {
  // One browser context: the admin signs out first.
  await Promise.all([page.waitForURL((u) => u.pathname === '/console/login'), page.getByRole('button', { name: 'Keluar' }).click()]);
  const tester = page;
  await signIn(tester, gw.url, 'penguji', 'kata-sandi-tester-9', '/console/conformance/validate');
  await checkPage(tester, 'validate');
  await tester.getByLabel('Isi JSON').fill(JSON.stringify({ resourceType: 'Patient', gender: 'nope', birthDate: '2020-13-45' }));
  await tester.getByRole('radio', { name: /r4:/ }).check();
  await Promise.all([tester.waitForResponse((r) => r.url().endsWith('/console/conformance/validate') && r.request().method() === 'POST'), tester.getByRole('button', { name: 'Validasi' }).click()]);
  await tester.locator('#result').waitFor();
  const locations = await tester.locator('code.fhirpath').allTextContents();
  expect(locations).toEqual(expect.arrayContaining(['Patient.gender', 'Patient.birthDate']));
  expect(await tester.getByRole('status').textContent()).toContain('Tidak valid');
  await checkPage(tester, 'validate-result');
  // A tester sees no stored data: the transaction log is not for this role.
  const res = await tester.goto(`${gw.url}/console/submissions`);
  expect(res?.status()).toBe(403);
});
