// Village monitoring (PWS) at the scale: 1,000,000 stored Observations (~100,000 people,
// 500 villages in 2 provinces, 10 kabupaten, 50 kecamatan, a year of dates), seeded by
// bench/lib/pws-seed.mjs from template visits run through the real pipeline and contribution
// builder. Measures the whole indicator set for a village month (target < 50 ms p95) and a
// province year (< 500 ms p95) through the engine AND through GET /pws/v1/indicators on a running
// gateway, each against the floor measured in the same run: one plain SQL count(DISTINCT person)
// over the same rows (the facts the registry names, in the area and period). Then the intake cost
// of recording contributions (visits/s with and without, same run), and PGlite at a smaller scale.
// The machine is shared: every line carries os.loadavg().
//
//   npm run bench pws                                   # PostgreSQL at 1M Observations, PGlite at 100k
//   BENCH_PWS_OBSERVATIONS=100000 BENCH_PWS_PEOPLE=10000 npm run bench pws   # a quick look
//   BENCH_PWS_PGLITE_OBSERVATIONS=0 …                  # skip PGlite
import console from 'node:console';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { scratchDatabase } from './lib/scratch-database.mjs';
import { fileURLToPath, URL } from 'node:url';
import { seedPws, villageCode, PROVINCES } from './lib/pws-seed.mjs';
import { startGateway } from './lib/processes.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { openDatabase } = require(join(ROOT, 'dist/store/open-database'));
const { evaluate } = require(join(ROOT, 'dist/pws/engine'));
const { parsePeriod } = require(join(ROOT, 'dist/pws/query'));
const { INDICATOR_RULES } = require(join(ROOT, 'dist/pws/registry'));
const { contributionsOf } = require(join(ROOT, 'dist/pws/contributions'));
const { loadCatalogue } = require(join(ROOT, 'dist/catalog'));
const { compileSubmissionValidator } = require(join(ROOT, 'dist/intake/schema-validator'));
const { createIlpValidator } = require(join(ROOT, 'dist/validation/ilp/ilp-validator'));
const { prepareVisit } = require(join(ROOT, 'dist/pipeline/submit-visit'));

const env = (name, fallback) => Number(process.env[name] || fallback);
const OBSERVATIONS = env('BENCH_PWS_OBSERVATIONS', 1_000_000);
const PEOPLE = env('BENCH_PWS_PEOPLE', Math.max(100, Math.round(OBSERVATIONS / 10)));
const ITERATIONS = env('BENCH_PWS_ITERATIONS', 30);
const INTAKE_VISITS = env('BENCH_PWS_INTAKE', 200);
const PGLITE_OBSERVATIONS = env('BENCH_PWS_PGLITE_OBSERVATIONS', 100_000);
const SERVER = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const fmt = (n, d = 1) => n.toFixed(d);
const load = () => `load ${loadavg().map((x) => fmt(x, 2)).join(' ')}`;
const FACTS = [...new Set(INDICATOR_RULES.flatMap((r) => [r.numerator, r.denominator]).flatMap((p) => (p.requires ?? []).flatMap((q) => q.anyOf)))];

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const month = (i) => `2026-${String(1 + (i % 12)).padStart(2, '0')}`;
const CASES = [
  { label: 'village, month', target: 50, make: (i) => ({ area: villageCode((i * 37) % 500), period: month(i) }) },
  { label: 'kecamatan, month', make: (i) => ({ area: villageCode((i * 37) % 500).slice(0, 6), period: month(i) }) },
  { label: 'kabupaten, year', make: (i) => ({ area: villageCode((i * 53) % 500).slice(0, 4), period: '2026' }) },
  { label: 'province, year', target: 500, make: (i) => ({ area: PROVINCES[i % PROVINCES.length], period: '2026' }) },
];

/** The floor: one count(DISTINCT person) over the rows the indicators read (their facts, the area, the period). */
function floorQuery(query) {
  return async ({ area, period }) => {
    const p = parsePeriod(period);
    await query(`SELECT count(DISTINCT person_key) FROM pws_contribution WHERE fact = ANY($1::text[]) AND village_code >= $2 AND village_code < $3 AND local_date >= $4 AND local_date < $5`,
      [FACTS, area, `${area}~`, p.from, p.to]);
  };
}

/** p50/p95 of `run` and of the floor, alternated per iteration (the same load on both), and their ratio. */
async function measure(label, target, make, run, floor, iterations) {
  const a = [];
  const f = [];
  for (let i = 0; i < iterations + 3; i++) {
    const c = make(i);
    const t0 = performance.now();
    await run(c);
    const t1 = performance.now();
    if (floor) await floor(c);
    const t2 = performance.now();
    if (i < 3) continue;
    a.push(t1 - t0);
    f.push(t2 - t1);
  }
  a.sort((x, y) => x - y);
  f.sort((x, y) => x - y);
  const p95 = percentile(a, 95);
  const f95 = percentile(f, 95);
  const floorText = floor ? ` | count(DISTINCT) floor p95 ${fmt(f95).padStart(6)} ms | ratio p95 ${fmt(p95 / f95, 2)}` : '';
  const verdict = target ? (p95 < target ? `  meets < ${target} ms` : `  MISSES < ${target} ms`) : '';
  console.log(`  ${label.padEnd(34)} p50 ${fmt(percentile(a, 50)).padStart(7)} ms  p95 ${fmt(p95).padStart(7)} ms${floorText}${verdict} | ${load()}`);
  return { label, p50: percentile(a, 50), p95, floor95: f95 };
}

async function latencies(kind, db, query, gatewayUrl, iterations) {
  const floor = floorQuery(query);
  console.log(`${kind}: the whole indicator set (${INDICATOR_RULES.length} indicators), ${iterations} evaluations per case (province year: ${Math.max(5, Math.round(iterations / 3))})`);
  const engineOf = (store) => (c) => evaluate(store, { areaPrefix: c.area, organizations: 'all', regions: 'all' }, parsePeriod(c.period)).then((e) => {
    if (e.total.length !== INDICATOR_RULES.length) throw new Error('not every indicator evaluated');
  });
  const engine = db ? engineOf(db.pws) : undefined;
  // The same engine with every count from contribution rows (the path before the year tables), for the before/after in one run.
  const raw = db ? engineOf({ countMany: (s, q) => db.pws.countRaw(s, q), targets: (s, y, g) => db.pws.targets(s, y, g), putTargets: (r) => db.pws.putTargets(r) }) : undefined;
  const http = async (c) => {
    const res = await fetch(`${gatewayUrl}/pws/v1/indicators?area=${c.area}&period=${c.period}`);
    const body = await res.json();
    if (res.status !== 200 || body.indicators.length !== INDICATOR_RULES.length) throw new Error(`GET /pws/v1/indicators ${res.status}`);
  };
  for (const c of CASES) {
    const n = c.label.startsWith('province') ? Math.max(5, Math.round(iterations / 3)) : iterations;
    if (db) await measure(`engine    ${c.label}`, c.target, c.make, engine, floor, n);
    if (db && c.label.endsWith('year')) await measure(`raw rows  ${c.label}`, undefined, c.make, raw, floor, n);
    if (gatewayUrl) await measure(`HTTP GET  ${c.label}`, c.target, c.make, http, floor, n);
  }
}

function intakeDeps() {
  const catalogue = loadCatalogue();
  const validator = createIlpValidator();
  return { catalogue, schema: compileSubmissionValidator(catalogue), validateBundle: (b) => validator.validate(b), now: () => Date.now() };
}

/**
 * The same prepared visits stored with and without their contributions (8 in flight), alternated in
 * rounds; with `noYear` (the same database opened without the PWS year tables) also with contributions
 * but without the year tables' upkeep, which is their own cost.
 */
async function intakeCost(db, noYear) {
  const deps = intakeDeps();
  const example = JSON.parse(readFileSync(join(ROOT, 'docs/examples/ilp-submission.example.json'), 'utf8'));
  const prepared = (tag) => Array.from({ length: INTAKE_VISITS }, (_, i) => {
    const body = { ...example, submissionId: `BENCH-${tag}-${i}`, patient: { ...example.patient, nik: `3508${String(i).padStart(12, '0')}` } };
    return prepareVisit(body, deps);
  });
  const run = async (tag, withContributions, store = db) => {
    const visits = prepared(tag);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < visits.length) {
        const v = visits[next++];
        await store.submissions.saveSubmission({
          organizationId: v.sub.raw.organizationId, submissionId: v.sub.raw.submissionId, payload: v.sub.raw, payloadHash: v.payloadHash,
          bundle: v.bundle, warnings: [], ...(withContributions ? { contributions: contributionsOf(v.bundle, deps.catalogue, { organizationId: v.sub.raw.organizationId, offsetMinutes: v.sub.offsetMinutes }) } : {}),
        });
      }
    }));
    return visits.length / ((performance.now() - t0) / 1000);
  };
  await run('warm', true);
  const rounds = { with: [], without: [], noYear: [] };
  for (let r = 0; r < 2; r++) {
    rounds.without.push(await run(`a${r}`, false));
    rounds.with.push(await run(`b${r}`, true));
    if (noYear) rounds.noYear.push(await run(`c${r}`, true, noYear));
  }
  const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const sample = prepared('x')[0];
  const rows = contributionsOf(sample.bundle, deps.catalogue, { organizationId: '1', offsetMinutes: sample.sub.offsetMinutes }).rows.length;
  const [w, wo] = [mean(rounds.with), mean(rounds.without)];
  const ny = noYear ? mean(rounds.noYear) : undefined;
  const year = ny ? `; contributions without the year tables ${fmt(ny, 0)} visits/s → the year tables cost ${fmt((1 - w / ny) * 100)}%` : '';
  console.log(`intake store (saveSubmission, 8 in flight, ${INTAKE_VISITS} visits × 2 rounds each, on the seeded database): with contributions and year tables ${fmt(w, 0)} visits/s, without contributions ${fmt(wo, 0)} visits/s → cost ${fmt((1 - w / wo) * 100)}% (${rows} contribution rows per reference visit)${year} | ${load()}`);
}

function printSeed(kind, s) {
  console.log(`${kind}: seeded ${s.visits.toLocaleString('en-US')} visits = ${s.observations.toLocaleString('en-US')} stored Observations, ${s.contributionRows.toLocaleString('en-US')} contribution rows, ${s.people.toLocaleString('en-US')} people, ${s.villages} villages in ${PROVINCES.length} provinces; load ${fmt(s.loadSeconds, 0)} s + indexes ${fmt(s.indexSeconds, 0)} s (total ${fmt(s.seconds, 0)} s) | ${load()}`);
}

/** The seed writes contribution rows behind the write path: the year tables are built from them, as at a gateway's first start on old data. */
async function buildYear(kind, db, query) {
  const t0 = performance.now();
  const b = await db.rebuildPwsYear({ force: true });
  const [sizes] = await query(`SELECT (SELECT count(*) FROM pws_year_member)::int AS members, (SELECT count(DISTINCT person_key) FROM pws_year_mover)::int AS movers,
    (SELECT count(*) FROM pws_year_population)::int AS populations`);
  console.log(`${kind}: PWS year tables built from the rows in ${fmt((performance.now() - t0) / 1000)} s: ${b.people.toLocaleString('en-US')} people, ${sizes.members.toLocaleString('en-US')} member rows for ${sizes.populations} populations, ${sizes.movers.toLocaleString('en-US')} people in two villages of a year (counted from their rows) | ${load()}`);
}

async function postgres() {
  const scratch = await scratchDatabase(ROOT, SERVER, 'ilp_bench_pws');
  const { db, client } = scratch;
  const url = new URL(scratch.url);
  let gateway;
  try {
    const query = (sql, params) => client.query(sql, params).then((r) => r.rows);
    printSeed('PostgreSQL', await seedPws(query, { observations: OBSERVATIONS, people: PEOPLE }));
    await buildYear('PostgreSQL', db, query);
    gateway = await startGateway(ROOT, { database: url.toString() });
    await latencies('PostgreSQL', db, query, gateway.url, ITERATIONS);
    const noYear = await openDatabase({ url: scratch.url, migrate: false, pwsYearPopulations: [] });
    try {
      await intakeCost(db, noYear);
    } finally {
      await noYear.close();
    }
  } finally {
    await gateway?.stop();
    await scratch.drop({ keep: Boolean(process.env.BENCH_PWS_KEEP) });
  }
}

/** PGlite is one process's session: seed and time the engine in this process, then the gateway over the same directory. */
async function pglite() {
  const dir = mkdtempSync(join(tmpdir(), 'ilp-bench-pws-'));
  try {
    const db = await openDatabase({ dataDir: dir });
    const query = (sql, params) => db.ds.query(sql, params);
    const observations = PGLITE_OBSERVATIONS;
    printSeed('PGlite', await seedPws(query, { observations, people: Math.max(100, Math.round(observations / 10)) }));
    await buildYear('PGlite', db, query);
    const iterations = Math.max(5, Math.round(ITERATIONS / 3));
    await latencies('PGlite (engine in this process)', db, query, undefined, iterations);
    await db.close();
    const gateway = await startGateway(ROOT, { database: dir, readyMs: 120_000 });
    try {
      console.log('PGlite through the gateway (floor measured above, not repeatable here: the gateway owns the data directory)');
      for (const c of [CASES[0], CASES[3]]) {
        await measure(`HTTP GET  ${c.label}`, c.target, c.make, async (x) => {
          const res = await fetch(`${gateway.url}/pws/v1/indicators?area=${x.area}&period=${x.period}`);
          if (res.status !== 200) throw new Error(`GET /pws/v1/indicators ${res.status}`);
          await res.json();
        }, undefined, iterations);
      }
    } finally {
      await gateway.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(`PWS benchmark on a shared 2-core machine (other engineers' work runs beside it): figures vary with load, compare the ratios measured in the same run. Start: ${load()}`);
  if (OBSERVATIONS > 0) await postgres();
  if (PGLITE_OBSERVATIONS > 0) await pglite();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
