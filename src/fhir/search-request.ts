import { fail } from '../kernel';
import { FHIR_ID } from './ids';
import { searchParam, type SearchParam } from './search-parameters';
import { dateRange, normaliseString, parseReference } from './search-values';

/**
 * A FHIR search as plain data (FHIR R4 search.html), parsed from the query string. The store turns
 * it into SQL over the search index; nothing here knows SQL or HTTP.
 */
export type Prefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb' | 'ap';
export interface Range { prefix: Prefix; low: string; high: string }
export interface TokenValue { system?: string; code?: string }

export type Filter =
  | { kind: 'id'; ids: string[] }
  | { kind: 'lastUpdated'; ranges: Range[] }
  | { kind: 'token'; code: string; not: boolean; values: TokenValue[] }
  | { kind: 'string'; code: string; mode: 'start' | 'exact' | 'contains'; values: string[] }
  | { kind: 'reference'; code: string; values: { type?: string; id: string }[] }
  | { kind: 'date'; code: string; ranges: Range[] }
  | { kind: 'quantity'; code: string; values: (Range & { system?: string; unit?: string })[] }
  | { kind: 'missing'; table: IndexTable; code: string; missing: boolean };

export type IndexTable = 'token' | 'string' | 'reference' | 'date' | 'quantity';

export interface SortKey { key: '_id' | '_lastUpdated' | { date: string }; desc: boolean }
export interface IncludeSpec { sourceType: string; code: string; targetType?: string }

export interface SearchRequest {
  resourceType: string;
  filters: Filter[];
  sort: SortKey[];
  count: number;
  offset: number;
  total: 'none' | 'accurate';
  summaryCount: boolean;
  include: IncludeSpec[];
  revinclude: IncludeSpec[];
}

export const DEFAULT_COUNT = 20;
/** Cost caps: values ORed in one parameter, and _include plus _revinclude parameters per search. */
export const MAX_VALUES = 100;
export const MAX_INCLUDES = 10;
/** Offset paging reads and discards every skipped row: deeper than this, the Bulk export is the tool. */
export const MAX_OFFSET = 100_000;
export const MAX_COUNT = 1000;
const PREFIXES: readonly Prefix[] = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'];
/** Result parameters this server understands (search.html#return); `_format` and `_pretty` change only the rendering. */
const CONTROL = new Set(['_count', '_offset', '_sort', '_total', '_summary', '_include', '_revinclude', '_format', '_pretty']);

const invalid = (param: string, detail: string): never => fail('FHIR-SEARCH-VALUE', { param, detail: detail.slice(0, 200) });

/** Comma-separated values are ORed (search.html#combining); `\,` is a literal comma. */
function splitValues(raw: string): string[] {
  return raw.split(/(?<!\\),/).map((v) => v.replace(/\\,/g, ','));
}

function withPrefix(value: string): { prefix: Prefix; rest: string } {
  const p = value.slice(0, 2) as Prefix;
  return PREFIXES.includes(p) && /^[a-z]{2}[-+\d]/.test(value) ? { prefix: p, rest: value.slice(2) } : { prefix: 'eq', rest: value };
}

function parseDate(name: string, value: string): Range {
  // An unencoded `+07:00` arrives as ` 07:00` (form decoding); the intent is unambiguous.
  const { prefix, rest } = withPrefix(value.replace(/ (\d{2}:\d{2})$/, '+$1'));
  const range = dateRange(rest);
  if (!range) return invalid(name, `"${value}" is not a FHIR date, dateTime or instant`);
  return { prefix, ...range };
}

/** A number covers the interval its significant digits imply (search.html#number: 100 → [99.5, 100.5)). */
function numberRange(name: string, value: string): Range {
  const { prefix, rest } = withPrefix(value);
  if (!/^-?\d+(\.\d+)?$/.test(rest)) return invalid(name, `"${value}" is not a number`);
  const decimals = rest.split('.')[1]?.length ?? 0;
  const half = 0.5 * 10 ** -decimals;
  const n = Number(rest);
  return { prefix, low: String(n - half), high: String(n + half) };
}

function parseToken(value: string): TokenValue {
  const bar = value.indexOf('|');
  if (bar < 0) return { code: value };
  const system = value.slice(0, bar);
  const code = value.slice(bar + 1);
  return code === '' ? { system } : { system, code };
}

function parseRef(name: string, value: string, modifierType: string | undefined): { type?: string; id: string } {
  const parsed = parseReference(value);
  if (parsed) return parsed;
  if (FHIR_ID.test(value)) return modifierType ? { type: modifierType, id: value } : { id: value };
  return invalid(name, `"${value}" is not a reference (Type/id or id)`);
}

const TABLE_OF: Record<SearchParam['type'], IndexTable> = {
  token: 'token', uri: 'token', string: 'string', reference: 'reference', date: 'date', quantity: 'quantity', number: 'quantity',
};

function missingFilter(param: SearchParam, name: string, values: string[]): Filter {
  if (values.length !== 1 || !['true', 'false'].includes(values[0] ?? '')) invalid(name, ':missing takes true or false');
  return { kind: 'missing', table: TABLE_OF[param.type], code: param.code, missing: values[0] === 'true' };
}

function paramFilter(param: SearchParam, name: string, modifier: string | undefined, values: string[]): Filter {
  if (modifier === 'missing') return missingFilter(param, name, values);
  const code = param.code;
  const bad = (): never => fail('FHIR-SEARCH-MODIFIER', { modifier: modifier ?? '', param: name });
  switch (param.type) {
    case 'token':
    case 'uri':
      if (modifier !== undefined && modifier !== 'not') bad();
      return { kind: 'token', code, not: modifier === 'not', values: values.map(parseToken) };
    case 'string':
      if (modifier !== undefined && modifier !== 'exact' && modifier !== 'contains') bad();
      return { kind: 'string', code, mode: modifier === 'exact' ? 'exact' : modifier === 'contains' ? 'contains' : 'start', values: modifier === 'exact' ? values : values.map(normaliseString) };
    case 'reference':
      // `:Patient` restricts the target type (search.html#reference).
      if (modifier !== undefined && !/^[A-Z][A-Za-z]+$/.test(modifier)) bad();
      return { kind: 'reference', code, values: values.map((v) => parseRef(name, v, modifier)) };
    case 'date':
      if (modifier !== undefined) bad();
      return { kind: 'date', code, ranges: values.map((v) => parseDate(name, v)) };
    case 'quantity':
    case 'number':
      if (modifier !== undefined) bad();
      return { kind: 'quantity', code, values: values.map((v) => parseQuantity(name, v)) };
  }
}

/** `[prefix]number|system|code` (search.html#quantity). */
function parseQuantity(name: string, value: string): Range & { system?: string; unit?: string } {
  const [num = '', system, unit] = value.split('|');
  const range = numberRange(name, num);
  return { ...range, ...(system ? { system } : {}), ...(unit ? { unit } : {}) };
}

function intParam(name: string, raw: string, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) > max) return invalid(name, `expected an integer from 0 to ${max}`);
  return Number(raw);
}

function parseSort(resourceType: string, raw: string): SortKey[] {
  return raw.split(',').map((part) => {
    const desc = part.startsWith('-');
    const name = desc ? part.slice(1) : part;
    if (name === '_id' || name === '_lastUpdated') return { key: name, desc };
    if (searchParam(resourceType, name)?.type === 'date') return { key: { date: name }, desc };
    return invalid('_sort', `cannot sort ${resourceType} by "${name}" (use _id, _lastUpdated or a date parameter)`);
  });
}

/** `Source:param[:Target]`; only reference parameters can be followed (search.html#include). */
function parseInclude(name: string, raw: string, resourceType: string, rev: boolean): IncludeSpec {
  const [sourceType = '', code = '', targetType] = raw.split(':');
  const param = searchParam(sourceType, code);
  if (!param || param.type !== 'reference') return invalid(name, `"${raw}" is not Type:reference-parameter`);
  if (!rev && sourceType !== resourceType) return invalid(name, `_include must start with ${resourceType}`);
  return targetType ? { sourceType, code, targetType } : { sourceType, code };
}

interface Control {
  sort: SortKey[];
  count: number;
  offset: number;
  total: SearchRequest['total'];
  summaryCount: boolean;
  include: IncludeSpec[];
  revinclude: IncludeSpec[];
}

function applyControl(c: Control, resourceType: string, name: string, raw: string): void {
  if (name === '_count') c.count = Math.min(intParam(name, raw, Number.MAX_SAFE_INTEGER), MAX_COUNT);
  else if (name === '_offset') c.offset = intParam(name, raw, MAX_OFFSET);
  else if (name === '_sort') c.sort = parseSort(resourceType, raw);
  else if (name === '_total') {
    if (!['none', 'estimate', 'accurate'].includes(raw)) invalid(name, 'expected none, estimate or accurate');
    c.total = raw === 'none' ? 'none' : 'accurate';
  } else if (name === '_summary') {
    if (raw !== 'count' && raw !== 'false') invalid(name, 'only _summary=count is supported');
    c.summaryCount = raw === 'count';
  } else if ((name === '_include' || name === '_revinclude') && c.include.length + c.revinclude.length >= MAX_INCLUDES) {
    invalid(name, `at most ${MAX_INCLUDES} _include and _revinclude parameters per search`);
  } else if (name === '_include') c.include.push(parseInclude(name, raw, resourceType, false));
  else if (name === '_revinclude') c.revinclude.push(parseInclude(name, raw, resourceType, true));
}

function specialFilter(name: string, modifier: string | undefined, values: string[]): Filter | undefined {
  if (name === '_id') {
    if (modifier !== undefined) fail('FHIR-SEARCH-MODIFIER', { modifier, param: name });
    return { kind: 'id', ids: values };
  }
  if (name === '_lastUpdated') {
    if (modifier !== undefined) fail('FHIR-SEARCH-MODIFIER', { modifier, param: name });
    return { kind: 'lastUpdated', ranges: values.map((v) => parseDate(name, v)) };
  }
  return undefined;
}

/**
 * Parses the query of `GET [base]/[type]?...`. Unknown parameters are refused (400) rather than
 * ignored: a data team must never receive a silently unfiltered result (search.html#errors allows both).
 */
export function parseSearch(resourceType: string, query: readonly (readonly [string, string])[]): SearchRequest {
  const control: Control = { sort: [], count: DEFAULT_COUNT, offset: 0, total: 'none', summaryCount: false, include: [], revinclude: [] };
  const filters: Filter[] = [];
  for (const [key, raw] of query) {
    const [name = '', modifier] = key.split(':', 2);
    if (CONTROL.has(name)) {
      applyControl(control, resourceType, name, raw);
      continue;
    }
    const values = splitValues(raw).filter((v) => v !== '');
    const known = name === '_id' || name === '_lastUpdated' || searchParam(resourceType, name) !== undefined;
    // An empty value is ignored only for a parameter this server knows: `?nmae=` is refused like `?nmae=x`.
    if (!known) fail('FHIR-SEARCH-PARAM-UNKNOWN', { param: name.slice(0, 64), type: resourceType });
    if (values.length === 0) continue;
    if (values.length > MAX_VALUES) invalid(name, `at most ${MAX_VALUES} values per parameter`);
    const special = specialFilter(name, modifier, values);
    if (special) {
      filters.push(special);
      continue;
    }
    const param = searchParam(resourceType, name);
    if (!param) fail('FHIR-SEARCH-PARAM-UNKNOWN', { param: name.slice(0, 64), type: resourceType });
    filters.push(paramFilter(param, name, modifier, values));
  }
  // `_count=0` asks for the count only (search.html#count): no entries, a total, no paging.
  if (control.count === 0) control.summaryCount = true;
  return { resourceType, filters, ...control };
}

/** Whether a search knows the query key (a result parameter, `_elements` (read by fhir/summary.ts), `_id`, `_lastUpdated` or a search parameter of the type). */
export function isKnownParameter(resourceType: string, key: string): boolean {
  const [name = ''] = key.split(':', 1);
  return CONTROL.has(name) || name === '_elements' || name === '_id' || name === '_lastUpdated' || searchParam(resourceType, name) !== undefined;
}
