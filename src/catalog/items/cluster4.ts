import { CAT } from '../categories';
import { LC, lifeCycles, localAnswer, localItem } from '../codes';
import { FU } from '../follow-ups';
import type { Band, CatalogueItem, FollowUp, LifeCycle } from '../types';

/**
 * Cluster 4 (Penanggulangan Penyakit Menular) has no screening form of its own: it consumes the TB
 * symptom screen every life-cycle cluster runs at every visit (KMK HK.01.07/MENKES/2015/2023
 * Formulir 1; ilp-domain §4.2, §4.4, §4.5). The four answers are local items (SATUSEHAT's TB
 * example still uses a `#tbd` code for the result); the gateway derives the screening result.
 */

const TB_LIFE_CYCLES: LifeCycle[] = lifeCycles(LC.pregnancy, ['ibu-nifas'], LC.children, LC.adults);
const TB_INDICATORS = ['PWS-K4-TB-SCREENED'];

function symptom(code: string, en: string, id: string, notes: string): CatalogueItem {
  return {
    code,
    name: { en, id },
    clusters: [2, 3, 4],
    lifeCycles: TB_LIFE_CYCLES,
    category: 'survey',
    codings: [localItem(code, en)],
    confidence: 'local',
    value: { type: 'boolean' },
    thresholds: [],
    indicators: TB_INDICATORS,
    notes: `Interpreted through tb-screening-result, not alone. ${notes}`,
  };
}

const TB_BANDS_SOURCE = 'KMK HK.01.07/MENKES/2015/2023 Formulir 1 dan skrining gejala TBC (terduga TBC → TCM 2 sampel dahak atau BTA)';
const TB_BANDS_RESOLUTION = 'Any one of the symptoms makes the person "terduga" (as the ILP screen is applied at Posyandu); the clinician may still weigh risk groups and CXR. "Kontak erat" comes from contact investigation, not from these answers.';

function tbBands(followUp: FollowUp): Band[] {
  return [
    { equals: 'terduga', flag: 'POS', category: CAT.presumptiveTb, label: 'Terduga TBC', followUp },
    { equals: 'bukan-terduga', flag: 'NEG', category: CAT.notPresumptiveTb, label: 'Bukan terduga TBC' },
  ];
}

export const items: CatalogueItem[] = [
  symptom('cough-2-weeks', 'TB symptom: cough for 2 weeks or more', 'Gejala TBC: batuk ≥ 2 minggu',
    'The ILP child screen asks ≥ 2 weeks; for adults Formulir 1 asks about a cough of any duration (item `cough`). SNOMED 49727002 "Cough" is the finding, not this question.'),
  {
    ...symptom('cough', 'TB symptom: cough of any duration', 'Gejala TBC: batuk (berapa pun lamanya)',
      'KMK Formulir 1 (adults) asks about cough of any duration; before issue 9 only a cough of ≥ 2 weeks could be recorded. For children send `cough-2-weeks` (the child screen asks ≥ 2 weeks).'),
    lifeCycles: lifeCycles(LC.pregnancy, ['ibu-nifas', 'remaja'], LC.adults),
  },
  symptom('weight-loss', 'TB symptom: weight loss or failure to gain weight', 'Gejala TBC: berat badan turun atau tidak naik',
    'Includes "tidak naik 2 bulan" for children and poor appetite (Formulir 1).'),
  symptom('fever', 'TB symptom: unexplained fever', 'Gejala TBC: demam tanpa sebab jelas',
    'Children: fever > 2 weeks. SNOMED 386661006 "Fever" is the finding, not this question.'),
  symptom('night-sweats', 'TB symptom: night sweats without activity', 'Gejala TBC: berkeringat malam tanpa aktivitas', 'Formulir 1.'),
  {
    code: 'tb-screening-result',
    name: { en: 'TB symptom screening result', id: 'Hasil skrining gejala TBC' },
    clusters: [2, 3, 4],
    lifeCycles: TB_LIFE_CYCLES,
    category: 'survey',
    codings: [localItem('tb-screening-result', 'TB symptom screening result')],
    confidence: 'local',
    value: {
      type: 'coded',
      options: [
        { value: 'terduga', coding: localAnswer('tbc-terduga', 'Terduga TBC'), label: 'Terduga TBC' },
        { value: 'bukan-terduga', coding: localAnswer('tbc-bukan-terduga', 'Bukan terduga TBC'), label: 'Bukan terduga TBC' },
      ],
    },
    derived: { formula: 'tb-symptom-screen', inputs: ['cough-2-weeks', 'cough', 'weight-loss', 'fever', 'night-sweats'] },
    thresholds: [
      {
        id: 'child', when: { maxAgeYears: 15 }, bands: tbBands(FU.presumptiveTbChild),
        source: 'KMK HK.01.07/MENKES/2015/2023 (ilp-domain §4.2): anak terduga TBC → pemeriksaan bakteriologis bila spesimen dapat diambil; bila tidak, sistem skoring TBC anak (KMK Tabel 11, ≥ 6 = TBC klinis), uji tuberkulin',
        resolution: `${TB_BANDS_RESOLUTION} Children (under 15, the TB programme's "anak") are not sent for the adult 2-sputum TCM: a young child cannot produce sputum (issue 9: a 12-month-old was), so the follow-up is the child pathway.`,
      },
      { id: 'general', bands: tbBands(FU.presumptiveTb), source: TB_BANDS_SOURCE, resolution: TB_BANDS_RESOLUTION },
    ],
    indicators: ['SPM-11', 'PWS-K4-TB-SCREENED', 'PWS-K4-TB-PRESUMPTIVE'],
    notes: 'Derived by the gateway from the four symptom answers (vendors must not send it). Kemkes clinical-term QRI000001 "Terduga TBC SO" is a questionnaire answer for drug-sensitive TB, not a screening result, so a local code is used.',
  },
];
