import type { Bundle } from 'fhir/r4';
import { rewriteReferences } from '../fhir/references';
import { planBundle } from './bundle-plan';
import { deleteResource, writeResource } from './resource-writer';
import type { StoredRef } from './rows';
import { containsNul, type Sql } from './sql';
import { nulCharacter } from './store-errors';

/**
 * Writes every entry of a transaction Bundle (inside the caller's transaction) and returns what
 * was written, in Bundle order. Rows are locked in (type, id) order rather than Bundle order, so
 * two Bundles naming the same resources in a different order do not deadlock.
 */
export async function writeBundle(sql: Sql, bundle: Bundle, now: string): Promise<StoredRef[]> {
  const plan = await planBundle(sql, bundle);
  const byIndex = new Map<number, StoredRef>();
  const lockOrder = [...plan.writes].sort((a, b) => compare(`${a.resourceType}/${a.id}`, `${b.resourceType}/${b.id}`));
  for (const w of lockOrder) {
    const content = rewriteReferences(w.resource, plan.references);
    if (containsNul(content)) nulCharacter(`Bundle.entry[${w.index}].resource`);
    const ref = await writeResource(sql, w.resourceType, w.id, content, now);
    byIndex.set(w.index, w.shared ? { ...ref, shared: true } : ref);
  }
  return plan.writes.flatMap((w) => byIndex.get(w.index) ?? []);
}

/**
 * Deletes what the previous version of a submission wrote and the new one no longer does.
 * Resources found by identifier (the Patient) belong to every visit that names them and stay.
 */
export async function removeDropped(sql: Sql, previous: StoredRef[], current: StoredRef[], now: string): Promise<StoredRef[]> {
  const kept = new Set(current.map((r) => `${r.resourceType}/${r.id}`));
  const removed: StoredRef[] = [];
  for (const ref of previous) {
    if (ref.shared || kept.has(`${ref.resourceType}/${ref.id}`)) continue;
    const deleted = await deleteResource(sql, ref.resourceType, ref.id, now);
    if (deleted) removed.push(deleted);
  }
  return removed;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
