/** Canonical URLs of the FHIR artefacts this gateway publishes in profiles/ and the systems it uses. */
export const ILP_BASE = 'https://ilp-gateway.github.io/fhir';

export const ILP = {
  /** Screening items with no standard code (and the catalogue codes themselves). */
  itemCodeSystem: `${ILP_BASE}/CodeSystem/ilp-screening-item`,
  interpretationCodeSystem: `${ILP_BASE}/CodeSystem/ilp-interpretation`,
  answerCodeSystem: `${ILP_BASE}/CodeSystem/ilp-answer`,
  clusterCodeSystem: `${ILP_BASE}/CodeSystem/ilp-cluster`,
  lifeCycleCodeSystem: `${ILP_BASE}/CodeSystem/ilp-life-cycle`,
  settingCodeSystem: `${ILP_BASE}/CodeSystem/ilp-setting`,
  visitTypeCodeSystem: `${ILP_BASE}/CodeSystem/ilp-visit-type`,
  activityKindCodeSystem: `${ILP_BASE}/CodeSystem/ilp-careplan-activity-kind`,
  clusterExtension: `${ILP_BASE}/StructureDefinition/ilp-cluster`,
  lifeCycleExtension: `${ILP_BASE}/StructureDefinition/ilp-life-cycle`,
  settingExtension: `${ILP_BASE}/StructureDefinition/ilp-setting`,
  sourceSystemExtension: `${ILP_BASE}/StructureDefinition/ilp-source-system`,
  submissionIdentifierSystem: `${ILP_BASE}/sid/submission`,
  /** A newborn without a NIK: `<mother's NIK>-<birth order>` (local key; never sent nationally). */
  newbornIdentifierSystem: `${ILP_BASE}/sid/newborn`,
} as const;

export const SYSTEMS = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  ucum: 'http://unitsofmeasure.org',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  nik: 'https://fhir.kemkes.go.id/id/nik',
  /** Mother's NIK on a newborn's Patient (satusehat-api §2.1, MPI search mode 3 in §2.2). */
  motherNik: 'https://fhir.kemkes.go.id/id/nik-ibu',
  ihsNumber: 'https://fhir.kemkes.go.id/id/ihs-number',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  v3Interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  v3ActCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  v3ParticipationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  diagnosisRole: 'http://terminology.hl7.org/CodeSystem/diagnosis-role',
  kemkesClinicalTerm: 'http://terminology.kemkes.go.id/CodeSystem/clinical-term',
  kemkesAncVisit: 'http://terminology.kemkes.go.id/CodeSystem/episodeofcare/ANC',
  administrativeCodeExtension: 'https://fhir.kemkes.go.id/r4/StructureDefinition/administrativeCode',
} as const;

/**
 * Code systems SATUSEHAT accepts in Observation.code (RuleNumber 10010, satusehat-rules.txt; Kemkes
 * clinical-term appears in its ANC examples). Items coded only in our own CodeSystem stay local.
 */
export const SATUSEHAT_OBSERVATION_CODE_SYSTEMS: ReadonlySet<string> = new Set([
  'http://loinc.org',
  'http://snomed.info/sct',
  'http://terminology.kemkes.go.id/CodeSystem/examination',
  'http://terminology.kemkes.go.id/CodeSystem/clinical-term',
]);

/** SATUSEHAT identifier systems are scoped by the facility's organisation id (satusehat-api §2.1). */
export function kemkesIdentifierSystem(type: 'encounter' | 'observation' | 'condition' | 'careplan', orgId: string): string {
  return `http://sys-ids.kemkes.go.id/${type}/${orgId}`;
}
