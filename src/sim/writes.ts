import { randomUUID } from 'node:crypto';
import type { Bundle, BundleEntry, OperationOutcome, Resource } from 'fhir/r4';
import { rewriteReferences } from '../fhir/references';
import { issue, outcome, validateResource, type Issue } from './rules';
import type { SimState } from './state';

/**
 * Create, update and transaction semantics of SATUSEHAT (satusehat-api.md §5.2–§5.4): the request
 * is checked completely before anything is stored (the "FHIR Processor" runs before the FHIR
 * server, §5.1), so a refused request stores nothing; a transaction is all-or-nothing.
 */
export type WriteResult =
  | { ok: true; status: number; body: Resource }
  | { ok: false; status: number; body: OperationOutcome };

export interface WriteOptions {
  orgId: string;
  /** Reject a second resource with the same sys-ids identifier (RuleNumber 20002). */
  duplicateCheck: boolean;
  now: number;
}

interface Planned {
  resource: Resource;
  create: boolean;
}

const refused = (status: number, issues: Issue[]): WriteResult => ({ ok: false, status, body: outcome(issues) });

function sysIdentifiers(r: Resource): { system: string; value: string }[] {
  const ids = (r as { identifier?: { system?: string; value?: string }[] }).identifier ?? [];
  return ids.filter((i): i is { system: string; value: string } => typeof i.system === 'string' && typeof i.value === 'string' && i.system.startsWith('http://sys-ids.kemkes.go.id/'));
}

/** "Found duplicate resource: Encounter" (RuleNumber 20002, §5.1; HTTP 400, no expression). */
function duplicates(state: SimState, planned: Planned[], opts: WriteOptions): Issue[] {
  if (!opts.duplicateCheck) return [];
  const seen = new Set<string>();
  for (const p of planned) {
    for (const id of sysIdentifiers(p.resource)) {
      const key = `${p.resource.resourceType}|${id.system}|${id.value}`;
      const owners = state.find(p.resource.resourceType, id.system, id.value).filter((r) => r.id !== p.resource.id);
      if (owners.length > 0 || seen.has(key)) return [issue('duplicate', `Found duplicate resource: ${p.resource.resourceType} (RuleNumber: 20002)`)];
      seen.add(key);
    }
  }
  return [];
}

function check(state: SimState, planned: Planned[], opts: WriteOptions, pending: Set<string>): Issue[] {
  const ctx = { orgId: opts.orgId, now: opts.now, exists: (ref: string) => pending.has(ref) || state.exists(ref) };
  for (const [i, p] of planned.entries()) {
    const issues = validateResource(p.resource, ctx);
    if (issues.length > 0) {
      // Later entries are refused "due to previous error" (RuleNumber 20012, §5.1).
      const later = planned.slice(i + 1).map((q) => issue('value', `Forbidden resource ${q.resource.resourceType} due to previous error (RuleNumber: 20012)`));
      return [...issues, ...later];
    }
  }
  return duplicates(state, planned, opts);
}

function commit(state: SimState, planned: Planned[]): Resource[] {
  return planned.map((p) => {
    const stored = state.put(p.resource);
    if (p.create) state.countCreate(stored);
    return stored;
  });
}

function tally(state: SimState, issues: Issue[]): void {
  if (issues.some((i) => i.code === 'duplicate')) state.stats.duplicateRejections += 1;
  else state.stats.validationRejections += 1;
}

export function create(state: SimState, type: string, body: Resource, opts: WriteOptions): WriteResult {
  if (body.resourceType !== type) return refused(400, [issue('structure', `resource type mismatch: ${String(body.resourceType)} posted to ${type}`)]);
  const resource = { ...body, id: randomUUID() } as Resource;
  const planned = [{ resource, create: true }];
  const issues = check(state, planned, opts, new Set());
  if (issues.length > 0) {
    tally(state, issues);
    return refused(400, issues);
  }
  const [stored] = commit(state, planned);
  return { ok: true, status: 201, body: withEmptyIdentifier(stored ?? resource) };
}

export function update(state: SimState, type: string, id: string, body: Resource, opts: WriteOptions): WriteResult {
  if (!body.id) return refused(400, [issue('value', 'id is required')]);
  if (body.id !== id || body.resourceType !== type) {
    return refused(400, [{ severity: 'error', code: 'structure', details: { text: 'resource_mismatch' }, diagnostics: `resource id mismatch, id of specified resource: ${id}, id from payload: ${body.id}` }]);
  }
  if (!state.read(type, id)) return refused(404, [issue('not-found', `Resource not found ${type}/${id} (RuleNumber: 20007)`)]);
  const planned = [{ resource: body, create: false }];
  const issues = check(state, planned, opts, new Set());
  if (issues.length > 0) {
    tally(state, issues);
    return refused(400, issues);
  }
  const [stored] = commit(state, planned);
  return { ok: true, status: 200, body: withEmptyIdentifier(stored ?? body) };
}

/** Observation, Condition and CarePlan responses carry `"identifier": []` when none was sent (§5.2). */
function withEmptyIdentifier(r: Resource): Resource {
  if (!['Observation', 'Condition', 'CarePlan'].includes(r.resourceType) || 'identifier' in r) return r;
  return { ...r, identifier: [] } as Resource;
}

const URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Plans every entry: fullUrl checks (20017–20019), ids for POSTs, the urn → Type/id map. */
function planEntries(entries: BundleEntry[], state: SimState): { planned: Planned[]; map: Map<string, string> } | Issue[] {
  const map = new Map<string, string>();
  const planned: Planned[] = [];
  for (const [i, e] of entries.entries()) {
    const r = e.resource;
    const type = r?.resourceType ?? 'Resource';
    if (!r || !e.request) return [issue('structure', `Bundle.entry[${i}] needs resource and request`, `Bundle.entry[${i}]`)];
    if (r.resourceType === 'Bundle') return [issue('structure', 'Forbidden nested bundle (RuleNumber: 20011)', `Bundle.entry[${i}]`)];
    if (typeof e.fullUrl !== 'string' || !e.fullUrl.startsWith('urn:uuid')) return [issue('value', `Invalid element ${type}.fullUrl due to invalid fullUrl format. It must begin with 'urn:uuid' (RuleNumber: 20018)`, `Bundle.entry[${i}].fullUrl`)];
    if (!URN.test(e.fullUrl)) return [issue('value', `Invalid element ${type}.fullUrl due to invalid UUID format (RuleNumber: 20019)`, `Bundle.entry[${i}].fullUrl`)];
    if (map.has(e.fullUrl)) return [issue('value', `Invalid element ${type}.fullUrl: not unique (RuleNumber: 20017)`, `Bundle.entry[${i}].fullUrl`)];
    const put = e.request.method === 'PUT' ? /^([A-Za-z]+)\/([A-Za-z0-9.-]{1,64})$/.exec(e.request.url) : null;
    if (e.request.method === 'PUT' && (!put || put[1] !== type || r.id !== put[2])) return [issue('structure', 'resource_mismatch', `Bundle.entry[${i}].request.url`)];
    if (put && !state.read(type, put[2] ?? '')) return [issue('not-found', `Resource not found ${type}/${put[2] ?? ''} (RuleNumber: 20007)`, `Bundle.entry[${i}].request.url`)];
    if (!put && (e.request.method !== 'POST' || e.request.url !== type)) return [issue('structure', `Unsupported request ${e.request.method} ${e.request.url}`, `Bundle.entry[${i}].request`)];
    const id = put ? (put[2] ?? '') : randomUUID();
    map.set(e.fullUrl, `${type}/${id}`);
    planned.push({ resource: { ...r, id } as Resource, create: !put });
  }
  return { planned, map };
}

export function transaction(state: SimState, bundle: Bundle, opts: WriteOptions, base: string): WriteResult {
  if (bundle.resourceType !== 'Bundle' || bundle.type !== 'transaction') return refused(400, [issue('structure', 'Bundle.type must be transaction', 'Bundle.type')]);
  const plan = planEntries(bundle.entry ?? [], state);
  if (Array.isArray(plan)) return refused(400, plan);
  const planned = plan.planned.map((p) => ({ ...p, resource: rewriteReferences(p.resource, plan.map) }));
  const issues = check(state, planned, opts, new Set(plan.map.values()));
  if (issues.length > 0) {
    tally(state, issues);
    return refused(400, issues);
  }
  const stored = commit(state, planned);
  const meta = stored[0]?.meta ?? {};
  const entry = stored.map((r, i) => ({
    response: {
      etag: `W/"${meta.versionId ?? ''}"`, lastModified: meta.lastUpdated, location: `${base}/${r.resourceType}/${r.id ?? ''}/_history/${meta.versionId ?? ''}`,
      status: planned[i]?.create ? '201 Created' : '200 OK', resourceType: r.resourceType, resourceID: r.id,
    },
  }));
  return { ok: true, status: 200, body: { resourceType: 'Bundle', type: 'transaction-response', total: entry.length, entry } as unknown as Resource };
}
