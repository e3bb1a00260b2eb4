// The monthly village MeasureReport job (src/pws/report-job.ts) over seeded contributions (500 villages in 5
// provinces): one month computed and stored for every village and indicator (first run: every report written),
// the same month again (nothing changed: no version written), against the floor measured in the same run: the
// engine alone evaluating the same month for the 5 seeded provinces (what the job must compute anyway).
// Needs PostgreSQL (TEST_DATABASE_URL); creates its own database and drops it at the end.
import console from 'node:console';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { scratchDatabase } from './lib/scratch-database.mjs';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { evaluate } = require(join(ROOT, 'dist/pws/engine'));
const { parsePeriod } = require(join(ROOT, 'dist/pws/query'));
const { runManual } = require(join(ROOT, 'dist/pws/report-job'));

const OBSERVATIONS = Number(process.env.BENCH_PWS_OBSERVATIONS || 200_000);
const VISITS = Math.floor(OBSERVATIONS / 5);
const PEOPLE = Math.max(1, Math.floor(VISITS / 2));
const SERVER = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const PROVINCES = ['35', '33', '32', '73', '92'];
const fmt = (n, d = 1) => n.toFixed(d);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

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

async function main() {
  const scratch = await scratchDatabase(ROOT, SERVER, 'ilp_bench_pwsjob');
  const { db, client } = scratch;
  try {
    for (const sql of SEED) await client.query(sql, sql.includes('$2') ? [VISITS, PEOPLE] : sql.includes('$1') ? [VISITS] : []);
    console.log(`seeded ${VISITS.toLocaleString('en-US')} visits (${PEOPLE.toLocaleString('en-US')} people, 500 villages, 5 provinces); load average ${load()}`);
    const deps = { pws: db.pws, reports: db.pwsReports, now: () => Date.now(), leaseSeconds: 900 };
    const period = parsePeriod('2026-03');
    let t = performance.now();
    for (const p of PROVINCES) await evaluate(db.pws, { areaPrefix: p, organizations: 'all', regions: 'all' }, period);
    const floor = performance.now() - t;
    console.log(`floor: engine only, 5 provinces, 2026-03: ${fmt(floor / 1000, 2)} s (load ${load()})`);
    for (const label of ['first run (writes every report)', 'second run (nothing changed)']) {
      t = performance.now();
      const r = await runManual(deps, 'bench', '2026-03', '');
      const ms = performance.now() - t;
      const o = r.claimed ? r.outcome : {};
      console.log(`${label}: ${fmt(ms / 1000, 2)} s = ${fmt(ms / floor, 1)}x floor; villages ${o.villages}, reports ${o.reports}, written ${o.written} (load ${load()})`);
    }
  } finally {
    await scratch.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
