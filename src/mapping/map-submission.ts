import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4';
import { derive } from '../catalog/derive';
import type { Catalogue, CatalogueItem } from '../catalog/types';
import { ILP } from '../fhir/canonical';
import type { Issue } from '../kernel';
import type { NormalisedSubmission } from '../intake/submission';
import { CatalogueFollowUp, mapCarePlan } from './care-plan';
import { diagnosisRole, mapConditions } from './condition';
import { MappingContext, createContext } from './context';
import { mapEncounter } from './encounter';
import { MappedObservation, mapObservation, observationRole } from './observation';
import { mapPatient } from './patient';

export interface MappedSubmission {
  /** Transaction Bundle: urn:uuid fullUrls, PUT Type/id entries (the Patient's id derived from organisation + NIK). */
  bundle: Bundle;
  warnings: Issue[];
}

function measuredObservations(ctx: MappingContext): MappedObservation[] {
  return ctx.sub.items.flatMap((i) => {
    const item = ctx.catalogue.items.get(i.code);
    if (!item) return [];
    return [mapObservation(ctx, { item, value: i.value, timeUtc: i.timeUtc, path: i.path, vendorFlag: i.vendorInterpretation, method: i.method })];
  });
}

/** Items the gateway computes (BMI, TB screening result) when all their inputs were measured. */
function derivedObservations(ctx: MappingContext): MappedObservation[] {
  const byCode = new Map(ctx.sub.items.map((i) => [i.code, i]));
  return [...ctx.catalogue.items.values()].flatMap((item: CatalogueItem) => {
    if (!item.derived) return [];
    const inputs = item.derived.inputs.map((code) => byCode.get(code));
    const value = derive(item.derived.formula, inputs.map((i) => i?.value));
    if (value === undefined) return [];
    const present = inputs.filter((i) => i !== undefined);
    const timeUtc = present.map((i) => i.timeUtc).sort().at(-1) ?? ctx.sub.startUtc;
    return [mapObservation(ctx, {
      item, value, timeUtc, path: present[0]?.path ?? 'screenings',
      derivedFrom: present.map((i) => ctx.urn(observationRole(i.code))),
    })];
  });
}

function entry(resource: FhirResource, fullUrl: string): BundleEntry {
  return { fullUrl, resource, request: { method: 'PUT', url: `${resource.resourceType}/${resource.id}` } };
}

/** Maps one normalised ILP visit onto a FHIR R4 transaction Bundle following SATUSEHAT conventions. */
export function mapSubmission(sub: NormalisedSubmission, catalogue: Catalogue): MappedSubmission {
  const ctx = createContext(sub, catalogue);
  const observations = [...measuredObservations(ctx), ...derivedObservations(ctx)];
  const conditions = mapConditions(ctx);
  const diagnosisUrns = (sub.raw.diagnoses ?? []).map((d) => ctx.urn(diagnosisRole(d.icd10)));
  const encounter = mapEncounter(ctx, diagnosisUrns);
  const followUps: CatalogueFollowUp[] = observations.flatMap((o) =>
    o.band?.followUp ? [{ followUp: o.band.followUp, reason: ctx.urn(observationRole(o.item.code)), group: o.item.followUpGroup }] : []);
  const carePlan = mapCarePlan(ctx, followUps);
  const patient = mapPatient(ctx);

  const entries: BundleEntry[] = [
    // The organisation's own Patient of this NIK, by its derived id (patient.ts, docs/decisions/0010).
    { fullUrl: ctx.urn('patient'), resource: patient, request: { method: 'PUT', url: `Patient/${patient.id ?? ''}` } },
    entry(encounter, ctx.urn('encounter')),
    ...observations.map((o) => entry(o.resource, ctx.urn(observationRole(o.item.code)))),
    ...conditions.map((c, i) => entry(c, diagnosisUrns[i]!)),
    ...(carePlan ? [entry(carePlan, ctx.urn('careplan'))] : []),
  ];
  return {
    bundle: {
      resourceType: 'Bundle',
      type: 'transaction',
      identifier: { system: `${ILP.submissionIdentifierSystem}/${sub.raw.organizationId}`, value: sub.raw.submissionId },
      entry: entries,
    },
    warnings: observations.flatMap((o) => (o.warning ? [o.warning] : [])),
  };
}
