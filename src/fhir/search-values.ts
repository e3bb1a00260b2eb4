import type { Resource } from 'fhir/r4';
import { AREA_CODE, AREA_LEAF_DIGITS, searchParamsOf, type SearchParam } from './search-parameters';

/**
 * What the search index holds for one resource: the values of every search parameter, found with
 * the parameters' FHIRPath expressions and turned into rows by datatype (FHIR R4 search.html#ptypes).
 */
export interface TokenRow { code: string; system: string; value: string }
export interface StringRow { code: string; value: string; exact: string }
export interface ReferenceRow { code: string; target_type: string; target_id: string }
export interface DateRow { code: string; low: string; high: string }
export interface QuantityRow { code: string; value: string; system: string; unit: string }

export interface IndexRows {
  token: TokenRow[];
  string: StringRow[];
  reference: ReferenceRow[];
  date: DateRow[];
  quantity: QuantityRow[];
}

export function emptyRows(): IndexRows {
  return { token: [], string: [], reference: [], date: [], quantity: [] };
}

/** Case- and accent-insensitive form for string search (search.html#string). */
export function normaliseString(s: string): string {
  return s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function tokens(v: unknown): { system: string; value: string }[] {
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return [{ system: '', value: String(v) }];
  if (!isObject(v)) return [];
  if (Array.isArray(v.coding)) return v.coding.flatMap(tokens);
  const system = str(v.system) ?? '';
  // Coding (code), Identifier / ContactPoint (value).
  const value = str(v.code) ?? str(v.value);
  return value ? [{ system, value }] : [];
}

const NAME_PARTS = ['text', 'family', 'given', 'prefix', 'suffix'];
const ADDRESS_PARTS = ['text', 'line', 'city', 'district', 'state', 'postalCode', 'country'];

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (!isObject(v)) return [];
  const parts = 'family' in v || 'given' in v ? NAME_PARTS : ADDRESS_PARTS;
  return parts.flatMap((p) => {
    const x = v[p];
    return (Array.isArray(x) ? x : [x]).filter((s): s is string => typeof s === 'string' && s !== '');
  });
}

/** `Type/id`, `Type/id/_history/n` or an absolute URL ending so; contained (#) and urn: references are not indexed. */
export function parseReference(ref: string): { type: string; id: string } | undefined {
  const m = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(ref);
  return m && m[1] && m[2] ? { type: m[1], id: m[2] } : undefined;
}

function references(v: unknown, param: SearchParam): { target_type: string; target_id: string }[] {
  // A canonical (MeasureReport.measure: `…/Measure/SPM-01|version`) is a reference by URL (search.html#reference).
  const ref = isObject(v) ? str(v.reference) : str(v)?.replace(/\|.*$/, '');
  const parsed = ref ? parseReference(ref) : undefined;
  if (!parsed) return [];
  if (param.targets.length === 1 && !param.targets.includes(parsed.type)) return [];
  return [{ target_type: parsed.type, target_id: parsed.id }];
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * The instants a date value covers at its precision, as [low, high) ISO strings (search.html#date:
 * "2013-01" is the whole month). A value without an offset is read as UTC (stated in the
 * CapabilityStatement and docs/decisions/0007-search.md).
 */
export function dateRange(value: string): { low: string; high: string } | undefined {
  const m = DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const offset = tz && tz !== 'Z' ? tz : '+00:00';
  const start = Date.parse(`${y}-${mo ?? '01'}-${d ?? '01'}T${h ?? '00'}:${mi ?? '00'}:${s ?? '00'}${frac ?? ''}${offset}`);
  if (Number.isNaN(start)) return undefined;
  const end = new Date(start);
  if (!mo) end.setUTCFullYear(end.getUTCFullYear() + 1);
  else if (!d) end.setUTCMonth(end.getUTCMonth() + 1);
  else if (!h) end.setUTCDate(end.getUTCDate() + 1);
  else if (!s) end.setUTCMinutes(end.getUTCMinutes() + 1);
  else end.setTime(start + (frac ? 1 : 1000));
  return { low: new Date(start).toISOString(), high: end.toISOString() };
}

function dates(v: unknown): { low: string; high: string }[] {
  if (typeof v === 'string') {
    const range = dateRange(v);
    return range ? [range] : [];
  }
  if (!isObject(v)) return [];
  const start = str(v.start) ? dateRange(v.start as string) : undefined;
  const end = str(v.end) ? dateRange(v.end as string) : undefined;
  if (!start && !end) return [];
  // An open Period end means "ongoing" (datatypes.html#Period).
  return [{ low: start?.low ?? '-infinity', high: end?.high ?? 'infinity' }];
}

function quantities(v: unknown): { value: string; system: string; unit: string }[] {
  if (typeof v === 'number') return [{ value: String(v), system: '', unit: '' }];
  if (!isObject(v) || typeof v.value !== 'number') return [];
  return [{ value: String(v.value), system: str(v.system) ?? '', unit: str(v.code) ?? str(v.unit) ?? '' }];
}

function addValues(rows: IndexRows, param: SearchParam, values: unknown[]): void {
  const { code } = param;
  for (const v of values) {
    switch (param.type) {
      case 'token':
      case 'uri':
        for (const t of tokens(v)) rows.token.push({ code, ...t });
        break;
      case 'string':
        for (const s of strings(v)) rows.string.push({ code, value: normaliseString(s), exact: s });
        break;
      case 'reference':
        for (const r of references(v, param)) rows.reference.push({ code, ...r });
        break;
      case 'date':
        for (const d of dates(v)) rows.date.push({ code, ...d });
        break;
      case 'quantity':
      case 'number':
        for (const q of quantities(v)) rows.quantity.push({ code, ...q });
        break;
    }
  }
}

/**
 * The rows one parameter would have on its own, alias or not (what every parameter stored before the
 * slim index; the tests compare alias and area searches against it).
 */
export function parameterRows(resource: Resource, param: SearchParam): IndexRows {
  const rows = emptyRows();
  if (param.source === 'fhirpath') addValues(rows, param, param.evaluate(resource));
  return dedupe(rows);
}

/**
 * Every index row of `resource`, duplicates removed: each stored parameter's compiled expression once
 * (aliases such as `patient` or `combo-code` are read from the rows of the parameters they are made
 * of, search-parameters.ts `Storage`). Region rows of clinical resources are added by the store.
 */
export function indexRows(resource: Resource): IndexRows {
  return dedupeFast(rowsWith(resource, (param, r) => param.evaluate(r)));
}

/**
 * `indexRows` as it was before the compiled accessors: every expression evaluated by fhirpath.js, duplicates
 * found by JSON text (the reference of test/unit/fhir/search-accessors.test.ts and bench/extract.bench.mjs).
 */
export function indexRowsFhirPath(resource: Resource): IndexRows {
  return dedupe(rowsWith(resource, (param, r) => param.evaluateFhirPath(r)));
}

type Evaluate = (param: SearchParam, resource: unknown) => unknown[];

/** The stored parameters of a type, split into plain and region ones (the registry is built once). */
const writtenOf = new Map<string, { plain: SearchParam[]; area: SearchParam[] }>();

function written(resourceType: string): { plain: SearchParam[]; area: SearchParam[] } {
  let found = writtenOf.get(resourceType);
  if (!found) {
    const own = searchParamsOf(resourceType).filter((p) => p.source === 'fhirpath' && p.storage.written);
    found = { plain: own.filter((p) => !p.area), area: own.filter((p) => p.area) };
    writtenOf.set(resourceType, found);
  }
  return found;
}

function rowsWith(resource: Resource, evaluate: Evaluate): IndexRows {
  const rows = emptyRows();
  const { plain, area } = written(resource.resourceType);
  for (const param of plain) addValues(rows, param, evaluate(param, resource));
  if (area.length > 0) rows.token.push(...areaRows(resource, area, evaluate));
  return rows;
}

/**
 * The region rows, address by address (a Patient's region expressions start at `Patient.address`). An address
 * whose every level holds one plain code that is the prefix of its length of a 10-digit village code
 * (what the ILP mapping always writes) is one `area` row with the village code; the query side reads a
 * level as a code range over it (search-query.ts). Any other address keeps one row per level value.
 */
const VILLAGE_CODE = new RegExp(`^\\d{${AREA_LEAF_DIGITS}}$`);

function areaRows(resource: Resource, params: readonly SearchParam[], evaluate: Evaluate): TokenRow[] {
  const addresses = (resource as { address?: unknown }).address;
  // A Patient's codes address by address; a resource whose codes are not in an address (a village
  // MeasureReport's subject identifier) as one unit.
  const units: unknown[] = Array.isArray(addresses) ? addresses.map((address: unknown) => ({ resourceType: resource.resourceType, address: [address] })) : [resource];
  const out: TokenRow[] = [];
  for (const one of units) {
    const levels = params.map((param) => ({ param, values: evaluate(param, one) }));
    const leaf = levels.find((l) => l.param.area?.digits === AREA_LEAF_DIGITS)?.values;
    const village = leaf?.length === 1 && typeof leaf[0] === 'string' && VILLAGE_CODE.test(leaf[0]) ? leaf[0] : undefined;
    const consistent = village !== undefined && levels.every(({ param, values }) =>
      values.length === 1 && values[0] === village.slice(0, param.area?.digits ?? 0));
    if (consistent) out.push({ code: AREA_CODE, system: '', value: village });
    else for (const { param, values } of levels) for (const v of values) for (const t of tokens(v)) out.push({ code: param.code, ...t });
  }
  return out;
}

/**
 * `dedupe` without JSON text: every row of a table has the same string fields in the same order, so
 * length-prefixed fields are the same key (first occurrence kept, in order).
 */
function dedupeFast(rows: IndexRows): IndexRows {
  const uniq = <T extends object>(list: T[]): T[] => {
    if (list.length < 2) return list;
    const seen = new Set<string>();
    const out: T[] = [];
    for (const row of list) {
      let key = '';
      for (const v of Object.values(row) as string[]) key += `${v.length}:${v}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(row);
      }
    }
    return out;
  };
  return { token: uniq(rows.token), string: uniq(rows.string), reference: uniq(rows.reference), date: uniq(rows.date), quantity: uniq(rows.quantity) };
}

function dedupe(rows: IndexRows): IndexRows {
  const uniq = <T>(list: T[]): T[] => [...new Map(list.map((r) => [JSON.stringify(r), r])).values()];
  return { token: uniq(rows.token), string: uniq(rows.string), reference: uniq(rows.reference), date: uniq(rows.date), quantity: uniq(rows.quantity) };
}
