import { VACCINES } from '../catalog/vaccines';

/**
 * The PWS/SPM indicator registry: data, like the screening catalogue. Each indicator says who is
 * counted (numerator), against what (a sasaran target, or the people measured), in which period,
 * and where the rule comes from. The engine (engine.ts) turns these into SQL over the visits'
 * contributions (contributions.ts); nothing here is code.
 *
 * Counting rules common to all (ilp-domain §7–8; Pedoman PWS-KIA 2010; KMK HK.01.07/MENKES/2015/2023 BAB X):
 * distinct people (by NIK, or mother's NIK and birth order for a newborn), by village of residence
 * at the time of the visit, age at the fact's local date, the period by the fact's local date.
 */

/** Sasaran groups a district enters per village and year (PUT /pws/v1/targets/{village}/{year}). */
export const TARGET_GROUPS = [
  'penduduk', 'ibu-hamil', 'ibu-bersalin', 'bayi', 'baduta', 'balita', 'usia-pendidikan-dasar', 'remaja-putri',
  'usia-15-59', 'usia-15-plus', 'lansia', 'anak-prasekolah', 'usia-10-plus', 'usia-40-plus',
  'penderita-hipertensi', 'penderita-dm', 'terduga-tbc',
] as const;
export type TargetGroup = (typeof TARGET_GROUPS)[number];

/**
 * Age at the fact's local date: `min` inclusive, `max` exclusive. It decides per PERSON, as the rule
 * texts say ("children 12–59 months weighed ≥ 8 times in the year"): a person is in the group when
 * one of their facts of the rule inside the period was at an age in the band, and then all their
 * facts of the rule in the period count (a child weighed at 59 and 61 months has both weighings).
 * `perFact` makes it a deadline that each fact must meet instead ("KN3 by 28 days", "every basic
 * dose before 12 months"). For a rule of one fact on one day both readings select the same people.
 */
export interface AgeRule {
  unit: 'days' | 'months' | 'years';
  min?: number;
  max?: number;
  perFact?: boolean;
}

/** Facts (contributions.ts) of which a person needs at least one on `minDates` distinct days (default 1). */
export interface Requirement {
  anyOf: string[];
  minDates?: number;
}

/** A set of people: every requirement met within the period (and `lookbackMonths` before it). */
export interface Population {
  requires: Requirement[];
  age?: AgeRule;
  sex?: 'male' | 'female';
  /** Only facts from visits recorded in the `ibu-hamil` life-cycle group. */
  pregnant?: boolean;
  /**
   * Facts from this many months before the period also count toward the requirements (a
   * complete KN1–KN3 series can start in the previous month), as long as the person has at least
   * one matching fact inside the period.
   */
  lookbackMonths?: number;
}

export interface Text {
  en: string;
  id: string;
}

export interface IndicatorRule {
  code: string;
  kind: 'SPM' | 'PWS';
  cluster: 2 | 3 | 4;
  name: Text;
  numerator: Population & { text: Text };
  denominator: { target: TargetGroup; text: Text } | (Population & { text: Text });
  /** The natural period; month queries also return the year-to-date value. */
  period: 'month' | 'year';
  /** Programme target in percent for the PWS chart's linear monthly target line (target × month / 12). */
  programTarget?: number;
  source: string;
  /** What the rule needs that the gateway does not capture yet, said plainly to the district officer. */
  notCaptured?: Text;
}

const t = (en: string, id: string): Text => ({ en, id });
const any = (...facts: string[]): Requirement => ({ anyOf: facts });
const items = (...codes: string[]): string[] => codes.map((c) => `item:${c}`);
const bands = (item: string, ...categories: string[]): string[] => categories.map((c) => `band:${item}:${c}`);
const visits = (...ordinals: string[]): string[] => ordinals.map((o) => `visit:${o}`);
const vaccines = (...names: string[]): string[] => names.map((n) => `vaccine:${n}`);

const UNDER_FIVE: AgeRule = { unit: 'months', max: 60 };
const FROM_15: AgeRule = { unit: 'years', min: 15 };
const FROM_18: AgeRule = { unit: 'years', min: 18 };

const PWS_KIA = 'Pedoman PWS-KIA (Kemenkes 2010); KMK HK.01.07/MENKES/2015/2023 BAB X §2 (ILP dashboard, klaster 2)';
const SKDN = 'Permenkes 2/2020 Standar Antropometri Anak; Pedoman SKDN (ilp-domain §8.3)';
const PTM = 'KMK HK.01.07/MENKES/2015/2023 BAB X §2 (klaster 3); PMK 4/2019 and PMK 6/2024 SPM';
const TB = 'KMK HK.01.07/MENKES/2015/2023 BAB X §2 (klaster 4); Permenkes 67/2016 TB control';
const SPM = 'PP 2/2018; PMK 4/2019 Standar Teknis SPM Kesehatan (replaced by PMK 6/2024; ilp-domain §7)';

/** Blood-pressure bands that are hypertension: adult/adolescent grades 1–3, in pregnancy (before and after 20 weeks) and postpartum. */
const HT_BANDS = ['827069000', '827068008', 'OI000042', 'hipertensi-kehamilan', 'hipertensi-kehamilan-sebelum-20-minggu', 'hipertensi-berat-kehamilan', 'hipertensi-pascasalin', 'hipertensi-berat-pascasalin'];
const HYPERTENSION = [...bands('systolic-bp', ...HT_BANDS), ...bands('diastolic-bp', ...HT_BANDS)];
/** SPM-08 counts people with hypertension (estimated patients ≥ 15); pregnancy and postpartum hypertension belong to maternal care (SPM-01). */
const CHRONIC_HT_BANDS = ['827069000', '827068008', 'OI000042'];
const CHRONIC_HYPERTENSION = [...bands('systolic-bp', ...CHRONIC_HT_BANDS), ...bands('diastolic-bp', ...CHRONIC_HT_BANDS)];
const GLUCOSE = items('blood-glucose-random', 'blood-glucose-fasting');
/**
 * Raised glucose: prediabetes (714628002), diabetes (fasting 73211009; random ≥ 200 is only
 * "curiga diabetes", no symptom being captured), a child's hyperglycaemia, and in pregnancy
 * gestational diabetes (11687002) and hyperglycaemia (docs/decisions/0015).
 */
const RAISED_GLUCOSE = [
  ...bands('blood-glucose-random', '714628002', 'curiga-diabetes-melitus', 'hiperglikemia', 'hiperglikemia-kehamilan', 'diabetes-dalam-kehamilan'),
  ...bands('blood-glucose-fasting', '714628002', '73211009', 'hiperglikemia', '11687002', 'diabetes-dalam-kehamilan'),
];
/** Diabetes outside pregnancy: fasting ≥ 126, or random ≥ 200 awaiting confirmation. */
const DIABETES = [...bands('blood-glucose-random', 'curiga-diabetes-melitus'), ...bands('blood-glucose-fasting', '73211009')];
const PTM_MEASURED = [...items('systolic-bp', 'diastolic-bp', 'bmi', 'waist-circumference'), ...GLUCOSE];
const ANC_CONTACTS = visits('K1A', 'K1M', 'K2', 'K3', 'K4', 'K5', 'K6');
const VISION = items('visual-acuity-right', 'visual-acuity-left');
/** Weighed: a weight measured for an under-five (D of SKDN). */
const WEIGHED: Population = { requires: [any(...items('body-weight'))], age: UNDER_FIVE };
/**
 * Complete basic immunisation (IDL): every dose the vaccine registry marks as basic (KMK Tabel 7:
 * HB0, BCG, OPV1–4, DPT-HB-Hib1–3, PCV1–2, RV1–3, IPV1–2, MR1; src/catalog/vaccines.ts), each
 * before the first birthday (ilp-domain §4.2, §8.3).
 */
const IDL = vaccines(...VACCINES.filter((v) => v.basic).map((v) => v.code));

export const INDICATOR_RULES: readonly IndicatorRule[] = [
  // ── Klaster 2: mother and child ────────────────────────────────────────────────────────────
  {
    code: 'PWS-K2-K1', kind: 'PWS', cluster: 2, period: 'month', programTarget: 100,
    name: t('First antenatal contact (K1 access)', 'Kunjungan pertama ibu hamil (K1 akses)'),
    numerator: { requires: [any(...visits('K1A', 'K1M'))], text: t('Pregnant residents with a K1 visit (K1A or K1M)', 'Ibu hamil dengan kunjungan K1 (K1A atau K1M)') },
    denominator: { target: 'ibu-hamil', text: t('Sasaran ibu hamil', 'Sasaran ibu hamil') },
    source: `${PWS_KIA}; SATUSEHAT ANC codes K1A/K1M`,
  },
  {
    code: 'PWS-K2-K1M', kind: 'PWS', cluster: 2, period: 'month', programTarget: 100,
    name: t('First antenatal contact in trimester 1 (K1 murni)', 'K1 murni (trimester 1)'),
    numerator: { requires: [any('visit:K1M')], text: t('Pregnant residents whose K1 was in the first trimester (K1M)', 'Ibu hamil dengan K1 pada trimester 1 (K1M)') },
    denominator: { target: 'ibu-hamil', text: t('Sasaran ibu hamil', 'Sasaran ibu hamil') },
    source: `${PWS_KIA}; SATUSEHAT ANC code K1M`,
  },
  {
    code: 'PWS-K2-ANC', kind: 'PWS', cluster: 2, period: 'month',
    name: t('Pregnant women with an antenatal contact (K1–K6)', 'Ibu hamil dengan kunjungan antenatal (K1–K6)'),
    numerator: { requires: [any(...ANC_CONTACTS)], text: t('Pregnant residents with any ANC visit K1–K6 in the period', 'Ibu hamil dengan kunjungan ANC K1–K6 pada periode') },
    denominator: { target: 'ibu-hamil', text: t('Sasaran ibu hamil', 'Sasaran ibu hamil') },
    source: PWS_KIA,
  },
  {
    code: 'PWS-K2-K6', kind: 'PWS', cluster: 2, period: 'month', programTarget: 100,
    name: t('Sixth antenatal contact (K6)', 'Kunjungan antenatal keenam (K6)'),
    numerator: { requires: [any('visit:K6')], text: t('Pregnant residents with a K6 visit', 'Ibu hamil dengan kunjungan K6') },
    denominator: { target: 'ibu-hamil', text: t('Sasaran ibu hamil', 'Sasaran ibu hamil') },
    source: `${PWS_KIA}; KMK HK.01.07/MENKES/2015/2023 (6 contacts 1-2-3)`,
    notCaptured: t(
      'The two doctor contacts and the USG that ILP asks of K6 are not captured; a K6 visit ordinal counts.',
      'Dua kontak dengan dokter dan USG yang diminta ILP pada K6 belum tercatat; kunjungan ke-6 (K6) yang dihitung.',
    ),
  },
  {
    code: 'PWS-K2-KN1', kind: 'PWS', cluster: 2, period: 'month', programTarget: 100,
    name: t('First neonatal visit (KN1)', 'Kunjungan neonatal pertama (KN1)'),
    numerator: { requires: [any('visit:KN1')], age: { unit: 'days', max: 29 }, text: t('Newborn residents 0–28 days with a KN1 visit', 'Bayi baru lahir 0–28 hari dengan kunjungan KN1') },
    denominator: { target: 'bayi', text: t('Sasaran bayi (live births)', 'Sasaran bayi (lahir hidup)') },
    source: PWS_KIA,
  },
  {
    code: 'PWS-K2-KN-LENGKAP', kind: 'PWS', cluster: 2, period: 'month', programTarget: 100,
    name: t('Complete neonatal visits (KN1–KN3)', 'Kunjungan neonatal lengkap (KN1–KN3)'),
    numerator: {
      requires: [any('visit:KN1'), any('visit:KN2'), any('visit:KN3')], age: { unit: 'days', max: 29, perFact: true }, lookbackMonths: 1,
      text: t('Newborn residents with KN1, KN2 and KN3 by 28 days, counted in the month of their last KN visit', 'Bayi dengan KN1, KN2 dan KN3 sampai umur 28 hari'),
    },
    denominator: { target: 'bayi', text: t('Sasaran bayi (live births)', 'Sasaran bayi (lahir hidup)') },
    source: PWS_KIA,
  },
  {
    code: 'PWS-K2-KF-LENGKAP', kind: 'PWS', cluster: 2, period: 'month', programTarget: 100,
    name: t('Complete postpartum visits (KF1–KF4)', 'Kunjungan nifas lengkap (KF1–KF4)'),
    numerator: {
      requires: [any('visit:KF1'), any('visit:KF2'), any('visit:KF3'), any('visit:KF4')], lookbackMonths: 2,
      text: t('Postpartum residents with KF1, KF2, KF3 and KF4 (within 42 days)', 'Ibu nifas dengan KF1, KF2, KF3 dan KF4'),
    },
    denominator: { target: 'ibu-bersalin', text: t('Sasaran ibu bersalin (nifas)', 'Sasaran ibu bersalin (nifas)') },
    source: PWS_KIA,
  },
  {
    code: 'PWS-K2-IMUNISASI', kind: 'PWS', cluster: 2, period: 'month', programTarget: 100,
    name: t('Complete basic immunisation (IDL)', 'Imunisasi dasar lengkap (IDL)'),
    numerator: {
      requires: IDL.map((v) => any(v)), age: { unit: 'months', max: 12, perFact: true }, lookbackMonths: 12,
      text: t(`Infants with every basic dose (${VACCINES.filter((v) => v.basic).map((v) => v.code).join(', ')}) before 12 months`, 'Bayi dengan seluruh imunisasi dasar sebelum umur 12 bulan'),
    },
    denominator: { target: 'bayi', text: t('Sasaran bayi (surviving infants)', 'Sasaran bayi (surviving infant)') },
    source: 'KMK HK.01.07/MENKES/2015/2023 Tabel 7; Pedoman imunisasi (ilp-domain §8.3)',
    notCaptured: t(
      'Doses given before the gateway was used count only when the vendor sends them in `immunizations`.',
      'Dosis yang diberikan sebelum gateway dipakai hanya terhitung bila vendor mengirimkannya dalam `immunizations`.',
    ),
  },
  {
    code: 'PWS-K2-IMUNISASI-BADUTA', kind: 'PWS', cluster: 2, period: 'month', programTarget: 100,
    name: t('Complete under-two booster immunisation', 'Imunisasi baduta lengkap'),
    numerator: {
      requires: [any('vaccine:DPT-HB-HIB4'), any('vaccine:MR2'), any('vaccine:PCV3')], age: { unit: 'months', max: 24, perFact: true }, lookbackMonths: 12,
      text: t('Children under 2 with DPT-HB-Hib4, MR2 and PCV3', 'Baduta dengan DPT-HB-Hib4, MR2 dan PCV3'),
    },
    denominator: { target: 'baduta', text: t('Sasaran baduta', 'Sasaran baduta') },
    source: 'KMK HK.01.07/MENKES/2015/2023 Tabel 8 (ilp-domain §8.3)',
  },
  {
    code: 'PWS-K2-GIZI', kind: 'PWS', cluster: 2, period: 'month', programTarget: 80,
    name: t('Under-fives weighed (D/S)', 'Balita ditimbang (D/S)'),
    numerator: { ...WEIGHED, text: t('Under-five residents weighed in the period (D)', 'Balita yang ditimbang pada periode (D)') },
    denominator: { target: 'balita', text: t('Sasaran balita (S)', 'Sasaran balita (S)') },
    source: SKDN,
  },
  {
    code: 'PWS-K2-GIZI-ND', kind: 'PWS', cluster: 2, period: 'month',
    name: t('Weighed under-fives gaining weight (N/D)', 'Balita naik berat badannya (N/D)'),
    numerator: { requires: [any(...bands('weight-gain', 'naik'))], age: UNDER_FIVE, text: t('Under-fives whose weight gain reached the KBM (N)', 'Balita dengan kenaikan berat badan sesuai KBM (N)') },
    denominator: { ...WEIGHED, text: t('Under-fives weighed (D)', 'Balita ditimbang (D)') },
    source: `${SKDN}; KBM per Permenkes 2/2020`,
  },
  {
    code: 'PWS-K2-GIZI-BGM', kind: 'PWS', cluster: 2, period: 'month',
    name: t('Weighed under-fives below the red line (BGM/D)', 'Balita di bawah garis merah (BGM/D)'),
    numerator: { requires: [any(...bands('weight-for-age-z', 'OI000007'))], age: UNDER_FIVE, text: t('Under-fives with weight-for-age below −3 SD (berat badan sangat kurang)', 'Balita dengan BB/U < −3 SD (berat badan sangat kurang)') },
    denominator: { ...WEIGHED, text: t('Under-fives weighed (D)', 'Balita ditimbang (D)') },
    source: `${SKDN}; the KMS red line is weight-for-age −3 SD`,
  },
  {
    code: 'PWS-K2-STUNTING', kind: 'PWS', cluster: 2, period: 'month',
    name: t('Stunting (length/height-for-age < −2 SD)', 'Stunting (PB/U atau TB/U < −2 SD)'),
    numerator: { requires: [any(...bands('height-for-age-z', 'OI000011', 'OI000012'))], age: UNDER_FIVE, text: t('Under-fives sangat pendek or pendek', 'Balita sangat pendek atau pendek') },
    denominator: { requires: [any('item:height-for-age-z')], age: UNDER_FIVE, text: t('Under-fives with length/height measured', 'Balita yang diukur panjang/tinggi badannya') },
    source: SKDN,
  },
  {
    code: 'PWS-K2-WASTING', kind: 'PWS', cluster: 2, period: 'month',
    name: t('Wasting (weight-for-length/height < −2 SD)', 'Gizi kurang dan gizi buruk (BB/PB atau BB/TB < −2 SD)'),
    numerator: { requires: [any(...bands('weight-for-height-z', 'OI000001', 'OI000002'), ...bands('oedema', 'OI000001'))], age: UNDER_FIVE, text: t('Under-fives gizi buruk or gizi kurang (bilateral oedema counts as gizi buruk)', 'Balita gizi buruk atau gizi kurang (edema bilateral = gizi buruk)') },
    denominator: { requires: [any('item:weight-for-height-z', 'value:oedema:true')], age: UNDER_FIVE, text: t('Under-fives with weight and length/height measured, or with oedema (no weight-based z-score then, WHO)', 'Balita yang diukur BB dan PB/TB, atau dengan edema') },
    source: SKDN,
  },
  {
    code: 'PWS-K2-UNDERWEIGHT', kind: 'PWS', cluster: 2, period: 'month',
    name: t('Underweight (weight-for-age < −2 SD)', 'Berat badan kurang (BB/U < −2 SD)'),
    numerator: { requires: [any(...bands('weight-for-age-z', 'OI000007', 'OI000008'))], age: UNDER_FIVE, text: t('Under-fives berat badan sangat kurang or kurang', 'Balita berat badan sangat kurang atau kurang') },
    denominator: { requires: [any('item:weight-for-age-z')], age: UNDER_FIVE, text: t('Under-fives weighed with a weight-for-age z-score', 'Balita ditimbang dengan z-skor BB/U') },
    source: SKDN,
  },
  {
    code: 'PWS-K2-ANC-KEK', kind: 'PWS', cluster: 2, period: 'month',
    name: t('Pregnant women with chronic energy deficiency (KEK)', 'Ibu hamil KEK'),
    numerator: { requires: [any(...bands('muac', 'OI000018'))], pregnant: true, text: t('Pregnant residents with MUAC < 23.5 cm', 'Ibu hamil dengan LiLA < 23,5 cm') },
    denominator: { requires: [any('item:muac')], pregnant: true, text: t('Pregnant residents with MUAC measured', 'Ibu hamil yang diukur LiLA') },
    source: `${PWS_KIA}; KMK HK.01.07/MENKES/2015/2023 ANC 10T`,
  },
  {
    code: 'PWS-K2-ANC-ANEMIA', kind: 'PWS', cluster: 2, period: 'month',
    name: t('Anaemia in pregnancy', 'Ibu hamil anemia'),
    numerator: { requires: [any(...bands('hemoglobin', 'OI000032', 'OI000033', 'OI000034'))], pregnant: true, text: t('Pregnant residents whose Hb is anaemic (trimester cut-offs)', 'Ibu hamil dengan Hb anemia (batas per trimester)') },
    denominator: { requires: [any('item:hemoglobin')], pregnant: true, text: t('Pregnant residents with Hb tested', 'Ibu hamil yang diperiksa Hb') },
    source: `${PWS_KIA}; WHO 2011 haemoglobin cut-offs as adopted by the KMK`,
  },
  {
    code: 'PWS-K2-REMAJA-ANEMIA', kind: 'PWS', cluster: 2, period: 'year',
    name: t('Adolescent girls screened for anaemia', 'Remaja putri diskrining anemia'),
    numerator: { requires: [any('item:hemoglobin')], sex: 'female', age: { unit: 'years', min: 12, max: 19 }, text: t('Girls 12–18 years with an Hb result', 'Remaja putri 12–18 tahun dengan hasil Hb') },
    denominator: { target: 'remaja-putri', text: t('Sasaran remaja putri', 'Sasaran remaja putri') },
    source: 'KMK HK.01.07/MENKES/2015/2023 BAB X §2 (remaja putri kelas 7 dan 10)',
    notCaptured: t(
      'The school grade (kelas 7 and 10) is not captured; girls aged 12–18 count.',
      'Kelas sekolah (kelas 7 dan 10) belum tercatat; remaja putri usia 12–18 tahun yang dihitung.',
    ),
  },
  {
    code: 'PWS-K2-TUMBANG', kind: 'PWS', cluster: 2, period: 'year',
    name: t('Development screening (KPSP)', 'Skrining perkembangan (KPSP)'),
    numerator: { requires: [any('item:kpsp-result')], age: { unit: 'months', max: 72 }, text: t('Children 0–71 months with a KPSP result', 'Anak 0–71 bulan dengan hasil KPSP') },
    denominator: { target: 'balita', text: t('Sasaran balita', 'Sasaran balita') },
    source: 'Pedoman SDIDTK (Kemenkes 2022); KMK HK.01.07/MENKES/2015/2023 BAB X §2',
    notCaptured: t(
      'Preschool children (60–71 months) have no separate target yet: the balita target is the denominator.',
      'Anak prasekolah (60–71 bulan) belum punya sasaran tersendiri: sasaran balita menjadi penyebut.',
    ),
  },
  {
    code: 'PWS-K2-TUMBANG-ABNORMAL', kind: 'PWS', cluster: 2, period: 'year',
    name: t('Development result doubtful or deviating', 'Hasil perkembangan meragukan atau penyimpangan'),
    numerator: { requires: [any(...bands('kpsp-result', 'perkembangan-meragukan', 'perkembangan-penyimpangan'))], age: { unit: 'months', max: 72 }, text: t('Children whose KPSP is meragukan or penyimpangan', 'Anak dengan KPSP meragukan atau penyimpangan') },
    denominator: { requires: [any('item:kpsp-result')], age: { unit: 'months', max: 72 }, text: t('Children with a KPSP result', 'Anak dengan hasil KPSP') },
    source: 'Pedoman SDIDTK (Kemenkes 2022)',
  },
  {
    code: 'PWS-K2-REMAJA-TTD', kind: 'PWS', cluster: 2, period: 'year',
    name: t('Adolescent girls given iron tablets (TTD)', 'Remaja putri mendapat tablet tambah darah (TTD)'),
    numerator: { requires: [any('item:iron-tablets')], sex: 'female', age: { unit: 'years', min: 12, max: 19 }, text: t('Girls 12–18 years given TTD in the year', 'Remaja putri 12–18 tahun yang mendapat TTD') },
    denominator: { target: 'remaja-putri', text: t('Sasaran remaja putri', 'Sasaran remaja putri') },
    source: 'KMK HK.01.07/MENKES/2015/2023 BAB X §2 (remaja putri mengonsumsi TTD)',
    notCaptured: t(
      'Tablets given are recorded; whether they were taken (konsumsi) is not.',
      'Tablet yang diberikan tercatat; apakah tablet diminum (konsumsi) belum tercatat.',
    ),
  },
  // ── Klaster 3: adults and elderly ──────────────────────────────────────────────────────────
  {
    code: 'PWS-K3-PTM-SCREENED', kind: 'PWS', cluster: 3, period: 'month', programTarget: 100,
    name: t('Residents screened for NCD risk factors', 'Penduduk diskrining faktor risiko PTM'),
    numerator: { requires: [any(...PTM_MEASURED)], age: FROM_15, text: t('Residents ≥ 15 years with BP, BMI/waist or glucose measured', 'Penduduk ≥ 15 tahun yang diukur TD, IMT/lingkar perut atau gula darah') },
    denominator: { target: 'usia-15-plus', text: t('Sasaran usia ≥ 15 tahun', 'Sasaran usia ≥ 15 tahun') },
    source: PTM,
  },
  {
    code: 'PWS-K3-HT', kind: 'PWS', cluster: 3, period: 'month',
    name: t('Raised blood pressure found', 'Tekanan darah tinggi ditemukan'),
    numerator: { requires: [any(...HYPERTENSION)], age: FROM_15, text: t('Residents ≥ 15 years whose BP band is hypertension', 'Penduduk ≥ 15 tahun dengan kategori TD hipertensi') },
    denominator: { requires: [any(...items('systolic-bp', 'diastolic-bp'))], age: FROM_15, text: t('Residents ≥ 15 years with BP measured', 'Penduduk ≥ 15 tahun yang diukur TD') },
    source: `${PTM}; KMK Tabel 19 (JNC/ESH grades)`,
  },
  {
    code: 'PWS-K3-DM', kind: 'PWS', cluster: 3, period: 'month',
    name: t('Raised blood glucose found', 'Gula darah tinggi ditemukan'),
    numerator: { requires: [any(...RAISED_GLUCOSE)], age: FROM_15, text: t('Residents ≥ 15 years whose glucose band is prediabetes or diabetes', 'Penduduk ≥ 15 tahun dengan gula darah prediabetes atau diabetes') },
    denominator: { requires: [any(...GLUCOSE)], age: FROM_15, text: t('Residents ≥ 15 years with glucose tested', 'Penduduk ≥ 15 tahun yang diperiksa gula darah') },
    source: `${PTM}; KMK Tabel 23`,
  },
  {
    code: 'PWS-K3-OBESITAS', kind: 'PWS', cluster: 3, period: 'month',
    name: t('Obesity found', 'Obesitas ditemukan'),
    numerator: { requires: [any(...bands('bmi', '414915002'), ...bands('waist-circumference', '248311001'))], age: FROM_18, text: t('Residents ≥ 18 years with BMI ≥ 25 or central obesity', 'Penduduk ≥ 18 tahun dengan IMT ≥ 25 atau obesitas sentral') },
    denominator: { requires: [any(...items('bmi', 'waist-circumference'))], age: FROM_18, text: t('Residents ≥ 18 years with BMI or waist measured', 'Penduduk ≥ 18 tahun yang diukur IMT atau lingkar perut') },
    source: `${PTM}; Asia-Pacific BMI cut-offs (KMK Tabel 19)`,
  },
  {
    code: 'PWS-K3-JIWA-SCREENED', kind: 'PWS', cluster: 3, period: 'year',
    name: t('Mental-health screening', 'Skrining kesehatan jiwa'),
    numerator: { requires: [any('item:srq20-score')], age: FROM_15, text: t('Residents ≥ 15 years with an SRQ-20 result', 'Penduduk ≥ 15 tahun dengan hasil SRQ-20') },
    denominator: { target: 'usia-15-plus', text: t('Sasaran usia ≥ 15 tahun', 'Sasaran usia ≥ 15 tahun') },
    source: `${PTM}; SRQ-20 (KMK Formulir 3)`,
  },
  {
    code: 'PWS-K3-MATA-SCREENED', kind: 'PWS', cluster: 3, period: 'year',
    name: t('Visual acuity screening', 'Skrining tajam penglihatan'),
    numerator: { requires: [any(...VISION)], age: FROM_15, text: t('Residents ≥ 15 years with visual acuity measured', 'Penduduk ≥ 15 tahun yang diperiksa tajam penglihatan') },
    denominator: { target: 'usia-15-plus', text: t('Sasaran usia ≥ 15 tahun', 'Sasaran usia ≥ 15 tahun') },
    source: PTM,
  },
  {
    code: 'PWS-K3-PPOK-SCREENED', kind: 'PWS', cluster: 3, period: 'year',
    name: t('COPD risk screening (PUMA)', 'Skrining PPOK (PUMA)'),
    numerator: { requires: [any('item:puma-score')], age: { unit: 'years', min: 40 }, text: t('Residents ≥ 40 years with a PUMA score', 'Penduduk ≥ 40 tahun dengan skor PUMA') },
    denominator: { target: 'usia-40-plus', text: t('Sasaran usia ≥ 40 tahun', 'Sasaran usia ≥ 40 tahun') },
    source: `${PTM}; PUMA (KMK Formulir 5)`,
  },
  {
    code: 'PWS-K3-MEROKOK', kind: 'PWS', cluster: 3, period: 'year',
    name: t('Current smokers among those asked', 'Perokok aktif di antara yang ditanya'),
    numerator: { requires: [any(...bands('smoking-status', 'perokok-aktif'))], age: { unit: 'years', min: 10 }, text: t('Residents ≥ 10 years who smoke', 'Penduduk ≥ 10 tahun yang merokok') },
    denominator: { requires: [any('item:smoking-status')], age: { unit: 'years', min: 10 }, text: t('Residents ≥ 10 years with a smoking status recorded', 'Penduduk ≥ 10 tahun dengan status merokok tercatat') },
    source: PTM,
    notCaptured: t(
      'Counselling of smokers (UBM) is not captured.',
      'Konseling upaya berhenti merokok (UBM) belum tercatat.',
    ),
  },
  {
    code: 'PWS-K3-LANSIA-SCREENED', kind: 'PWS', cluster: 3, period: 'year',
    name: t('Geriatric screening (ADL)', 'Skrining lansia (AKS)'),
    numerator: { requires: [any('item:adl-score')], age: { unit: 'years', min: 60 }, text: t('Residents ≥ 60 years with an ADL (AKS) result', 'Penduduk ≥ 60 tahun dengan hasil AKS') },
    denominator: { target: 'lansia', text: t('Sasaran lansia', 'Sasaran lansia') },
    source: `${PTM}; ADL Barthel 0–20 (KMK Formulir 6)`,
  },
  // ── Klaster 4: communicable disease ────────────────────────────────────────────────────────
  {
    code: 'PWS-K4-TB-SCREENED', kind: 'PWS', cluster: 4, period: 'month',
    name: t('TB symptom screening', 'Skrining gejala TBC'),
    numerator: { requires: [any('item:tb-screening-result')], text: t('Residents (all ages) with a TB symptom screen', 'Penduduk (semua umur) yang diskrining gejala TBC') },
    denominator: { target: 'penduduk', text: t('Population of the village', 'Jumlah penduduk desa') },
    source: TB,
  },
  {
    code: 'PWS-K4-TB-PRESUMPTIVE', kind: 'PWS', cluster: 4, period: 'month',
    name: t('Presumptive TB found', 'Terduga TBC ditemukan'),
    numerator: { requires: [any(...bands('tb-screening-result', 'terduga-tbc'))], text: t('Residents whose TB screen is terduga TBC', 'Penduduk dengan hasil skrining terduga TBC') },
    denominator: { requires: [any('item:tb-screening-result')], text: t('Residents screened for TB symptoms', 'Penduduk yang diskrining gejala TBC') },
    source: TB,
  },
  // ── SPM services the stored data can decide (per person per year) ───────────────────────────
  {
    code: 'SPM-01', kind: 'SPM', cluster: 2, period: 'year', programTarget: 100,
    name: t('Health services for pregnant women', 'Pelayanan kesehatan ibu hamil'),
    numerator: { requires: [any('visit:K6')], text: t('Pregnant residents who reached their sixth ANC contact (K6) in the year', 'Ibu hamil yang mencapai K6 pada tahun ini') },
    denominator: { target: 'ibu-hamil', text: t('Sasaran ibu hamil', 'Sasaran ibu hamil') },
    source: SPM,
    notCaptured: t(
      'Whether every contact had the full 10T and two were with a doctor (with USG) is not captured; reaching K6 counts.',
      'Apakah setiap kontak mendapat 10T lengkap dan dua di antaranya dengan dokter (dengan USG) belum tercatat; mencapai K6 yang dihitung.',
    ),
  },
  {
    code: 'SPM-03', kind: 'SPM', cluster: 2, period: 'year', programTarget: 100,
    name: t('Health services for newborns', 'Pelayanan kesehatan bayi baru lahir'),
    numerator: { requires: [any('visit:KN1'), any('visit:KN2'), any('visit:KN3')], age: { unit: 'days', max: 29, perFact: true }, lookbackMonths: 1, text: t('Newborns with KN1, KN2 and KN3', 'Bayi baru lahir dengan KN1, KN2 dan KN3') },
    denominator: { target: 'bayi', text: t('Sasaran bayi (live births)', 'Sasaran bayi (lahir hidup)') },
    source: SPM,
    notCaptured: t(
      'The content of each KN visit (vitamin K1, HB0, eye ointment, SHK, MTBM) is not checked; the three visits count.',
      'Isi setiap kunjungan KN (vitamin K1, HB0, salep mata, SHK, MTBM) belum diperiksa; tiga kunjungan yang dihitung.',
    ),
  },
  {
    code: 'SPM-04', kind: 'SPM', cluster: 2, period: 'year', programTarget: 100,
    name: t('Health services for under-fives', 'Pelayanan kesehatan balita'),
    numerator: {
      requires: [{ anyOf: ['item:body-weight'], minDates: 8 }, { anyOf: items('body-length', 'body-height'), minDates: 2 }, { anyOf: ['item:kpsp-result'], minDates: 2 }, { anyOf: ['item:vitamin-a'], minDates: 2 }], age: { unit: 'months', min: 12, max: 60 },
      text: t('Children 12–59 months weighed on ≥ 8 days, measured for length/height on ≥ 2, with ≥ 2 development checks (KPSP) and 2 vitamin A doses in the year', 'Anak 12–59 bulan ditimbang ≥ 8 kali, diukur PB/TB ≥ 2 kali, ≥ 2 kali KPSP dan 2 kali vitamin A dalam setahun'),
    },
    denominator: { target: 'balita', text: t('Sasaran balita', 'Sasaran balita') },
    source: SPM,
    notCaptured: t(
      'Complete routine immunisation and MTBS care when sick are not yet part of this count.',
      'Imunisasi rutin lengkap dan pelayanan MTBS saat sakit belum termasuk dalam hitungan ini.',
    ),
  },
  {
    code: 'SPM-05', kind: 'SPM', cluster: 2, period: 'year', programTarget: 100,
    name: t('Health services for basic-education age', 'Pelayanan kesehatan pada usia pendidikan dasar'),
    numerator: {
      requires: [any(...items('body-weight', 'body-height', 'bmi', 'hemoglobin', 'visual-acuity-right', 'visual-acuity-left'))], age: { unit: 'years', min: 7, max: 16 },
      text: t('Children 7–15 years with a health screening (anthropometry, Hb or vision) in the year', 'Anak 7–15 tahun yang diskrining (antropometri, Hb atau penglihatan)'),
    },
    denominator: { target: 'usia-pendidikan-dasar', text: t('Sasaran usia pendidikan dasar', 'Sasaran usia pendidikan dasar') },
    source: SPM,
    notCaptured: t(
      'Hearing, dental and mental-health parts of penjaringan are not captured.',
      'Pemeriksaan pendengaran, gigi dan kesehatan jiwa dalam penjaringan belum tercatat.',
    ),
  },
  {
    code: 'SPM-06', kind: 'SPM', cluster: 3, period: 'year', programTarget: 100,
    name: t('Health services for productive age', 'Pelayanan kesehatan pada usia produktif'),
    numerator: { requires: [any(...PTM_MEASURED)], age: { unit: 'years', min: 15, max: 60 }, text: t('Residents 15–59 years with an NCD risk-factor screening in the year', 'Penduduk 15–59 tahun dengan skrining faktor risiko PTM') },
    denominator: { target: 'usia-15-59', text: t('Sasaran usia 15–59 tahun', 'Sasaran usia 15–59 tahun') },
    source: SPM,
    notCaptured: t(
      'Education and family-planning counselling are not captured.',
      'Edukasi dan konseling keluarga berencana belum tercatat.',
    ),
  },
  {
    code: 'SPM-07', kind: 'SPM', cluster: 3, period: 'year', programTarget: 100,
    name: t('Health services for the elderly', 'Pelayanan kesehatan pada usia lanjut'),
    numerator: { requires: [any('item:adl-score', ...PTM_MEASURED, 'item:total-cholesterol')], age: { unit: 'years', min: 60 }, text: t('Residents ≥ 60 years with a geriatric screening in the year', 'Penduduk ≥ 60 tahun dengan skrining lansia') },
    denominator: { target: 'lansia', text: t('Sasaran lansia', 'Sasaran lansia') },
    source: SPM,
    notCaptured: t(
      'The cognitive (AMT/GDS) part is not captured.',
      'Bagian kognitif (AMT/GDS) belum tercatat.',
    ),
  },
  {
    code: 'SPM-08', kind: 'SPM', cluster: 3, period: 'year', programTarget: 100,
    name: t('Health services for people with hypertension', 'Pelayanan kesehatan penderita hipertensi'),
    numerator: { requires: [any(...CHRONIC_HYPERTENSION)], age: FROM_15, text: t('Residents ≥ 15 years found hypertensive (grades 1–3, not pregnancy/postpartum hypertension) and measured in the year', 'Penduduk ≥ 15 tahun dengan hipertensi derajat 1–3 yang diukur TD') },
    denominator: { target: 'penderita-hipertensi', text: t('Estimated people with hypertension (prevalence × population)', 'Estimasi penderita hipertensi') },
    source: SPM,
    notCaptured: t(
      'Monthly control and pharmacotherapy are not captured; a hypertensive reading in the year counts.',
      'Kontrol bulanan dan terapi obat belum tercatat; hasil tekanan darah tinggi dalam tahun itu yang dihitung.',
    ),
  },
  {
    code: 'SPM-09', kind: 'SPM', cluster: 3, period: 'year', programTarget: 100,
    name: t('Health services for people with diabetes', 'Pelayanan kesehatan penderita diabetes melitus'),
    numerator: { requires: [any(...DIABETES)], age: FROM_15, text: t('Residents ≥ 15 years with a diabetic glucose result in the year', 'Penduduk ≥ 15 tahun dengan hasil gula darah diabetes') },
    denominator: { target: 'penderita-dm', text: t('Estimated people with diabetes (prevalence × population)', 'Estimasi penderita DM') },
    source: SPM,
    notCaptured: t(
      'Monthly glucose control and therapy are not captured; a diabetic result in the year counts.',
      'Kontrol gula darah bulanan dan terapi belum tercatat; hasil diabetes dalam tahun itu yang dihitung.',
    ),
  },
  {
    code: 'SPM-11', kind: 'SPM', cluster: 4, period: 'year', programTarget: 100,
    name: t('Health services for presumptive TB', 'Pelayanan kesehatan orang terduga tuberkulosis'),
    numerator: { requires: [any(...bands('tb-screening-result', 'terduga-tbc'))], text: t('Residents found presumptive TB in the year', 'Penduduk terduga TBC yang ditemukan') },
    denominator: { target: 'terduga-tbc', text: t('Estimated presumptive TB cases', 'Estimasi orang terduga TBC') },
    source: SPM,
    notCaptured: t(
      'The diagnostic work-up (TCM/BTA or chest X-ray) is not captured: this counts presumptive cases found, not those examined.',
      'Pemeriksaan diagnosis (TCM/BTA atau rontgen dada) belum tercatat: yang dihitung terduga TB yang ditemukan, bukan yang diperiksa.',
    ),
  },
];

/** SPM services the stored data cannot decide at all, and why (docs/pws.md lists them). */
export const NOT_COMPUTED: Readonly<Record<string, string>> = {
  'SPM-02': 'Delivery care at a facility (persalinan) is not an ILP screening visit the gateway receives.',
  'SPM-10': 'Severe mental illness (ODGJ berat) care is recorded as diagnoses and therapy, not screenings.',
  'SPM-12': 'HIV testing of at-risk people is not in the screening catalogue yet.',
};

export const INDICATOR_BY_CODE: ReadonlyMap<string, IndicatorRule> = new Map(INDICATOR_RULES.map((r) => [r.code, r]));
