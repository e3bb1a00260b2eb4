// Seeds a gateway database for village-monitoring (PWS) timings at scale, in minutes instead of the
// hours the HTTP intake would take (30–40 visits/s): a few template visits go through the REAL
// pipeline (prepareVisit: schema, normalisation, mapping, validation) and the REAL contribution
// builder (contributionsOf); their contribution rows and Observations are then multiplied in SQL
// (generate_series) with varied person, village, date and age, and the matching Observation
// resource rows are inserted, so "N stored Observations" is true of the `resource` table.
//
//   import { seedPws, villageCode } from './lib/pws-seed.mjs';
//   const summary = await seedPws((sql, params) => client.query(sql, params).then((r) => r.rows), { observations: 1_000_000 });
//
// `query(sql, params) → rows` is any SQL runner on the gateway's schema (a pg client, or PGlite's
// DataSource.query), migrations applied, tables empty. Used by bench/pws.bench.mjs and by the
// console's page timings. Not seeded: resource_history, the search-index tables, the outbox.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

/** 500 villages: 2 provinces × 5 kabupaten × 5 kecamatan × 10 desa (Jawa Timur 35, Jawa Tengah 33). */
export const PROVINCES = ['35', '33'];
export function villageCode(v) {
  const p = PROVINCES[Math.floor(v / 250) % PROVINCES.length];
  const pad = (n, w) => String(n).padStart(w, '0');
  return `${p}${pad(1 + (Math.floor(v / 50) % 5), 2)}${pad(1 + (Math.floor(v / 10) % 5), 2)}2${pad(1 + (v % 10), 3)}`;
}
const VILLAGE_SQL = (v) => `((ARRAY['35','33'])[((${v}) / 250) % 2 + 1] || lpad((1 + ((${v}) / 50) % 5)::text, 2, '0')
  || lpad((1 + ((${v}) / 10) % 5)::text, 2, '0') || '2' || lpad((1 + (${v}) % 10)::text, 3, '0'))`;

const ANC_ORDINALS = ['K1A', 'K1M', 'K2', 'K3', 'K4', 'K5', 'K6'];
const KN_ORDINALS = ['KN1', 'KN2', 'KN3'];

/**
 * Template visits: who (life cycle, age, sex), how many people of 10 (`share`), how far ages
 * spread between people (`spreadDays`), and the screenings. Ages at the visit come from the
 * template's birth date, shifted per person within the spread.
 */
function templates(example) {
  const adult = { type: 'hypertension', items: [{ code: 'systolic-bp', value: 150 }, { code: 'diastolic-bp', value: 95 }] };
  return [
    { name: 'adult PTM + TB', share: 4, spreadDays: 40 * 365, birthDate: '1985-06-15', gender: 'male', lifeCycle: ['usia-dewasa'], cluster: 3, visitType: 'skrining',
      screenings: [adult, { type: 'obesity', items: [{ code: 'body-weight', value: 72 }, { code: 'body-height', value: 165 }, { code: 'waist-circumference', value: 92 }] },
        { type: 'diabetes', items: [{ code: 'blood-glucose-random', value: 160 }] }, { type: 'tb-symptoms', items: ['cough-2-weeks', 'cough', 'weight-loss', 'fever', 'night-sweats'].map((code, i) => ({ code, value: i === 1 })) }] },
    { name: 'ANC (the reference visit)', share: 1, spreadDays: 15 * 365, reference: true },
    { name: 'under-five growth', share: 2, spreadDays: 4 * 365, birthDate: '2024-03-01', gender: 'female', lifeCycle: ['balita'], cluster: 2, visitType: 'sehat',
      screenings: [{ type: 'growth-development', items: [{ code: 'body-weight', value: 11 }, { code: 'body-length', value: 84 }, { code: 'kpsp-result' }] },
        { type: 'supplementation', items: [{ code: 'vitamin-a' }] }] },
    { name: 'newborn KN', share: 1, spreadDays: 20, birthDate: '2026-01-02', gender: 'male', lifeCycle: ['neonatus'], cluster: 2, visitType: 'neonatal', visitOrdinal: 'KN1',
      screenings: [{ type: 'growth-development', items: [{ code: 'body-weight', value: 3.2 }] }] },
    { name: 'elderly', share: 2, spreadDays: 20 * 365, birthDate: '1955-02-01', gender: 'female', lifeCycle: ['lansia'], cluster: 3, visitType: 'skrining',
      screenings: [adult, { type: 'diabetes', items: [{ code: 'blood-glucose-fasting', value: 130 }] }] },
  ].map((t) => {
    if (t.reference) return { ...t, body: example };
    const body = structuredClone(example);
    delete body.diagnoses;
    delete body.carePlan;
    delete body.visitOrdinal;
    Object.assign(body, { lifeCycle: t.lifeCycle, cluster: t.cluster, visitType: t.visitType, ...(t.visitOrdinal ? { visitOrdinal: t.visitOrdinal } : {}), screenings: t.screenings });
    body.patient = { ...body.patient, birthDate: t.birthDate, gender: t.gender };
    return { ...t, body };
  });
}

/** A coded item without a value gets its first answer; every other value is the template's. */
function withValues(body, catalogue) {
  for (const s of body.screenings ?? []) {
    for (const i of s.items) {
      if (i.value === undefined) i.value = catalogue.items.get(i.code)?.value?.options?.[0]?.value;
    }
  }
  return body;
}

/** The template visits through the real pipeline and contribution builder. */
export function buildTemplates() {
  const { loadCatalogue } = require(join(ROOT, 'dist/catalog'));
  const { compileSubmissionValidator } = require(join(ROOT, 'dist/intake/schema-validator'));
  const { createIlpValidator } = require(join(ROOT, 'dist/validation/ilp/ilp-validator'));
  const { prepareVisit } = require(join(ROOT, 'dist/pipeline/submit-visit'));
  const { contributionsOf } = require(join(ROOT, 'dist/pws/contributions'));
  const catalogue = loadCatalogue();
  const validator = createIlpValidator();
  const deps = { catalogue, schema: compileSubmissionValidator(catalogue), validateBundle: (b) => validator.validate(b), now: () => Date.now() };
  const example = JSON.parse(readFileSync(join(ROOT, 'docs/examples/ilp-submission.example.json'), 'utf8'));
  return templates(example).map((t, index) => {
    const body = withValues(structuredClone({ ...t.body, submissionId: `SEED-${index}`, ...(t.reference ? {} : { start: '2026-01-05T08:15:00+07:00', end: '2026-01-05T08:50:00+07:00' }) }), catalogue);
    const v = prepareVisit(body, deps);
    const { rows } = contributionsOf(v.bundle, catalogue, { organizationId: body.organizationId, offsetMinutes: v.sub.offsetMinutes });
    const observations = v.bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Observation');
    const visitDate = body.start.slice(0, 10);
    const dayOf = (d) => Math.round((Date.parse(d) - Date.parse(visitDate)) / 86_400_000);
    return {
      index, name: t.name, share: t.share, spreadDays: t.spreadDays,
      rows: rows.map((r) => ({ fact: r.fact, offset: dayOf(r.localDate), age_days: r.ageDays, sex: r.sex, pregnant: r.pregnant })),
      observations,
    };
  });
}

/**
 * Seeds `observations` Observations (about `people` people in 500 villages, dates over `year`),
 * every visit with its submission row, contribution rows and Observation rows; plus targets for
 * every village. Drops the secondary indexes of the big tables while loading and rebuilds them
 * (minutes instead of tens of minutes). Returns what was seeded and how long it took.
 */
export async function seedPws(query, { observations = 1_000_000, people = 100_000, year = 2026, log = () => undefined } = {}) {
  const t0 = Date.now();
  const tpl = buildTemplates();
  const shares = tpl.flatMap((t) => Array(t.share).fill(t.index));
  const perVisit = shares.reduce((s, i) => s + tpl[i].observations.length, 0) / shares.length;
  const visits = Math.ceil(observations / perVisit);
  log(`templates: ${tpl.map((t) => `${t.name} (${t.observations.length} Observations, ${t.rows.length} contribution rows)`).join('; ')}`);
  await query(`CREATE TEMP TABLE seed_row (t int, fact text, "offset" int, age_days int, sex text, pregnant boolean)`);
  await query(`CREATE TEMP TABLE seed_obs (t int, n int, content jsonb)`);
  await query(`CREATE TEMP TABLE seed_share (slot int, t int)`);
  for (const t of tpl) {
    await query(`INSERT INTO seed_row SELECT $1, r.fact, r."offset", r.age_days, r.sex, r.pregnant FROM jsonb_to_recordset($2::jsonb) AS r(fact text, "offset" int, age_days int, sex text, pregnant boolean)`, [t.index, JSON.stringify(t.rows)]);
    await query(`INSERT INTO seed_obs SELECT $1, o.ordinality::int, o.value FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY o`, [t.index, JSON.stringify(t.observations)]);
  }
  await query(`INSERT INTO seed_share SELECT s.ordinality::int - 1, s.value::int FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY s`, [JSON.stringify(shares)]);
  // Visit k: person k % people (a person's visits spread over the year), their template by person,
  // village by person (1 in 50 moves to the next village for later visits), Puskesmas per 10 villages.
  await query(`CREATE TEMP TABLE seed_visit AS
    SELECT k, p, s.t, v.village,
           '100' || lpad(((v.village / 10) % 100)::text, 5, '0') AS org,
           date '${year}-01-01' + ((k * 7919 + p * 13) % 365)::int AS day,
           ((p * 2654435761) % ${Math.max(1, Math.max(...tpl.map((t) => t.spreadDays)))}) AS shift
      FROM generate_series(0, $1::int - 1) k
      CROSS JOIN LATERAL (SELECT k % $2::int AS p) pp
      JOIN seed_share s ON s.slot = p % ${shares.length}
      CROSS JOIN LATERAL (SELECT (p + CASE WHEN p % 50 = 0 AND k >= $2::int THEN 1 ELSE 0 END) % 500 AS village) v`, [visits, people]);
  const dropped = await dropIndexes(query, ['pws_contribution', 'resource', 'submission']);
  const t1 = Date.now();
  await query(`INSERT INTO submission (pk, organization_id, submission_id, version, status, payload_hash, payload, received_at, updated_at)
    SELECT md5('s' || k)::uuid, org, 'SEED-' || k, 1, 'accepted', '', '{}'::jsonb, now(), now() FROM seed_visit`);
  // Ages: the template's age at the visit, shifted per person within the template's spread; months and years from days.
  await query(`INSERT INTO pws_contribution (submission_pk, fact, person_key, organization_id, village_code, local_date, age_days, age_months, age_years, sex, pregnant)
    SELECT md5('s' || v.k)::uuid,
           CASE WHEN r.fact = 'visit:K2' THEN 'visit:' || (ARRAY${sqlArray(ANC_ORDINALS)})[v.k / $1::int % 7 + 1]
                WHEN r.fact = 'visit:KN1' THEN 'visit:' || (ARRAY${sqlArray(KN_ORDINALS)})[v.k / $1::int % 3 + 1]
                ELSE r.fact END,
           'nik:' || lpad(v.p::text, 16, '0'), v.org, ${VILLAGE_SQL('v.village')}, v.day + r."offset",
           a.days, floor(a.days / 30.4375)::int, floor(a.days / 365.25)::int,
           CASE WHEN r.sex = 'female' OR v.p % 2 = 1 THEN 'female' ELSE 'male' END, r.pregnant
      FROM seed_visit v JOIN seed_row r ON r.t = v.t
      CROSS JOIN LATERAL (SELECT r.age_days + v.shift % ${spreadCase(tpl)} AS days) a
    ON CONFLICT DO NOTHING`, [people]);
  await query(`INSERT INTO resource (resource_type, id, version_id, last_updated, deleted, content)
    SELECT 'Observation', id, 1, now(), false,
           o.content || jsonb_build_object('id', id, 'effectiveDateTime', to_char(v.day, 'YYYY-MM-DD') || 'T08:15:00+07:00')
      FROM seed_visit v JOIN seed_obs o ON o.t = v.t
      CROSS JOIN LATERAL (SELECT md5('o' || v.k || '-' || o.n)::uuid::text AS id) i`);
  await query(`INSERT INTO pws_target (village_code, year, target_group, count)
    SELECT ${VILLAGE_SQL('v')}, ${year}, g, 150 + v % 100 FROM generate_series(0, 499) v,
           unnest(ARRAY['penduduk','usia-15-plus','usia-15-59','ibu-hamil','ibu-bersalin','bayi','baduta','balita','usia-pendidikan-dasar','remaja-putri','lansia','usia-40-plus','penderita-hipertensi','penderita-dm','terduga-tbc']) g
    ON CONFLICT DO NOTHING`);
  const t2 = Date.now();
  for (const sql of dropped) await query(sql);
  await query('ANALYZE');
  const [{ n: obs }] = await query(`SELECT count(*)::int AS n FROM resource WHERE resource_type = 'Observation'`);
  const [{ n: rows, persons }] = await query('SELECT count(*)::int AS n, count(DISTINCT person_key)::int AS persons FROM pws_contribution');
  for (const t of ['seed_row', 'seed_obs', 'seed_share', 'seed_visit']) await query(`DROP TABLE ${t}`);
  return { visits, observations: obs, contributionRows: rows, people: persons, villages: 500, templates: tpl.map((t) => t.name), loadSeconds: (t2 - t1) / 1000, indexSeconds: (Date.now() - t2) / 1000, seconds: (Date.now() - t0) / 1000 };
}

const sqlArray = (xs) => `[${xs.map((x) => `'${x}'`).join(',')}]`;

/** Per-template age spread in days, as a CASE on the visit's template. */
function spreadCase(tpl) {
  return `(CASE v.t ${tpl.map((t) => `WHEN ${t.index} THEN ${Math.max(1, t.spreadDays)}`).join(' ')} END)`;
}

/** Drops the secondary (non-constraint) indexes of `tables`; returns the statements that rebuild them. */
async function dropIndexes(query, tables) {
  const rows = await query(`SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.schemaname = current_schema() AND i.tablename = ANY($1::text[])
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`, [tables]);
  for (const r of rows) await query(`DROP INDEX ${r.indexname}`);
  return rows.map((r) => r.indexdef);
}
