import { CAT } from '../categories';
import { LC, UNITS, lifeCycles, localAnswer, localItem, loinc, snomed } from '../codes';
import { FU } from '../follow-ups';
import type { Band, CatalogueItem, ThresholdRule } from '../types';

/**
 * Cluster 2 (Ibu dan Anak): ANC 10T items, growth and development, anaemia, immunisation status
 * (KMK HK.01.07/MENKES/2015/2023 BAB IV; ilp-domain §4.1–§4.3, §6.2).
 */

const SOURCE_ANAEMIA_PREGNANCY = 'KMK HK.01.07/MENKES/1186/2022 PPK dokter FKTP: anemia pada kehamilan (Hb < 11 g/dL TM1/TM3, < 10,5 g/dL TM2; berat < 7 g/dL); ringan/sedang per WHO 2011';
const SOURCE_ANAEMIA_WHO = 'WHO 2011 Haemoglobin concentrations for the diagnosis of anaemia (WHO/NMH/NHD/MNM/11.1), used by the Kemenkes anaemia programme (verify against Juknis Skrining Anemia)';

const gdl = (n: number): string => `${String(n).replace('.', ',')} g/dL`;

/** WHO/PPK severity bands: severe < `severe`, moderate < `moderate`, mild < `normal`. */
function anaemiaBands(severe: number, moderate: number, normal: number): Band[] {
  return [
    { high: severe, flag: 'LL', category: CAT.anaemiaSevere, label: `Anemia berat (< ${gdl(severe)})`, followUp: FU.anaemiaSevere },
    { low: severe, high: moderate, flag: 'L', category: CAT.anaemiaModerate, label: `Anemia sedang (${gdl(severe)} – < ${gdl(moderate)})`, followUp: FU.anaemia },
    { low: moderate, high: normal, flag: 'L', category: CAT.anaemiaMild, label: `Anemia ringan (${gdl(moderate)} – < ${gdl(normal)})`, followUp: FU.anaemia },
    { low: normal, flag: 'N', category: CAT.noAnaemia, label: `Tidak anemia (≥ ${gdl(normal)})` },
  ];
}

const pregnancy = (id: string, when: ThresholdRule['when'], normal: number, extra: Partial<ThresholdRule> = {}): ThresholdRule =>
  ({ id, when, bands: anaemiaBands(7, 10, normal), source: SOURCE_ANAEMIA_PREGNANCY, ...extra });

const HB_RULES: ThresholdRule[] = [
  pregnancy('pregnant-tm1', { lifeCycle: ['ibu-hamil'], maxGestationalWeeks: 13 }, 11),
  pregnancy('pregnant-tm2', { lifeCycle: ['ibu-hamil'], minGestationalWeeks: 13, maxGestationalWeeks: 28 }, 10.5),
  pregnancy('pregnant-tm3', { lifeCycle: ['ibu-hamil'], minGestationalWeeks: 28 }, 11),
  pregnancy('pregnant-ga-unknown', { lifeCycle: ['ibu-hamil'] }, 11, {
    resolution: 'No gestational age at the visit: the stricter < 11 g/dL cut-off applies, so no anaemic woman is missed.',
  }),
  { id: 'female-12y', when: { sex: 'female', minAgeYears: 12 }, bands: anaemiaBands(8, 11, 12), source: SOURCE_ANAEMIA_WHO },
  { id: 'male-15y', when: { sex: 'male', minAgeYears: 15 }, bands: anaemiaBands(8, 11, 13), source: SOURCE_ANAEMIA_WHO },
  { id: 'child-12-14y', when: { minAgeYears: 12, maxAgeYears: 15 }, bands: anaemiaBands(8, 11, 12), source: SOURCE_ANAEMIA_WHO },
  { id: 'child-5-11y', when: { minAgeYears: 5, maxAgeYears: 12 }, bands: anaemiaBands(8, 11, 11.5), source: SOURCE_ANAEMIA_WHO },
  { id: 'child-6-59m', when: { minAgeMonths: 6, maxAgeMonths: 60 }, bands: anaemiaBands(7, 10, 11), source: SOURCE_ANAEMIA_WHO },
];

const MUAC_RULES: ThresholdRule[] = [
  {
    id: 'balita', when: { minAgeMonths: 6, maxAgeMonths: 60 },
    bands: [
      { high: 11.5, flag: 'LL', category: CAT.giziBuruk, label: 'Gizi buruk (LiLA < 11,5 cm)', followUp: FU.severeWasting },
      { low: 11.5, high: 12.5, flag: 'L', category: CAT.giziKurang, label: 'Gizi kurang (LiLA 11,5 – < 12,5 cm)', followUp: FU.moderateWasting },
      { low: 12.5, flag: 'N', category: CAT.giziBaik, label: 'Gizi baik (LiLA ≥ 12,5 cm)' },
    ],
    source: 'Kemkes clinical-term OV000249–OV000251 (LiLA balita); Pedoman Pencegahan dan Tata Laksana Gizi Buruk pada Balita (Kemenkes 2019)',
  },
  {
    id: 'pregnant', when: { lifeCycle: ['ibu-hamil'] },
    bands: [
      { high: 23.5, flag: 'L', category: CAT.kek, label: 'KEK (LiLA < 23,5 cm)', followUp: FU.kekPregnant },
      { low: 23.5, flag: 'N', category: CAT.notKek, label: 'Tidak KEK (LiLA ≥ 23,5 cm)' },
    ],
    source: 'KMK HK.01.07/MENKES/2015/2023 pelayanan ANC: KEK bila LiLA < 23,5 cm → dokter, MT ≥ 90 hari',
  },
  {
    id: 'wus-catin', when: { lifeCycle: ['wus', 'catin', 'pus'], sex: 'female' },
    bands: [
      { high: 23.5, flag: 'L', category: CAT.kek, label: 'KEK (LiLA < 23,5 cm)', followUp: FU.kekPreconception },
      { low: 23.5, flag: 'N', category: CAT.notKek, label: 'Tidak KEK (LiLA ≥ 23,5 cm)' },
    ],
    source: 'KMK HK.01.07/MENKES/2015/2023 Tabel 28 (catin; skrining layak hamil: LiLA > 23,5 cm, ALKI bila < 23,5 cm)',
  },
  {
    id: 'lansia', when: { minAgeYears: 60 },
    bands: [
      { high: 21, flag: 'L', category: CAT.elderlyMuacLow, label: 'Risiko malnutrisi (LiLA < 21 cm)', followUp: FU.elderlyMalnutrition },
      { low: 21, flag: 'N', category: CAT.elderlyMuacNormal, label: 'Normal (LiLA ≥ 21 cm)' },
    ],
    source: 'KMK HK.01.07/MENKES/2015/2023 Formulir 5 (SKILAS malnutrisi: LiLA < 21 cm)',
  },
];

export const items: CatalogueItem[] = [
  {
    code: 'muac',
    name: { en: 'Mid-upper arm circumference (MUAC)', id: 'Lingkar lengan atas (LiLA)' },
    clusters: [2, 3],
    lifeCycles: lifeCycles(LC.pregnancy, ['bayi', 'balita', 'anak-prasekolah', 'catin', 'pus', 'wus', 'lansia']),
    category: 'exam',
    codings: [snomed('284473002', 'Mid upper arm circumference'), loinc('56072-2', 'Circumference Mid upper arm - right')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.cm, min: 5, max: 70, decimals: 1 },
    thresholds: MUAC_RULES,
    indicators: ['SPM-01', 'SPM-04', 'PWS-K2-ANC', 'PWS-K2-ANC-KEK', 'PWS-K2-GIZI'],
    notes: 'Primary SNOMED 284473002 is what the SATUSEHAT Postman ANC example sends (category exam). LOINC 56072-2 (SATUSEHAT IG) is kept for compatibility but is `verify`: it means the right arm, while Indonesian practice measures the left. Not interpreted for infants under 6 months or children 5–18 years.',
  },
  {
    code: 'head-circumference',
    name: { en: 'Head circumference', id: 'Lingkar kepala (LK)' },
    clusters: [2],
    lifeCycles: [...LC.under5],
    category: 'vital-signs',
    codings: [loinc('9843-4', 'Head Occipital-frontal circumference')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.cm, min: 20, max: 70, decimals: 1 },
    thresholds: [],
    indicators: ['SPM-03', 'SPM-04', 'PWS-K2-GIZI'],
    notes: 'Microcephaly/macrocephaly is LK/U < −2 / > +2 SD (PKG), which needs the WHO reference tables by age and sex: not interpreted here.',
  },
  {
    code: 'hemoglobin',
    name: { en: 'Haemoglobin', id: 'Hemoglobin (Hb)' },
    clusters: [2, 3, 5],
    lifeCycles: lifeCycles(LC.pregnancy, ['ibu-nifas', 'balita', 'anak-prasekolah', 'anak-usia-sekolah', 'remaja'], LC.adults),
    category: 'laboratory',
    codings: [loinc('718-7', 'Hemoglobin [Mass/volume] in Blood')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.gPerDl, min: 1, max: 25, decimals: 1 },
    thresholds: HB_RULES,
    indicators: ['SPM-01', 'SPM-05', 'PWS-K2-ANC', 'PWS-K2-ANC-ANEMIA', 'PWS-K2-REMAJA-ANEMIA'],
    notes: 'Trimesters for the anaemia cut-offs: TM1 < 13 weeks, TM2 13 – < 28, TM3 ≥ 28 (obstetric trimesters; the ANC contact schedule uses 0–12 / > 12–24 / > 24). POCT Hb-meter and analyser results share 718-7. The thalassaemia carrier flag (Hb < 11 g/dL with MCV < 80 fL or MCH < 27 pg; the KMK misprints mg/dL) needs the CBC and is not derived here.',
  },
  {
    code: 'fundal-height',
    name: { en: 'Fundal height', id: 'Tinggi fundus uteri (TFU)' },
    clusters: [2],
    lifeCycles: [...LC.pregnancy],
    category: 'exam',
    codings: [loinc('11881-0', 'Uterus Fundal height Tape measure')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.cm, min: 0, max: 60, decimals: 1 },
    thresholds: [],
    indicators: ['SPM-01', 'PWS-K2-ANC'],
    notes: 'Judged against gestational age (after 20 weeks TFU in cm ≈ weeks ± 2, McDonald), which is a two-item comparison the midwife makes: not interpreted per item.',
  },
  {
    code: 'fetal-heart-rate',
    name: { en: 'Fetal heart rate', id: 'Denyut jantung janin (DJJ)' },
    clusters: [2],
    lifeCycles: [...LC.pregnancy],
    category: 'exam',
    codings: [loinc('55283-6', 'Fetal Heart rate')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.beatsPerMin, min: 50, max: 250, decimals: 0 },
    thresholds: [
      {
        id: 'general',
        bands: [
          { high: 120, flag: 'L', category: CAT.fetalBradycardia, label: 'Bradikardia janin (< 120/menit)', followUp: FU.fetalHeartRate },
          { low: 120, high: 161, flag: 'N', category: CAT.fhrNormal, label: 'Normal (120–160/menit)' },
          { low: 161, flag: 'H', category: CAT.fetalTachycardia, label: 'Takikardia janin (> 160/menit)', followUp: FU.fetalHeartRate },
        ],
        source: 'Buku KIA convention: DJJ normal 120–160/menit (ilp-domain §4.1)',
        resolution: 'The KMK text gives no DJJ range; 120–160/min is the Buku KIA convention and is marked verify.',
      },
    ],
    indicators: ['SPM-01', 'PWS-K2-ANC'],
    notes: 'SATUSEHAT\'s example uses UCUM "{beats}/min"; we send "/min" (same dimension). USG-measured DJJ is LOINC 11948-7.',
  },
  {
    code: 'gestational-age-weeks',
    name: { en: 'Gestational age', id: 'Usia kehamilan (UK)' },
    clusters: [2],
    lifeCycles: [...LC.pregnancy],
    category: 'survey',
    codings: [loinc('18185-9', 'Gestational age')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.weeks, min: 0, max: 45, decimals: 1 },
    thresholds: [],
    indicators: ['SPM-01', 'PWS-K2-ANC'],
    notes: 'Also sets the gestational context of the same visit for the Hb, BP and BMI rules. SATUSEHAT uses 18185-9 (its ANC example); 11884-4 / 11885-1 / 11888-5 are the estimated / from-LMP / ultrasound variants.',
  },
  {
    code: 'pre-pregnancy-weight',
    name: { en: 'Body weight before pregnancy', id: 'Berat badan sebelum hamil' },
    clusters: [2],
    lifeCycles: [...LC.pregnancy],
    category: 'survey',
    codings: [loinc('56077-1', 'Body weight --pre current pregnancy')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.kg, min: 20, max: 300, decimals: 1 },
    thresholds: [],
    indicators: ['SPM-01', 'PWS-K2-ANC'],
    notes: 'With body height it gives the pre-pregnancy BMI (Kemkes OC000010), which sets the weight-gain target (OV000008–011).',
  },
  {
    code: 'kpsp-result',
    name: { en: 'KPSP developmental screening result', id: 'Hasil KPSP (Kuesioner Pra Skrining Perkembangan)' },
    clusters: [2],
    lifeCycles: ['bayi', 'balita', 'anak-prasekolah'],
    category: 'survey',
    codings: [localItem('kpsp-result', 'KPSP developmental screening result')],
    confidence: 'local',
    value: {
      type: 'coded',
      options: [
        { value: 'sesuai', coding: localAnswer('kpsp-sesuai', 'Sesuai umur'), label: 'Sesuai umur (skor 9–10)' },
        { value: 'meragukan', coding: localAnswer('kpsp-meragukan', 'Meragukan'), label: 'Meragukan (skor 7–8)' },
        { value: 'penyimpangan', coding: localAnswer('kpsp-penyimpangan', 'Ada kemungkinan penyimpangan'), label: 'Ada kemungkinan penyimpangan (skor ≤ 6)' },
      ],
    },
    thresholds: [
      {
        id: 'general',
        bands: [
          { equals: 'sesuai', flag: 'N', category: CAT.developmentAppropriate, label: 'Sesuai umur' },
          { equals: 'meragukan', flag: 'A', category: CAT.developmentDoubtful, label: 'Meragukan', followUp: FU.kpspDoubtful },
          { equals: 'penyimpangan', flag: 'A', category: CAT.developmentDeviation, label: 'Ada kemungkinan penyimpangan', followUp: FU.kpspDeviation },
        ],
        source: 'Pedoman SDIDTK (Kemenkes 2022): KPSP 9–10 sesuai, 7–8 meragukan (ulang 2 minggu), ≤ 6 penyimpangan (verify); KMK HK.01.07/MENKES/33/2025 (PKG)',
      },
    ],
    indicators: ['SPM-04', 'PWS-K2-TUMBANG'],
    notes: 'Local code: the Kemkes KPSP CodeSystem published in ID Core lists form codes, not results (ilp-domain §6.4). "Sesuai" maps to Kemkes OI000016 "Sesuai Usia"; Kemkes OI000017 "Tidak Sesuai Usia" does not separate meragukan from penyimpangan, so both use local categories.',
  },
  {
    code: 'immunization-status',
    name: { en: 'Routine immunisation status for age', id: 'Status imunisasi rutin sesuai umur' },
    clusters: [2],
    lifeCycles: ['bayi', 'balita', 'anak-prasekolah', 'anak-usia-sekolah'],
    category: 'survey',
    codings: [localItem('immunization-status', 'Routine immunisation status for age')],
    confidence: 'local',
    value: {
      type: 'coded',
      options: [
        { value: 'lengkap', coding: localAnswer('imunisasi-lengkap', 'Imunisasi lengkap sesuai umur'), label: 'Lengkap sesuai umur' },
        { value: 'belum-lengkap', coding: localAnswer('imunisasi-belum-lengkap', 'Imunisasi belum lengkap sesuai umur'), label: 'Belum lengkap' },
        { value: 'tidak-diimunisasi', coding: localAnswer('imunisasi-tidak-pernah', 'Tidak pernah diimunisasi'), label: 'Tidak pernah diimunisasi' },
      ],
    },
    thresholds: [
      {
        id: 'general',
        bands: [
          { equals: 'lengkap', flag: 'N', category: CAT.immunisationComplete, label: 'Imunisasi lengkap sesuai umur' },
          { equals: 'belum-lengkap', flag: 'A', category: CAT.immunisationIncomplete, label: 'Imunisasi belum lengkap', followUp: FU.dofu },
          { equals: 'tidak-diimunisasi', flag: 'A', category: CAT.notImmunised, label: 'Tidak pernah diimunisasi', followUp: FU.notImmunised },
        ],
        source: 'KMK HK.01.07/MENKES/2015/2023 Tabel 7–8 (jadwal imunisasi rutin) and DOFU by kader',
      },
    ],
    indicators: ['SPM-04', 'PWS-K2-IMUNISASI'],
    notes: 'A summary of the record review against the schedule for the child\'s age. Doses themselves travel as Immunization resources (KFA vaccine codes); the T-status of WUS and pregnant women is not this item.',
  },
];
