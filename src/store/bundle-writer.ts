import type { Bundle, Resource } from 'fhir/r4';
import { rewriteReferences } from '../fhir/references';
import { subjectPatientId, villageCodeOf } from '../fhir/residence';
import { planBundle, type PlannedWrite } from './bundle-plan';
import { deleteResource, writeResource } from './resource-writer';
import type { StoredRef } from './rows';
import { containsNul, json, type Sql } from './sql';
import { foreignOwner, nulCharacter } from './store-errors';

/**
 * Writes every entry of a transaction Bundle (inside the caller's transaction) for one
 * organisation and returns what was written, in Bundle order. Rows are locked in (type, id) order
 * rather than Bundle order, so two Bundles naming the same resources in a different order do not
 * deadlock. Every version records its organisation and its subject Patient's residence
 * (docs/decisions/0010); a reference to another organisation's resource is refused (403).
 */
export async function writeBundle(sql: Sql, bundle: Bundle, now: string, organizationId: string): Promise<StoredRef[]> {
  const plan = await planBundle(sql, bundle, organizationId);
  const contents = new Map(plan.writes.map((w) => [w.index, rewriteReferences(w.resource, plan.references)]));
  await checkReferences(sql, plan.writes, contents, organizationId);
  const residences = await residencesOf(sql, plan.writes, contents);
  const byIndex = new Map<number, StoredRef>();
  const lockOrder = [...plan.writes].sort((a, b) => compare(`${a.resourceType}/${a.id}`, `${b.resourceType}/${b.id}`));
  for (const w of lockOrder) {
    const content = contents.get(w.index) ?? w.resource;
    if (containsNul(content)) nulCharacter(`Bundle.entry[${w.index}].resource`);
    const residence = residences.get(w.index) ?? null;
    const ref = await writeResource(sql, w.resourceType, w.id, content, now, { organizationId, residence });
    byIndex.set(w.index, w.shared ? { ...ref, shared: true } : ref);
  }
  return plan.writes.flatMap((w) => byIndex.get(w.index) ?? []);
}

/**
 * The residence of each write: a Patient's own village code; for anything else its subject
 * Patient's, from this Bundle when it writes that Patient, else as stored.
 */
async function residencesOf(sql: Sql, writes: PlannedWrite[], contents: Map<number, Resource>): Promise<Map<number, string | null>> {
  const patients = new Map<string, string | null>();
  for (const w of writes) if (w.resourceType === 'Patient') patients.set(w.id, villageCodeOf(contents.get(w.index) ?? w.resource));
  const out = new Map<number, string | null>();
  for (const w of writes) {
    if (w.resourceType === 'Patient') {
      out.set(w.index, patients.get(w.id) ?? null);
      continue;
    }
    const subject = subjectPatientId(contents.get(w.index) ?? w.resource);
    if (subject === null) continue;
    if (!patients.has(subject)) {
      const [row] = await sql.rows<{ residence: string | null }>(`SELECT residence FROM resource WHERE resource_type = 'Patient' AND id = $1`, [subject]);
      patients.set(subject, row?.residence ?? null);
    }
    out.set(w.index, patients.get(subject) ?? null);
  }
  return out;
}

/** Literal `Type/id` references of a resource (after urn:uuid rewriting). */
export function literalReferences(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) literalReferences(v, out);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'reference' && typeof child === 'string' && /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(child)) out.add(child);
    else literalReferences(child, out);
  }
}

/**
 * A vendor may not attach its resources to another organisation's (an Observation on their
 * Patient, a Condition on their Encounter): every reference to a stored resource must name one of
 * the writer's own (or one from before ownership was recorded). Types the gateway does not store
 * (Practitioner, Organization) are not found and pass.
 */
async function checkReferences(sql: Sql, writes: PlannedWrite[], contents: Map<number, Resource>, organizationId: string): Promise<void> {
  const refs = new Set<string>();
  for (const w of writes) literalReferences(contents.get(w.index) ?? w.resource, refs);
  for (const w of writes) refs.delete(`${w.resourceType}/${w.id}`);
  await assertOwned(sql, refs, organizationId);
}

/** 403 (AUTH-OWNER) when any of `refs` (`Type/id`) is a stored resource of another organisation. */
export async function assertOwned(sql: Sql, refs: ReadonlySet<string>, organizationId: string): Promise<void> {
  if (refs.size === 0) return;
  const keys = [...refs].map((r) => ({ t: r.slice(0, r.indexOf('/')), i: r.slice(r.indexOf('/') + 1) }));
  const [foreign] = await sql.rows<{ resource_type: string; id: string }>(
    `SELECT r.resource_type, r.id FROM jsonb_to_recordset($1::jsonb) AS k(t text, i text)
       JOIN resource r ON r.resource_type = k.t AND r.id = k.i
      WHERE r.organization_id IS NOT NULL AND r.organization_id <> $2 LIMIT 1`,
    [json(keys), organizationId],
  );
  if (foreign) foreignOwner(`${foreign.resource_type}/${foreign.id}`, organizationId);
}

/**
 * Deletes what the previous version of a submission wrote and the new one no longer does.
 * Resources found by identifier (the Patient) belong to every visit that names them and stay.
 */
export async function removeDropped(sql: Sql, previous: StoredRef[], current: StoredRef[], now: string, organizationId: string): Promise<StoredRef[]> {
  const kept = new Set(current.map((r) => `${r.resourceType}/${r.id}`));
  const removed: StoredRef[] = [];
  for (const ref of previous) {
    if (ref.shared || kept.has(`${ref.resourceType}/${ref.id}`)) continue;
    const deleted = await deleteResource(sql, ref.resourceType, ref.id, now, organizationId);
    if (deleted) removed.push(deleted);
  }
  return removed;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
