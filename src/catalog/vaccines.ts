import { ILP_BASE } from '../fhir/canonical';

/**
 * The national routine immunisation schedule as data (KMK HK.01.07/MENKES/2015/2023 Tabel 7–8;
 * ilp-domain §4.2 for infants and baduta, §4.3 for BIAS at school): one entry per KIA-book short
 * name a vendor sends in `immunizations[].vaccine` (case-insensitive).
 *
 * vaccineCode: SATUSEHAT takes KFA codes (`http://sys-ids.kemkes.go.id/kfa`). Only one KFA vaccine
 * code is known to us with a source: VG139 (Td), from SATUSEHAT's ANC use case where T1–T5 are
 * Immunization resources with KFA VG139 (ilp-domain §4.1, [S5]). For every other vaccine the KFA code
 * is NOT known here and is not invented: `kfa` is absent, the Immunization carries only our local
 * vaccine code (CodeSystem ilp-vaccine) and the relay keeps it in the gateway (it is not sent to
 * SATUSEHAT until the KFA code is filled in here). docs/decisions/0014.
 */
export const KFA_SYSTEM = 'http://sys-ids.kemkes.go.id/kfa';
export const VACCINE_CODE_SYSTEM = `${ILP_BASE}/CodeSystem/ilp-vaccine`;

export interface VaccineDefinition {
  /** The KIA short name, upper case (HB0, OPV1, DPT-HB-HIB4, …). */
  code: string;
  display: string;
  /** Dose number in its series the name implies (OPV3 → 3); the vendor's doseNumber must agree. */
  dose: number;
  /** Recommended age in months (KMK Tabel 7–8), for docs and the PWS engine's IDL; schoolGrade for BIAS. */
  scheduleAgeMonths?: number;
  schedule: string;
  /** Part of "imunisasi dasar lengkap" (IDL, Tabel 7): counted by the PWS engine from the doses. */
  basic: boolean;
  kfa?: { code: string; display: string; source: string };
}

const v = (code: string, display: string, dose: number, schedule: string, basic: boolean, scheduleAgeMonths?: number): VaccineDefinition =>
  ({ code, display, dose, schedule, basic, ...(scheduleAgeMonths !== undefined ? { scheduleAgeMonths } : {}) });

export const VACCINES: readonly VaccineDefinition[] = [
  v('HB0', 'Hepatitis B dosis lahir (HB0)', 1, '< 24 jam', true, 0),
  v('BCG', 'BCG', 1, '< 1 bulan', true, 0),
  v('OPV1', 'Polio tetes (OPV/bOPV) 1', 1, '< 1 bulan', true, 0),
  v('OPV2', 'Polio tetes (OPV/bOPV) 2', 2, '2 bulan', true, 2),
  v('OPV3', 'Polio tetes (OPV/bOPV) 3', 3, '3 bulan', true, 3),
  v('OPV4', 'Polio tetes (OPV/bOPV) 4', 4, '4 bulan', true, 4),
  v('IPV1', 'Polio suntik (IPV) 1', 1, '4 bulan', true, 4),
  v('IPV2', 'Polio suntik (IPV) 2', 2, '9 bulan', true, 9),
  v('DPT-HB-HIB1', 'DPT-HB-Hib 1', 1, '2 bulan', true, 2),
  v('DPT-HB-HIB2', 'DPT-HB-Hib 2', 2, '3 bulan', true, 3),
  v('DPT-HB-HIB3', 'DPT-HB-Hib 3', 3, '4 bulan', true, 4),
  v('DPT-HB-HIB4', 'DPT-HB-Hib 4 (lanjutan baduta)', 4, '18–23 bulan', false, 18),
  v('PCV1', 'Pneumokokus konyugasi (PCV) 1', 1, '2 bulan', true, 2),
  v('PCV2', 'Pneumokokus konyugasi (PCV) 2', 2, '3 bulan', true, 3),
  v('PCV3', 'Pneumokokus konyugasi (PCV) 3', 3, '12 bulan', false, 12),
  v('RV1', 'Rotavirus (RV) 1', 1, '2 bulan', true, 2),
  v('RV2', 'Rotavirus (RV) 2', 2, '3 bulan', true, 3),
  v('RV3', 'Rotavirus (RV) 3', 3, '4 bulan', true, 4),
  v('MR1', 'Campak-Rubela (MR) 1', 1, '9 bulan', true, 9),
  v('MR2', 'Campak-Rubela (MR) 2 (lanjutan baduta)', 2, '18–23 bulan', false, 18),
  v('JE', 'Japanese Encephalitis (daerah endemis)', 1, '10 bulan', false, 10),
  {
    ...v('TD', 'Td (tetanus-difteri)', 1, 'BIAS kelas 2 dan 5 (November); WUS/ibu hamil sesuai status T', false),
    kfa: { code: 'VG139', display: 'Td', source: 'SATUSEHAT ANC use case (sid-indonesia/fhir-specification, Antenatal-Care Index.page.md): T1–T5 as Immunization with KFA VG139; ilp-domain §4.1' },
  },
  v('HPV1', 'Human papillomavirus (HPV) 1', 1, 'BIAS kelas 5 (Agustus), anak perempuan', false),
  v('HPV2', 'Human papillomavirus (HPV) 2', 2, 'BIAS kelas 6 (Agustus), anak perempuan', false),
];

const BY_CODE = new Map(VACCINES.map((x) => [x.code, x]));

/** Case-insensitive lookup of a KIA short name (`dpt-hb-hib1` → DPT-HB-HIB1). */
export function findVaccine(name: string): VaccineDefinition | undefined {
  return BY_CODE.get(name.trim().toUpperCase());
}
