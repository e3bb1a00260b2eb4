import type { Coding, Immunization } from 'fhir/r4';
import { KFA_SYSTEM, VACCINE_CODE_SYSTEM, findVaccine } from '../catalog/vaccines';
import type { NormalisedImmunization } from '../intake/submission';
import type { MappingContext } from './context';

/** SATUSEHAT identifier system of the organisation's immunisations (satusehat-api §2.1 pattern). */
export const immunizationIdentifierSystem = (orgId: string): string => `http://sys-ids.kemkes.go.id/immunization/${orgId}`;
export const immunizationRole = (vaccine: string): string => `immunization:${vaccine}`;

/**
 * One Immunization per dose (SATUSEHAT takes doses as Immunization resources, ilp-domain §5.4):
 * completed, occurrence in UTC, the KFA vaccine code when the registry knows it beside our local
 * KIA short name, the dose number in its series. "Imunisasi dasar lengkap" is left to the PWS
 * engine, which counts these dose facts over the child's history (docs/decisions/0014).
 */
export function mapImmunization(ctx: MappingContext, dose: NormalisedImmunization): Immunization {
  const def = findVaccine(dose.vaccine);
  const codings: Coding[] = [
    ...(def?.kfa ? [{ system: KFA_SYSTEM, code: def.kfa.code, display: def.kfa.display }] : []),
    { system: VACCINE_CODE_SYSTEM, code: dose.vaccine, display: def?.display ?? dose.vaccine },
  ];
  const resource: Immunization = {
    resourceType: 'Immunization',
    id: ctx.id(immunizationRole(dose.vaccine)),
    identifier: [{ system: immunizationIdentifierSystem(ctx.orgId), value: `${ctx.sub.raw.submissionId}.${dose.vaccine}` }],
    status: 'completed',
    vaccineCode: { coding: codings, text: def?.display ?? dose.vaccine },
    patient: ctx.patientRef,
    encounter: ctx.encounterRef,
    occurrenceDateTime: dose.occurrenceUtc,
    recorded: ctx.sub.endUtc,
    primarySource: true,
    performer: [{ actor: ctx.practitionerRef }],
    protocolApplied: [{ doseNumberPositiveInt: dose.doseNumber }],
  };
  if (dose.lotNumber) resource.lotNumber = dose.lotNumber;
  return resource;
}
