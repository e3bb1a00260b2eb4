import type { CodeableConcept } from 'fhir/r4';
import { interpret } from '../catalog/interpret';
import type { Band, CatalogueItem, Flag } from '../catalog/types';
import { SYSTEMS } from '../fhir/canonical';
import { Issue, issue } from '../kernel';
import type { ItemValue } from '../intake/submission';
import type { MappingContext } from './context';

const FLAG_DISPLAY: Record<Flag, string> = {
  N: 'Normal', A: 'Abnormal', AA: 'Critical abnormal', H: 'High', HH: 'Critical high',
  L: 'Low', LL: 'Critical low', POS: 'Positive', NEG: 'Negative', IND: 'Indeterminate',
};

const flagConcept = (flag: Flag): CodeableConcept => ({ coding: [{ system: SYSTEMS.v3Interpretation, code: flag, display: FLAG_DISPLAY[flag] }] });
const bandConcept = (band: Band): CodeableConcept => ({ coding: [band.category], text: band.label });

export interface ItemInterpretation {
  /** Observation.interpretation: the v3 flag, then the clinical category when the catalogue's result is used. */
  concepts: CodeableConcept[];
  /** The catalogue band reached (drives follow-ups), also when the vendor's own flag is kept. */
  band?: Band;
  warning?: Issue;
}

/**
 * The catalogue thresholds decide the interpretation; a vendor's own interpretation wins when it
 * disagrees (the clinician saw the patient), with a warning so the disagreement is visible.
 */
export function interpretItem(ctx: MappingContext, item: CatalogueItem, value: ItemValue, vendorFlag: Flag | undefined, path: string): ItemInterpretation {
  const computed = interpret(item, value, ctx.interpretContext);
  if (!vendorFlag) return computed ? { concepts: [flagConcept(computed.flag), bandConcept(computed.band)], band: computed.band } : { concepts: [] };
  if (!computed) return { concepts: [flagConcept(vendorFlag)] };
  if (computed.flag === vendorFlag) return { concepts: [flagConcept(vendorFlag), bandConcept(computed.band)], band: computed.band };
  // The vendor's flag is what the record says, but a follow-up the guideline calls for (a referral
  // for preeclampsia, a TB test) is kept: missing one is worse than an extra activity to dismiss.
  return {
    concepts: [flagConcept(vendorFlag)],
    band: computed.band,
    warning: issue('WARN-INTERPRETATION-DISAGREES', {
      vendor: vendorFlag, item: item.code, computed: `${computed.flag} ${computed.band.label}`, rule: computed.rule.source,
    }, `${path}.interpretation`),
  };
}
