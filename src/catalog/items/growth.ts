import { CAT } from '../categories';
import { LC, UNITS, lifeCycles, localAnswer, localCategory, localItem, loinc, snomed } from '../codes';
import { FU } from '../follow-ups';
import type { Band, CatalogueItem, GrowthIndex, ThresholdRule } from '../types';

/**
 * Child growth monitoring (Posyandu "penimbangan" and the Puskesmas z-score assessment;
 * ilp-domain §4.2): the recumbent length, oedema, the six WHO z-scores the gateway computes
 * (src/growth, WHO LMS method) and the monthly weight gain N/T/O/B (SKDN). Weight, standing
 * height, head circumference and MUAC are in vital-signs.ts and cluster2.ts.
 *
 * Categories: Permenkes 2/2020 Standar Antropometri Anak, Pasal 4 and Lampiran (tabel kategori dan
 * ambang batas status gizi anak), coded with the Kemkes clinical-term values OI000001–OI000014.
 * A band edge "> +1 SD" is written as the band starting at +1.01: z-scores carry 2 decimals and the
 * catalogue compares rounded values (docs/decisions/0002, the same convention as waist "> 90").
 */

const PERMENKES_2_2020 = 'Permenkes 2/2020 Standar Antropometri Anak, Lampiran: kategori dan ambang batas status gizi anak';
const UNDER_5 = { maxAgeMonths: 61 } as const;
const Z = { type: 'quantity', unit: UNITS.zScore, min: -15, max: 15, decimals: 2 } as const;
const GROWTH_LIFE_CYCLES = lifeCycles(LC.under5, ['anak-prasekolah']);
const SCHOOL_AGE = lifeCycles(LC.under5, ['anak-prasekolah', 'anak-usia-sekolah', 'remaja']);

/** BB/PB, BB/TB and IMT/U 0–60 months: gizi buruk … obesitas. */
function wastingBands(): Band[] {
  return [
    { high: -3, flag: 'LL', category: CAT.giziBuruk, label: 'Gizi buruk (< −3 SD)', followUp: FU.severeAcuteMalnutrition },
    { low: -3, high: -2, flag: 'L', category: CAT.giziKurang, label: 'Gizi kurang (−3 SD sd < −2 SD)', followUp: FU.moderateWasting },
    { low: -2, high: 1.01, flag: 'N', category: CAT.giziBaik, label: 'Gizi baik (−2 SD sd +1 SD)' },
    { low: 1.01, high: 2.01, flag: 'H', category: CAT.risikoGiziLebih, label: 'Berisiko gizi lebih (> +1 SD sd +2 SD)', followUp: FU.overweightChild },
    { low: 2.01, high: 3.01, flag: 'H', category: CAT.giziLebih, label: 'Gizi lebih (> +2 SD sd +3 SD)', followUp: FU.overweightChild },
    { low: 3.01, flag: 'HH', category: CAT.obesitas, label: 'Obesitas (> +3 SD)', followUp: FU.obeseChild },
  ];
}

const rule = (id: string, when: ThresholdRule['when'], bands: Band[], source = PERMENKES_2_2020): ThresholdRule => ({ id, when, bands, source });

function zItem(code: string, index: GrowthIndex, inputs: string[], fields: Pick<CatalogueItem, 'name' | 'codings' | 'confidence' | 'thresholds' | 'notes'> & { lifeCycles?: CatalogueItem['lifeCycles'] }): CatalogueItem {
  return {
    code,
    clusters: [2],
    lifeCycles: fields.lifeCycles ?? GROWTH_LIFE_CYCLES,
    category: 'exam',
    value: Z,
    derived: { formula: 'who-growth', inputs },
    growthIndex: index,
    indicators: ['SPM-04', 'PWS-K2-GIZI'],
    ...fields,
  };
}

export const items: CatalogueItem[] = [
  {
    code: 'body-length',
    name: { en: 'Body length (recumbent)', id: 'Panjang badan (PB, diukur berbaring)' },
    clusters: [2],
    lifeCycles: [...LC.under5],
    category: 'vital-signs',
    codings: [loinc('8306-3', 'Body height --lying')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.cm, min: 30, max: 130, decimals: 1 },
    thresholds: [],
    indicators: ['SPM-03', 'SPM-04', 'PWS-K2-GIZI'],
    notes: 'Measured lying down (length board), the WHO position under 2 years. Sent beside or instead of body-height (standing). WHO adjusts a length taken at ≥ 731 days by −0.7 cm (and a height taken under 731 days by +0.7 cm) before the z-score. Refused for children over 5 years (1826 days): the WHO 2007 reference for 5–19 years is for standing height only.',
  },
  {
    code: 'oedema',
    name: { en: 'Bilateral pitting oedema', id: 'Edema bilateral (pitting)' },
    clusters: [2],
    lifeCycles: [...LC.under5],
    category: 'exam',
    codings: [localItem('oedema', 'Bilateral pitting oedema')],
    confidence: 'local',
    value: { type: 'boolean' },
    thresholds: [{
      id: 'balita', when: UNDER_5,
      bands: [
        { equals: true, flag: 'A', category: CAT.giziBuruk, label: 'Edema bilateral: gizi buruk', followUp: FU.severeAcuteMalnutrition },
        { equals: false, flag: 'N', category: localCategory('tanpa-edema', 'Tidak ada edema'), label: 'Tidak ada edema' },
      ],
      source: 'Pedoman Pencegahan dan Tata Laksana Gizi Buruk pada Balita (Kemenkes 2019): edema bilateral minimal pada kedua punggung kaki = gizi buruk',
    }],
    indicators: ['SPM-04', 'PWS-K2-GIZI'],
    notes: 'With oedema the weight-based z-scores (BB/U, BB/PB, BB/TB, IMT/U) are not computed (WHO Anthro: weight is inflated by fluid). Local code: no SNOMED/LOINC code for "bilateral pitting oedema" was verified.',
  },
  zItem('weight-for-age-z', 'weightForAge', ['body-weight'], {
    name: { en: 'Weight-for-age z-score', id: 'Z-skor berat badan menurut umur (BB/U)' },
    codings: [snomed('1153593003', 'Weight for age z-score'), localItem('weight-for-age-z', 'Weight-for-age z-score')],
    confidence: 'verify',
    thresholds: [rule('balita', UNDER_5, [
      { high: -3, flag: 'LL', category: CAT.bbSangatKurang, label: 'Berat badan sangat kurang (< −3 SD)', followUp: FU.severeUnderweight },
      { low: -3, high: -2, flag: 'L', category: CAT.bbKurang, label: 'Berat badan kurang (−3 SD sd < −2 SD)', followUp: FU.moderateWasting },
      { low: -2, high: 1.01, flag: 'N', category: CAT.bbNormal, label: 'Berat badan normal (−2 SD sd +1 SD)' },
      { low: 1.01, flag: 'H', category: CAT.risikoBbLebih, label: 'Risiko berat badan lebih (> +1 SD)', followUp: FU.overweightChild },
    ])],
    lifeCycles: lifeCycles(GROWTH_LIFE_CYCLES, ['anak-usia-sekolah']),
    notes: 'WHO 2006 (0–60 months) and WHO 2007 (61 months–10 years). Categorised 0–60 months only: Permenkes 2/2020 has no BB/U category after 5 years. SNOMED observable entity as used by the SATUSEHAT nutrition module (verify against the SATUSEHAT Gizi terminology annex).',
  }),
  zItem('height-for-age-z', 'heightForAge', ['body-length', 'body-height'], {
    name: { en: 'Length/height-for-age z-score', id: 'Z-skor panjang/tinggi badan menurut umur (PB/U atau TB/U)' },
    codings: [snomed('1153604005', 'Body height for age z-score'), localItem('height-for-age-z', 'Length/height-for-age z-score')],
    confidence: 'verify',
    thresholds: [rule('balita', UNDER_5, [
      { high: -3, flag: 'LL', category: CAT.sangatPendek, label: 'Sangat pendek (< −3 SD)', followUp: FU.stunting },
      { low: -3, high: -2, flag: 'L', category: CAT.pendek, label: 'Pendek (−3 SD sd < −2 SD)', followUp: FU.stunting },
      { low: -2, high: 3.01, flag: 'N', category: CAT.tinggiBadanNormal, label: 'Normal (−2 SD sd +3 SD)' },
      { low: 3.01, flag: 'H', category: CAT.tinggi, label: 'Tinggi (> +3 SD)' },
    ])],
    lifeCycles: SCHOOL_AGE,
    notes: 'Length (recumbent) or height (standing), adjusted ±0.7 cm when the position does not fit the age (WHO). SNOMED 1153590000 "Length for age z score" is the under-2 variant; one code is sent for both (verify). Categorised 0–60 months (Permenkes 2/2020); 5–19 years computed with the WHO 2007 reference, not categorised.',
  }),
  zItem('weight-for-height-z', 'weightForHeight', ['body-weight', 'body-length', 'body-height'], {
    name: { en: 'Weight-for-length/height z-score', id: 'Z-skor berat badan menurut panjang/tinggi badan (BB/PB atau BB/TB)' },
    codings: [snomed('1153600001', 'Weight for height z-score'), localItem('weight-for-height-z', 'Weight-for-length/height z-score')],
    confidence: 'verify',
    thresholds: [rule('balita', UNDER_5, wastingBands())],
    notes: 'BB/PB under 2 years, BB/TB from 2 years (WHO 2006, lengths 45–110 cm, heights 65–120 cm). SNOMED 1153598007 is the weight-for-length variant (SATUSEHAT Gizi uses both); Kemkes OC000005/OC000006 also exist (ilp-domain §6.1). Not computed with oedema.',
  }),
  zItem('bmi-for-age-z', 'bmiForAge', ['body-weight', 'body-length', 'body-height'], {
    name: { en: 'BMI-for-age z-score', id: 'Z-skor indeks massa tubuh menurut umur (IMT/U)' },
    codings: [snomed('1153596006', 'Body mass index for age z-score'), localItem('bmi-for-age-z', 'BMI-for-age z-score')],
    confidence: 'verify',
    thresholds: [
      rule('balita', UNDER_5, wastingBands()),
      rule('5-18y', { minAgeMonths: 61, maxAgeYears: 19 }, [
        { high: -3, flag: 'LL', category: CAT.giziBuruk, label: 'Gizi buruk (severely thinness, < −3 SD)', followUp: FU.severeAcuteMalnutrition },
        { low: -3, high: -2, flag: 'L', category: CAT.giziKurang, label: 'Gizi kurang (thinness, −3 SD sd < −2 SD)', followUp: FU.moderateWasting },
        { low: -2, high: 1.01, flag: 'N', category: CAT.giziBaik, label: 'Gizi baik (normal, −2 SD sd +1 SD)' },
        { low: 1.01, high: 2.01, flag: 'H', category: CAT.giziLebih, label: 'Gizi lebih (overweight, > +1 SD sd +2 SD)', followUp: FU.overweightChild },
        { low: 2.01, flag: 'HH', category: CAT.obesitas, label: 'Obesitas (obese, > +2 SD)', followUp: FU.obeseChild },
      ], `${PERMENKES_2_2020} (IMT/U anak 5–18 tahun); KMK HK.01.07/MENKES/2015/2023 Tabel 13`),
    ],
    lifeCycles: SCHOOL_AGE,
    notes: 'For children this replaces the adult BMI categories: a newborn or school child gets IMT/U, never the adult KMK Tabel 20 bands. WHO 2006 (0–60 months) and WHO 2007 (61 months–19 years). Not computed with oedema.',
  }),
  zItem('head-circumference-for-age-z', 'headCircumferenceForAge', ['head-circumference'], {
    name: { en: 'Head circumference-for-age z-score', id: 'Z-skor lingkar kepala menurut umur (LK/U)' },
    codings: [snomed('1153594009', 'Head circumference for age z-score'), localItem('head-circumference-for-age-z', 'Head circumference-for-age z-score')],
    confidence: 'verify',
    thresholds: [rule('balita', UNDER_5, [
      { high: -2, flag: 'L', category: CAT.microcephaly, label: 'Mikrosefali (< −2 SD)', followUp: FU.headCircumference },
      { low: -2, high: 2.01, flag: 'N', category: CAT.headCircumferenceNormal, label: 'Normal (−2 SD sd +2 SD)' },
      { low: 2.01, flag: 'H', category: CAT.macrocephaly, label: 'Makrosefali (> +2 SD)', followUp: FU.headCircumference },
    ], 'KMK HK.01.07/MENKES/33/2025 (PKG): LK/U < −2 SD mikrosefali, > +2 SD makrosefali; WHO 2006 head circumference-for-age')],
    notes: 'Local categories: no Kemkes clinical-term code for micro/macrocephaly was verified.',
  }),
  zItem('muac-for-age-z', 'muacForAge', ['muac'], {
    name: { en: 'MUAC-for-age z-score', id: 'Z-skor lingkar lengan atas menurut umur (LiLA/U)' },
    codings: [localItem('muac-for-age-z', 'MUAC-for-age z-score')],
    confidence: 'local',
    thresholds: [rule('3-60m', { minAgeMonths: 3, maxAgeMonths: 61 }, [
      { high: -3, flag: 'LL', category: CAT.muacZSevere, label: 'LiLA/U < −3 SD' },
      { low: -3, high: -2, flag: 'L', category: CAT.muacZModerate, label: 'LiLA/U −3 SD sd < −2 SD' },
      { low: -2, flag: 'N', category: CAT.muacZNormal, label: 'LiLA/U ≥ −2 SD' },
    ], 'WHO Child Growth Standards 2007 (arm circumference-for-age, 3–60 months); cut-offs −2/−3 SD as for the other WHO indices')],
    notes: 'WHO arm circumference-for-age starts at 3 months (91 days). Follow-ups for a low MUAC come from the absolute LiLA bands of the muac item (< 11,5 / < 12,5 cm), not from this z-score, so one finding does not make two referrals. No SNOMED/LOINC code verified: local.',
  }),
  {
    code: 'weight-gain',
    name: { en: 'Weight gain since last month (N/T/O/B)', id: 'Kenaikan berat badan (N/T/O/B)' },
    clusters: [2],
    lifeCycles: [...LC.under5],
    category: 'exam',
    codings: [localItem('weight-gain', 'Weight gain since last month (N/T/O/B)')],
    confidence: 'local',
    value: {
      type: 'coded',
      options: [
        { value: 'N', coding: localAnswer('naik', 'Naik'), label: 'N: naik (kenaikan ≥ KBM)' },
        { value: 'T', coding: localAnswer('tidak-naik', 'Tidak naik'), label: 'T: tidak naik (kenaikan < KBM)' },
        { value: 'O', coding: localAnswer('tidak-ditimbang-bulan-lalu', 'Bulan lalu tidak ditimbang'), label: 'O: bulan lalu tidak ditimbang' },
        { value: 'B', coding: localAnswer('baru-pertama-ditimbang', 'Baru pertama kali ditimbang'), label: 'B: baru pertama kali ditimbang' },
      ],
    },
    derived: { formula: 'weight-gain', inputs: ['body-weight'] },
    thresholds: [{
      id: 'balita', when: UNDER_5,
      bands: [
        { equals: 'N', flag: 'N', category: CAT.weightGained, label: 'Naik (N)' },
        { equals: 'T', flag: 'A', category: CAT.weightNotGained, label: 'Tidak naik (T)', followUp: FU.notGaining },
        { equals: 'O', flag: 'N', category: CAT.notWeighedLastMonth, label: 'Bulan lalu tidak ditimbang (O)' },
        { equals: 'B', flag: 'N', category: CAT.firstWeighing, label: 'Baru pertama kali ditimbang (B)' },
      ],
      source: 'SKDN (ilp-domain §8.3) and the KMS minimum monthly weight gain (KBM) table, catalog/kbm.ts',
    }],
    indicators: ['SPM-04', 'PWS-K2-GIZI'],
    notes: 'Computed from the previous weighing of the same child stored by the same organisation (by measurement date): N when the gain reaches the KBM for the age, T otherwise, O when the previous weighing is not in the previous calendar month, B at the first weighing. Two T in a row (2T) add a referral. Kemkes OC000146 ("Status T") codes only the T finding, so the four-valued result is local.',
  },
];
