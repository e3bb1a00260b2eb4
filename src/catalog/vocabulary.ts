import type { ClusterNo } from './types';

/**
 * Encounter-level vocabulary of the ILP intake API: settings, visit types, visit ordinals,
 * practitioner roles, diagnosis statuses and care-plan activity kinds. Like the screening items,
 * these are data: the intake schema, the OpenAPI document and the mapping derive from them.
 */

export interface SettingDef {
  code: string;
  display: string;
  /** Encounter.class (v3 ActCode). Outreach is sent as AMB: SATUSEHAT documents AMB, EMER, IMP, HH,
   * TELE and OBSENC only (satusehat-api §3.1), and FLD is unverified there (ilp-domain §5.4). */
  encounterClass: 'AMB' | 'HH';
}

export const SETTINGS: readonly SettingDef[] = [
  { code: 'puskesmas', display: 'Puskesmas', encounterClass: 'AMB' },
  { code: 'pustu', display: 'Puskesmas Pembantu (Pustu)', encounterClass: 'AMB' },
  { code: 'posyandu', display: 'Posyandu', encounterClass: 'AMB' },
  { code: 'kunjungan-rumah', display: 'Kunjungan rumah (home visit)', encounterClass: 'HH' },
  { code: 'sekolah', display: 'Sekolah (UKS/M)', encounterClass: 'AMB' },
  { code: 'pos-ukk', display: 'Pos Upaya Kesehatan Kerja', encounterClass: 'AMB' },
  { code: 'fktp-jejaring', display: 'FKTP jejaring', encounterClass: 'AMB' },
];

export const ENCOUNTER_CLASS_DISPLAY: Record<SettingDef['encounterClass'], string> = {
  AMB: 'ambulatory',
  HH: 'home health',
};

export interface VisitTypeDef {
  code: string;
  display: string;
  /** Allowed visitOrdinal codes; empty → visitOrdinal must be absent. */
  ordinals: readonly string[];
  /** Identifier system SATUSEHAT uses for the ordinal (ANC visit status, ilp-domain §4.1). */
  ordinalSystem?: string;
}

export const VISIT_TYPES: readonly VisitTypeDef[] = [
  { code: 'sehat', display: 'Kunjungan sehat', ordinals: [] },
  { code: 'sakit', display: 'Kunjungan sakit', ordinals: [] },
  { code: 'kontrol', display: 'Kontrol penyakit kronis', ordinals: [] },
  { code: 'skrining', display: 'Skrining', ordinals: [] },
  {
    code: 'anc', display: 'Antenatal care', ordinals: ['K1A', 'K1M', 'K2', 'K3', 'K4', 'K5', 'K6'],
    ordinalSystem: 'http://terminology.kemkes.go.id/CodeSystem/episodeofcare/ANC',
  },
  // KF and KN ordinals travel like the ANC ones, under the Kemkes episode-of-care code systems for
  // puerperium and neonate (satusehat-api §4: /CodeSystem/episodeofcare/puerperium, …/neonate).
  {
    code: 'nifas', display: 'Kunjungan nifas', ordinals: ['KF1', 'KF2', 'KF3', 'KF4'],
    ordinalSystem: 'http://terminology.kemkes.go.id/CodeSystem/episodeofcare/puerperium',
  },
  {
    code: 'neonatal', display: 'Kunjungan neonatal', ordinals: ['KN1', 'KN2', 'KN3'],
    ordinalSystem: 'http://terminology.kemkes.go.id/CodeSystem/episodeofcare/neonate',
  },
  { code: 'imunisasi', display: 'Imunisasi', ordinals: [] },
  { code: 'kunjungan-rumah', display: 'Kunjungan rumah', ordinals: [] },
];

export const PRACTITIONER_ROLES = ['dokter', 'dokter-gigi', 'bidan', 'perawat', 'nutrisionis', 'sanitarian', 'analis', 'apoteker', 'kader', 'lainnya'] as const;

export const CLUSTERS: readonly { code: ClusterNo; display: string }[] = [
  { code: 1, display: 'Klaster 1: Manajemen' },
  { code: 2, display: 'Klaster 2: Ibu dan Anak' },
  { code: 3, display: 'Klaster 3: Usia Dewasa dan Lansia' },
  { code: 4, display: 'Klaster 4: Penanggulangan Penyakit Menular' },
  { code: 5, display: 'Lintas Klaster' },
];

/** Condition.verificationStatus codes vendors may send (condition-ver-status). */
export const DIAGNOSIS_STATUSES = ['provisional', 'differential', 'confirmed'] as const;

export const ACTIVITY_KINDS: readonly { code: string; display: string }[] = [
  { code: 'referral', display: 'Rujukan' },
  { code: 'follow-up', display: 'Tindak lanjut / kontrol' },
  { code: 'education', display: 'Edukasi / konseling' },
  { code: 'treatment', display: 'Tatalaksana / pengobatan' },
  { code: 'retest', display: 'Pemeriksaan ulang' },
  { code: 'home-visit', display: 'Kunjungan rumah' },
];

/**
 * Kemendagri province codes (Kepmendagri 300.2.2-2138/2025, ilp-domain §9.1). A NIK and a village
 * code both start with one of these.
 */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', '16', '17', '18', '19', '21',
  '31', '32', '33', '34', '35', '36', '51', '52', '53',
  '61', '62', '63', '64', '65', '71', '72', '73', '74', '75', '76',
  '81', '82', '91', '92', '93', '94', '95', '96',
]);

/** Life-cycle groups only a woman can be in (pregnancy, delivery, postpartum, women of reproductive age). */
export const FEMALE_ONLY_LIFE_CYCLES: ReadonlySet<string> = new Set(['ibu-hamil', 'ibu-bersalin', 'ibu-nifas', 'wus']);

/**
 * Age bands of the life-cycle groups (ilp-domain §3), in months, inclusive lower and exclusive
 * upper bound. Used only to warn a vendor when a group does not fit the patient's age.
 */
export const LIFE_CYCLE_AGE_MONTHS: Readonly<Record<string, { min: number; max: number }>> = {
  neonatus: { min: 0, max: 1 },
  bayi: { min: 0, max: 12 },
  balita: { min: 0, max: 60 },
  'anak-prasekolah': { min: 60, max: 84 },
  'anak-usia-sekolah': { min: 72, max: 216 },
  remaja: { min: 120, max: 216 },
  'usia-dewasa': { min: 216, max: 720 },
  lansia: { min: 720, max: 1800 },
  'ibu-hamil': { min: 120, max: 660 },
  'ibu-bersalin': { min: 120, max: 660 },
  'ibu-nifas': { min: 120, max: 660 },
  catin: { min: 120, max: 1800 },
  pus: { min: 180, max: 600 },
  wus: { min: 180, max: 600 },
};
