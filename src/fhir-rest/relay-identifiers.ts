import type { Bundle, BundleEntry, Identifier } from 'fhir/r4';
import { kemkesIdentifierSystem } from '../fhir/canonical';
import { payloadHash } from '../kernel';

/**
 * SATUSEHAT leaves `identifier` optional on Observation, Condition and CarePlan (satusehat-api.md
 * §3.2–3.4), so the ILP profiles do not require it of a FHIR-native vendor. The relay, though,
 * finds a resource again after a lost answer by its organisation identifier
 * (`http://sys-ids.kemkes.go.id/{type}/{org}`, relay/deliver.ts). So the transaction intake adds
 * one to each such entry that has none, deterministically: the same Bundle sent twice gets the
 * same identifiers (a retry finds what the first attempt created), derived from the Bundle's
 * identifier and the entry (its fullUrl, else its position), or, for a Bundle without identifier,
 * from a hash of the entry's content. Decision record 0016.
 */

const TYPES = { Observation: 'observation', Condition: 'condition', CarePlan: 'careplan' } as const;
type IdentifiedType = keyof typeof TYPES;

const isIdentifiedType = (t: string): t is IdentifiedType => Object.prototype.hasOwnProperty.call(TYPES, t);

/** The value for one entry: `<bundle identifier value>.<fullUrl id or index>`, or `h.<hash>` without a Bundle identifier. */
export function relayIdentifierValue(bundle: Bundle, entry: BundleEntry, index: number): string {
  const bundleValue = bundle.identifier?.value;
  if (bundleValue) {
    const local = entry.fullUrl ? entry.fullUrl.replace(/^urn:uuid:/, '').replace(/^.*\//, '') : String(index);
    return `${bundleValue}.${local}`.slice(0, 256);
  }
  // The kernel's canonical-JSON hash (the same one that keys idempotent re-sends), not a second copy of it.
  const digest = payloadHash(entry.resource).slice(0, 32);
  return `h.${digest}`;
}

/**
 * A copy of the transaction Bundle in which every Observation, Condition and CarePlan entry
 * carries an identifier of `organizationId`'s sys-ids system (entries that have one are left as
 * they are). The input is not modified.
 */
export function withRelayIdentifiers(bundle: Bundle, organizationId: string): Bundle {
  let changed = false;
  const entry = (bundle.entry ?? []).map((e, index): BundleEntry => {
    const r = e.resource;
    if (!r || !isIdentifiedType(r.resourceType)) return e;
    const system = kemkesIdentifierSystem(TYPES[r.resourceType], organizationId);
    const own = (r as { identifier?: Identifier[] }).identifier ?? [];
    if (own.some((i) => i.system === system && typeof i.value === 'string')) return e;
    changed = true;
    const identifier: Identifier[] = [...own, { system, value: relayIdentifierValue(bundle, e, index) }];
    return { ...e, resource: { ...r, identifier } as typeof r };
  });
  return changed ? { ...bundle, entry } : bundle;
}
