import type { Condition } from 'fhir/r4';
import { SYSTEMS, kemkesIdentifierSystem } from '../fhir/canonical';
import type { MappingContext } from './context';

const VERIFICATION_DISPLAY: Record<string, string> = { provisional: 'Provisional', differential: 'Differential', confirmed: 'Confirmed' };

export const diagnosisRole = (icd10: string): string => `condition:${icd10}`;

/** One Condition per diagnosis (satusehat-api §3.3); "terduga" diagnoses arrive as provisional. */
export function mapConditions(ctx: MappingContext): Condition[] {
  return (ctx.sub.raw.diagnoses ?? []).map((d) => {
    const condition: Condition = {
      resourceType: 'Condition',
      id: ctx.id(diagnosisRole(d.icd10)),
      identifier: [{ system: kemkesIdentifierSystem('condition', ctx.orgId), value: `${ctx.sub.raw.submissionId}.${d.icd10}` }],
      clinicalStatus: { coding: [{ system: SYSTEMS.conditionClinical, code: 'active', display: 'Active' }] },
      verificationStatus: { coding: [{ system: SYSTEMS.conditionVerification, code: d.status, display: VERIFICATION_DISPLAY[d.status] ?? d.status }] },
      category: [{ coding: [{ system: SYSTEMS.conditionCategory, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] }],
      code: { coding: [{ system: SYSTEMS.icd10, code: d.icd10 }] },
      subject: ctx.patientRef,
      encounter: ctx.encounterRef,
      onsetDateTime: ctx.sub.startUtc,
      recordedDate: ctx.sub.endUtc,
    };
    if (d.note) condition.note = [{ text: d.note }];
    return condition;
  });
}
