import type { ClusterNo } from './types';

/**
 * Indicators an item or a screening counts toward. SPM = the 12 kab/kota health services of the
 * Standar Pelayanan Minimal (PP 2/2018; PMK 4/2019, replaced by PMK 6/2024; ilp-domain §7);
 * PWS = village (desa/kelurahan) monitoring on the ILP dashboards (KMK HK.01.07/MENKES/2015/2023
 * BAB X; ilp-domain §8). A tag only says "this result is an input"; the PWS module applies `rule`
 * (eligibility, residence, completeness) to decide what counts.
 */
export interface IndicatorDefinition {
  code: string;
  kind: 'SPM' | 'PWS';
  name: { en: string; id: string };
  cluster: ClusterNo;
  /** One-line counting rule (numerator / denominator), for reviewers and the PWS module. */
  rule: string;
}

const spm = (n: number, cluster: ClusterNo, en: string, id: string, rule: string): IndicatorDefinition =>
  ({ code: `SPM-${String(n).padStart(2, '0')}`, kind: 'SPM', name: { en, id }, cluster, rule });

const pws = (code: string, cluster: ClusterNo, en: string, id: string, rule: string): IndicatorDefinition =>
  ({ code: `PWS-${code}`, kind: 'PWS', name: { en, id }, cluster, rule });

export const INDICATORS: readonly IndicatorDefinition[] = [
  spm(1, 2, 'Health services for pregnant women', 'Pelayanan kesehatan ibu hamil',
    'Pregnant women with ANC to standard (ILP: ≥6 contacts 1-2-3 with 10T, 2 with a doctor) / sasaran ibu hamil'),
  spm(2, 2, 'Health services for women giving birth', 'Pelayanan kesehatan ibu bersalin',
    'Births with standard care at a health facility / sasaran ibu bersalin'),
  spm(3, 2, 'Health services for newborns', 'Pelayanan kesehatan bayi baru lahir',
    'Newborns 0–28 days with KN1–KN3 to standard / sasaran bayi (live births)'),
  spm(4, 2, 'Health services for under-fives', 'Pelayanan kesehatan balita',
    'Children 12–59 months with ≥8 weighings, 2 development checks, 2 vitamin A doses and complete immunisation / sasaran balita'),
  spm(5, 2, 'Health services for basic-education age', 'Pelayanan kesehatan pada usia pendidikan dasar',
    'Children 7–15 years screened (penjaringan / pemeriksaan berkala) in the year / sasaran usia pendidikan dasar'),
  spm(6, 3, 'Health services for productive age', 'Pelayanan kesehatan pada usia produktif',
    'Residents 15–59 years with ≥1 PTM/PM risk-factor screening in the year / sasaran usia 15–59'),
  spm(7, 3, 'Health services for the elderly', 'Pelayanan kesehatan pada usia lanjut',
    'Residents ≥60 years with ≥1 geriatric screening in the year / sasaran usia ≥60'),
  spm(8, 3, 'Health services for people with hypertension', 'Pelayanan kesehatan penderita hipertensi',
    'Hypertension patients ≥15 years with BP measured monthly and standard care / estimated hypertension patients'),
  spm(9, 3, 'Health services for people with diabetes', 'Pelayanan kesehatan penderita diabetes melitus',
    'DM patients ≥15 years with glucose measured monthly and standard care / estimated DM patients'),
  spm(10, 3, 'Health services for people with severe mental illness', 'Pelayanan kesehatan orang dengan gangguan jiwa berat',
    'People with severe mental illness given standard mental-health care / projected ODGJ berat'),
  spm(11, 4, 'Health services for presumptive TB', 'Pelayanan kesehatan orang terduga tuberkulosis',
    'Presumptive TB cases given a diagnostic work-up (TCM/BTA or CXR) and education / estimated presumptive TB cases'),
  spm(12, 4, 'Health services for people at risk of HIV infection', 'Pelayanan kesehatan orang dengan risiko terinfeksi HIV',
    'At-risk people (pregnant women, TB and STI patients, key populations) tested for HIV / estimated at-risk people'),

  pws('K2-ANC', 2, 'Antenatal care contacts (K1–K6)', 'Kunjungan antenatal (K1–K6)',
    'Pregnant residents with a 10T ANC contact in the month, by visit ordinal / sasaran ibu hamil'),
  pws('K2-ANC-KEK', 2, 'Pregnant women with chronic energy deficiency', 'Ibu hamil KEK',
    'Pregnant residents whose MUAC band is KEK (LiLA < 23.5 cm) / pregnant residents measured'),
  pws('K2-ANC-ANEMIA', 2, 'Anaemia in pregnancy', 'Ibu hamil anemia',
    'Pregnant residents whose Hb band is anaemic (trimester cut-offs) / pregnant residents tested'),
  pws('K2-GIZI', 2, 'Growth monitoring and nutrition (SKDN)', 'Pemantauan pertumbuhan dan status gizi (SKDN)',
    'Under-fives weighed in the month (D/S), with gizi kurang/buruk by z-score or MUAC / sasaran balita (S)'),
  pws('K2-TUMBANG', 2, 'Development screening', 'Skrining perkembangan (KPSP)',
    'Children 0–72 months with a KPSP result in the half-year, and those meragukan/penyimpangan / sasaran balita dan prasekolah'),
  pws('K2-IMUNISASI', 2, 'Complete basic immunisation', 'Imunisasi dasar lengkap',
    'Infants with complete basic immunisation (KMK Tabel 7) / surviving infants; incomplete ones feed DOFU'),
  pws('K2-REMAJA-ANEMIA', 2, 'Adolescent girls screened for anaemia', 'Remaja putri diskrining anemia',
    'Girls aged 12 and 15 (or kelas 7 and 10) with an Hb result in the year / sasaran remaja putri'),
  pws('K3-PTM-SCREENED', 3, 'Residents screened for NCD risk factors', 'Penduduk diskrining faktor risiko PTM',
    'Residents ≥15 years with BP, BMI/waist or glucose measured in the year / sasaran usia ≥15'),
  pws('K3-HT', 3, 'Raised blood pressure found', 'Tekanan darah tinggi ditemukan',
    'Residents ≥15 years whose BP band is hypertension / residents ≥15 years with BP measured'),
  pws('K3-DM', 3, 'Raised blood glucose found', 'Gula darah tinggi ditemukan',
    'Residents ≥15 years whose glucose band is prediabetes or diabetes / residents ≥15 years tested'),
  pws('K3-OBESITAS', 3, 'Obesity found', 'Obesitas ditemukan',
    'Residents ≥18 years with BMI ≥25 or central obesity / residents ≥18 years measured'),
  pws('K3-JIWA-SCREENED', 3, 'Mental-health screening', 'Skrining kesehatan jiwa',
    'Residents ≥15 years with an SRQ-20 result in the year, and those abnormal / sasaran usia ≥15'),
  pws('K3-MATA-SCREENED', 3, 'Visual acuity screening', 'Skrining tajam penglihatan',
    'Residents ≥15 years with visual acuity measured in the year, and those referred / sasaran usia ≥15'),
  pws('K3-PPOK-SCREENED', 3, 'COPD risk screening (PUMA)', 'Skrining PPOK (PUMA)',
    'Residents ≥40 years with a PUMA score in the year, and those ≥6 / sasaran usia ≥40'),
  pws('K3-MEROKOK', 3, 'Smoking status recorded', 'Status merokok tercatat',
    'Residents ≥10 years with a smoking status in the year, and current smokers counselled (UBM) / sasaran usia ≥10'),
  pws('K3-LANSIA-SCREENED', 3, 'Geriatric screening', 'Skrining lansia',
    'Residents ≥60 years with an ADL (AKS) result in the year, by dependence category / sasaran usia ≥60'),
  pws('K4-TB-SCREENED', 4, 'TB symptom screening', 'Skrining gejala TBC',
    'Residents with a TB symptom screen in the month (all ages, every visit) / population of the desa'),
  pws('K4-TB-PRESUMPTIVE', 4, 'Presumptive TB found', 'Terduga TBC ditemukan',
    'Residents with a TB screening result "terduga" in the month, and those with a TCM/BTA result / screened'),
];

export const INDICATOR_CODES: ReadonlySet<string> = new Set(INDICATORS.map((i) => i.code));
