// Village monitoring (PWS) at 1,000,000 stored Observations (~100,000 people, 500 villages in 5
// provinces): the whole indicator set for a village month and for a province year, through the
// real engine and SQL store from dist/, against the floor measured in the same run — a plain
// SQL count(*) of the contribution rows in the same area and period. Then the intake cost of
// recording contributions: the same visits stored with and without them.
// Needs PostgreSQL (TEST_DATABASE_URL); creates its own database and drops it at the end.
import console from 'node:console';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath, URL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { openDatabase } = require(join(ROOT, 'dist/store/open-database'));
const { evaluate } = require(join(ROOT, 'dist/pws/engine'));
const { parsePeriod } = require(join(ROOT, 'dist/pws/query'));
const { contributionsOf } = require(join(ROOT, 'dist/pws/contributions'));
const { loadCatalogue } = require(join(ROOT, 'dist/catalog'));
const { compileSubmissionValidator } = require(join(ROOT, 'dist/intake/schema-validator'));
const { createIlpValidator } = require(join(ROOT, 'dist/validation/ilp/ilp-validator'));
const { prepareVisit } = require(join(ROOT, 'dist/pipeline/submit-visit'));
const pg = require('pg');

const OBSERVATIONS = Number(process.env.BENCH_PWS_OBSERVATIONS || 1_000_000);
const VISITS = Math.floor(OBSERVATIONS / 5); // five Observations per visit
const PEOPLE = Math.max(1, Math.floor(VISITS / 2));
const ITERATIONS = Number(process.env.BENCH_PWS_ITERATIONS || 40);
const INTAKE_VISITS = Number(process.env.BENCH_PWS_INTAKE || 300);
const SERVER = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const PROVINCES = ['35', '33', '32', '73', '92'];
const fmt = (n, d = 1) => n.toFixed(d);

async function admin(sql) {
  const c = new pg.Client({ connectionString: SERVER });
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
}

/** Village v (0–499): 5 provinces × 10 kabupaten × 2 kecamatan × 5 desa. */
function villageCode(v) {
  const p = PROVINCES[v % 5];
  const kab = String(1 + (Math.floor(v / 5) % 10)).padStart(2, '0');
  const kec = String(1 + (Math.floor(v / 50) % 2)).padStart(2, '0');
  const desa = `2${String(1 + (Math.floor(v / 100) % 5)).padStart(3, '0')}`;
  return `${p}${kab}${kec}${desa}`;
}
const VILLAGE_SQL = `(ARRAY['35','33','32','73','92'])[(p % 500) % 5 + 1] || lpad((1 + ((p % 500) / 5) % 10)::text, 2, '0')
  || lpad((1 + ((p % 500) / 50) % 2)::text, 2, '0') || '2' || lpad((1 + ((p % 500) / 100) % 5)::text, 3, '0')`;

/** Visit k: person k % PEOPLE, a day of 2026; ten facts per visit (five items, their bands). */
const SEED = [
  `INSERT INTO submission (pk, organization_id, submission_id, version, status, payload_hash, payload, received_at, updated_at)
   SELECT md5('s' || k)::uuid, '1000000' || (k % 10), 'S' || k, 1, 'accepted', '', '{}'::jsonb, now(), now() FROM generate_series(0, $1 - 1) k`,
  `INSERT INTO pws_contribution (submission_pk, fact, person_key, organization_id, village_code, local_date, age_days, age_months, age_years, sex, pregnant)
   SELECT md5('s' || k)::uuid, f.fact, 'nik:' || p, '1000000' || (k % 10), ${VILLAGE_SQL}, date '2026-01-01' + ((k * 37) % 365),
          (p % 80) * 365 + 30, (p % 80) * 12 + 1, p % 80, CASE WHEN p % 2 = 0 THEN 'male' ELSE 'female' END, p % 10 = 3
     FROM (SELECT k, k % $2 AS p FROM generate_series(0, $1 - 1) k) v
     CROSS JOIN LATERAL (VALUES ('item:systolic-bp'), ('item:diastolic-bp'), ('item:body-weight'), ('item:blood-glucose-random'), ('item:tb-screening-result'),
       ('band:systolic-bp:' || (ARRAY['OI000040','2004005','OI000041','827069000','827068008'])[k % 5 + 1]),
       ('band:diastolic-bp:' || (ARRAY['OI000040','2004005','OI000041','827069000','827068008'])[(k / 5) % 5 + 1]),
       ('band:blood-glucose-random:' || (ARRAY['gula-darah-normal','gula-darah-belum-terklasifikasi','714628002','73211009'])[k % 4 + 1]),
       ('band:tb-screening-result:' || CASE WHEN k % 50 = 0 THEN 'terduga-tbc' ELSE 'bukan-terduga-tbc' END),
       ('life-cycle:usia-dewasa')) AS f(fact)`,
  `INSERT INTO pws_target (village_code, year, target_group, count)
   SELECT ${VILLAGE_SQL.replace(/\bp\b/g, 'v')}, 2026, g, 100 + v FROM generate_series(0, 499) v, unnest(ARRAY['penduduk','usia-15-plus','usia-15-59','ibu-hamil','balita','bayi','lansia']) g`.replace(/\(v % 500\)/g, 'v'),
  'ANALYZE',
];

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function latency(label, db, client, makeCase) {
  const engine = [];
  const floor = [];
  for (let i = 0; i < ITERATIONS + 5; i++) {
    const { area, period } = makeCase(i);
    const scope = { areaPrefix: area, organizations: 'all', regions: 'all' };
    const p = parsePeriod(period);
    const t0 = performance.now();
    const e = await evaluate(db.pws, scope, p);
    const t1 = performance.now();
    await client.query(`SELECT count(*) FROM pws_contribution WHERE village_code >= $1 AND village_code < $2 AND local_date >= $3 AND local_date < $4`, [area, `${area}~`, p.from, p.to]);
    const t2 = performance.now();
    if (i < 5) continue;
    if (e.total.length === 0) throw new Error('no indicators evaluated');
    engine.push(t1 - t0);
    floor.push(t2 - t1);
  }
  engine.sort((a, b) => a - b);
  floor.sort((a, b) => a - b);
  const p95 = percentile(engine, 95);
  const f95 = percentile(floor, 95);
  console.log(`${label.padEnd(44)} all indicators p50 ${fmt(percentile(engine, 50)).padStart(6)} ms  p95 ${fmt(p95).padStart(6)} ms | plain count(*) p95 ${fmt(f95).padStart(6)} ms | ratio p95 ${fmt(p95 / f95)}`);
}

function intakeDeps() {
  const catalogue = loadCatalogue();
  const validator = createIlpValidator();
  return { catalogue, schema: compileSubmissionValidator(catalogue), validateBundle: (b) => validator.validate(b), now: () => Date.now() };
}

async function intakeCost(db) {
  const deps = intakeDeps();
  const example = JSON.parse(readFileSync(join(ROOT, 'docs/examples/ilp-submission.example.json'), 'utf8'));
  const prepared = (tag) => Array.from({ length: INTAKE_VISITS }, (_, i) => {
    const body = { ...example, submissionId: `BENCH-${tag}-${i}`, patient: { ...example.patient, nik: `3508${String(i).padStart(12, '0')}` } };
    return prepareVisit(body, deps);
  });
  const run = async (tag, withContributions) => {
    const visits = prepared(tag);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < visits.length) {
        const v = visits[next++];
        await db.submissions.saveSubmission({
          organizationId: v.sub.raw.organizationId, submissionId: v.sub.raw.submissionId, payload: v.sub.raw, payloadHash: v.payloadHash,
          bundle: v.bundle, warnings: [], ...(withContributions ? { contributions: contributionsOf(v.bundle, deps.catalogue, { organizationId: v.sub.raw.organizationId, offsetMinutes: v.sub.offsetMinutes }) } : {}),
        });
      }
    }));
    return visits.length / ((performance.now() - t0) / 1000);
  };
  await run('warm', true);
  const without = await run('a', false);
  const withC = await run('b', true);
  const sample = prepared('x')[0];
  const rows = contributionsOf(sample.bundle, deps.catalogue, { organizationId: '1', offsetMinutes: sample.sub.offsetMinutes }).rows.length;
  console.log(`intake store (8 in flight): with contributions ${fmt(withC, 0)} visits/s, without ${fmt(without, 0)} visits/s → cost ${fmt((1 - withC / without) * 100)}% (${rows} contribution rows per reference visit)`);
}

async function main() {
  const name = `ilp_bench_pws_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const t0 = performance.now();
    for (const sql of SEED) await client.query(sql, sql.includes('$2') ? [VISITS, PEOPLE] : sql.includes('$1') ? [VISITS] : []);
    const { rows: [{ n }] } = await client.query('SELECT count(*)::int AS n FROM pws_contribution');
    console.log(`seeded ${VISITS.toLocaleString('en-US')} visits = ${OBSERVATIONS.toLocaleString('en-US')} Observations (${PEOPLE.toLocaleString('en-US')} people, 500 villages, 5 provinces): ${n.toLocaleString('en-US')} contribution rows in ${fmt((performance.now() - t0) / 1000, 0)} s`);
    console.log(`${ITERATIONS} evaluations each; floor = plain count(*) of the contribution rows in the same area and period`);
    await latency('village, month', db, client, (i) => ({ area: villageCode((i * 7) % 500), period: `2026-${String(1 + (i % 12)).padStart(2, '0')}` }));
    await latency('kecamatan, month', db, client, (i) => ({ area: villageCode((i * 7) % 500).slice(0, 6), period: `2026-${String(1 + (i % 12)).padStart(2, '0')}` }));
    await latency('kabupaten, year', db, client, (i) => ({ area: villageCode((i * 7) % 500).slice(0, 4), period: '2026' }));
    await latency('province, year', db, client, (i) => ({ area: PROVINCES[i % 5], period: '2026' }));
    await intakeCost(db);
  } finally {
    await client.end();
    await db.close();
    await delay(500);
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
