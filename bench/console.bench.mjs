// The console's PWS dashboard at 1,000,000 stored Observations (issue #11: a kabupaten's dashboard
// under 1 s to first chart, measured in the browser): the database seeded by bench/lib/pws-seed.mjs
// (written for the PWS engine's own bench), the gateway in this process, the system Chromium
// driven by playwright-core. Time to first chart = from the navigation until the PWS chart's SVG
// is visible. Peer measured in the same run: GET /pws/v1/indicators for the same area and period
// (the JSON the cards show), so the ratio says what the page adds over the engine.
// Needs PostgreSQL (TEST_DATABASE_URL) and Chromium; creates its own database and drops it.
import console from 'node:console';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { scratchDatabase } from './lib/scratch-database.mjs';
import { fileURLToPath, URL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const SEED = join(ROOT, 'bench', 'lib', 'pws-seed.mjs');
if (!existsSync(SEED)) {
  console.error('!! bench/lib/pws-seed.mjs is missing (it comes with the PWS scale work): the console bench cannot seed 1M Observations.');
  process.exit(1);
}
const { seedPws, villageCode } = await import(SEED);
const { buildApp, listen } = require(join(ROOT, 'dist/app'));
const { loadConfig } = require(join(ROOT, 'dist/config/config'));
const { createLogger } = require(join(ROOT, 'dist/kernel'));
const { hashSecret } = require(join(ROOT, 'dist/auth/secrets'));
const { chromium } = require('playwright-core');

const OBSERVATIONS = Number(process.env.BENCH_CONSOLE_OBSERVATIONS || 1_000_000);
const ITERATIONS = Number(process.env.BENCH_CONSOLE_ITERATIONS || 5);
const SERVER = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const load = () => `load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function main() {
  const scratch = await scratchDatabase(ROOT, SERVER, 'ilp_bench_console');
  const { db, client } = scratch;
  const url = new URL(scratch.url);
  const profile = mkdtempSync(join(tmpdir(), 'ilp-console-bench-'));
  let server; let app; let context;
  try {
    const s = await seedPws((sql, params) => client.query(sql, params).then((r) => r.rows), { observations: OBSERVATIONS, people: Math.floor(OBSERVATIONS / 10) });
    console.log(`seeded ${s.observations.toLocaleString('en-US')} stored Observations, ${s.contributionRows.toLocaleString('en-US')} contribution rows, ${s.people.toLocaleString('en-US')} people in ${s.seconds.toFixed(0)} s | ${load()}`);
    app = await buildApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RELAY_ENABLED: '0', AUDIT_ENABLED: '0', DATABASE_URL: url.toString() }), createLogger('silent'), { db });
    server = await listen(app.http, 0, '127.0.0.1');
    const base = `http://127.0.0.1:${server.address().port}`;
    await db.console.create({ username: 'bench.admin', passwordHash: await hashSecret('bench-password-1'), role: 'admin', regions: [], organizations: [] });
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
    const page = await context.newPage();
    await page.goto(`${base}/console/login`);
    await page.fill('#username', 'bench.admin');
    await page.fill('#password', 'bench-password-1');
    await Promise.all([page.waitForURL((u) => !u.pathname.endsWith('/login')), page.click('button[type=submit]')]);
    const cases = [
      { label: 'kabupaten, month', area: villageCode(0).slice(0, 4), period: '2026-06', target: 1000 },
      { label: 'kecamatan, month', area: villageCode(0).slice(0, 6), period: '2026-06' },
      { label: 'desa, month', area: villageCode(0), period: '2026-06' },
    ];
    for (const c of cases) {
      const chart = c.area.length === 10 ? 'li.card' : '.chart svg';
      const open = () => page.goto(`${base}/console/pws?area=${c.area}&period=${c.period}`, { waitUntil: 'commit' }).then(() => page.waitForSelector(chart, { state: 'visible' }));
      // The trend lines load after the chart (console.js): wait for them, so they never overlap the next measurement.
      const trendsDone = () => page.waitForSelector('body[data-trends="loaded"]', { state: 'attached', timeout: 120_000 });
      await open(); // warm: the area table and the connection pool
      await trendsDone();
      const pageMs = [];
      const trendMs = [];
      const apiMs = [];
      for (let i = 0; i < ITERATIONS; i++) {
        const t0 = performance.now();
        await open();
        pageMs.push(performance.now() - t0);
        await trendsDone();
        trendMs.push(performance.now() - t0);
        apiMs.push(await time(async () => { const r = await fetch(`${base}/pws/v1/indicators?area=${c.area}&period=${c.period}`); await r.arrayBuffer(); }));
      }
      const bytes = await page.evaluate(() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource')).reduce((n, e) => n + (e.encodedBodySize || 0), 0));
      const p = median(pageMs); const a = median(apiMs);
      console.log(`${c.label} ${c.area} ${c.period}: time to first chart median ${p.toFixed(0)} ms (min ${Math.min(...pageMs).toFixed(0)}, max ${Math.max(...pageMs).toFixed(0)}, n=${ITERATIONS})${c.target ? ` target ${c.target} ms` : ''}; trends loaded median ${median(trendMs).toFixed(0)} ms; GET /pws/v1/indicators median ${a.toFixed(0)} ms → first chart/API ${(p / a).toFixed(2)}×; page weight ${(bytes / 1024).toFixed(0)} KB | ${load()}`);
    }
  } finally {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    if (server) await new Promise((r) => { server.close(r); server.closeAllConnections(); });
    await app?.close();
    await scratch.drop({ keep: Boolean(process.env.BENCH_CONSOLE_KEEP) });
  }
}

await main();
