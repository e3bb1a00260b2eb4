import { LC, localAnswer, localItem, lifeCycles } from '../codes';
import type { CatalogueItem } from '../types';

/**
 * Supplements given at the visit, recorded as Observations (category procedure) so the SPM balita
 * (vitamin A twice a year, deworming yearly) and adolescent (TTD weekly for girls) indicators can
 * count them like any catalogue item (docs/decisions/0014). KFA product codes are not known here, so
 * MedicationAdministration (which needs one) is not used; the codes are local.
 * Schedule: KMK HK.01.07/MENKES/2015/2023 (ilp-domain §4.2 vitamin A Feb/Aug 6–59 months, deworming
 * yearly; §4.3 TTD weekly for girls in kelas 7–12; §4.1 TTD in pregnancy; vitamin A at KF1–KF2).
 */
export const items: CatalogueItem[] = [
  {
    code: 'vitamin-a',
    name: { en: 'Vitamin A capsule given', id: 'Pemberian kapsul vitamin A' },
    clusters: [2],
    lifeCycles: lifeCycles(['bayi', 'balita', 'ibu-nifas']),
    category: 'procedure',
    codings: [localItem('vitamin-a', 'Vitamin A capsule given')],
    confidence: 'local',
    value: {
      type: 'coded',
      options: [
        { value: 'biru', coding: localAnswer('vitamin-a-biru', 'Kapsul biru 100.000 IU'), label: 'Kapsul biru 100.000 IU (bayi 6–11 bulan)' },
        { value: 'merah', coding: localAnswer('vitamin-a-merah', 'Kapsul merah 200.000 IU'), label: 'Kapsul merah 200.000 IU (balita 12–59 bulan, ibu nifas)' },
      ],
    },
    thresholds: [],
    indicators: ['SPM-04', 'PWS-K2-GIZI'],
    notes: 'February and August for children 6–59 months; two red capsules at KF1–KF2 for postpartum women.',
  },
  {
    code: 'deworming',
    name: { en: 'Deworming tablet given', id: 'Pemberian obat cacing' },
    clusters: [2],
    lifeCycles: lifeCycles(['balita', 'anak-prasekolah', 'anak-usia-sekolah', 'remaja']),
    category: 'procedure',
    codings: [localItem('deworming', 'Deworming tablet given')],
    confidence: 'local',
    value: { type: 'boolean' },
    thresholds: [],
    indicators: ['SPM-04', 'SPM-05'],
    notes: 'At least once a year (August), from 12 months of age.',
  },
  {
    code: 'iron-tablets',
    name: { en: 'Iron-folic acid tablets given (TTD)', id: 'Tablet tambah darah (TTD) diberikan' },
    clusters: [2, 3],
    lifeCycles: lifeCycles(LC.pregnancy, ['ibu-nifas', 'anak-usia-sekolah', 'remaja', 'catin', 'wus']),
    category: 'procedure',
    codings: [localItem('iron-tablets', 'Iron-folic acid tablets given (TTD)')],
    confidence: 'local',
    value: { type: 'integer', min: 1, max: 120, unit: { code: '{tbl}', display: 'tablet' } },
    thresholds: [],
    indicators: ['SPM-01', 'SPM-05', 'PWS-K2-ANC', 'PWS-K2-REMAJA-ANEMIA'],
    notes: 'Number of tablets handed out: weekly TTD for adolescent girls (kelas 7–12), at least 90 in pregnancy.',
  },
];
