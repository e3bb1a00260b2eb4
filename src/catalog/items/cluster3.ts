import { CAT } from '../categories';
import { LC, UNITS, lifeCycles, localItem, loinc, snomed } from '../codes';
import { FU } from '../follow-ups';
import type { Band, CatalogueItem, ThresholdRule } from '../types';

/**
 * Cluster 3 (Usia Dewasa dan Lansia): the common PTM screening package of KMK HK.01.07/MENKES/2015/2023
 * Tabel 19 (obesity, DM, lipids, mental health, PPOK, eye), smoking, and the geriatric ADL score
 * (ilp-domain §4.4, §6.3, §6.4). School-age items reuse them through cluster 2.
 */

const SOURCE_TABEL_23 = 'KMK HK.01.07/MENKES/2015/2023 Tabel 23 (glukometer)';
const SOURCE_PKG_CHILD = 'KMK HK.01.07/MENKES/33/2025 Juknis PKG (balita): GDS < 140 normal, 140 – < 200 prediabetes, ≥ 200 hiperglikemia; GDP ≥ 100 → rujuk';
const SOURCE_TABEL_25 = 'KMK HK.01.07/MENKES/2015/2023 Tabel 25';
const HYPO_NOTE = 'Hypoglycaemia < 70 mg/dL (PERKENI 2021) is added below the guideline\'s "normal" band so a dangerously low value is never labelled normal.';
const CHILD_RESOLUTION = `PKG states these bands for children 2–6 years and the KMK gives none for 7–14 years; we apply them from 2 to < 15 years (Tabel 23 from 15). ${HYPO_NOTE}`;

const hypo: Band = { high: 70, flag: 'LL', category: CAT.hypoglycaemia, label: 'Hipoglikemia (< 70 mg/dL)', followUp: FU.hypoglycaemia };

const SOURCE_PREGNANCY = 'WHO 2013, Diagnostic criteria and classification of hyperglycaemia first detected in pregnancy (WHO/NMH/MND/13.2), as adopted by PERKENI 2021 (Pedoman Pengelolaan DM: DMG bila GDP ≥ 92 mg/dL, TTGO 1 jam ≥ 180 atau 2 jam ≥ 153 mg/dL; DM dalam kehamilan bila GDP ≥ 126 atau GDS ≥ 200 mg/dL)';
const PREGNANCY_RESOLUTION = `The adult Tabel 23 bands (prediabetes, HbA1c follow-up) do not apply in pregnancy: HbA1c is not a diagnostic test for GDM and "prediabetes" is not a pregnancy category. The rule applies to every visit of a pregnant woman (lifeCycle ibu-hamil), whatever the gestational age. The criteria are written for venous plasma glucose; a capillary glucometer value is a screening result, so every positive band refers for confirmation. ${HYPO_NOTE}`;

/** Pregnancy: GDM from a fasting value ≥ 92 mg/dL (WHO 2013); overt diabetes in pregnancy from ≥ 126. */
const PREGNANCY_FASTING: ThresholdRule = {
  id: 'pregnant', when: { lifeCycle: ['ibu-hamil'] }, source: SOURCE_PREGNANCY, resolution: PREGNANCY_RESOLUTION,
  bands: [
    hypo,
    { low: 70, high: 92, flag: 'N', category: CAT.glucoseNormal, label: 'Normal pada kehamilan (< 92 mg/dL)' },
    { low: 92, high: 126, flag: 'H', category: CAT.gestationalDiabetes, label: 'Diabetes melitus gestasional (GDP 92–125 mg/dL)', followUp: FU.gestationalDiabetes },
    { low: 126, flag: 'H', category: CAT.diabetesInPregnancy, label: 'Diabetes melitus dalam kehamilan (GDP ≥ 126 mg/dL)', followUp: FU.diabetesInPregnancy },
  ],
};

/** Pregnancy, random value: ≥ 200 is diabetes in pregnancy (WHO 2013, with symptoms); 140–199 asks for the 75 g OGTT. */
const PREGNANCY_RANDOM: ThresholdRule = {
  id: 'pregnant', when: { lifeCycle: ['ibu-hamil'] }, source: SOURCE_PREGNANCY,
  resolution: `${PREGNANCY_RESOLUTION} WHO 2013 gives no random-glucose band below 200 mg/dL: 140–199 mg/dL (the adult "prediabetes" range) is a positive screen that needs the 75 g OGTT, not an HbA1c.`,
  bands: [
    hypo,
    { low: 70, high: 140, flag: 'N', category: CAT.glucoseNormal, label: 'Normal (< 140 mg/dL)' },
    { low: 140, high: 200, flag: 'H', category: CAT.hyperglycaemiaPregnancy, label: 'Hiperglikemia dalam kehamilan (140–199 mg/dL): TTGO 75 g', followUp: FU.pregnancyOgtt },
    { low: 200, flag: 'H', category: CAT.diabetesInPregnancy, label: 'Curiga diabetes melitus dalam kehamilan (GDS ≥ 200 mg/dL)', followUp: FU.diabetesInPregnancy },
  ],
};

const RANDOM_GLUCOSE_RULES: ThresholdRule[] = [
  PREGNANCY_RANDOM,
  {
    id: 'child', when: { minAgeYears: 2, maxAgeYears: 15 }, source: SOURCE_PKG_CHILD, resolution: CHILD_RESOLUTION,
    bands: [
      hypo,
      { low: 70, high: 140, flag: 'N', category: CAT.glucoseNormal, label: 'Normal (< 140 mg/dL)' },
      { low: 140, high: 200, flag: 'H', category: CAT.prediabetes, label: 'Prediabetes (140 – < 200 mg/dL)', followUp: FU.childGlucoseRetest },
      { low: 200, flag: 'H', category: CAT.hyperglycaemia, label: 'Hiperglikemia (≥ 200 mg/dL)', followUp: FU.childGlucoseReferral },
    ],
  },
  {
    id: 'tabel-23', when: { minAgeYears: 15 }, source: SOURCE_TABEL_23,
    resolution: `Tabel 23 prints "< 100 normal, 140–199 prediabetes", leaving 100–139 undefined (ilp-domain §4.8): that gap is an explicit indeterminate band (IND) with a fasting-glucose retest, until the Dinkes decides otherwise (PERKENI calls < 140 "bukan DM"). Tabel 23 reads ≥ 200 as diabetes only "dengan gejala klasik"; the symptoms are not captured, so that band is "curiga DM" (a local category, not SNOMED Diabetes mellitus) and its referral asks for the symptoms and a confirmation. ${HYPO_NOTE}`,
    bands: [
      hypo,
      { low: 70, high: 100, flag: 'N', category: CAT.glucoseNormal, label: 'Normal (< 100 mg/dL)' },
      { low: 100, high: 140, flag: 'IND', category: CAT.glucoseUnclassified, label: 'Belum terklasifikasi (100–139 mg/dL)', followUp: FU.glucoseUnclassified },
      { low: 140, high: 200, flag: 'H', category: CAT.prediabetes, label: 'Prediabetes (140–199 mg/dL)', followUp: FU.prediabetes },
      { low: 200, flag: 'H', category: CAT.suspectedDiabetes, label: 'Curiga diabetes melitus (≥ 200 mg/dL), perlu konfirmasi', followUp: FU.suspectedDiabetes },
    ],
  },
];

const FASTING_GLUCOSE_RULES: ThresholdRule[] = [
  PREGNANCY_FASTING,
  {
    id: 'child', when: { minAgeYears: 2, maxAgeYears: 15 }, source: SOURCE_PKG_CHILD, resolution: CHILD_RESOLUTION,
    bands: [
      hypo,
      { low: 70, high: 100, flag: 'N', category: CAT.glucoseNormal, label: 'Normal (< 100 mg/dL)' },
      { low: 100, flag: 'H', category: CAT.hyperglycaemia, label: 'Gula darah puasa tinggi (≥ 100 mg/dL)', followUp: FU.childGlucoseReferral },
    ],
  },
  {
    id: 'tabel-23', when: { minAgeYears: 15 }, source: SOURCE_TABEL_23, resolution: HYPO_NOTE,
    bands: [
      hypo,
      { low: 70, high: 100, flag: 'N', category: CAT.glucoseNormal, label: 'Normal (< 100 mg/dL)' },
      { low: 100, high: 126, flag: 'H', category: CAT.prediabetes, label: 'Prediabetes / GDP terganggu (100–125 mg/dL)', followUp: FU.prediabetes },
      { low: 126, flag: 'H', category: CAT.diabetes, label: 'Diabetes melitus (≥ 126 mg/dL)', followUp: FU.diabetes },
    ],
  },
];

function waistRule(sex: 'male' | 'female', limit: number): ThresholdRule {
  const edge = limit + 0.1;
  return {
    id: sex, when: { sex, minAgeYears: 18 },
    bands: [
      { high: edge, flag: 'N', category: CAT.waistNormal, label: `Normal (≤ ${limit} cm)` },
      { low: edge, flag: 'H', category: CAT.centralObesity, label: `Obesitas sentral (> ${limit} cm)`, followUp: FU.nutritionEducation },
    ],
    source: `KMK HK.01.07/MENKES/2015/2023 Tabel 19 (obesitas sentral: LP > 90 cm laki-laki, > 80 cm perempuan)`,
    resolution: `The KMK writes "> ${limit} cm" (IDF Asia writes ≥); at this item's 1-decimal precision "> ${limit}" starts at ${edge}, so exactly ${limit}.0 cm is normal.`,
  };
}

/** WHO categories on the decimal value (6/12 = 0.5); see the resolution for 6/12 itself. */
const VISION_RULES: ThresholdRule[] = [
  {
    id: 'from-3y', when: { minAgeYears: 3 },
    bands: [
      { high: 3 / 60, flag: 'LL', category: CAT.blindness, label: 'Kebutaan (< 3/60)', followUp: FU.eyeSpecialist },
      { low: 3 / 60, high: 6 / 60, flag: 'L', category: CAT.severeVisualImpairment, label: 'Gangguan penglihatan berat (< 6/60 – 3/60)', followUp: FU.eyeSpecialist },
      { low: 6 / 60, high: 6 / 18, flag: 'L', category: CAT.moderateVisualImpairment, label: 'Gangguan penglihatan sedang (< 6/18 – 6/60)', followUp: FU.refraction },
      { low: 6 / 18, high: 6 / 12, flag: 'L', category: CAT.mildVisualImpairment, label: 'Gangguan penglihatan ringan (< 6/12 – 6/18)', followUp: FU.refraction },
      { low: 6 / 12, high: 0.6, flag: 'L', category: CAT.acuityReferral, label: 'Visus 6/12: tidak lebih baik dari 6/12, rujuk refraksi', followUp: FU.refraction },
      { low: 0.6, flag: 'N', category: CAT.normalVision, label: 'Normal (lebih baik dari 6/12)' },
    ],
    source: 'KMK HK.01.07/MENKES/2015/2023: kategori visus (normal 6/6; ringan < 6/12–6/18; sedang < 6/18–6/60; berat < 6/60–3/60; buta < 3/60) dan Tabel 19 (kader: rujuk bila visus tidak lebih baik dari 6/12)',
    resolution: 'The KMK leaves 6/9–6/12 unnamed and the kader rule refers acuity "not better than 6/12". 6/12 itself therefore has its own referral band, up to 0.6 (6/10, the next chart line better than 6/12); 0.6 and above is normal (WHO: no impairment).',
  },
];

const visualAcuity = (side: 'right' | 'left'): CatalogueItem => ({
  code: `visual-acuity-${side}`,
  name: side === 'right'
    ? { en: 'Visual acuity, right eye', id: 'Tajam penglihatan (visus) mata kanan' }
    : { en: 'Visual acuity, left eye', id: 'Tajam penglihatan (visus) mata kiri' },
  clusters: [2, 3],
  lifeCycles: lifeCycles(['anak-prasekolah', 'anak-usia-sekolah', 'remaja'], LC.adults),
  category: 'exam',
  codings: [snomed('363983007', 'Visual acuity')],
  confidence: 'verify',
  value: { type: 'snellen' },
  // SNOMED CT: 362502000 |Entire right eye|, 362503005 |Entire left eye| (the clinical review of
  // issue 9 found them swapped).
  bodySite: side === 'right' ? snomed('362502000', 'Entire right eye') : snomed('362503005', 'Entire left eye'),
  thresholds: VISION_RULES,
  indicators: ['SPM-05', 'SPM-06', 'PWS-K3-MATA-SCREENED'],
  notes: 'Presenting acuity as a Snellen fraction ("6/12", "20/40"); Tumbling E, finger count or pinhole go in Observation.method. SNOMED 363983007 (ilp-domain §6.4, verify) with the eye as bodySite (SNOMED 362502000 Entire right eye / 362503005 Entire left eye). The refraction rule (refer at 6/9 after correction) belongs to the Puskesmas refraction exam, not this screening item.',
});

export const items: CatalogueItem[] = [
  {
    code: 'waist-circumference',
    name: { en: 'Waist circumference', id: 'Lingkar perut (LP)' },
    clusters: [2, 3],
    lifeCycles: lifeCycles(['remaja'], LC.adults),
    category: 'exam',
    codings: [loinc('8280-0', 'Waist Circumference at umbilicus by Tape measure')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.cm, min: 20, max: 250, decimals: 1 },
    thresholds: [
      { id: 'pregnant', when: { lifeCycle: ['ibu-hamil'] }, bands: [], source: 'Not interpreted in pregnancy: the central-obesity cut-offs of Tabel 19 do not apply' },
      waistRule('male', 90),
      waistRule('female', 80),
    ],
    indicators: ['SPM-06', 'SPM-07', 'PWS-K3-PTM-SCREENED', 'PWS-K3-OBESITAS'],
    notes: 'Under 18 years not interpreted (adolescent waist percentiles are not in the KMK).',
  },
  {
    code: 'blood-glucose-random',
    name: { en: 'Random blood glucose (capillary, glucometer)', id: 'Gula darah sewaktu (GDS, glukometer kapiler)' },
    clusters: [2, 3, 5],
    lifeCycles: lifeCycles(LC.pregnancy, ['balita', 'anak-prasekolah', 'anak-usia-sekolah', 'remaja'], LC.adults),
    category: 'laboratory',
    codings: [loinc('41653-7', 'Glucose [Mass/volume] in Capillary blood by Glucometer')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.mgPerDl, min: 10, max: 1500, decimals: 0 },
    thresholds: RANDOM_GLUCOSE_RULES,
    indicators: ['SPM-01', 'SPM-06', 'SPM-07', 'SPM-09', 'PWS-K3-PTM-SCREENED', 'PWS-K3-DM'],
    notes: 'For capillary glucometer results (Posyandu, Pustu). Analyser plasma glucose is LOINC 2345-7 (Tabel 24 uses the same bands); SATUSEHAT\'s ANC example used 74774-1. Store the raw value; the category is advisory (ilp-domain §4.8).',
  },
  {
    code: 'blood-glucose-fasting',
    name: { en: 'Fasting blood glucose (capillary, glucometer)', id: 'Gula darah puasa (GDP, glukometer kapiler)' },
    clusters: [2, 3, 5],
    lifeCycles: lifeCycles(LC.pregnancy, ['balita', 'anak-prasekolah', 'anak-usia-sekolah', 'remaja'], LC.adults),
    category: 'laboratory',
    // A glucometer measures capillary blood: LOINC 41604-0, as the random item uses 41653-7; 1558-6 is
    // serum/plasma (an analyser), which the clinical review of issue 9 found misapplied here.
    codings: [loinc('41604-0', 'Fasting glucose [Mass/volume] in Capillary blood by Glucometer')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.mgPerDl, min: 10, max: 1500, decimals: 0 },
    thresholds: FASTING_GLUCOSE_RULES,
    indicators: ['SPM-06', 'SPM-07', 'SPM-09', 'PWS-K3-PTM-SCREENED', 'PWS-K3-DM'],
    notes: 'For capillary glucometer results (Posyandu, Pustu), LOINC 41604-0 "Fasting glucose [Mass/volume] in Capillary blood by Glucometer". An analyser plasma fasting glucose is LOINC 1558-6 (not this item). In pregnancy the WHO 2013 GDM criteria apply (fasting ≥ 92 mg/dL).',
  },
  {
    code: 'total-cholesterol',
    name: { en: 'Total cholesterol', id: 'Kolesterol total' },
    clusters: [3, 5],
    lifeCycles: ['usia-dewasa', 'lansia'],
    category: 'laboratory',
    codings: [loinc('2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.mgPerDl, min: 20, max: 1000, decimals: 0 },
    thresholds: [
      {
        id: 'adult', when: { minAgeYears: 18 }, source: SOURCE_TABEL_25,
        bands: [
          { high: 200, flag: 'N', category: CAT.cholesterolDesirable, label: 'Diinginkan (< 200 mg/dL)' },
          { low: 200, high: 240, flag: 'H', category: CAT.cholesterolBorderline, label: 'Batas tinggi (200–239 mg/dL)', followUp: FU.lipidEducation },
          { low: 240, flag: 'H', category: CAT.cholesterolHigh, label: 'Tinggi (≥ 240 mg/dL)', followUp: FU.cholesterolHigh },
        ],
      },
    ],
    indicators: ['SPM-07', 'PWS-K3-PTM-SCREENED'],
    notes: 'Rapid-strip and photometer results share the serum/plasma code. Children: not interpreted (paediatric cut-offs differ).',
  },
  {
    code: 'hdl-cholesterol',
    name: { en: 'HDL cholesterol', id: 'Kolesterol HDL' },
    clusters: [3, 5],
    lifeCycles: ['usia-dewasa', 'lansia'],
    category: 'laboratory',
    codings: [loinc('2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.mgPerDl, min: 5, max: 200, decimals: 0 },
    thresholds: [
      {
        id: 'adult', when: { minAgeYears: 18 }, source: SOURCE_TABEL_25,
        bands: [
          { high: 40, flag: 'L', category: CAT.hdlLow, label: 'Rendah (< 40 mg/dL)', followUp: FU.lipidEducation },
          { low: 40, high: 60, flag: 'N', category: CAT.hdlNormal, label: 'Normal (40–59 mg/dL)' },
          { low: 60, flag: 'N', category: CAT.hdlHigh, label: 'Tinggi, protektif (≥ 60 mg/dL)' },
        ],
      },
    ],
    indicators: ['PWS-K3-PTM-SCREENED'],
  },
  {
    code: 'srq20-score',
    name: { en: 'SRQ-20 total score', id: 'Skor total SRQ-20' },
    clusters: [2, 3],
    lifeCycles: lifeCycles(LC.pregnancy, ['ibu-nifas'], LC.adults),
    category: 'survey',
    codings: [localItem('srq20-score', 'SRQ-20 total score')],
    confidence: 'local',
    value: { type: 'integer', min: 0, max: 20 },
    thresholds: [
      {
        id: 'from-15y', when: { minAgeYears: 15 },
        bands: [
          { high: 6, flag: 'N', category: CAT.srqNormal, label: 'Normal (< 6)' },
          { low: 6, flag: 'A', category: CAT.srqAbnormal, label: 'Abnormal: gangguan mental emosional (≥ 6)', followUp: FU.srqAbnormal },
        ],
        source: 'KMK HK.01.07/MENKES/2015/2023 Tabel 19 dan Formulir 6 (SRQ-20: < 6 normal, ≥ 6 abnormal)',
      },
    ],
    indicators: ['SPM-06', 'SPM-07', 'PWS-K3-JIWA-SCREENED'],
    notes: 'No LOINC code found for SRQ-20 (ilp-domain §6.4). Item 17 is sent separately (srq20-suicidal-thoughts) because "yes" makes the screening abnormal regardless of the score. ePuskesmas offers the 29-item SRQ-29; its total is not this item.',
  },
  {
    code: 'srq20-suicidal-thoughts',
    name: { en: 'SRQ-20 item 17: thoughts of ending one\'s life', id: 'SRQ-20 butir 17: pikiran untuk mengakhiri hidup' },
    clusters: [2, 3],
    lifeCycles: lifeCycles(LC.pregnancy, ['ibu-nifas'], LC.adults),
    category: 'survey',
    codings: [localItem('srq20-suicidal-thoughts', 'SRQ-20 item 17: thoughts of ending one\'s life')],
    confidence: 'local',
    value: { type: 'boolean' },
    thresholds: [
      {
        id: 'general',
        bands: [
          { equals: true, flag: 'AA', category: CAT.suicidalThoughts, label: 'Ada pikiran bunuh diri: abnormal tanpa melihat skor', followUp: FU.suicidalThoughts },
          { equals: false, flag: 'N', category: CAT.noSuicidalThoughts, label: 'Tidak ada pikiran bunuh diri' },
        ],
        source: 'KMK HK.01.07/MENKES/2015/2023 Formulir 6 (SRQ-20 butir 17 "ya" → abnormal tanpa melihat skor)',
      },
    ],
    indicators: ['PWS-K3-JIWA-SCREENED'],
  },
  {
    code: 'puma-score',
    name: { en: 'PUMA COPD screening score', id: 'Skor PUMA (skrining PPOK)' },
    clusters: [3],
    lifeCycles: ['usia-dewasa', 'lansia'],
    category: 'survey',
    codings: [localItem('puma-score', 'PUMA COPD screening score')],
    confidence: 'local',
    value: { type: 'integer', min: 0, max: 9 },
    thresholds: [
      {
        id: 'from-40y', when: { minAgeYears: 40 },
        bands: [
          { high: 6, flag: 'N', category: CAT.pumaLow, label: 'Risiko rendah (< 6)' },
          { low: 6, flag: 'H', category: CAT.pumaHigh, label: 'Risiko tinggi PPOK (≥ 6)', followUp: FU.pumaHigh },
        ],
        source: 'KMK HK.01.07/MENKES/2015/2023 Formulir 4 (PUMA, usia ≥ 40: ≥ 6 risiko tinggi)',
      },
    ],
    indicators: ['SPM-06', 'SPM-07', 'PWS-K3-PPOK-SCREENED'],
    notes: 'PUMA is validated from 40 years only. Items: sex, age band, pack-years (LOINC 8664-5, verify), dyspnoea, phlegm, cough, prior spirometry. A follow-up spirometry FEV1/FVC < 0.7 means obstruction (the ILP text has it reversed, ilp-domain §4.8).',
  },
  visualAcuity('right'),
  visualAcuity('left'),
  {
    code: 'smoking-status',
    name: { en: 'Tobacco smoking status', id: 'Status merokok' },
    clusters: [2, 3],
    lifeCycles: lifeCycles(LC.pregnancy, ['anak-usia-sekolah', 'remaja'], LC.adults),
    category: 'social-history',
    codings: [loinc('72166-2', 'Tobacco smoking status')],
    confidence: 'confident',
    value: {
      type: 'coded',
      options: [
        { value: 'smoker', coding: snomed('77176002', 'Smoker'), label: 'Perokok' },
        { value: 'ex-smoker', coding: snomed('8517006', 'Ex-smoker'), label: 'Bekas perokok' },
        { value: 'never', coding: snomed('266919005', 'Never smoked tobacco'), label: 'Tidak pernah merokok' },
        { value: 'passive', coding: snomed('43381005', 'Passive smoker'), label: 'Perokok pasif' },
      ],
    },
    thresholds: [
      {
        id: 'general',
        bands: [
          { equals: 'smoker', flag: 'A', category: CAT.smoker, label: 'Perokok aktif', followUp: FU.smokingCessation },
          { equals: 'ex-smoker', flag: 'N', category: CAT.exSmoker, label: 'Bekas perokok' },
          { equals: 'never', flag: 'N', category: CAT.nonSmoker, label: 'Bukan perokok' },
          { equals: 'passive', flag: 'A', category: CAT.passiveSmoker, label: 'Perokok pasif', followUp: FU.smokeFreeHome },
        ],
        source: 'KMK HK.01.07/MENKES/2015/2023 Formulir 2; KMK HK.01.07/MENKES/33/2025 (PKG: merokok → konseling UBM)',
      },
    ],
    indicators: ['SPM-05', 'SPM-06', 'PWS-K3-MEROKOK'],
    notes: 'Answer codes are the SNOMED values SATUSEHAT uses with 72166-2 (ilp-domain §6.4). Formulir 2\'s "setiap hari" and "kadang-kadang" are both "smoker". Cigarettes per day (LOINC 64218-1, verify) and exhaled CO are not catalogue items yet.',
  },
  {
    code: 'adl-score',
    name: { en: 'ADL score (modified Barthel index, 0–20)', id: 'Skor AKS/ADL (indeks Barthel modifikasi, 0–20)' },
    clusters: [3],
    lifeCycles: ['lansia'],
    category: 'survey',
    codings: [localItem('adl-score', 'ADL score (modified Barthel index, 0–20)')],
    confidence: 'local',
    value: { type: 'integer', min: 0, max: 20 },
    thresholds: [
      {
        id: 'general',
        bands: [
          { high: 5, flag: 'LL', category: CAT.dependenceTotal, label: 'Ketergantungan total (0–4), kategori C', followUp: FU.homeCare },
          { low: 5, high: 9, flag: 'L', category: CAT.dependenceSevere, label: 'Ketergantungan berat (5–8), kategori C', followUp: FU.homeCare },
          { low: 9, high: 12, flag: 'L', category: CAT.dependenceModerate, label: 'Ketergantungan sedang (9–11), kategori B', followUp: FU.homeCare },
          { low: 12, high: 20, flag: 'L', category: CAT.dependenceMild, label: 'Ketergantungan ringan (12–19), kategori B' },
          { low: 20, flag: 'N', category: CAT.adlIndependent, label: 'Mandiri (20), kategori A' },
        ],
        source: 'KMK HK.01.07/MENKES/2015/2023 Formulir 5 (AKS/ADL indeks Barthel modifikasi 0–20; sedang, berat, total → home care)',
      },
    ],
    indicators: ['SPM-07', 'PWS-K3-LANSIA-SCREENED'],
    notes: 'Local code on purpose: LOINC 96761-2 "Total score Barthel Index" is the 0–100 scale, so a 0–20 value under it would be misread as severe dependence (ilp-domain §6.4). The dependence categories are the Kemkes clinical-term codes OI000045–OI000048 (displays from the Kemkes CodeSystem); "mandiri" has no Kemkes code.',
  },
];
