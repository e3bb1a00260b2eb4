import type { CodeableConcept, Observation } from 'fhir/r4';
import type { Band, CatalogueItem, Flag, ObservationCategory } from '../catalog/types';
import { SYSTEMS, kemkesIdentifierSystem } from '../fhir/canonical';
import type { Issue } from '../kernel';
import type { ItemValue } from '../intake/submission';
import type { MappingContext } from './context';
import { interpretItem } from './interpretation';

const CATEGORY_DISPLAY: Record<ObservationCategory, string> = {
  'vital-signs': 'Vital Signs', exam: 'Exam', laboratory: 'Laboratory', survey: 'Survey',
  'social-history': 'Social History', imaging: 'Imaging', procedure: 'Procedure',
};

export const observationRole = (code: string): string => `observation:${code}`;

type ObservationValue = Pick<Observation, 'valueQuantity' | 'valueInteger' | 'valueBoolean' | 'valueCodeableConcept' | 'valueString'>;

/** value[x] by the catalogue's value type; quantities carry UCUM (SATUSEHAT RuleNumber 10012). */
export function observationValue(item: CatalogueItem, value: ItemValue): ObservationValue {
  const spec = item.value;
  switch (spec.type) {
    case 'quantity':
      return { valueQuantity: { value: value as number, unit: spec.unit.display, system: SYSTEMS.ucum, code: spec.unit.code } };
    case 'integer':
      return spec.unit
        ? { valueQuantity: { value: value as number, unit: spec.unit.display, system: SYSTEMS.ucum, code: spec.unit.code } }
        : { valueInteger: value as number };
    case 'boolean':
      return { valueBoolean: value as boolean };
    case 'snellen':
      return { valueString: String(value) };
    case 'coded': {
      const option = spec.options.find((o) => o.value === value);
      const concept: CodeableConcept = option ? { coding: [option.coding], text: option.label } : { text: String(value) };
      return { valueCodeableConcept: concept };
    }
  }
}

export interface MappedObservation {
  resource: Observation;
  item: CatalogueItem;
  /** The value as the vendor sent it or the gateway computed it (for the `results` of the answer). */
  value: ItemValue;
  band?: Band;
  warning?: Issue;
}

export interface ObservationInput {
  item: CatalogueItem;
  value: ItemValue;
  timeUtc: string;
  path: string;
  vendorFlag?: Flag;
  method?: string;
  derivedFrom?: string[];
  /** Record the value without interpretation (a WHO-flagged implausible z-score). */
  uninterpreted?: boolean;
}

/** One Observation per item: category, LOINC/SNOMED/local code, UCUM value, computed interpretation. */
export function mapObservation(ctx: MappingContext, input: ObservationInput): MappedObservation {
  const { item } = input;
  const interpretation = input.uninterpreted ? { concepts: [] } : interpretItem(ctx, item, input.value, input.vendorFlag, input.path);
  const resource: Observation = {
    resourceType: 'Observation',
    id: ctx.id(observationRole(item.code)),
    identifier: [{ system: kemkesIdentifierSystem('observation', ctx.orgId), value: `${ctx.sub.raw.submissionId}.${item.code}` }],
    status: 'final',
    category: [{ coding: [{ system: SYSTEMS.observationCategory, code: item.category, display: CATEGORY_DISPLAY[item.category] }] }],
    code: { coding: [...item.codings], text: item.name.id },
    subject: ctx.patientRef,
    encounter: ctx.encounterRef,
    effectiveDateTime: input.timeUtc,
    issued: input.timeUtc > ctx.sub.endUtc ? input.timeUtc : ctx.sub.endUtc,
    performer: [ctx.practitionerRef],
    ...observationValue(item, input.value),
  };
  if (interpretation.concepts.length > 0) resource.interpretation = interpretation.concepts;
  if (item.bodySite) resource.bodySite = { coding: [item.bodySite] };
  if (input.method) resource.method = { text: input.method };
  if (input.derivedFrom) resource.derivedFrom = input.derivedFrom.map((reference) => ({ reference }));
  const out: MappedObservation = { resource, item, value: input.value };
  if ('band' in interpretation && interpretation.band) out.band = interpretation.band;
  if ('warning' in interpretation && interpretation.warning) out.warning = interpretation.warning;
  return out;
}
