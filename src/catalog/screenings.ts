import type { ScreeningType } from './types';

/**
 * Screening types vendors send items under. `domainCode` is the ilp-domain §5.3 code (SKR-ANC-10T from its
 * Appendix C); codes marked "(gateway)" have no such entry and were coined in the same pattern
 * (docs/decisions/0002).
 * `items` lists every item the screening may carry, derived ones included (the gateway computes
 * those; the intake schema refuses them from vendors).
 */
export const SCREENINGS: readonly ScreeningType[] = [
  {
    code: 'hypertension', domainCode: 'SKR-HT',
    name: { en: 'Hypertension screening', id: 'Skrining hipertensi' },
    clusters: [2, 3],
    items: ['systolic-bp', 'diastolic-bp'],
    indicators: ['SPM-06', 'SPM-07', 'PWS-K3-PTM-SCREENED'],
  },
  {
    code: 'obesity', domainCode: 'SKR-OBES',
    name: { en: 'Obesity screening', id: 'Skrining obesitas' },
    clusters: [2, 3],
    items: ['body-weight', 'body-height', 'bmi', 'waist-circumference'],
    indicators: ['SPM-06', 'SPM-07', 'PWS-K3-PTM-SCREENED'],
  },
  {
    code: 'diabetes', domainCode: 'SKR-DM',
    name: { en: 'Diabetes screening', id: 'Skrining diabetes melitus' },
    clusters: [2, 3],
    // KMK Tabel 19: history, weight, height, waist, BP and glucometer glucose.
    items: ['blood-glucose-random', 'blood-glucose-fasting', 'body-weight', 'body-height', 'bmi', 'waist-circumference', 'systolic-bp', 'diastolic-bp'],
    indicators: ['SPM-06', 'SPM-07', 'PWS-K3-PTM-SCREENED'],
  },
  {
    code: 'anc-10t', domainCode: 'SKR-ANC-10T',
    name: { en: 'Antenatal care (10T)', id: 'Pelayanan antenatal terpadu (10T)' },
    clusters: [2],
    // KMK image034: weight/height, BP, LiLA, TFU, DJJ, lab (Hb; random glucose at K3).
    items: [
      'body-weight', 'body-height', 'pre-pregnancy-weight', 'bmi', 'muac', 'systolic-bp', 'diastolic-bp',
      'fundal-height', 'fetal-heart-rate', 'gestational-age-weeks', 'hemoglobin', 'blood-glucose-random',
    ],
    indicators: ['SPM-01', 'PWS-K2-ANC'],
  },
  {
    code: 'tb-symptoms', domainCode: 'SKR-TB-GEJALA',
    name: { en: 'TB symptom screening', id: 'Skrining gejala TBC' },
    clusters: [2, 3, 4],
    items: ['cough-2-weeks', 'cough', 'weight-loss', 'fever', 'night-sweats', 'tb-screening-result'],
    indicators: ['SPM-11', 'PWS-K4-TB-SCREENED'],
  },
  {
    code: 'mental-srq20', domainCode: 'SKR-JIWA-SRQ20',
    name: { en: 'Mental health screening (SRQ-20)', id: 'Skrining kesehatan jiwa (SRQ-20)' },
    clusters: [2, 3],
    items: ['srq20-score', 'srq20-suicidal-thoughts'],
    indicators: ['SPM-06', 'SPM-07', 'PWS-K3-JIWA-SCREENED'],
  },
  {
    code: 'ppok-puma', domainCode: 'SKR-PPOK-PUMA',
    name: { en: 'COPD risk screening (PUMA)', id: 'Skrining PPOK (PUMA)' },
    clusters: [3],
    items: ['puma-score'],
    indicators: ['SPM-06', 'SPM-07', 'PWS-K3-PPOK-SCREENED'],
  },
  {
    code: 'vision', domainCode: 'SKR-MATA-VISUS',
    name: { en: 'Visual acuity screening', id: 'Skrining tajam penglihatan' },
    clusters: [2, 3],
    items: ['visual-acuity-right', 'visual-acuity-left'],
    indicators: ['SPM-05', 'SPM-06', 'PWS-K3-MATA-SCREENED'],
  },
  {
    code: 'smoking', domainCode: 'SKR-MEROKOK',
    name: { en: 'Smoking screening', id: 'Skrining merokok' },
    clusters: [2, 3],
    items: ['smoking-status'],
    indicators: ['SPM-06', 'PWS-K3-MEROKOK'],
  },
  {
    code: 'geriatric', domainCode: 'SKR-GERIATRI',
    name: { en: 'Geriatric screening', id: 'Skrining lansia (geriatri)' },
    clusters: [3],
    // KMK Tabel 29–30, Formulir 5: anthropometry (LiLA if weight/height cannot be measured), BP, glucose, cholesterol, ADL.
    items: [
      'adl-score', 'body-weight', 'body-height', 'bmi', 'waist-circumference', 'muac', 'systolic-bp', 'diastolic-bp',
      'blood-glucose-random', 'blood-glucose-fasting', 'total-cholesterol',
    ],
    indicators: ['SPM-07', 'PWS-K3-LANSIA-SCREENED'],
  },
  {
    code: 'growth-development', domainCode: 'SKR-TUMBANG',
    name: { en: 'Growth and development monitoring', id: 'Pemantauan pertumbuhan dan perkembangan' },
    clusters: [2],
    items: ['body-weight', 'body-height', 'head-circumference', 'muac', 'kpsp-result'],
    indicators: ['SPM-04', 'PWS-K2-GIZI', 'PWS-K2-TUMBANG'],
  },
  {
    code: 'immunization', domainCode: 'SKR-IMUNISASI', // (gateway)
    name: { en: 'Immunisation status review', id: 'Pemeriksaan status imunisasi' },
    clusters: [2],
    items: ['immunization-status'],
    indicators: ['SPM-04', 'PWS-K2-IMUNISASI'],
  },
  {
    code: 'anemia', domainCode: 'SKR-ANEMIA',
    name: { en: 'Anaemia screening', id: 'Skrining anemia' },
    clusters: [2, 3],
    items: ['hemoglobin'],
    indicators: ['PWS-K2-REMAJA-ANEMIA'],
  },
  {
    code: 'vital-signs', domainCode: 'PEM-TTV', // (gateway)
    name: { en: 'Vital signs and anthropometry', id: 'Tanda-tanda vital dan antropometri' },
    clusters: [2, 3, 4, 5],
    items: [
      'body-temperature', 'heart-rate', 'respiratory-rate', 'oxygen-saturation', 'systolic-bp', 'diastolic-bp',
      'body-weight', 'body-height', 'bmi',
    ],
    indicators: [],
  },
  {
    code: 'lab', domainCode: 'PEM-LAB', // (gateway)
    name: { en: 'Laboratory and point-of-care tests', id: 'Pemeriksaan laboratorium dan POCT' },
    clusters: [2, 3, 5],
    items: ['hemoglobin', 'blood-glucose-random', 'blood-glucose-fasting', 'total-cholesterol', 'hdl-cholesterol'],
    indicators: [],
  },
];
