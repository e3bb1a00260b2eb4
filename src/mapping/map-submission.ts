import type { Bundle, BundleEntry, FhirResource } from 'fhir/r4';
import { CONTEXT_FORMULAS, derive } from '../catalog/derive';
import type { Catalogue, CatalogueItem } from '../catalog/types';
import { ILP } from '../fhir/canonical';
import type { Issue } from '../kernel';
import type { NormalisedItem, NormalisedSubmission } from '../intake/submission';
import { CatalogueFollowUp, mapCarePlan } from './care-plan';
import { diagnosisRole, mapConditions } from './condition';
import { MappingContext, createContext } from './context';
import { mapEncounter } from './encounter';
import { MappedObservation, mapObservation, observationRole } from './observation';
import { growthObservations } from './growth';
import { NO_HISTORY, type VisitHistory } from './history';
import { immunizationRole, mapImmunization } from './immunization';
import { mapPatient } from './patient';
import { patientConditionalUrl } from './patient-key';
import { visitResults, type VisitResult } from './results';
import { weightGainObservation } from './weight-gain';

export interface MappedSubmission {
  /** Transaction Bundle: urn:uuid fullUrls, PUT Type/id entries, the Patient by a conditional PUT on its identifiers (its id derived from organisation + NIK or newborn key). */
  bundle: Bundle;
  warnings: Issue[];
  /** One entry per Observation produced (measured and derived), for the vendor. */
  results: VisitResult[];
}

function measuredObservations(ctx: MappingContext): MappedObservation[] {
  return ctx.sub.items.flatMap((i) => {
    const item = ctx.catalogue.items.get(i.code);
    if (!item) return [];
    return [mapObservation(ctx, { item, value: i.value, timeUtc: i.timeUtc, path: i.path, vendorFlag: i.vendorInterpretation, method: i.method })];
  });
}

/**
 * Items the gateway computes from item values alone (BMI, TB screening result) when all their
 * inputs were measured and the item applies to a life-cycle group of the visit: a newborn gets no
 * adult BMI (its BMI-for-age z-score comes from the growth items).
 */
function derivedObservations(ctx: MappingContext, byCode: ReadonlyMap<string, NormalisedItem>): MappedObservation[] {
  return [...ctx.catalogue.items.values()].flatMap((item: CatalogueItem) => {
    if (!item.derived || Object.hasOwn(CONTEXT_FORMULAS, item.derived.formula)) return [];
    if (!ctx.sub.raw.lifeCycle.some((g) => item.lifeCycles.includes(g))) return [];
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
export function mapSubmission(sub: NormalisedSubmission, catalogue: Catalogue, history: VisitHistory = NO_HISTORY): MappedSubmission {
  const ctx = createContext(sub, catalogue);
  const byCode = new Map(sub.items.map((i) => [i.code, i]));
  const gain = weightGainObservation(ctx, byCode.get('body-weight'), history.weighings);
  const growth = growthObservations(ctx, byCode);
  const observations = [
    ...measuredObservations(ctx), ...derivedObservations(ctx, byCode), ...growth.observations,
    ...(gain ? [gain.observation] : []),
  ];
  const conditions = mapConditions(ctx);
  const diagnosisUrns = (sub.raw.diagnoses ?? []).map((d) => ctx.urn(diagnosisRole(d.icd10)));
  const encounter = mapEncounter(ctx, diagnosisUrns);
  const followUps: CatalogueFollowUp[] = observations.flatMap((o) =>
    o.band?.followUp ? [{ followUp: o.band.followUp, reason: ctx.urn(observationRole(o.item.code)), group: o.item.followUpGroup }] : []);
  for (const followUp of gain?.extra ?? []) followUps.push({ followUp, reason: ctx.urn(observationRole('weight-gain')) });
  const carePlan = mapCarePlan(ctx, followUps);
  const patient = mapPatient(ctx);

  const entries: BundleEntry[] = [
    // The organisation's own Patient, matched by any of its identifiers (NIK, newborn key) or created
    // with its derived id (patient.ts; docs/decisions/0010, 0014).
    { fullUrl: ctx.urn('patient'), resource: patient, request: { method: 'PUT', url: patientConditionalUrl(sub.raw.patient) } },
    entry(encounter, ctx.urn('encounter')),
    ...observations.map((o) => entry(o.resource, ctx.urn(observationRole(o.item.code)))),
    ...conditions.map((c, i) => entry(c, diagnosisUrns[i]!)),
    ...sub.immunizations.map((d) => entry(mapImmunization(ctx, d), ctx.urn(immunizationRole(d.vaccine)))),
    ...(carePlan ? [entry(carePlan, ctx.urn('careplan'))] : []),
  ];
  return {
    bundle: {
      resourceType: 'Bundle',
      type: 'transaction',
      identifier: { system: `${ILP.submissionIdentifierSystem}/${sub.raw.organizationId}`, value: sub.raw.submissionId },
      entry: entries,
    },
    warnings: [...observations.flatMap((o) => (o.warning ? [o.warning] : [])), ...growth.warnings],
    results: visitResults(observations),
  };
}
