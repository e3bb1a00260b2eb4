import type { Parameters } from 'fhir/r4';
import { fail } from '../../kernel';
import { CLINICAL_TYPES, isComputedType, isSearchable } from '../../fhir/search-parameters';
import { parseSearch, type Filter } from '../../fhir/search-request';
import type { ExportParams } from '../../store/fhir-ports';
import { exportFilter, principalOf, requireRead } from '../access';
import { accepted } from '../outcomes';
import type { FhirRequest, Handler } from '../types';
import { OUTPUT_FORMATS } from './operation';
import { withOwner } from './owner';

/**
 * $export kick-off (Bulk Data Access IG 2.0, export.html#bulk-data-kick-off-request): checks the
 * request, records a job and answers 202 with Content-Location; the runner (src/export) does the work.
 */

const bad = (param: string, detail: string): never => fail('FHIR-EXPORT-PARAM', { param, detail: detail.slice(0, 200) });
const UNSUPPORTED = new Set(['patient', '_elements', 'includeAssociatedData']);

/** GET query parameters, or a POST Parameters resource (export.html#query-parameters). */
function parameterList(req: FhirRequest): [string, string][] {
  if (req.method === 'GET') return req.query;
  const body = req.body as Partial<Parameters> | undefined;
  if (body?.resourceType !== 'Parameters') return bad('body', 'POST $export takes a Parameters resource');
  return (body.parameter ?? []).map((p) => [p.name, p.valueString ?? p.valueInstant ?? p.valueCode ?? p.valueDateTime ?? '']);
}

function parseSince(raw: string): string {
  // An instant: full date-time with an offset (datatypes.html#instant).
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(raw) || Number.isNaN(Date.parse(raw))) {
    return bad('_since', `"${raw}" is not a FHIR instant`);
  }
  return new Date(raw).toISOString();
}

function parseTypes(raw: string[]): string[] {
  const types = raw.flatMap((r) => r.split(',')).map((t) => t.trim()).filter((t) => t !== '');
  for (const t of types) if (!isSearchable(t)) bad('_type', `${t} is not exported by this server`);
  return [...new Set(types)];
}

/** `Observation?code=…&village=…`: the search parameters of that type, filters only (export.html#_typefilter). */
function parseTypeFilter(raw: string): { type: string; filters: Filter[] } {
  const q = raw.indexOf('?');
  const type = q < 0 ? raw : raw.slice(0, q);
  if (!isSearchable(type)) return bad('_typeFilter', `${type} is not exported by this server`);
  const query = [...new URLSearchParams(q < 0 ? '' : raw.slice(q + 1))];
  if (query.some(([k]) => k.startsWith('_') && k !== '_id' && k !== '_lastUpdated')) bad('_typeFilter', 'only search parameters, not result parameters, may be used');
  return { type, filters: parseSearch(type, query).filters };
}

export function parseExportParams(list: [string, string][], level: ExportParams['level'], groupId?: string): ExportParams {
  const types: string[] = [];
  const typeFilters: Record<string, Filter[][]> = {};
  let since: string | undefined;
  for (const [name, value] of list) {
    if (name === '_outputFormat' && !OUTPUT_FORMATS.has(value)) bad(name, `only application/fhir+ndjson is produced, not "${value}"`);
    else if (name === '_since') since = parseSince(value);
    else if (name === '_type') types.push(...parseTypes([value]));
    else if (name === '_typeFilter') {
      const { type, filters } = parseTypeFilter(value);
      (typeFilters[type] ??= []).push(filters);
    } else if (UNSUPPORTED.has(name)) bad(name, 'not supported by this server');
    else if (name !== '_outputFormat') bad(name, 'unknown parameter');
  }
  // Without _type: the visit data (the Patient compartment and what clients wrote). The gateway's own
  // MeasureReports are exported when named (`_type=MeasureReport`), at system level only: they are
  // about villages, in no Patient's compartment.
  const chosen = types.length > 0 ? [...new Set(types)] : [...CLINICAL_TYPES];
  if (level !== 'system') for (const t of chosen) if (isComputedType(t)) bad('_type', `${t} is about villages, not patients: export it with system-level $export`);
  for (const t of Object.keys(typeFilters)) if (!chosen.includes(t)) bad('_typeFilter', `${t} is not among the exported types`);
  return { level, types: chosen, typeFilters, ...(since ? { since } : {}), ...(groupId ? { groupId } : {}) };
}

function kickoff(level: ExportParams['level']): Handler {
  return async (req, { id }, deps) => {
    // The export is asynchronous only (export.html#headers).
    if (!/respond-async/.test(req.headers.prefer ?? '')) fail('FHIR-EXPORT-PREFER');
    const params = parseExportParams(parameterList(req), level, id);
    // Before anything is read or written: the access policy checked only the path's type (Patient,
    // Group, *); every exported type needs its read scope, and the job records the caller's data
    // filter (organisations, regions), so the worker exports only what this caller may read.
    requireRead(req, params.types);
    const access = exportFilter(req);
    if (level === 'group' && !(await deps.fhir.exports.groupMembers(id ?? '', access))) fail('FHIR-RESOURCE-NOT-FOUND', { type: 'Group', id: (id ?? '').slice(0, 64) });
    const path = level === 'system' ? '/$export' : level === 'patient' ? '/Patient/$export' : `/Group/${id ?? ''}/$export`;
    const query = req.method === 'GET' && req.query.length > 0 ? `?${new URLSearchParams(req.query).toString()}` : '';
    const job = await deps.fhir.exports.create(`${req.baseUrl}${path}${query}`, withOwner({ ...params, access }, principalOf(req).clientId));
    deps.exportKicked?.();
    return [accepted, undefined, { headers: { 'Content-Location': `${req.baseUrl}/bulkstatus/${job.id}` } }];
  };
}

export const systemExportHandler = kickoff('system');
export const patientExportHandler = kickoff('patient');
export const groupExportHandler = kickoff('group');
