import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Bundle, CarePlan, Condition, Encounter, FhirResource, Observation, Patient, Resource } from 'fhir/r4';
import { searchParam, searchParamsOf, type SearchParam } from '../../../src/fhir/search-parameters';
import { parseSearch } from '../../../src/fhir/search-request';
import { normaliseString, parameterRows, type IndexRows } from '../../../src/fhir/search-values';
import { openDatabase, type GatewayDatabase } from '../../../src/store/open-database';
import { loadPGlite } from '../../../src/store/pglite-pool';
import { openTestDatabase, testDbKind, type TestDatabase } from '../../support/database';
import { uniqueId } from '../../support/submissions';
import { planTransaction } from '../../../src/write-plan/plan';

/**
 * The slim index (decision 0007, "Each value once"): alias parameters (`patient`, `practitioner`,
 * `phonetic`, `combo-*`) write no rows and region levels of a consistent address are one `area` row.
 * Every search must find what it found when every parameter had rows of its own: on a mixed data set
 * (consistent, inconsistent, partial, two-address and Coding-valued addresses; Group subjects;
 * components; several participant types), each search is compared with the reference answer computed
 * in memory from the rows each parameter has on its own (`parameterRows`, what the index held before).
 */
const ADMIN = 'https://fhir.kemkes.go.id/r4/StructureDefinition/administrativeCode';
const LOINC = 'http://loinc.org';
type Levels = Partial<Record<'province' | 'city' | 'district' | 'village', string | { system: string; code: string }>>;
const address = (levels: Levels): NonNullable<Patient['address']>[number] => ({
  extension: [{ url: ADMIN, extension: Object.entries(levels).map(([url, v]) => (typeof v === 'string' ? { url, valueCode: v } : { url, valueCoding: v })) }],
});
const consistent = (village: string): Levels => ({ province: village.slice(0, 2), city: village.slice(0, 4), district: village.slice(0, 6), village });
const concept = (code: string): { coding: { system: string; code: string }[] } => ({ coding: [{ system: LOINC, code }] });

const patients: Patient[] = [
  { resourceType: 'Patient', id: 'p-ok', name: [{ text: 'Sári Dewi' }], address: [address(consistent('3508012001'))] },
  // Province 36 beside a village under 35: `province=35` must not find it through the village code.
  { resourceType: 'Patient', id: 'p-bad', name: [{ family: 'Wati' }], address: [address({ province: '36', city: '3508', district: '350801', village: '3508012001' })] },
  { resourceType: 'Patient', id: 'p-partial', address: [address({ village: '3508012002' })] },
  { resourceType: 'Patient', id: 'p-two', address: [address(consistent('3174061003')), address(consistent('3508012001'))] },
  { resourceType: 'Patient', id: 'p-mixed', address: [address(consistent('3508022005')), address({ province: '32' })] },
  { resourceType: 'Patient', id: 'p-coding', address: [address({ ...consistent('3171010001'), province: { system: 'urn:kemendagri', code: '31' } })] },
  { resourceType: 'Patient', id: 'p-short', address: [address({ province: '3', city: '35', district: '3508', village: '350801' })] },
  { resourceType: 'Patient', id: 'p-none', name: [{ given: ['Budi'] }] },
];
const observation = (id: string, subject: string, extra: Partial<Observation>): Observation => ({
  resourceType: 'Observation', id, status: 'final', code: concept('8480-6'), subject: { reference: subject }, ...extra,
});
const others: FhirResource[] = [
  observation('o1', 'Patient/p-ok', { valueQuantity: { value: 120, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } }),
  observation('o2', 'Patient/p-bad', {
    code: concept('85354-9'),
    component: [{ code: concept('8480-6'), valueQuantity: { value: 130 } }, { code: concept('8462-4'), valueQuantity: { value: 80 } }],
  }),
  observation('o3', 'Group/g1', { code: concept('8462-4'), valueCodeableConcept: concept('LA6576-8') }),
  observation('o4', 'Patient/p-two', { code: concept('718-7'), component: [{ code: concept('718-7'), valueCodeableConcept: concept('LA6576-8') }] }),
  observation('o5', 'Patient/p-partial', { dataAbsentReason: concept('asked-unknown'), component: [{ code: concept('8302-2'), dataAbsentReason: concept('not-performed') }] }),
  observation('o6', 'Patient/p-mixed', { valueQuantity: { value: 80 } }),
  observation('o7', 'Patient/p-coding', {}),
  observation('o8', 'Patient/p-short', {}),
  { resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/p-ok' },
    participant: [{ individual: { reference: 'Practitioner/pr1' } }, { individual: { reference: 'RelatedPerson/rp1' } }] } satisfies Encounter,
  { resourceType: 'Encounter', id: 'e2', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/p-mixed' },
    participant: [{ individual: { reference: 'PractitionerRole/prr1' } }] } satisfies Encounter,
  { resourceType: 'Encounter', id: 'e3', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Group/g1' },
    participant: [{ individual: { reference: 'Practitioner/pr2' } }] } satisfies Encounter,
  { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p-coding' }, code: concept('D50') } satisfies Condition,
  { resourceType: 'Condition', id: 'c2', subject: { reference: 'Group/g2' }, code: concept('D50') } satisfies Condition,
  { resourceType: 'CarePlan', id: 'cp1', status: 'active', intent: 'plan', subject: { reference: 'Patient/p-two' } } satisfies CarePlan,
  { resourceType: 'CarePlan', id: 'cp2', status: 'active', intent: 'plan', subject: { reference: 'Group/g2' } } satisfies CarePlan,
];
const stored: Resource[] = [...patients, ...others];

/** What each parameter of a resource held on its own; clinical resources take the region rows of their subject Patient. */
function ownRows(resource: Resource, param: SearchParam): IndexRows {
  if (param.source !== 'subject-region') return parameterRows(resource, param);
  const ref = (resource as { subject?: { reference?: string } }).subject?.reference ?? '';
  const patient = patients.find((p) => `Patient/${p.id ?? ''}` === ref);
  const own = patient ? searchParam('Patient', param.code) : undefined;
  return patient && own ? parameterRows(patient, own) : { token: [], string: [], reference: [], date: [], quantity: [] };
}

type Query = [string, string];
interface Case { type: string; query: Query; expect: (r: Resource) => boolean }

/** Searches over every alias, its stored parameters and every region level, with values the data holds and some it does not. */
function cases(): Case[] {
  const out: Case[] = [];
  const types = ['Patient', 'Encounter', 'Observation', 'Condition', 'CarePlan'];
  const codes = ['patient', 'subject', 'practitioner', 'participant', 'phonetic', 'name', 'code', 'component-code', 'combo-code', 'value-concept',
    'combo-value-concept', 'combo-data-absent-reason', 'data-absent-reason', 'value-quantity', 'combo-value-quantity', 'province', 'city', 'district', 'village'];
  for (const type of types) {
    const resources = stored.filter((r) => r.resourceType === type);
    for (const code of codes) {
      const param = searchParam(type, code);
      if (!param) continue;
      const rowsOf = (r: Resource): IndexRows => ownRows(r, param);
      const present = (r: Resource): boolean => Object.values(rowsOf(r)).some((list: unknown[]) => list.length > 0);
      out.push({ type, query: [`${code}:missing`, 'true'], expect: (r) => !present(r) });
      out.push({ type, query: [`${code}:missing`, 'false'], expect: present });
      const all = resources.flatMap((r) => Object.values(rowsOf(r)).flat() as Record<string, string>[]);
      if (param.type === 'token') {
        const values = new Set(all.flatMap((t) => [t.value ?? '', `${t.system ?? ''}|${t.value ?? ''}`, `${t.system ?? ''}|`]));
        for (const extra of ['3', '35', '350', '3508', '350801', '3508012', '3508012001', '36', '3171', '31', '99', 'urn:kemendagri|31', '|35', 'nope']) values.add(extra);
        for (const v of values) {
          const bar = v.indexOf('|');
          const [system, value] = bar < 0 ? [undefined, v] : [v.slice(0, bar), v.slice(bar + 1) || undefined];
          const hit = (r: Resource): boolean => rowsOf(r).token.some((t) => (value === undefined || t.value === value) && (system === undefined || t.system === system));
          out.push({ type, query: [code, v], expect: hit });
          out.push({ type, query: [`${code}:not`, v], expect: (r) => !hit(r) });
        }
      } else if (param.type === 'reference') {
        const refs = new Set(all.map((t) => `${t.target_type ?? ''}/${t.target_id ?? ''}`));
        for (const extra of ['Patient/p-ok', 'Group/g1', 'Practitioner/pr2', 'RelatedPerson/rp1']) refs.add(extra);
        for (const ref of refs) {
          const [t, id] = ref.split('/');
          out.push({ type, query: [code, ref], expect: (r) => rowsOf(r).reference.some((x) => x.target_type === t && x.target_id === id) });
          out.push({ type, query: [code, id ?? ''], expect: (r) => rowsOf(r).reference.some((x) => x.target_id === id) });
        }
      } else if (param.type === 'string') {
        for (const v of ['sar', 'Sári', 'wati', 'budi', 'x']) {
          out.push({ type, query: [code, v], expect: (r) => rowsOf(r).string.some((x) => x.value.startsWith(normaliseString(v))) });
        }
      } else if (param.type === 'quantity') {
        for (const n of [80, 120, 130]) {
          out.push({ type, query: [code, String(n)], expect: (r) => rowsOf(r).quantity.some((x) => Number(x.value) >= n - 0.5 && Number(x.value) < n + 0.5) });
          out.push({ type, query: [code, `gt${n}`], expect: (r) => rowsOf(r).quantity.some((x) => Number(x.value) > n) });
        }
      }
    }
  }
  return out;
}

async function storeAll(target: GatewayDatabase): Promise<void> {
  const entries = stored.map((resource) => ({ kind: 'put' as const, url: `${resource.resourceType}/${resource.id ?? ''}`, resource: resource as FhirResource }));
  const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction' };
  await target.fhir.transactions.saveTransaction(planTransaction({ organizationId: '10000005', submissionId: uniqueId('SLIM'), stableIds: false, bundle, payloadHash: uniqueId('hash'), entries }));
}

const searchIn = async (target: GatewayDatabase, type: string, query: readonly Query[]): Promise<{ matches: string[]; included: string[] }> => {
  const result = await target.fhir.search.search(parseSearch(type, [...query, ['_count', '1000']]));
  return { matches: result.matches.map((m) => m.id).sort(), included: result.included.map((m) => `${m.resourceType}/${m.id}`).sort() };
};

/** Every case of cases() against the reference answer; the mismatches. */
async function mismatches(target: GatewayDatabase): Promise<{ wrong: string[]; nonEmpty: number; total: number }> {
  const all = cases();
  const wrong: string[] = [];
  let nonEmpty = 0;
  for (const c of all) {
    const want = stored.filter((r) => r.resourceType === c.type && c.expect(r)).map((r) => r.id ?? '').sort();
    const got = (await searchIn(target, c.type, [c.query])).matches;
    if (want.length > 0) nonEmpty += 1;
    if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${c.type}?${c.query.join('=')}: got [${got.join(',')}] want [${want.join(',')}]`);
  }
  return { wrong, nonEmpty, total: all.length };
}

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
  await storeAll(db);
});

afterAll(async () => {
  await db?.drop();
});

const search = (type: string, query: readonly Query[]): ReturnType<typeof searchIn> => searchIn(db, type, query);

describe(`alias and area searches find what every parameter's own rows found, on ${testDbKind()}`, () => {
  test('every alias, stored parameter and region level; values present and absent; :missing, :not', async () => {
    const { wrong, nonEmpty, total } = await mismatches(db);
    expect(total).toBeGreaterThan(300);
    expect(wrong).toEqual([]);
    // The comparison is not vacuous: a good part of the searches find something.
    expect(nonEmpty).toBeGreaterThan(total / 3);
  }, 180_000);

  test('the region searches the inconsistent and partial addresses make tricky', async () => {
    expect((await search('Patient', [['province', '35']])).matches).toEqual(['p-mixed', 'p-ok', 'p-two']);
    expect((await search('Patient', [['province', '36']])).matches).toEqual(['p-bad']);
    expect((await search('Patient', [['village', '3508012001']])).matches).toEqual(['p-bad', 'p-ok', 'p-two']);
    expect((await search('Patient', [['district', '3508']])).matches).toEqual(['p-short']);
    expect((await search('Observation', [['city', '3508']])).matches).toEqual(['o1', 'o2', 'o4', 'o6']);
    expect((await search('Observation', [['province', 'urn:kemendagri|31']])).matches).toEqual(['o7']);
  });

  test('combined parameters, _include and _revinclude through aliases', async () => {
    expect((await search('Observation', [['patient', 'Patient/p-bad'], ['combo-code', `${LOINC}|8480-6`]])).matches).toEqual(['o2']);
    expect((await search('Observation', [['combo-code', '8462-4']])).matches).toEqual(['o2', 'o3']);
    expect((await search('Observation', [['patient:missing', 'true']])).matches).toEqual(['o3']);
    const inc = await search('Observation', [['_include', 'Observation:patient'], ['code', '8480-6']]);
    expect(inc.matches).toEqual(['o1', 'o5', 'o6', 'o7', 'o8']);
    expect(inc.included).toEqual(['Patient/p-coding', 'Patient/p-mixed', 'Patient/p-ok', 'Patient/p-partial', 'Patient/p-short']);
    const rev = await search('Patient', [['_id', 'p-ok,p-two'], ['_revinclude', 'Observation:patient'], ['_revinclude', 'Encounter:patient']]);
    expect(rev.included).toEqual(['Encounter/e1', 'Observation/o1', 'Observation/o4']);
    const groups = await search('Encounter', [['_revinclude', 'Observation:subject'], ['subject', 'Group/g1']]);
    expect(groups.matches).toEqual(['e3']);
    expect((await search('Encounter', [['practitioner', 'pr2']])).matches).toEqual(['e3']);
    expect((await search('Encounter', [['practitioner', 'prr1']])).matches).toEqual([]);
    expect((await search('Encounter', [['participant', 'prr1']])).matches).toEqual(['e2']);
  });

  test('the registry has aliases and area levels to test (the data set reaches each)', () => {
    const aliases = searchParamsOf('Observation').filter((p) => !p.storage.written && p.source === 'fhirpath').map((p) => p.code);
    expect(aliases).toEqual(expect.arrayContaining(['patient', 'combo-code', 'combo-value-quantity', 'combo-value-concept']));
    expect(searchParam('Patient', 'district')?.area).toEqual({ digits: 6 });
  });
});

/** The rows the index held before the slim index: every parameter its own rows, clinical resources their subject's region rows. */
function rowsBefore(): { table: string; values: unknown[] }[] {
  const out: { table: string; values: unknown[] }[] = [];
  for (const r of stored) {
    for (const param of searchParamsOf(r.resourceType)) {
      const rows = ownRows(r, param);
      const code = param.code;
      for (const t of rows.token) out.push({ table: 'search_token (resource_type, id, code, system, value)', values: [r.resourceType, r.id, code, t.system, t.value] });
      for (const t of rows.string) out.push({ table: 'search_string (resource_type, id, code, value, exact)', values: [r.resourceType, r.id, code, t.value, t.exact] });
      for (const t of rows.reference) out.push({ table: 'search_reference (resource_type, id, code, target_type, target_id)', values: [r.resourceType, r.id, code, t.target_type, t.target_id] });
      for (const t of rows.date) out.push({ table: 'search_date (resource_type, id, code, low, high)', values: [r.resourceType, r.id, code, t.low, t.high] });
      for (const t of rows.quantity) out.push({ table: 'search_quantity (resource_type, id, code, value, system, unit)', values: [r.resourceType, r.id, code, t.value, t.system, t.unit] });
    }
  }
  return out;
}

const TABLES = ['search_token', 'search_string', 'search_reference', 'search_date', 'search_quantity'];
type Query1 = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** Puts the rows back as the indexer wrote them before migration 0013 and marks 0013 as not applied. */
async function rewind(query: Query1): Promise<void> {
  for (const t of TABLES) await query(`DELETE FROM ${t}`);
  for (const row of rowsBefore()) {
    await query(`INSERT INTO ${row.table} VALUES (${row.values.map((_, i) => `$${i + 1}`).join(', ')})`, row.values);
  }
  await query(`DELETE FROM schema_migration WHERE name = 'SearchSlim1733184000000'`);
}

async function counts(query: Query1): Promise<Record<string, number>> {
  const rows = await query(`SELECT code, count(*)::int AS n FROM search_token WHERE code IN ('province', 'city', 'district', 'village', 'area') GROUP BY code
    UNION ALL SELECT code, count(*)::int FROM search_reference WHERE code IN ('patient', 'practitioner') GROUP BY code
    UNION ALL SELECT code, count(*)::int FROM search_token WHERE code LIKE 'combo-%' GROUP BY code`);
  return Object.fromEntries(rows.map((r) => [String(r.code), Number(r.n)]));
}

describe(`migration 0013 converts a database indexed the old way, on ${testDbKind()}`, () => {
  test('alias rows go, consistent region rows become area rows, searches unchanged, unused indexes dropped', async () => {
    let target: GatewayDatabase | undefined;
    let cleanup: () => Promise<void>;
    let reopen: () => Promise<GatewayDatabase>;
    let query: Query1;
    let inspect: () => Promise<{ after: Record<string, number>; indexes: unknown[] }>;
    const DROPPED = `SELECT indexname FROM pg_indexes WHERE indexname IN ('resource_organization_idx', 'resource_residence_idx', 'resource_history_organization_idx', 'resource_history_residence_idx')`;
    let before: Record<string, number> = {};
    if (testDbKind() === 'postgres') {
      const pg = await openTestDatabase();
      await storeAll(pg);
      const client = new Client({ connectionString: pg.url });
      await client.connect();
      query = async (text, params = []) => (await client.query(text, params)).rows as Record<string, unknown>[];
      await rewind(query);
      before = await counts(query);
      target = pg;
      inspect = async () => ({ after: await counts(query), indexes: await query(DROPPED) });
      reopen = async () => {
        expect(await pg.migrate()).toEqual(['SearchSlim1733184000000']);
        return pg;
      };
      cleanup = async () => {
        await client.end();
        await pg.drop();
      };
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'ilp-slim-'));
      const first = await openDatabase({ dataDir: dir });
      await storeAll(first);
      await first.close();
      const lite = await loadPGlite().create(dir);
      query = async (text, params = []) => (await lite.query<Record<string, unknown>>(text, params)).rows;
      await rewind(query);
      before = await counts(query);
      await lite.close();
      reopen = async () => openDatabase({ dataDir: dir });
      inspect = async () => {
        await target?.close();
        target = undefined;
        const again = await loadPGlite().create(dir);
        try {
          const q: Query1 = async (text, params = []) => (await again.query<Record<string, unknown>>(text, params)).rows;
          return { after: await counts(q), indexes: await q(DROPPED) };
        } finally {
          await again.close();
        }
      };
      cleanup = async () => {
        await target?.close();
        rmSync(dir, { recursive: true, force: true });
      };
    }
    try {
      // The old shape really is there: alias rows and four level rows per consistent address.
      expect(before).toMatchObject({ patient: expect.any(Number), practitioner: 2, 'combo-code': expect.any(Number), province: expect.any(Number) });
      expect(before.area).toBeUndefined();
      target = await reopen();
      const { wrong, nonEmpty } = await mismatches(target);
      expect(wrong).toEqual([]);
      expect(nonEmpty).toBeGreaterThan(100);
      const { after, indexes } = await inspect();
      expect(after.patient).toBeUndefined();
      expect(after.practitioner).toBeUndefined();
      expect(Object.keys(after).filter((c) => c.startsWith('combo-'))).toEqual([]);
      // The migration collapses per resource: p-ok and its o1 and e1 (one consistent address). Two-address
      // resources (p-two, p-mixed and theirs) and inconsistent or partial ones keep level rows, still searched.
      expect(after.area).toBe(3);
      expect(after.province).toBeGreaterThan(0);
      expect(after.province).toBeLessThan(before.province ?? 0);
      expect(indexes).toEqual([]);
    } finally {
      await cleanup();
    }
    // Three openings of the database with their migrations, and ~1,000 searches: minutes on a loaded PGlite.
  }, 300_000);
});
