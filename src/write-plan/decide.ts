import type { Resource } from 'fhir/r4';
import { canonicalJson } from '../kernel';
import { rewriteReferences } from '../fhir/references';
import { subjectPatientId, villageCodeOf } from '../fhir/residence';
import type { TokenRow } from '../fhir/search-values';
import { identifiersOf } from './entry-request';
import { foreignOwner, multipleMatches, nulCharacter, unsupportedEntry, versionConflict } from './errors';
import { literalReferences, type PlanEntry, type WritePlan } from './plan';
import { regionChanged, searchRowsOf, type SearchRows } from './search-rows';

/**
 * Turns a plan and what the store read under its locks into the rows to write: pure, so every rule
 * (which version, 201 or 200, 412, 403, what a changed visit deletes) is tested without a database.
 */

export interface VersionRef {
  resourceType: string;
  id: string;
  versionId: number;
  /** Found by identifier or a Patient: never deleted on behalf of one submission. */
  shared?: boolean;
}

/** A resource row as the store found (and locked) it. */
export interface CurrentRow {
  organizationId: string | null;
  residence: string | null;
  versionId: number;
  lastUpdated: string;
  deleted: boolean;
  content: Resource | null;
  /** A Patient's region tokens as indexed (copied onto its clinical resources). */
  region?: TokenRow[];
}

/** A resource the plan refers to without writing it. */
export interface ReferencedRow {
  organizationId: string | null;
  residence: string | null;
  region?: TokenRow[];
}

export interface Found {
  /** Entry index → ids of the organisation's resources carrying one of its identifiers. */
  matches: ReadonlyMap<number, readonly string[]>;
  /** `Type/id` → the locked row: every target, every match, every resource of the previous version. */
  current: ReadonlyMap<string, CurrentRow>;
  /** `Type/id` → the plan's literal references that are stored. */
  referenced: ReadonlyMap<string, ReferencedRow>;
  /** What the submission's previous version wrote (empty for a new submission). */
  previous: readonly VersionRef[];
}

export interface VersionRow {
  resourceType: string;
  id: string;
  versionId: number;
  lastUpdated: string;
  /** null: a deletion. */
  content: Resource | null;
  organizationId: string;
  residence: string | null;
  /** The row exists in `resource` (UPDATE), else INSERT. */
  exists: boolean;
}

export interface EntryResult {
  ref: VersionRef;
  /** 201 when nothing current existed before, else 200 (also unchanged and a matched conditional create). */
  status: 200 | 201;
}

export interface Decision {
  /** New versions, deletions included, in (type, id) order. */
  versions: VersionRow[];
  identifiers: { resourceType: string; id: string; system: string; value: string }[];
  search: SearchRows;
  /** What this version of the submission wrote, in entry order (submission_version.resources). */
  written: VersionRef[];
  /** Deleted because the new version no longer has them. */
  removed: VersionRef[];
  /** Per entry, in entry order. */
  results: EntryResult[];
  /** Stored Patients whose region changed: their other clinical resources take the new region. */
  regionChanged: string[];
}

const key = (type: string, id: string): string => `${type}/${id}`;

/** `now`, or 1 ms after `previous` when the clock has not moved past it: a resource's versions never go back in time. */
export function after(previous: string | undefined, now: string): string {
  if (previous === undefined || previous < now) return now;
  return new Date(Date.parse(previous) + 1).toISOString().replace('Z', '+00:00');
}

/** Deep equality of two resources, ignoring the meta elements the store itself sets. */
export function sameContent(a: Resource, b: Resource): boolean {
  return canonicalJson(withoutVersionMeta(a)) === canonicalJson(withoutVersionMeta(b));
}

function withoutVersionMeta(resource: Resource): Resource {
  if (!resource.meta) return resource;
  const { versionId: _v, lastUpdated: _l, ...meta } = resource.meta;
  const { meta: _m, ...rest } = resource;
  return Object.keys(meta).length > 0 ? { ...rest, meta } : rest;
}

interface Resolved {
  entry: PlanEntry;
  id: string;
  /** A conditional create that matched: nothing is written. */
  kept: boolean;
}

/** Every entry's final id: its own, its single identifier match, or the new id (two matches: 412, http.html#cond-update). */
export function resolveIds(plan: WritePlan, found: Found): Resolved[] {
  return plan.entries.map((entry) => {
    if (entry.target.kind === 'id') return { entry, id: entry.target.id, kept: false };
    const matches = found.matches.get(entry.index) ?? [];
    if (matches.length > 1) multipleMatches(entry.index, entry.target.url);
    const [match] = matches;
    if (match === undefined) return { entry, id: entry.target.newId, kept: false };
    return { entry, id: match, kept: entry.onMatch === 'keep' };
  });
}

/** Two entries for one resource (same id, or the same identifier match) would make two versions of it, or two copies. */
function checkDistinct(resolved: Resolved[]): void {
  const byTarget = new Map<string, number>();
  for (const { entry, id, kept } of resolved) {
    if (kept) continue;
    const targets = [key(entry.resourceType, id)];
    if (entry.target.kind === 'identifier') {
      const [first] = entry.target.any;
      targets.push(`${entry.resourceType}?identifier=${JSON.stringify([first?.system ?? null, first?.value])}`);
    }
    for (const target of targets) {
      const earlier = byTarget.get(target);
      if (earlier !== undefined) unsupportedEntry(entry.index, `${target} is already written by entry ${earlier}`);
      byTarget.set(target, entry.index);
    }
  }
}

function referenceMap(resolved: Resolved[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const { entry, id } of resolved) {
    const { fullUrl } = entry;
    if (fullUrl === undefined || !fullUrl.startsWith('urn:uuid:')) continue;
    if (map.has(fullUrl)) unsupportedEntry(entry.index, `fullUrl ${fullUrl} is used by two entries`, 'fullUrl');
    map.set(fullUrl, key(entry.resourceType, id));
  }
  return map;
}

/** The current, not deleted, version of a target; what `ifMatch` is compared with and what decides 201 or 200. */
function live(found: Found, type: string, id: string): CurrentRow | undefined {
  const row = found.current.get(key(type, id));
  return row && !row.deleted ? row : undefined;
}

function checkIfMatch(r: Resolved, found: Found): void {
  const { ifMatch } = r.entry;
  if (ifMatch === undefined) return;
  const target = r.entry.target.kind === 'id' ? key(r.entry.resourceType, r.entry.target.id) : r.entry.target.url;
  const current = live(found, r.entry.resourceType, r.id);
  if (!current) versionConflict(r.entry.index, target, ifMatch, 'none');
  else if (current.versionId !== ifMatch) versionConflict(r.entry.index, target, ifMatch, current.versionId);
}

/**
 * A resource found by identifier is shared by other submissions, which find it by their own
 * identifiers: an update keeps the identifiers it already carries (a newborn's mother's-NIK key
 * stays when a later visit sends only the child's NIK), so the records stay linked.
 */
function keepIdentifiers(resource: Resource, stored: Resource | null | undefined): Resource {
  const had = (stored as { identifier?: unknown } | null | undefined)?.identifier;
  const incoming = (resource as { identifier?: { system?: string; value?: string }[] }).identifier;
  if (!Array.isArray(had) || had.length === 0 || !Array.isArray(incoming)) return resource;
  const id = (i: { system?: string; value?: string }): string => `${i.system ?? ''}|${i.value ?? ''}`;
  const have = new Set(incoming.map(id));
  const kept = (had as { system?: string; value?: string }[]).filter((i) => !have.has(id(i)));
  return kept.length === 0 ? resource : ({ ...resource, identifier: [...incoming, ...kept] } as Resource);
}

/** Results of a re-sent, unchanged plan: what each entry's target is now (nothing is written). */
export function decideUnchanged(plan: WritePlan, found: Found): EntryResult[] {
  return resolveIds(plan, found).map((r) => {
    checkIfMatch(r, found);
    const current = live(found, r.entry.resourceType, r.id);
    if (!current) throw new Error(`${key(r.entry.resourceType, r.id)} vanished inside its own transaction`);
    return { ref: { resourceType: r.entry.resourceType, id: r.id, versionId: current.versionId }, status: 200 };
  });
}

interface Content {
  r: Resolved;
  content: Resource;
}

/** A resource belongs to the organisation that first wrote it (docs/decisions/0010): another's write is 403. */
function checkOwner(plan: WritePlan, found: Found, r: Resolved): void {
  if (r.kept) return;
  const current = found.current.get(key(r.entry.resourceType, r.id));
  if (current?.organizationId && current.organizationId !== plan.organizationId) foreignOwner(key(r.entry.resourceType, r.id), plan.organizationId);
}

/** Contents with references rewritten, identifiers kept and the U+0000 rule checked. */
function contentsOf(plan: WritePlan, found: Found, resolved: Resolved[]): Content[] {
  const refs = referenceMap(resolved);
  const out: Content[] = [];
  for (const r of resolved) {
    if (r.kept) continue;
    const current = found.current.get(key(r.entry.resourceType, r.id));
    let content = rewriteReferences(r.entry.resource, refs);
    if (r.entry.target.kind === 'identifier' && current && !current.deleted) content = keepIdentifiers(content, current.content);
    if (containsNul(content)) nulCharacter(`Bundle.entry[${r.entry.index}].resource`);
    out.push({ r, content: { ...content, id: r.id } as Resource });
  }
  return out;
}

/**
 * A vendor may not attach its resources to another organisation's (docs/decisions/0010): every
 * stored resource a content refers to is the writer's own (or one from before ownership was recorded).
 */
function checkReferences(plan: WritePlan, found: Found, contents: Content[]): void {
  const refs = new Set<string>();
  for (const c of contents) literalReferences(c.content, refs);
  for (const c of contents) refs.delete(key(c.r.entry.resourceType, c.r.id));
  for (const ref of refs) {
    const row = found.referenced.get(ref) ?? found.current.get(ref);
    if (row?.organizationId && row.organizationId !== plan.organizationId) foreignOwner(ref, plan.organizationId);
  }
}

/** PostgreSQL's jsonb cannot hold U+0000 (SQLSTATE 22P05): refused with a 422 before it reaches the driver. */
export function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, child]) => k.includes('\u0000') || containsNul(child));
}

/** Where a subject Patient lives and its region tokens: as this plan writes it, else as stored. */
class Patients {
  private readonly written = new Map<string, { residence: string | null; region: TokenRow[] | undefined }>();
  constructor(private readonly found: Found) {}
  set(id: string, residence: string | null, region: TokenRow[] | undefined): void {
    this.written.set(id, { residence, region });
  }
  get(id: string): { residence: string | null; region: TokenRow[] } {
    const mine = this.written.get(id);
    const stored = this.found.current.get(key('Patient', id)) ?? this.found.referenced.get(key('Patient', id));
    return { residence: mine ? mine.residence : (stored?.residence ?? null), region: mine?.region ?? stored?.region ?? [] };
  }
}

/** The decision for a new or changed submission version. */
export function decide(plan: WritePlan, found: Found, now: string): Decision {
  const resolved = resolveIds(plan, found);
  checkDistinct(resolved);
  // Ownership before ifMatch: a 412 for another organisation's resource would tell its current version.
  for (const r of resolved) checkOwner(plan, found, r);
  for (const r of resolved) checkIfMatch(r, found);
  const contents = contentsOf(plan, found, resolved);
  checkReferences(plan, found, contents);
  const out: Decision = { versions: [], identifiers: [], search: { token: [], string: [], reference: [], date: [], quantity: [] }, written: [], removed: [], results: [], regionChanged: [] };
  const refs = new Map<number, VersionRef>();
  const patients = new Patients(found);
  // Patients first: their clinical resources copy their residence and region.
  const ordered = [...contents].sort((a, b) => Number(b.r.entry.resourceType === 'Patient') - Number(a.r.entry.resourceType === 'Patient'));
  for (const c of ordered) refs.set(c.r.entry.index, writeVersion(plan, found, c, now, patients, out));
  removeDropped(plan, found, contents, now, out);
  out.versions.sort((a, b) => compare(key(a.resourceType, a.id), key(b.resourceType, b.id)));
  for (const r of resolved) {
    const ref = refs.get(r.entry.index);
    if (ref) out.written.push(r.entry.shared ? { ...ref, shared: true } : ref);
    const current = live(found, r.entry.resourceType, r.id);
    if (r.kept) out.results.push({ ref: { resourceType: r.entry.resourceType, id: r.id, versionId: current?.versionId ?? 1 }, status: 200 });
    else if (ref) out.results.push({ ref: { resourceType: ref.resourceType, id: ref.id, versionId: ref.versionId }, status: current ? 200 : 201 });
  }
  return out;
}

/** One entry: unchanged content keeps its version; anything else is the next version with its rows. */
function writeVersion(plan: WritePlan, found: Found, c: Content, now: string, patients: Patients, out: Decision): VersionRef {
  const { resourceType } = c.r.entry;
  const id = c.r.id;
  const current = found.current.get(key(resourceType, id));
  const isPatient = resourceType === 'Patient';
  const subject = isPatient ? null : subjectPatientId(c.content);
  const residence = isPatient ? villageCodeOf(c.content) : subject === null ? null : patients.get(subject).residence;
  if (current && !current.deleted && current.content && sameContent(current.content, c.content)) {
    if (isPatient) patients.set(id, current.residence, undefined);
    return { resourceType, id, versionId: current.versionId };
  }
  const versionId = (current?.versionId ?? 0) + 1;
  const lastUpdated = after(current?.lastUpdated, now);
  const content = { ...c.content, meta: { ...c.r.entry.resource.meta, versionId: String(versionId), lastUpdated } } as Resource;
  out.versions.push({ resourceType, id, versionId, lastUpdated, content, organizationId: plan.organizationId, residence, exists: current !== undefined });
  for (const i of identifiersOf(content)) out.identifiers.push({ resourceType, id, ...i });
  const rows = searchRowsOf(content, (patient) => patients.get(patient).region, out.search);
  if (isPatient) {
    patients.set(id, residence, rows?.region ?? []);
    if (current && rows && regionChanged(current.region ?? [], rows.region)) out.regionChanged.push(id);
  }
  return { resourceType, id, versionId };
}

/**
 * Deletes what the previous version of a submission wrote and the new one no longer does.
 * Resources found by identifier (the Patient) belong to every visit that names them and stay.
 */
function removeDropped(plan: WritePlan, found: Found, contents: Content[], now: string, out: Decision): void {
  const kept = new Set(contents.map((c) => key(c.r.entry.resourceType, c.r.id)));
  for (const ref of found.previous) {
    if (ref.shared || kept.has(key(ref.resourceType, ref.id))) continue;
    const current = found.current.get(key(ref.resourceType, ref.id));
    if (!current || current.deleted) continue;
    if (current.organizationId && current.organizationId !== plan.organizationId) foreignOwner(key(ref.resourceType, ref.id), plan.organizationId);
    const versionId = current.versionId + 1;
    // The deletion keeps the residence of what it deletes: whoever could read the resource sees it gone (410).
    out.versions.push({ resourceType: ref.resourceType, id: ref.id, versionId, lastUpdated: after(current.lastUpdated, now), content: null, organizationId: plan.organizationId, residence: current.residence, exists: true });
    out.removed.push({ resourceType: ref.resourceType, id: ref.id, versionId });
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
