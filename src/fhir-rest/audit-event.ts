import type { Bundle, BundleLink, CapabilityStatementRestResource } from 'fhir/r4';
import { expandStored } from '../audit/stored';
import { allows } from '../auth/scopes';
import { dateRange, parseReference } from '../fhir/search-values';
import type { Prefix, Range } from '../fhir/search-request';
import { fail } from '../kernel';
import type { AuditFilter, AuditQuery } from '../store/audit-ports';
import { principalOf } from './access';
import { allOk } from './outcomes';
import type { FhirRequest, Handler } from './types';

/**
 * GET /fhir/AuditEvent and GET /fhir/AuditEvent/{id} (issue #8, auditevent.html#search): the audit
 * trail, read-only (no route writes it: POST and PUT answer 405, a Bundle entry 422). Admins and
 * clients acting for every organisation with `system/AuditEvent.read` see every event; any other
 * client with that scope sees only the events it caused itself (its own agent.altId), never those of
 * another vendor; anyone else is refused.
 */
const PARAMS = {
  date: { type: 'date', url: 'http://hl7.org/fhir/SearchParameter/AuditEvent-date', doc: 'Time when the event was recorded' },
  altid: { type: 'token', url: 'http://hl7.org/fhir/SearchParameter/AuditEvent-altid', doc: 'Alternative user id: the API client id' },
  entity: { type: 'reference', url: 'http://hl7.org/fhir/SearchParameter/AuditEvent-entity', doc: 'Specific instance of resource (Type/id)' },
  patient: { type: 'reference', url: 'http://hl7.org/fhir/SearchParameter/clinical-patient', doc: 'Patient an entity names (Patient/id or id)' },
  subtype: { type: 'token', url: 'http://hl7.org/fhir/SearchParameter/AuditEvent-subtype', doc: 'More specific type/id for the event (restful-interaction code, operation)' },
  outcome: { type: 'token', url: 'http://hl7.org/fhir/SearchParameter/AuditEvent-outcome', doc: 'Whether the event succeeded or failed (0, 4, 8, 12)' },
} as const;

export const AUDIT_EVENT_RESOURCE: CapabilityStatementRestResource = {
  type: 'AuditEvent',
  documentation: 'Read-only audit trail of every read, search, export, write, refusal and admin action (docs/decisions/0012-audit-trail.md)',
  interaction: [{ code: 'read' }, { code: 'search-type' }],
  searchParam: Object.entries(PARAMS).map(([name, p]) => ({ name, type: p.type, definition: p.url, documentation: p.doc })),
};

const DEFAULT_COUNT = 50;
const MAX_COUNT = 1000;
const MAX_OFFSET = 100_000;
const MAX_VALUES = 100;
const PREFIXES: readonly Prefix[] = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap'];
const invalid = (param: string, detail: string): never => fail('FHIR-SEARCH-VALUE', { param, detail: detail.slice(0, 200) });

function parseDate(value: string): Range {
  const prefix = PREFIXES.find((p) => value.startsWith(p) && /^[a-z]{2}\d/.test(value)) ?? 'eq';
  const rest = (prefix === 'eq' && !value.startsWith('eq') ? value : value.slice(2)).replace(/ (\d{2}:\d{2})$/, '+$1');
  const range = dateRange(rest);
  return range ? { prefix, ...range } : invalid('date', `"${value}" is not a FHIR date, dateTime or instant`);
}

/** `Type/id` (entity), or `Patient/id` / `id` (patient). */
function parseRef(name: 'entity' | 'patient', value: string): string {
  const parsed = parseReference(value);
  if (parsed && (name === 'entity' || parsed.type === 'Patient')) return `${parsed.type}/${parsed.id}`;
  if (name === 'patient' && /^[A-Za-z0-9\-.]{1,64}$/.test(value)) return `Patient/${value}`;
  return invalid(name, `"${value.slice(0, 80)}" is not a reference (${name === 'patient' ? 'Patient/id or id' : 'Type/id'})`);
}

/** Tokens match on the code; a `system|code` value is matched on its code (the systems of our sub-types do not overlap). */
const tokenCode = (value: string): string => value.slice(value.indexOf('|') + 1);

function filterOf(name: string, values: string[]): AuditFilter {
  switch (name) {
    case 'date': return { kind: 'date', ranges: values.map(parseDate) };
    case 'entity':
    case 'patient': return { kind: name, values: values.map((v) => parseRef(name, v)) };
    case 'altid':
    case 'subtype': return { kind: name, values: values.map(tokenCode) };
    case 'outcome': return { kind: 'outcome', values: values.map((v) => (/^(0|4|8|12)$/.test(tokenCode(v)) ? Number(tokenCode(v)) : invalid('outcome', `"${v.slice(0, 20)}" is not 0, 4, 8 or 12`))) };
    default: return fail('FHIR-SEARCH-PARAM-UNKNOWN', { param: name.slice(0, 64), type: 'AuditEvent' });
  }
}

function intParam(name: string, value: string, max: number): number {
  if (!/^\d{1,7}$/.test(value) || Number(value) > max) invalid(name, `must be an integer from 0 to ${max}`);
  return Number(value);
}

export function parseAuditSearch(query: readonly (readonly [string, string])[]): Omit<AuditQuery, 'onlyClient'> {
  const filters: AuditFilter[] = [];
  let count = DEFAULT_COUNT;
  let offset = 0;
  let before: AuditQuery['before'];
  for (const [name, raw] of query) {
    if (name === '_count') count = intParam(name, raw, MAX_COUNT);
    else if (name === '_offset') offset = intParam(name, raw, MAX_OFFSET);
    else if (name === '_cursor') before = parseCursor(raw);
    else if (name === '_format' || name === '_pretty') continue;
    else {
      const values = raw.split(',').filter((v) => v !== '');
      if (values.length === 0 || values.length > MAX_VALUES) invalid(name, `give 1 to ${MAX_VALUES} comma-separated values`);
      filters.push(filterOf(name, values));
    }
  }
  return { filters, count, offset, ...(before ? { before } : {}) };
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2}))~([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** `_cursor=<recorded>~<id>` of the last event of the previous page (the next link writes it). */
function parseCursor(raw: string): NonNullable<AuditQuery['before']> {
  const m = CURSOR.exec(raw);
  if (!m || Number.isNaN(Date.parse(m[1]!))) return invalid('_cursor', 'is not a paging cursor of this server');
  return { recorded: m[1]!, id: m[2]! };
}

/** undefined: every event; a client id: only that client's own events. Refuses callers without the audit scope. */
export function auditVisibility(req: FhirRequest): string | undefined {
  const p = principalOf(req);
  if (p.scopes.includes('admin')) return undefined;
  if (!allows(p.scopes, 'system/AuditEvent.read')) return fail('AUDIT-READ-FORBIDDEN');
  // Every event only for a caller the access decision leaves unrestricted: a district client (`*` with
  // regions) would otherwise read other regions' Patient ids and queries; it sees its own events.
  const unrestricted = p.organizations?.includes('*') && !(p.regions && p.regions.length > 0);
  return unrestricted ? undefined : p.clientId;
}

/**
 * Paging is by keyset: the next link names the last event of this page (`_cursor`), and the next
 * page holds only older events. The trail grows while it is read (reading it is audited too, and
 * events reach the table in batches), so offsets would repeat or skip events; a keyset never does.
 */
function pageUrl(req: FhirRequest, cursor: string | undefined): string {
  const params = new URLSearchParams(req.query.filter(([k]) => k !== '_offset' && k !== '_cursor'));
  if (cursor) params.append('_cursor', cursor);
  const q = params.toString();
  return `${req.baseUrl}/AuditEvent${q ? `?${q}` : ''}`;
}

export const auditSearchHandler: Handler = async (req, _params, deps) => {
  const onlyClient = auditVisibility(req);
  const search = parseAuditSearch(req.query);
  const page = await deps.audit.search({ ...search, ...(onlyClient !== undefined ? { onlyClient } : {}) });
  const events = page.events.map(expandStored);
  const last = events.at(-1);
  const link: BundleLink[] = [{ relation: 'self', url: req.baseUrl + '/AuditEvent' + (req.query.length ? `?${new URLSearchParams([...req.query]).toString()}` : '') }];
  if (page.hasMore && search.count > 0 && last?.id && last.recorded) link.push({ relation: 'next', url: pageUrl(req, `${last.recorded}~${last.id}`) });
  const bundle: Bundle = {
    resourceType: 'Bundle', type: 'searchset', link,
    entry: events.map((e) => ({ fullUrl: `${req.baseUrl}/AuditEvent/${e.id ?? ''}`, resource: e, search: { mode: 'match' } })),
  };
  if (search.offset === 0 && !search.before && !page.hasMore) bundle.total = page.events.length;
  return [allOk, bundle];
};

export const auditReadHandler: Handler = async (req, { id = '' }, deps) => {
  const onlyClient = auditVisibility(req);
  const stored = await deps.audit.read(id, onlyClient);
  // Another client's event is answered like a missing one: ids do not leak.
  if (!stored) fail('FHIR-RESOURCE-NOT-FOUND', { type: 'AuditEvent', id: id.slice(0, 64) });
  return [allOk, expandStored(stored)];
};
