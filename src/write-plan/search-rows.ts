import type { Resource } from 'fhir/r4';
import { isSearchable, REGION_STORAGE_CODES } from '../fhir/search-parameters';
import { indexRows, type DateRow, type QuantityRow, type ReferenceRow, type StringRow, type TokenRow } from '../fhir/search-values';

/**
 * The search-index rows of one resource version, computed once (the extractor, src/fhir/search-values.ts,
 * runs once per version) and collected per table for the store's set-based insert. Design:
 * docs/decisions/0007-search.md; the rows mirror the current version.
 */

type Keyed<T> = T & { resourceType: string; id: string };

export interface SearchRows {
  token: Keyed<TokenRow>[];
  string: Keyed<StringRow>[];
  reference: Keyed<ReferenceRow>[];
  date: Keyed<DateRow>[];
  quantity: Keyed<QuantityRow>[];
}

/** Region rows copied from a Patient: the four levels, or the one `area` row of a consistent address (decision 0007). */
export const REGION_CODES: readonly string[] = REGION_STORAGE_CODES;

/**
 * Adds the rows of `resource` to `out`. A clinical resource also carries its subject Patient's
 * region tokens (`regionOf`: as this plan writes the Patient, else as stored), so a district
 * search finds it. Returns the resource's own region tokens (for a Patient), or undefined when the
 * type is not searchable.
 */
export function searchRowsOf(resource: Resource & { id?: string }, regionOf: (patientId: string) => TokenRow[], out: SearchRows): { region: TokenRow[] } | undefined {
  if (!isSearchable(resource.resourceType) || resource.id === undefined) return undefined;
  const rows = indexRows(resource);
  const k = { resourceType: resource.resourceType, id: resource.id };
  const patient = resource.resourceType === 'Patient' ? null : rows.reference.find((r) => r.code === 'subject' && r.target_type === 'Patient')?.target_id ?? null;
  const copied = patient === null ? [] : regionOf(patient);
  for (const r of [...rows.token, ...copied]) out.token.push({ ...k, ...r });
  for (const r of rows.string) out.string.push({ ...k, ...r });
  for (const r of rows.reference) out.reference.push({ ...k, ...r });
  for (const r of rows.date) out.date.push({ ...k, ...r });
  for (const r of rows.quantity) out.quantity.push({ ...k, ...r });
  return { region: rows.token.filter((t) => REGION_CODES.includes(t.code)) };
}

const regionKey = (rows: readonly TokenRow[]): string => rows.map((r) => `${r.code}=${r.system}|${r.value}`).sort().join(',');

export function regionChanged(before: readonly TokenRow[], now: readonly TokenRow[]): boolean {
  return regionKey(before) !== regionKey(now);
}
