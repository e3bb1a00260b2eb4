import type { Coding, Observation } from 'fhir/r4';
import type { Catalogue, CatalogueItem } from '../catalog/types';
import type { ItemValue } from '../intake/submission';
import type { MappedObservation } from './observation';

/**
 * What the gateway computed, told back to the vendor (202 answer, submission status, $validate):
 * one entry per Observation produced, measured and derived, in catalogue item codes, so a SIMPUS
 * can show z-scores, categories and N/T without implementing the WHO tables itself.
 */
export interface VisitResult {
  item: string;
  value: ItemValue;
  /** UCUM code of a quantity. */
  unit?: string;
  /** The v3 ObservationInterpretation flag, then the clinical category (Observation.interpretation). */
  interpretation: Coding[];
}

export function visitResults(observations: readonly MappedObservation[]): VisitResult[] {
  return observations.map((o) => {
    const unit = o.resource.valueQuantity?.code;
    return {
      item: o.item.code,
      value: o.value,
      ...(unit ? { unit } : {}),
      interpretation: (o.resource.interpretation ?? []).flatMap((c) => c.coding ?? []),
    };
  });
}

/** The vendor-facing value of a stored Observation (a coded answer back to its option value). */
function storedValue(o: Observation, item: CatalogueItem | undefined): ItemValue | undefined {
  if (o.valueQuantity?.value !== undefined) return o.valueQuantity.value;
  if (o.valueInteger !== undefined) return o.valueInteger;
  if (o.valueBoolean !== undefined) return o.valueBoolean;
  if (o.valueString !== undefined) return o.valueString;
  const coding = o.valueCodeableConcept?.coding?.[0];
  if (item?.value.type === 'coded' && coding) return item.value.options.find((opt) => opt.coding.system === coding.system && opt.coding.code === coding.code)?.value;
  return o.valueCodeableConcept?.text;
}

/**
 * The same results read back from the stored Observations of a submission (GET status): the item
 * code is the suffix of the Observation's SATUSEHAT identifier `<submissionId>.<item code>`
 * (mapping/observation.ts), so nothing beyond the resources needs storing.
 */
export function resultsFromStored(observations: readonly Observation[], submissionId: string, catalogue: Catalogue): VisitResult[] {
  return observations.flatMap((o) => {
    const value = o.identifier?.find((i) => i.value?.startsWith(`${submissionId}.`))?.value;
    const code = value?.slice(submissionId.length + 1);
    if (!code) return [];
    const item = catalogue.items.get(code);
    const v = storedValue(o, item);
    if (v === undefined) return [];
    const unit = o.valueQuantity?.code;
    return [{ item: code, value: v, ...(unit ? { unit } : {}), interpretation: (o.interpretation ?? []).flatMap((c) => c.coding ?? []) }];
  });
}
