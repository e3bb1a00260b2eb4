import type { Encounter, EncounterDiagnosis, Extension } from 'fhir/r4';
import { CLUSTERS, ENCOUNTER_CLASS_DISPLAY, SETTINGS, VISIT_TYPES, type SettingDef } from '../catalog/vocabulary';
import { ILP, SYSTEMS, kemkesIdentifierSystem } from '../fhir/canonical';
import type { MappingContext } from './context';

function ilpExtensions(ctx: MappingContext, setting: SettingDef | undefined): Extension[] {
  const s = ctx.sub.raw;
  const cluster = CLUSTERS.find((c) => c.code === s.cluster);
  return [
    { url: ILP.clusterExtension, valueCoding: { system: ILP.clusterCodeSystem, code: String(s.cluster), display: cluster?.display ?? '' } },
    ...s.lifeCycle.map((g): Extension => ({ url: ILP.lifeCycleExtension, valueCoding: { system: ILP.lifeCycleCodeSystem, code: g } })),
    { url: ILP.settingExtension, valueCoding: { system: ILP.settingCodeSystem, code: s.setting, display: setting?.display ?? s.setting } },
  ];
}

/**
 * SATUSEHAT requires the statuses arrived, in-progress and finished with their periods (RuleNumber
 * 10122; satusehat-api §3.1). ILP vendors report one visit window, so arrival and finishing are
 * instants at its edges and the visit itself is in progress in between.
 */
function statusHistory(start: string, end: string): Encounter['statusHistory'] {
  return [
    { status: 'arrived', period: { start, end: start } },
    { status: 'in-progress', period: { start, end } },
    { status: 'finished', period: { start: end, end } },
  ];
}

/** Outpatient visits carry the regular service class, as every SATUSEHAT outpatient example does (§6). */
const OUTPATIENT_SERVICE_CLASS: Extension = {
  url: 'https://fhir.kemkes.go.id/r4/StructureDefinition/ServiceClass',
  extension: [
    { url: 'value', valueCodeableConcept: { coding: [{ system: 'http://terminology.kemkes.go.id/CodeSystem/locationServiceClass-Outpatient', code: 'reguler', display: 'Kelas Reguler' }] } },
    { url: 'upgradeClassIndicator', valueCodeableConcept: { coding: [{ system: 'http://terminology.kemkes.go.id/CodeSystem/locationUpgradeClass', code: 'kelas-tetap', display: 'Kelas Tetap Perawatan' }] } },
  ],
};

/**
 * A finished SATUSEHAT Encounter carries a discharge disposition (RuleNumber 10318, §3.1). An ILP
 * visit ends with the patient going home; referrals travel in the CarePlan.
 */
const WENT_HOME = { dischargeDisposition: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'home', display: 'Home' }] } };

/**
 * The responsible health worker attends (ATND); a kader who recorded the visit is named beside
 * them as the data enterer (v3 ParticipationType ENT), by name only: a kader has no SATUSEHAT
 * Practitioner id, and none is invented.
 */
function participants(ctx: MappingContext): Encounter['participant'] {
  const out: NonNullable<Encounter['participant']> = [{
    type: [{ coding: [{ system: SYSTEMS.v3ParticipationType, code: 'ATND', display: 'attender' }] }],
    individual: ctx.practitionerRef,
  }];
  const recorder = ctx.sub.raw.recorder;
  if (recorder) out.push({
    type: [{ coding: [{ system: SYSTEMS.v3ParticipationType, code: 'ENT', display: 'data entry person' }], text: recorder.role }],
    individual: { display: recorder.name, ...(recorder.nik ? { identifier: { system: SYSTEMS.nik, value: recorder.nik } } : {}) },
  });
  return out;
}

export function mapEncounter(ctx: MappingContext, diagnosisUrns: string[]): Encounter {
  const s = ctx.sub.raw;
  const setting = SETTINGS.find((x) => x.code === s.setting);
  const visitType = VISIT_TYPES.find((v) => v.code === s.visitType);
  const klass = setting?.encounterClass ?? 'AMB';
  const period = { start: ctx.sub.startUtc, end: ctx.sub.endUtc };
  const encounter: Encounter = {
    resourceType: 'Encounter',
    id: ctx.id('encounter'),
    extension: ilpExtensions(ctx, setting),
    identifier: [{ system: kemkesIdentifierSystem('encounter', ctx.orgId), value: s.submissionId }],
    status: 'finished',
    statusHistory: statusHistory(period.start, period.end),
    class: { system: SYSTEMS.v3ActCode, code: klass, display: ENCOUNTER_CLASS_DISPLAY[klass] },
    type: [{ coding: [{ system: ILP.visitTypeCodeSystem, code: s.visitType, display: visitType?.display ?? s.visitType }] }],
    subject: ctx.patientRef,
    participant: participants(ctx),
    period,
    hospitalization: WENT_HOME,
    serviceProvider: { reference: `Organization/${ctx.orgId}` },
  };
  // The ANC visit status (K1A…K6) travels as an Encounter identifier in SATUSEHAT's ANC use case.
  if (s.visitOrdinal && visitType?.ordinalSystem) encounter.identifier?.push({ system: visitType.ordinalSystem, value: s.visitOrdinal });
  encounter.location = [{ location: { reference: `Location/${s.locationId}` }, period, extension: [OUTPATIENT_SERVICE_CLASS] }];
  if (diagnosisUrns.length > 0) encounter.diagnosis = diagnosisUrns.map((reference, i): EncounterDiagnosis => ({
    condition: { reference },
    use: { coding: [{ system: SYSTEMS.diagnosisRole, code: 'DD', display: 'Discharge diagnosis' }] },
    rank: i + 1,
  }));
  return encounter;
}
