import type { CodeableConcept, Resource } from 'fhir/r4';
import { SATUSEHAT_OBSERVATION_CODE_SYSTEMS, SYSTEMS } from '../fhir/canonical';

/**
 * What of a stored visit SATUSEHAT can take. Observations coded only in our own CodeSystem (SRQ-20,
 * PUMA, KPSP, TB symptoms…) would fail RuleNumber 10010 and, a transaction being all-or-nothing
 * (§5.4), sink the whole visit: they stay in the gateway (FHIR API, Bulk export, PWS) until Kemkes
 * publishes codes for them.
 */
export function isNationallyCoded(resource: Resource): boolean {
  // A dose whose KFA vaccine code is not known yet (catalog/vaccines.ts) stays in the gateway.
  if (resource.resourceType === 'Immunization') {
    return ((resource as { vaccineCode?: CodeableConcept }).vaccineCode?.coding ?? []).some((c) => c.system === 'http://sys-ids.kemkes.go.id/kfa');
  }
  if (resource.resourceType !== 'Observation') return true;
  const codings = (resource as { code?: CodeableConcept }).code?.coding ?? [];
  return codings.length > 0 && codings.every((c) => SATUSEHAT_OBSERVATION_CODE_SYSTEMS.has(c.system ?? ''));
}

const NATIONAL_INTERPRETATION_SYSTEMS = new Set([SYSTEMS.v3Interpretation, SYSTEMS.snomed, SYSTEMS.kemkesClinicalTerm]);

type Json = Record<string, unknown>;

/**
 * Removes from an outgoing resource what SATUSEHAT cannot resolve or does not know: references to
 * resources that are not sent (a CarePlan activity citing a local-only Observation, a BMI derived
 * from one) and interpretation categories coded only in our CodeSystem.
 */
export function forNationalPlatform(resource: Resource, unsent: ReadonlySet<string>): Resource {
  const r = structuredClone(resource) as unknown as Json;
  const keep = (ref: unknown) => !(ref && typeof ref === 'object' && unsent.has(String((ref as Json).reference)));
  if (Array.isArray(r.derivedFrom)) r.derivedFrom = r.derivedFrom.filter(keep);
  if (Array.isArray(r.derivedFrom) && r.derivedFrom.length === 0) delete r.derivedFrom;
  if (Array.isArray(r.activity)) {
    for (const a of r.activity as Json[]) {
      const detail = a.detail as Json | undefined;
      if (detail && Array.isArray(detail.reasonReference)) {
        detail.reasonReference = detail.reasonReference.filter(keep);
        if ((detail.reasonReference as unknown[]).length === 0) delete detail.reasonReference;
      }
    }
  }
  if (Array.isArray(r.interpretation)) {
    r.interpretation = (r.interpretation as CodeableConcept[]).filter((c) => (c.coding ?? []).some((x) => NATIONAL_INTERPRETATION_SYSTEMS.has(x.system as never)));
    if ((r.interpretation as unknown[]).length === 0) delete r.interpretation;
  }
  return r as unknown as Resource;
}
