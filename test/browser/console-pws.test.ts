import type { Page } from 'playwright-core';
import { checkPage, launchBrowser, signIn, type ConsoleBrowser } from './support/browser';
import { startConsoleGateway, type ConsoleGateway } from './support/console-gateway';
import { seedTargets, seedVisits } from './support/pws-seed';

/**
 * The PWS dashboard in a real Chromium over seeded visits. The figures on the page are compared
 * with SQL the test writes itself over pws_contribution / pws_target (not the engine), and with
 * GET /pws/v1/indicators for every indicator card.
 *
 *   Tegalrejo 3508012001 and Bulurejo 3508012002 (kecamatan Tempursari 350801), Sidomulyo 3508022001
 *   (kecamatan Pronojiwo 350802), all Kabupaten Lumajang 3508; Padomasan 3509012001 (Kabupaten Jember).
 */
const INDICATOR = 'PWS-K3-PTM-SCREENED';
const PTM_FACTS = ['item:systolic-bp', 'item:diastolic-bp', 'item:bmi', 'item:waist-circumference', 'item:blood-glucose-random', 'item:blood-glucose-fasting'];

let gw: ConsoleGateway;
let browser: ConsoleBrowser;
let page: Page;

beforeAll(async () => {
  [gw, browser] = await Promise.all([startConsoleGateway(), launchBrowser()]);
  await seedVisits(gw.url, [
    { village: '3508012001', date: '2026-03-10', age: 40, bp: [150, 95] },
    { village: '3508012001', date: '2026-02-05', age: 30, bp: [120, 80] },
    { village: '3508012001', date: '2026-03-12', age: 20, bp: [118, 76] },
    { village: '3508012001', date: '2026-03-12', age: 14, bp: [118, 76] },
    { village: '3508012002', date: '2026-01-20', age: 50, bp: [160, 100] },
    { village: '3508012002', date: '2026-03-03', age: 45, bp: [130, 85] },
    { village: '3508022001', date: '2026-03-15', age: 33, bp: [125, 80] },
    { village: '3509012001', date: '2026-03-09', age: 60, bp: [170, 110] },
  ]);
  await seedTargets(gw.url, 'villageCode,year,group,count\n3508012001,2026,usia-15-plus,10\n3508012002,2026,usia-15-plus,8\n3508022001,2026,usia-15-plus,5\n3509012001,2026,usia-15-plus,4\n');
  await gw.addUser('admin.pws', 'kata-sandi-admin-2', 'admin');
  await gw.addUser('dinkes.jember', 'kata-sandi-jember-1', 'district', { regions: ['3509'] });
  page = await browser.open();
});

afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

/** Distinct people screened (≥ 15 years) under a Kemendagri prefix, computed here in SQL. */
async function screened(prefix: string, from: string, to: string): Promise<number> {
  const { rows } = await gw.sql.query<{ n: string }>(
    `SELECT count(DISTINCT person_key) AS n FROM pws_contribution
     WHERE fact = ANY($1) AND age_years >= 15 AND village_code LIKE $2 AND local_date >= $3 AND local_date < $4`, [PTM_FACTS, `${prefix}%`, from, to]);
  return Number(rows[0]?.n);
}

async function target(prefix: string): Promise<number> {
  const { rows } = await gw.sql.query<{ n: string }>(`SELECT coalesce(sum(count), 0) AS n FROM pws_target WHERE target_group = 'usia-15-plus' AND year = 2026 AND village_code LIKE $1`, [`${prefix}%`]);
  return Number(rows[0]?.n);
}

const cell = async (scope: string, cls: string): Promise<string> => (await page.locator(`${scope} .${cls}`).first().textContent())?.trim() ?? '';

async function cardFigures(code: string): Promise<{ numerator: number; denominator: number; ytdNumerator: number; ytdDenominator: number }> {
  const id = `#card-${code}`;
  return {
    numerator: Number(await cell(id, 'numerator')), denominator: Number(await cell(id, 'denominator')),
    ytdNumerator: Number(await cell(id, 'ytd-numerator')), ytdDenominator: Number(await cell(id, 'ytd-denominator')),
  };
}

test('drill down from the province to a village by clicking, with the figures of independent SQL', async () => {
  await signIn(page, gw.url, 'admin.pws', 'kata-sandi-admin-2', `/console/pws?area=35&period=2026-03&indicator=${INDICATOR}`);
  expect(await page.locator('h1').textContent()).toContain('Jawa Timur (35)');
  await checkPage(page, 'pws-province');

  await page.getByRole('link', { name: 'Kabupaten Lumajang' }).click();
  expect(await page.locator('h1').textContent()).toContain('Kabupaten Lumajang (3508)');
  await checkPage(page, 'pws-kabupaten');

  await page.getByRole('link', { name: 'Tempursari' }).click();
  expect(await page.locator('h1').textContent()).toContain('Tempursari (350801)');
  const k = await cardFigures(INDICATOR);
  expect(k).toEqual({
    numerator: await screened('350801', '2026-03-01', '2026-04-01'), denominator: await target('350801'),
    ytdNumerator: await screened('350801', '2026-01-01', '2026-04-01'), ytdDenominator: await target('350801'),
  });
  expect(k.numerator).toBe(3); // A, C (Tegalrejo) and E (Bulurejo); the 14-year-old is not counted
  // The ranking: one row per village of the kecamatan, with the same SQL per village.
  for (const village of ['3508012001', '3508012002']) {
    const row = `tr[data-code="${village}"]`;
    expect(Number(await cell(row, 'numerator'))).toBe(await screened(village, '2026-03-01', '2026-04-01'));
    expect(Number(await cell(row, 'denominator'))).toBe(await target(village));
  }
  expect(await page.locator('.chart svg rect').count()).toBe(2);
  // The trend lines arrive after the chart (console.js), one per indicator card.
  await page.waitForSelector('body[data-trends="loaded"]');
  expect(await page.locator(`#card-${INDICATOR} .trend svg`).count()).toBe(1);
  expect(await page.locator('li.card .trend svg').count()).toBe(await page.locator('li.card').count());
  await checkPage(page, 'pws-kecamatan');

  await page.getByRole('link', { name: 'Tegalrejo' }).click();
  expect(await page.locator('h1').textContent()).toContain('Tegalrejo (3508012001)');
  expect((await cardFigures(INDICATOR)).ytdNumerator).toBe(await screened('3508012001', '2026-01-01', '2026-04-01'));
  await checkPage(page, 'pws-desa');
});

test('every card shows exactly what GET /pws/v1/indicators answers for the same area and period', async () => {
  await page.goto(`${gw.url}/console/pws?area=3508&period=2026-03`);
  const api = (await (await fetch(`${gw.url}/pws/v1/indicators?area=3508&period=2026-03`)).json()) as { indicators: { code: string; numerator: number; denominator: number | null; yearToDate?: { numerator: number } }[] };
  expect(api.indicators.length).toBeGreaterThan(10);
  const shown = await page.locator('li.card').evaluateAll((cards) => cards.map((c) => ({
    code: c.getAttribute('data-code'),
    numerator: c.querySelector('.numerator')?.textContent?.trim(),
    denominator: c.querySelector('.denominator')?.textContent?.trim(),
  })));
  expect(shown.map((s) => s.code)).toEqual(api.indicators.map((i) => i.code));
  for (const i of api.indicators) {
    const s = shown.find((x) => x.code === i.code)!;
    expect(Number(s.numerator)).toBe(i.numerator);
    if (i.denominator !== null) expect(Number(s.denominator)).toBe(i.denominator);
  }
});

test('the ranking downloads as CSV with the figures shown', async () => {
  await page.goto(`${gw.url}/console/pws?area=350801&period=2026-03&indicator=${INDICATOR}`);
  const href = await page.getByRole('link', { name: 'Unduh CSV' }).getAttribute('href');
  const csv = await page.evaluate(async (u) => (await fetch(u!)).text(), href);
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toBe('rank,area,name,period,code,numerator,denominator,value,cumulative,target,status,direction');
  const tegalrejo = lines.find((l) => l.includes(',3508012001,'))!.split(',');
  expect(Number(tegalrejo[5])).toBe(await screened('3508012001', '2026-03-01', '2026-04-01'));
  expect(tegalrejo[2]).toBe('Tegalrejo');
});

test('a district officer sees its own kabupaten and cannot open another region', async () => {
  await browser.context.clearCookies();
  await signIn(page, gw.url, 'dinkes.jember', 'kata-sandi-jember-1', '/console/pws?period=2026-03');
  // A single region: the dashboard opens on it.
  expect(new URL(page.url()).searchParams.get('area')).toBe('3509');
  expect(await page.locator('h1').textContent()).toContain('Kabupaten Jember (3509)');
  expect((await cardFigures(INDICATOR)).numerator).toBe(await screened('3509', '2026-03-01', '2026-04-01'));
  await checkPage(page, 'pws-district');

  const res = await page.goto(`${gw.url}/console/pws?area=3508&period=2026-03`);
  expect(res?.status()).toBe(403);
  expect(await page.locator('main').textContent()).toContain('3508');
  expect(await page.locator('.card').count()).toBe(0);
  await checkPage(page, 'pws-district-forbidden', { status: 403 });

  // Above its region, only its own kabupaten is listed and counted.
  await page.goto(`${gw.url}/console/pws?area=35&period=2026-03&indicator=${INDICATOR}`);
  expect(await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')))).toEqual(['3509']);
  expect((await cardFigures(INDICATOR)).numerator).toBe(await screened('3509', '2026-03-01', '2026-04-01'));
});
