import { randomUUID } from 'node:crypto';
import type { OperationOutcome, OperationOutcomeIssue, Resource } from 'fhir/r4';
import type { TokenRow } from '../fhir/search-values';
import { containsNul, decide, decideUnchanged, type CurrentRow, type Decision, type Found, type ReferencedRow, type VersionRef } from '../write-plan/decide';
import { nulCharacter } from '../write-plan/errors';
import { pwsPeopleOf, pwsPersonLock, type WritePlan } from '../write-plan/plan';
import { REGION_CODES } from '../write-plan/search-rows';
import type { SubmissionRecord, WriteOutcome } from './ports';
import type { CountDelta, PwsYearMembers } from './pws-year';
import { reindexDependants } from './search-index';
import { CLOCK, iso, json, type Sql } from './sql';

/**
 * Writes a decided write plan (src/write-plan) inside the caller's transaction, set-based
 * (docs/decisions/0018): a new visit is three statements (five with the PWS year tables) between BEGIN
 * and COMMIT, whatever its size:
 *   1. the plan's advisory locks (sorted) and the submission row (idempotency);
 *   2. one read under the locks: identifier matches, and every row the plan may write, locked
 *      FOR UPDATE in (type, id) order, plus the stored resources it refers to;
 *   3. one write: resources, history, identifiers, search index, submission version, outbox row and
 *      PWS contributions, each table one multi-row INSERT … SELECT FROM jsonb_to_recordset;
 *   4. with PWS contributions and year tables: the touched people's rows read, their year
 *      membership written (pws-year.ts refresh: two statements).
 * Locks are always taken in the same order (advisory keys, submission row, resource rows), so two
 * writers never wait for each other in a cycle. One exception, only while replicas of both intake
 * modes run side by side (a switch of INTAKE_MODE): the materialiser holds a visit's queue row
 * before these locks (writeClaimed's fence), a direct write of the same visit takes it last (qgone
 * in statement 3). PostgreSQL then breaks the cycle (40P01) and the loser retries (sql.ts; a
 * materialiser batch is written again visit by visit).
 */

interface Claimed {
  kind: 'created' | 'existing';
  pk: string;
  now: string;
  /** The stored submission (existing only). */
  row?: SubmissionDbRow;
}

interface SubmissionDbRow {
  pk: string;
  version: number;
  status: SubmissionRecord['status'];
  payload_hash: string;
  received_at: string;
  updated_at: string;
  warnings: OperationOutcomeIssue[];
  national_ids: Record<string, string>;
  national_outcome: OperationOutcome | null;
  resources: VersionRef[] | null;
  removed: VersionRef[] | null;
  now: string;
}


/** Statement 1: the conditional matches' advisory locks in sorted order, then the submission row (the first request for a submissionId inserts it). */
async function claim(sql: Sql, plan: WritePlan, extraLocks: readonly string[]): Promise<Claimed> {
  const pk = plan.submissionPk ?? randomUUID();
  const [inserted] = await sql.rows<{ pk: string; now: string }>(
    `WITH locks AS (SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) AS n FROM (SELECT k FROM unnest($7::text[]) AS k ORDER BY k) AS keys),
     clock AS (SELECT ${CLOCK} AS t FROM locks)
     INSERT INTO submission (pk, organization_id, submission_id, version, status, payload_hash, payload, warnings, received_at, updated_at, source)
     -- A payload of this visit still queued (INTAKE_MODE=queued) named its gateway id in its 202: the
     -- visit keeps it when a direct write supersedes it (WRITE_SQL's qgone removes the queue row).
     SELECT coalesce((SELECT q.pk FROM intake_queue q WHERE q.organization_id = $2 AND q.submission_id = $3), $1::uuid),
            $2, $3, 1, 'accepted', $4, $5::jsonb, $6::jsonb, clock.t, clock.t, $8 FROM clock
     ON CONFLICT (organization_id, submission_id) DO NOTHING
     RETURNING pk::text AS pk, ${iso('received_at')} AS now`,
    [pk, plan.organizationId, plan.submissionId, plan.payloadHash, json(plan.payload ?? null), json(plan.warnings), [...plan.lockKeys, ...extraLocks], plan.source],
  );
  if (inserted) return { kind: 'created', pk: inserted.pk, now: inserted.now };
  // Another request inserted it: the unique index made this one wait for its commit; now lock the row.
  const [row] = await sql.rows<SubmissionDbRow>(
    `SELECT s.pk, s.version, s.status, s.payload_hash, ${iso('s.received_at')} AS received_at, ${iso('s.updated_at')} AS updated_at,
            s.warnings, s.national_ids, s.national_outcome, v.resources, v.removed, ${iso(CLOCK)} AS now
       FROM submission s LEFT JOIN submission_version v ON v.submission_pk = s.pk AND v.version = s.version
      WHERE s.organization_id = $1 AND s.submission_id = $2 FOR UPDATE OF s`,
    [plan.organizationId, plan.submissionId],
  );
  if (!row) throw new Error(`submission ${plan.submissionId} vanished inside its own transaction`);
  return { kind: 'existing', pk: row.pk, now: row.now, row };
}

interface ReadRow {
  kind: 'match' | 'row' | 'ref';
  e: number | null;
  resource_type: string;
  id: string;
  organization_id: string | null;
  residence: string | null;
  version_id: number | null;
  last_updated: string | null;
  deleted: boolean | null;
  content: Resource | null;
  region: TokenRow[] | null;
}

const REGION = (alias: string): string => `CASE WHEN ${alias}.resource_type = 'Patient' THEN (SELECT jsonb_agg(jsonb_build_object('code', p.code, 'system', p.system, 'value', p.value))
  FROM search_token p WHERE p.resource_type = 'Patient' AND p.id = ${alias}.id AND p.code = ANY($5::text[])) END`;

/**
 * Statement 2, under the plan's advisory locks (so a concurrent conditional create has committed or
 * not started): which of the organisation's resources carry an entry's identifiers (docs/decisions/0010:
 * matches are per organisation), every row the plan may write (its ids, those matches, the previous
 * version's resources) locked FOR UPDATE in (type, id) order, and the stored resources it refers to.
 */
async function read(sql: Sql, plan: WritePlan, previous: readonly VersionRef[]): Promise<Found> {
  const keys = plan.entries.flatMap((e) => (e.target.kind === 'identifier' ? e.target.any.map((k) => ({ e: e.index, t: e.resourceType, s: k.system ?? null, v: k.value })) : []));
  const ids = [
    ...plan.entries.flatMap((e) => (e.target.kind === 'id' ? [{ t: e.resourceType, i: e.target.id }] : [{ t: e.resourceType, i: e.target.newId }])),
    ...previous.map((r) => ({ t: r.resourceType, i: r.id })),
  ];
  const refs = plan.references.map((r) => ({ t: r.slice(0, r.indexOf('/')), i: r.slice(r.indexOf('/') + 1) }));
  const rows = await sql.rows<ReadRow>(
    `WITH k AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS k(e integer, t text, s text, v text)),
     m AS (SELECT DISTINCT k.e, i.resource_type, i.id FROM k
             JOIN resource_identifier i ON i.resource_type = k.t AND i.value = k.v AND (k.s IS NULL OR i.system = k.s)
             JOIN resource r ON r.resource_type = i.resource_type AND r.id = i.id
            WHERE r.organization_id = $3),
     want AS (SELECT w.t, w.i FROM jsonb_to_recordset($2::jsonb) AS w(t text, i text) UNION SELECT resource_type, id FROM m),
     locked AS (SELECT r.resource_type, r.id, r.organization_id, r.residence, r.version_id, ${iso('r.last_updated')} AS last_updated, r.deleted, r.content
                  FROM resource r WHERE (r.resource_type, r.id) IN (SELECT t, i FROM want) ORDER BY r.resource_type, r.id FOR UPDATE OF r),
     refs AS (SELECT r.resource_type, r.id, r.organization_id, r.residence FROM jsonb_to_recordset($4::jsonb) AS x(t text, i text)
                JOIN resource r ON r.resource_type = x.t AND r.id = x.i)
     SELECT 'match' AS kind, e, resource_type, id, NULL::text AS organization_id, NULL::text AS residence, NULL::integer AS version_id,
            NULL::text AS last_updated, NULL::boolean AS deleted, NULL::jsonb AS content, NULL::jsonb AS region FROM m
     UNION ALL SELECT 'row', NULL, l.resource_type, l.id, l.organization_id, l.residence, l.version_id, l.last_updated, l.deleted, l.content, ${REGION('l')} FROM locked l
     UNION ALL SELECT 'ref', NULL, f.resource_type, f.id, f.organization_id, f.residence, NULL, NULL, NULL, NULL, ${REGION('f')} FROM refs f`,
    [json(keys), json(ids), plan.organizationId, json(refs), REGION_CODES],
  );
  return foundOf(rows, previous);
}

function foundOf(rows: ReadRow[], previous: readonly VersionRef[]): Found {
  const matches = new Map<number, string[]>();
  const current = new Map<string, CurrentRow>();
  const referenced = new Map<string, ReferencedRow>();
  for (const r of rows) {
    const k = `${r.resource_type}/${r.id}`;
    const region = r.region ?? undefined;
    if (r.kind === 'match' && r.e !== null) matches.set(r.e, [...(matches.get(r.e) ?? []), r.id].sort());
    else if (r.kind === 'row') {
      current.set(k, { organizationId: r.organization_id, residence: r.residence, versionId: r.version_id ?? 0, lastUpdated: r.last_updated ?? '', deleted: r.deleted === true, content: r.content, ...(region ? { region } : {}) });
    } else if (r.kind === 'ref') referenced.set(k, { organizationId: r.organization_id, residence: r.residence, ...(region ? { region } : {}) });
  }
  return { matches, current, referenced, previous };
}

const SEARCH_TABLES = [
  { table: 'search_token', columns: 'code, system, value', types: 'code text, system text, value text', select: 'x.code, x.system, x.value', key: 'token' },
  { table: 'search_string', columns: 'code, value, exact', types: 'code text, value text, exact text', select: 'x.code, x.value, x.exact', key: 'string' },
  { table: 'search_reference', columns: 'code, target_type, target_id', types: 'code text, target_type text, target_id text', select: 'x.code, x.target_type, x.target_id', key: 'reference' },
  { table: 'search_date', columns: 'code, low, high', types: 'code text, low text, high text', select: 'x.code, x.low::timestamptz, x.high::timestamptz', key: 'date' },
  { table: 'search_quantity', columns: 'code, value, system, unit', types: 'code text, value text, system text, unit text', select: 'x.code, x.value::numeric, x.system, x.unit', key: 'quantity' },
] as const;

/**
 * Statement 3: every row of the decision. Data-modifying CTEs all see the snapshot from before the
 * statement, so each DELETE removes only what was there before and never what a sibling inserts;
 * no two CTEs touch the same row (identifiers and PWS rows: deleted are those not wanted, upserted
 * those wanted). A plain INSERT for a new resource id: a concurrent creator makes it a unique
 * violation, and the caller retries the whole transaction (sql.ts).
 */
const VERSION_CTES = `
  v AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(t text, id text, ver integer, lu timestamptz, del boolean, content jsonb, org text, res text, ex boolean)),
  upd AS (UPDATE resource r SET version_id = v.ver, last_updated = v.lu, deleted = v.del, content = v.content, organization_id = v.org, residence = v.res
            FROM v WHERE v.ex AND r.resource_type = v.t AND r.id = v.id),
  ins AS (INSERT INTO resource (resource_type, id, version_id, last_updated, deleted, content, organization_id, residence)
            SELECT t, id, ver, lu, del, content, org, res FROM v WHERE NOT v.ex),
  hist AS (INSERT INTO resource_history (resource_type, id, version_id, last_updated, deleted, content, organization_id, residence)
            SELECT t, id, ver, lu, del, content, org, res FROM v),
  idn AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(t text, id text, s text, val text)),
  idgone AS (DELETE FROM resource_identifier r USING v WHERE r.resource_type = v.t AND r.id = v.id
               AND NOT EXISTS (SELECT 1 FROM idn w WHERE w.t = r.resource_type AND w.id = r.id AND w.s = r.system AND w.val = r.value)),
  idins AS (INSERT INTO resource_identifier (resource_type, system, value, id) SELECT t, s, val, id FROM idn ON CONFLICT DO NOTHING),
  ${SEARCH_TABLES.map((s, i) => `sd${i} AS (DELETE FROM ${s.table} x USING v WHERE x.resource_type = v.t AND x.id = v.id),
  si${i} AS (INSERT INTO ${s.table} (resource_type, id, ${s.columns}) SELECT x.t, x.id, ${s.select} FROM jsonb_to_recordset($3::jsonb -> '${s.key}') AS x(t text, id text, ${s.types}))`).join(',\n  ')}`;

const WRITE_SQL = `
  WITH ${VERSION_CTES},
  sv AS (INSERT INTO submission_version (submission_pk, version, payload, payload_hash, resources, removed, received_at, client_id)
           VALUES ($4, $5, $6::jsonb, $7, $8::jsonb, $9::jsonb, $10::timestamptz, $17)),
  ob AS (INSERT INTO outbox (submission_pk, submission_version, available_at, created_at) VALUES ($4, $5, $10::timestamptz, $10::timestamptz)),
  -- A payload of the same visit still queued (INTAKE_MODE=queued, decision 0022) was accepted before this
  -- one: written later, it would overwrite it. Gone with this write; a materialiser holding it finds
  -- its ticket gone and writes nothing (intake-queue-store.ts writeClaimed). For the materialiser's
  -- own write the row is already gone. One index probe, so a direct replica beside a queued one is safe.
  qgone AS (DELETE FROM intake_queue WHERE organization_id = $18 AND submission_id = $19),
  sub AS (UPDATE submission SET version = $5, status = 'accepted', payload_hash = $7, payload = $6::jsonb, warnings = $12::jsonb,
            national_outcome = NULL, updated_at = $10::timestamptz, source = $13 WHERE pk = $4 AND $11::boolean),
  pc AS (SELECT * FROM jsonb_to_recordset($15::jsonb) AS r(fact text, person_key text, organization_id text, village_code text, local_date date,
            age_days integer, age_months integer, age_years integer, sex text, pregnant boolean)),
  pgone AS (DELETE FROM pws_contribution p WHERE $14::boolean AND p.submission_pk = $4 AND NOT EXISTS (SELECT 1 FROM pc WHERE pc.fact = p.fact)),
  palias AS (UPDATE pws_contribution p SET person_key = a.to_key FROM jsonb_to_recordset($16::jsonb) AS a(from_key text, to_key text, org text)
              WHERE p.person_key = a.from_key AND p.organization_id = a.org AND p.submission_pk <> $4),
  pins AS (INSERT INTO pws_contribution (submission_pk, fact, person_key, organization_id, village_code, local_date, age_days, age_months, age_years, sex, pregnant)
            SELECT $4, fact, person_key, organization_id, village_code, local_date, age_days, age_months, age_years, sex, pregnant FROM pc
            ON CONFLICT (submission_pk, fact) DO UPDATE SET person_key = EXCLUDED.person_key, organization_id = EXCLUDED.organization_id,
              village_code = EXCLUDED.village_code, local_date = EXCLUDED.local_date, age_days = EXCLUDED.age_days, age_months = EXCLUDED.age_months,
              age_years = EXCLUDED.age_years, sex = EXCLUDED.sex, pregnant = EXCLUDED.pregnant)
  SELECT ARRAY(SELECT DISTINCT person_key FROM pws_contribution WHERE $14::boolean AND submission_pk = $4) AS old_people`;

function contributionRows(plan: WritePlan): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [];
  // ON CONFLICT DO UPDATE may touch a row once: the first row of a fact wins, as before.
  for (const r of plan.contributions?.rows ?? []) {
    if (seen.has(r.fact)) continue;
    seen.add(r.fact);
    out.push({ fact: r.fact, person_key: r.personKey, organization_id: r.organizationId, village_code: r.villageCode, local_date: r.localDate,
      age_days: r.ageDays, age_months: r.ageMonths, age_years: r.ageYears, sex: r.sex, pregnant: r.pregnant });
  }
  return out;
}

/** The first three parameters of VERSION_CTES, as jsonb text. */
function versionParams(d: Pick<Decision, 'versions' | 'identifiers' | 'search'>): [string, string, string] {
  const versions = d.versions.map((v) => ({ t: v.resourceType, id: v.id, ver: v.versionId, lu: v.lastUpdated, del: v.content === null, content: v.content, org: v.organizationId, res: v.residence, ex: v.exists }));
  const identifiers = d.identifiers.map((i) => ({ t: i.resourceType, id: i.id, s: i.system, val: i.value }));
  const search = Object.fromEntries(Object.entries(d.search).map(([table, rows]) => [table, (rows as { resourceType: string; id: string }[]).map(({ resourceType, id, ...rest }) => ({ t: resourceType, id, ...rest }))]));
  return [json(versions), json(identifiers), json(search)];
}

/**
 * Resource versions that belong to no submission (the gateway's own monthly MeasureReports):
 * resource, history, identifiers and search rows in one statement, as a plan writes them. The
 * caller holds the rows locked (`FOR UPDATE`) and has decided the versions.
 */
export async function writeVersions(sql: Sql, d: Pick<Decision, 'versions' | 'identifiers' | 'search'>): Promise<void> {
  if (d.versions.length === 0) return;
  await sql.rows(`WITH ${VERSION_CTES} SELECT 1`, versionParams(d));
}

/** Returns the people of the submission's previous contribution rows (the statement's snapshot is from before it). */
async function writeDecision(sql: Sql, plan: WritePlan, claimed: Claimed, version: number, d: Decision): Promise<string[]> {
  const [versions, identifiers, search] = versionParams(d);
  const aliases = (plan.contributions?.aliases ?? []).map((a) => ({ from_key: a.from, to_key: a.to, org: a.organizationId }));
  const [written] = await sql.rows<{ old_people: string[] | null }>(WRITE_SQL, [
    versions, identifiers, search, claimed.pk, version, json(plan.payload ?? null), plan.payloadHash,
    json(d.written), json(d.removed), claimed.now, claimed.kind === 'existing', json(plan.warnings), plan.source,
    plan.contributions !== undefined, json(contributionRows(plan)), json(aliases), plan.clientId ?? null,
    plan.organizationId, plan.submissionId,
  ]);
  // Rare: a stored Patient moved; its clinical resources outside this plan take the new region.
  for (const patient of d.regionChanged) await reindexDependants(sql, patient);
  return written?.old_people ?? [];
}

/**
 * Statement 4 (with PWS contributions): the year membership of everyone the visit touched,
 * recomputed from their rows. A changed visit whose Patient changed NIK also touched its previous
 * person: locked here (rare; a deadlock with another writer is retried like any race, sql.ts).
 */
async function refreshPwsYear(sql: Sql, year: PwsYearMembers, claimedPeople: readonly string[], oldPeople: readonly string[], deferred?: CountDelta[]): Promise<void> {
  const claimedSet = new Set(claimedPeople);
  const late = [...new Set(oldPeople.filter((p) => !claimedSet.has(p)))].sort();
  if (late.length > 0) {
    await sql.rows('SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM (SELECT k FROM unnest($1::text[]) AS k ORDER BY k) AS keys', [late.map(pwsPersonLock)]);
  }
  await year.refresh(sql, [...claimedPeople, ...late], deferred);
}

const refOf = ({ resourceType, id, versionId }: VersionRef): VersionRef => ({ resourceType, id, versionId });
/** As jsonb gives it back: undefined members dropped. */
const stored = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function record(plan: WritePlan, claimed: Claimed, version: number, d: Decision): SubmissionRecord {
  const row = claimed.row;
  return {
    id: claimed.pk, organizationId: plan.organizationId, submissionId: plan.submissionId, version, status: 'accepted',
    payloadHash: plan.payloadHash, receivedAt: row ? row.received_at : claimed.now, updatedAt: claimed.now,
    resources: d.written.map(refOf), removed: d.removed.map(refOf), warnings: stored(plan.warnings), nationalIds: row ? row.national_ids : {},
  };
}

function storedRecord(plan: WritePlan, row: SubmissionDbRow): SubmissionRecord {
  const out: SubmissionRecord = {
    id: row.pk, organizationId: plan.organizationId, submissionId: plan.submissionId, version: row.version, status: row.status,
    payloadHash: row.payload_hash, receivedAt: row.received_at, updatedAt: row.updated_at,
    resources: (row.resources ?? []).map(refOf), removed: (row.removed ?? []).map(refOf), warnings: row.warnings, nationalIds: row.national_ids,
  };
  if (row.national_outcome) out.nationalOutcome = row.national_outcome;
  return out;
}

/**
 * One plan, inside the caller's transaction. Equal payload hash: nothing is written (`unchanged`).
 * A transaction writing several plans passes `deferredCounts` and applies them at its end
 * (PwsYearMembers.applyCounts), so its PWS village counts are locked last and in key order.
 */
export async function writePlan(sql: Sql, plan: WritePlan, pwsYear?: PwsYearMembers, deferredCounts?: CountDelta[]): Promise<WriteOutcome> {
  if (containsNul(plan.payload)) nulCharacter('payload');
  const year = pwsYear && pwsYear.size > 0 && plan.contributions !== undefined ? pwsYear : undefined;
  const people = year ? pwsPeopleOf(plan) : [];
  const claimed = await claim(sql, plan, people.map(pwsPersonLock));
  const row = claimed.row;
  if (row && row.payload_hash === plan.payloadHash) {
    // A FHIR client is answered per entry: what each target is now (an ILP client is not).
    const results = plan.source === 'fhir' ? decideUnchanged(plan, await read(sql, plan, [])) : [];
    return { saved: { kind: 'unchanged', submission: storedRecord(plan, row) }, results };
  }
  const previous = row?.resources ?? [];
  const version = row ? row.version + 1 : 1;
  const decision = decide(plan, await read(sql, plan, previous), claimed.now);
  const oldPeople = await writeDecision(sql, plan, claimed, version, decision);
  if (year) await refreshPwsYear(sql, year, people, oldPeople, deferredCounts);
  const submission = record(plan, claimed, version, decision);
  return { saved: { kind: claimed.kind === 'created' ? 'created' : 'updated', submission }, results: decision.results };
}

/** 403 (AUTH-OWNER) when any of `refs` (`Type/id`) is a stored resource of another organisation. */
export async function assertOwned(sql: Sql, refs: ReadonlySet<string>, organizationId: string, refuse: (ref: string) => never): Promise<void> {
  if (refs.size === 0) return;
  const keys = [...refs].map((r) => ({ t: r.slice(0, r.indexOf('/')), i: r.slice(r.indexOf('/') + 1) }));
  const [foreign] = await sql.rows<{ resource_type: string; id: string }>(
    `SELECT r.resource_type, r.id FROM jsonb_to_recordset($1::jsonb) AS k(t text, i text)
       JOIN resource r ON r.resource_type = k.t AND r.id = k.i
      WHERE r.organization_id IS NOT NULL AND r.organization_id <> $2 LIMIT 1`,
    [json(keys), organizationId],
  );
  if (foreign) refuse(`${foreign.resource_type}/${foreign.id}`);
}
