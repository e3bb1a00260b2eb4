import type { ClusterNo, LifeCycle } from './types';

/** Display and definition of each life-cycle group (ilp-domain §3, from KMK HK.01.07/MENKES/2015/2023). */
export const LIFE_CYCLE_INFO: Readonly<Record<LifeCycle, { display: string; definition: string; cluster: ClusterNo }>> = {
  'ibu-hamil': {
    display: 'Ibu hamil', cluster: 2,
    definition: 'Pregnant woman, any age. ANC ≥ 6 contacts: 1 in TM1 (0–12 weeks), 2 in TM2 (> 12–24 weeks), 3 in TM3 (> 24 weeks to birth); ≥ 2 with a doctor (K1 in TM1, K5 in TM3) including USG.',
  },
  'ibu-bersalin': { display: 'Ibu bersalin', cluster: 2, definition: 'Woman giving birth, at a health facility with a three-person team.' },
  'ibu-nifas': { display: 'Ibu nifas', cluster: 2, definition: 'Postpartum woman: KF1 6 hours–2 days, KF2 3–7 days, KF3 8–28 days, KF4 29–42 days after delivery.' },
  neonatus: { display: 'Neonatus (bayi baru lahir)', cluster: 2, definition: 'Newborn 0–28 days: KN1 6–48 hours, KN2 3–7 days, KN3 8–28 days; SHK sample at 48–72 hours.' },
  bayi: { display: 'Bayi', cluster: 2, definition: 'Infant 0–11 months.' },
  balita: { display: 'Balita', cluster: 2, definition: 'Child 0–59 months (baduta < 24 months); MTBM under 2 months, MTBS 2 months to 5 years.' },
  'anak-prasekolah': { display: 'Anak prasekolah', cluster: 2, definition: 'Child 5–6 years (60–72 months).' },
  'anak-usia-sekolah': {
    display: 'Anak usia sekolah', cluster: 2,
    definition: 'Child or adolescent ≥ 6–18 years at school: penjaringan in kelas 1, 7 and 10, pemeriksaan berkala in the other grades.',
  },
  remaja: { display: 'Remaja', cluster: 2, definition: 'Adolescent 10 to < 18 years (PKPR).' },
  'usia-dewasa': {
    display: 'Usia dewasa', cluster: 3,
    definition: 'Adult 18–59 years; PTM, TB and mental-health screening eligibility starts at 15 years (SPM usia produktif 15–59).',
  },
  catin: { display: 'Calon pengantin (catin)', cluster: 3, definition: 'Bride or groom, screened once before marriage.' },
  pus: { display: 'Pasangan usia subur (PUS)', cluster: 3, definition: 'Couple of reproductive age; yearly layak-hamil screening.' },
  wus: { display: 'Wanita usia subur (WUS)', cluster: 3, definition: 'Woman of reproductive age; T-status screening.' },
  lansia: { display: 'Lanjut usia (lansia)', cluster: 3, definition: 'Older person ≥ 60 years; yearly geriatric screening, priority queue.' },
};

/** What each cluster covers (KMK BAB II; ilp-domain §2). Displays come from vocabulary.ts. */
export const CLUSTER_DEFINITIONS: Readonly<Record<ClusterNo, string>> = {
  1: 'Manajemen: management of the Puskesmas (planning, resources, quality, information system).',
  2: 'Ibu dan Anak: pregnancy, delivery, postpartum, newborn, infant, under-five, preschool, school-age and adolescent services.',
  3: 'Usia Dewasa dan Lansia: adults 18–59 years and older people ≥ 60 years.',
  4: 'Penanggulangan Penyakit Menular: communicable disease control (case finding, contact investigation, outbreak response, environmental health).',
  5: 'Lintas Klaster: cross-cluster services (emergency, pharmacy, laboratory, inpatient care).',
};
