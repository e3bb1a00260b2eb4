import { CAT } from '../categories';
import { LC, UNITS, lifeCycles, loinc } from '../codes';
import { FU } from '../follow-ups';
import type { Band, CatalogueItem, FollowUp, ThresholdRule } from '../types';

/**
 * Vital signs, blood pressure and basic anthropometry. Every cluster measures them (ANC 10T,
 * growth monitoring, PTM screening, triage), so they live here rather than in one cluster file.
 * Codes: LOINC vital-sign codes as SATUSEHAT sends them (satusehat-api §3.2; ilp-domain §6.1).
 */

const SOURCE_TABEL_22 = 'KMK HK.01.07/MENKES/2015/2023 Tabel 22';
const SOURCE_TABEL_15 = 'KMK HK.01.07/MENKES/2015/2023 Tabel 15 (AAP 2017)';
const SOURCE_PREECLAMPSIA = 'KMK HK.01.07/MENKES/1186/2022 PPK dokter FKTP: preeklampsia (TD ≥ 140/90 mmHg setelah 20 minggu; berat ≥ 160/110)';

/** Adult BP (Tabel 22) for one component; limits are the lower edges of normal … HT3. */
function adultBpBands([normal, highNormal, ht1, ht2, ht3]: readonly [number, number, number, number, number]): Band[] {
  return [
    { high: normal, flag: 'N', category: CAT.bpOptimal, label: 'Optimal' },
    { low: normal, high: highNormal, flag: 'N', category: CAT.bpNormal, label: 'Normal' },
    { low: highNormal, high: ht1, flag: 'N', category: CAT.bpHighNormal, label: 'Normal tinggi', followUp: FU.bpLifestyle },
    { low: ht1, high: ht2, flag: 'H', category: CAT.htStage1, label: 'Hipertensi derajat 1', followUp: FU.htStage1 },
    { low: ht2, high: ht3, flag: 'H', category: CAT.htStage2, label: 'Hipertensi derajat 2', followUp: FU.htStage2 },
    { low: ht3, flag: 'HH', category: CAT.htGrade3, label: 'Hipertensi derajat 3', followUp: FU.htGrade3 },
  ];
}

/** Adolescent BP ≥13 y (Tabel 15); `elevated` is absent for diastolic (AAP has no diastolic "elevated"). */
function adolescentBpBands(elevated: number | undefined, stage1: number, stage2: number): Band[] {
  const normal: Band = { high: elevated ?? stage1, flag: 'N', category: CAT.bpNormal, label: 'Normal' };
  const raised: Band[] = elevated === undefined ? [] : [
    { low: elevated, high: stage1, flag: 'H', category: CAT.bpElevated, label: 'Meningkat (elevated)', followUp: FU.adolescentElevated },
  ];
  return [
    normal,
    ...raised,
    { low: stage1, high: stage2, flag: 'H', category: CAT.htStage1, label: 'Hipertensi derajat 1', followUp: FU.adolescentStage1 },
    { low: stage2, flag: 'H', category: CAT.htStage2, label: 'Hipertensi derajat 2', followUp: FU.adolescentStage2 },
  ];
}

type PeripartumPeriod = 'pregnancy' | 'early-pregnancy' | 'postpartum';
type BandResult = Omit<Band, 'low' | 'high'>;

/** Normal label, raised (≥ 140/90) and severe (≥ 160/110) results per period (PPK preeklampsia). */
const PERIPARTUM: Record<PeripartumPeriod, { normal: string; raised: BandResult; severe: BandResult }> = {
  pregnancy: {
    normal: 'Normal (kehamilan)',
    raised: { flag: 'H', category: CAT.htPregnancy, label: 'Hipertensi dalam kehamilan (curiga preeklampsia)', followUp: FU.preeclampsia },
    severe: { flag: 'HH', category: CAT.htPregnancySevere, label: 'Hipertensi berat dalam kehamilan (curiga preeklampsia berat)', followUp: FU.preeclampsiaSevere },
  },
  'early-pregnancy': {
    normal: 'Normal (kehamilan)',
    raised: { flag: 'H', category: CAT.htPregnancyEarly, label: 'Hipertensi dalam kehamilan < 20 minggu (curiga hipertensi kronik)', followUp: FU.hypertensionEarlyPregnancy },
    severe: { flag: 'HH', category: CAT.htPregnancySevere, label: 'Hipertensi berat dalam kehamilan', followUp: FU.preeclampsiaSevere },
  },
  postpartum: {
    normal: 'Normal (masa nifas)',
    raised: { flag: 'H', category: CAT.htPostpartum, label: 'Hipertensi pascasalin (curiga preeklampsia pascasalin)', followUp: FU.postpartumHypertension },
    severe: { flag: 'HH', category: CAT.htPostpartumSevere, label: 'Hipertensi berat pascasalin', followUp: FU.postpartumHypertensionSevere },
  },
};

function pregnancyBpBands(raised: number, severe: number, period: PeripartumPeriod = 'pregnancy'): Band[] {
  const p = PERIPARTUM[period];
  return [
    { high: raised, flag: 'N', category: CAT.bpNormal, label: p.normal },
    { low: raised, high: severe, ...p.raised },
    { low: severe, ...p.severe },
  ];
}

const SOURCE_POSTPARTUM = `${SOURCE_PREECLAMPSIA}; WHO recommendations on maternal and newborn care for a positive postnatal experience (2022): blood pressure at every postnatal contact, hypertension after birth managed as in pregnancy`;

/**
 * Rule order: pregnancy (by the visit's life-cycle, with or without a gestational age), the
 * puerperium, adults ≥ 18, adolescents 13–<18; under 13 needs AAP percentile tables. The
 * clinical review of issue 9 found the pregnancy rule firing only when the gestational age came in
 * the same visit, and postpartum women judged on the adult table.
 */
function bpRules(adult: Band[], adolescent: Band[], [raised, severe]: readonly [number, number]): ThresholdRule[] {
  return [
    {
      id: 'pregnant-20wk', when: { lifeCycle: ['ibu-hamil'], minGestationalWeeks: 20 }, bands: pregnancyBpBands(raised, severe), source: SOURCE_PREECLAMPSIA,
      resolution: 'PPK says "> 20 minggu"; we start at 20 weeks 0 days (the usual "after 20 weeks" reading).',
    },
    {
      id: 'pregnant-before-20wk', when: { lifeCycle: ['ibu-hamil'], maxGestationalWeeks: 20 }, bands: pregnancyBpBands(raised, severe, 'early-pregnancy'), source: SOURCE_PREECLAMPSIA,
      resolution: 'Before 20 weeks a raised pressure is not preeclampsia but (probably chronic) hypertension in pregnancy: the same pregnancy limits, a referral worded for chronic hypertension.',
    },
    {
      id: 'pregnant', when: { lifeCycle: ['ibu-hamil'] }, bands: pregnancyBpBands(raised, severe), source: SOURCE_PREECLAMPSIA,
      resolution: 'A pregnant woman whose gestational age is not in this visit is still judged on the pregnancy limits (the adult Tabel 22 bands would call 140/90 "stage 1" with a 7-day referral); the referral asks for the preeclampsia work-up.',
    },
    {
      id: 'postpartum', when: { lifeCycle: ['ibu-nifas'] }, bands: pregnancyBpBands(raised, severe, 'postpartum'), source: SOURCE_POSTPARTUM,
      resolution: 'Preeclampsia can first appear after birth: in the puerperium (ibu nifas, KF1–KF4) the pregnancy limits apply, not the adult table.',
    },
    { id: 'adult', when: { minAgeYears: 18 }, bands: adult, source: SOURCE_TABEL_22 },
    { id: 'adolescent', when: { minAgeYears: 13, maxAgeYears: 18 }, bands: adolescent, source: SOURCE_TABEL_15 },
  ];
}

const BP_LIFE_CYCLES = lifeCycles(LC.pregnancy, ['ibu-nifas', 'anak-usia-sekolah', 'remaja'], LC.adults);
const BP_INDICATORS = ['SPM-01', 'SPM-06', 'SPM-07', 'SPM-08', 'PWS-K2-ANC', 'PWS-K3-PTM-SCREENED', 'PWS-K3-HT'];
const BP_NOTES = 'Interpreted per component. The combined category (the higher of the two; isolated systolic hypertension, SNOMED 56218007, when systolic ≥ 140 and diastolic < 90) is a screening-level judgement. Under 13 years: no interpretation (needs the AAP 2017 percentile tables by age, sex and height, KMK Tabel 14).';

const ANTHRO_LIFE_CYCLES = lifeCycles(LC.pregnancy, LC.under5, ['anak-prasekolah', 'anak-usia-sekolah', 'remaja'], LC.adults);

export const items: CatalogueItem[] = [
  {
    code: 'systolic-bp',
    name: { en: 'Systolic blood pressure', id: 'Tekanan darah sistolik' },
    clusters: [2, 3],
    lifeCycles: BP_LIFE_CYCLES,
    category: 'vital-signs',
    codings: [loinc('8480-6', 'Systolic blood pressure')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.mmHg, min: 40, max: 300, decimals: 0 },
    thresholds: bpRules(adultBpBands([120, 130, 140, 160, 180]), adolescentBpBands(120, 130, 140), [140, 160]),
    followUpGroup: 'blood-pressure',
    indicators: BP_INDICATORS,
    notes: BP_NOTES,
  },
  {
    code: 'diastolic-bp',
    name: { en: 'Diastolic blood pressure', id: 'Tekanan darah diastolik' },
    clusters: [2, 3],
    lifeCycles: BP_LIFE_CYCLES,
    category: 'vital-signs',
    codings: [loinc('8462-4', 'Diastolic blood pressure')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.mmHg, min: 20, max: 200, decimals: 0 },
    thresholds: bpRules(adultBpBands([80, 85, 90, 100, 110]), adolescentBpBands(undefined, 80, 90), [90, 110]),
    followUpGroup: 'blood-pressure',
    indicators: BP_INDICATORS,
    notes: BP_NOTES,
  },
  {
    code: 'body-weight',
    name: { en: 'Body weight', id: 'Berat badan' },
    clusters: [2, 3],
    lifeCycles: ANTHRO_LIFE_CYCLES,
    category: 'vital-signs',
    codings: [loinc('29463-7', 'Body weight')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.kg, min: 0.3, max: 350, decimals: 2 },
    thresholds: [],
    indicators: ['SPM-01', 'SPM-04', 'SPM-06', 'SPM-07', 'PWS-K2-ANC', 'PWS-K2-GIZI', 'PWS-K3-PTM-SCREENED'],
    notes: 'Not interpreted alone: children are judged by WHO z-scores (BB/U, BB/PB, Permenkes 2/2020) and adults by BMI. Weight gain in pregnancy is judged against the pre-pregnancy BMI target (Kemkes OV000008–011).',
  },
  {
    code: 'body-height',
    name: { en: 'Body height (or length)', id: 'Tinggi badan (atau panjang badan)' },
    clusters: [2, 3],
    lifeCycles: ANTHRO_LIFE_CYCLES,
    category: 'vital-signs',
    codings: [loinc('8302-2', 'Body height')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.cm, min: 20, max: 250, decimals: 1 },
    thresholds: [],
    indicators: ['SPM-01', 'SPM-04', 'SPM-06', 'PWS-K2-ANC', 'PWS-K2-GIZI', 'PWS-K3-PTM-SCREENED'],
    notes: 'Lying length under 2 years may be sent here too: FHIR allows 8302-2 as the generic code (8306-3 is lying length). Stunting needs PB/U or TB/U z-scores.',
  },
  {
    code: 'bmi',
    name: { en: 'Body mass index', id: 'Indeks massa tubuh (IMT)' },
    clusters: [2, 3],
    lifeCycles: lifeCycles(LC.pregnancy, ['anak-usia-sekolah', 'remaja'], LC.adults),
    category: 'vital-signs',
    codings: [loinc('39156-5', 'Body mass index (BMI) [Ratio]')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.kgPerM2, min: 5, max: 100, decimals: 1 },
    derived: { formula: 'bmi', inputs: ['body-weight', 'body-height'] },
    thresholds: [
      {
        id: 'pregnant-tm1', when: { lifeCycle: ['ibu-hamil'], maxGestationalWeeks: 13 },
        bands: adultBmiBands(FU.underweightPregnant),
        source: 'KMK HK.01.07/MENKES/2015/2023 Tabel 20 with the ANC rule: IMT < 18,5 pada trimester 1 → dokter, MT ≥ 90 hari',
        resolution: 'Obesity I printed "23–29,9" in the KMK; we use 25,0–29,9 (WHO Asia-Pacific, ilp-domain §4.8).',
      },
      {
        id: 'pregnant-later', when: { lifeCycle: ['ibu-hamil'] }, bands: [],
        source: 'ANC (KMK HK.01.07/MENKES/2015/2023): the body-size judgement in pregnancy uses the pre-pregnancy or first-trimester BMI',
        resolution: 'After the first trimester (or with no gestational age) the current BMI is not interpreted; weight gain is judged against the pre-pregnancy BMI instead.',
      },
      {
        id: 'adult', when: { minAgeYears: 18 }, bands: adultBmiBands(FU.nutritionEducation),
        source: 'KMK HK.01.07/MENKES/2015/2023 Tabel 20 (WHO Asia-Pacific)',
        resolution: 'Obesity I printed "23–29,9" in the KMK; we use 25,0–29,9 (WHO Asia-Pacific, ilp-domain §4.8).',
      },
    ],
    indicators: ['SPM-06', 'SPM-07', 'PWS-K3-PTM-SCREENED', 'PWS-K3-OBESITAS'],
    notes: 'Derived by the gateway from body-weight and body-height (vendors must not send it). Under 18 years BMI is judged as IMT/U z-score (KMK Tabel 13), which needs the WHO reference tables: not interpreted here. SATUSEHAT\'s ANC example files BMI under category "survey"; we use "vital-signs" as the FHIR vital-signs profile requires for 39156-5.',
  },
  {
    code: 'body-temperature',
    name: { en: 'Body temperature', id: 'Suhu tubuh' },
    clusters: [2, 3, 4, 5],
    lifeCycles: [...LC.all],
    category: 'vital-signs',
    codings: [loinc('8310-5', 'Body temperature')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.celsius, min: 25, max: 45, decimals: 1 },
    thresholds: [
      {
        id: 'young-infant', when: { maxAgeMonths: 2 },
        bands: [
          { high: 36.5, flag: 'L', category: CAT.hypothermia, label: 'Hipotermia (< 36,5 °C)', followUp: FU.youngInfantHypothermia },
          { low: 36.5, high: 37.5, flag: 'N', category: CAT.temperatureNormal, label: 'Normal' },
          { low: 37.5, flag: 'H', category: CAT.fever, label: 'Demam (≥ 37,5 °C)', followUp: FU.youngInfantFever },
        ],
        source: 'Bagan MTBM (Kemenkes): suhu < 36,5 °C hipotermia, ≥ 37,5 °C demam (Kemkes OV000125/OV000126)',
      },
      {
        id: 'general',
        bands: [
          { high: 35, flag: 'LL', category: CAT.hypothermia, label: 'Hipotermia (< 35 °C)', followUp: FU.hypothermia },
          { low: 35, high: 37.5, flag: 'N', category: CAT.temperatureNormal, label: 'Normal' },
          { low: 37.5, flag: 'H', category: CAT.fever, label: 'Demam (≥ 37,5 °C)' },
        ],
        source: 'MTBS (Kemenkes): demam ≥ 37,5 °C; hipotermia < 35 °C (clinical convention)',
      },
    ],
    indicators: [],
    notes: 'Fever after 2 months of age adds no automatic follow-up: the cause is assessed in the same visit (MTBS/PPK; malaria RDT in endemic areas).',
  },
  {
    code: 'heart-rate',
    name: { en: 'Heart rate', id: 'Denyut nadi' },
    clusters: [2, 3, 4, 5],
    lifeCycles: [...LC.all],
    category: 'vital-signs',
    codings: [loinc('8867-4', 'Heart rate')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.beatsPerMin, min: 20, max: 300, decimals: 0 },
    thresholds: [
      {
        id: 'adult', when: { minAgeYears: 18 },
        bands: [
          { high: 60, flag: 'L', category: CAT.bradycardia, label: 'Bradikardia (< 60/menit)' },
          { low: 60, high: 101, flag: 'N', category: CAT.pulseNormal, label: 'Normal (60–100/menit)' },
          { low: 101, flag: 'H', category: CAT.tachycardia, label: 'Takikardia (> 100/menit)' },
        ],
        source: 'Adult resting heart rate 60–100/min (clinical convention; not tabulated in the KMK)',
      },
    ],
    indicators: [],
    notes: 'SATUSEHAT examples use UCUM "{beats}/min" or "/min"; we send "/min" (the playbook\'s code). Children: age-specific ranges, not interpreted.',
  },
  {
    code: 'respiratory-rate',
    name: { en: 'Respiratory rate', id: 'Frekuensi napas' },
    clusters: [2, 3, 4, 5],
    lifeCycles: [...LC.all],
    category: 'vital-signs',
    codings: [loinc('9279-1', 'Respiratory rate')],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.breathsPerMin, min: 4, max: 150, decimals: 0 },
    thresholds: [
      youngInfantBreathingRule(),
      fastBreathingRule('infant', { minAgeMonths: 2, maxAgeMonths: 12 }, 50, FU.childFastBreathing, 'Bagan MTBS (Kemenkes): napas cepat ≥ 50/menit pada umur 2–< 12 bulan'),
      fastBreathingRule('toddler', { minAgeMonths: 12, maxAgeMonths: 60 }, 40, FU.childFastBreathing, 'Bagan MTBS (Kemenkes): napas cepat ≥ 40/menit pada umur 12–< 60 bulan'),
      {
        id: 'adult', when: { minAgeYears: 18 },
        bands: [
          { high: 12, flag: 'L', category: CAT.bradypnoea, label: 'Bradipnea (< 12/menit)' },
          { low: 12, high: 21, flag: 'N', category: CAT.breathingNormal, label: 'Normal (12–20/menit)' },
          { low: 21, flag: 'H', category: CAT.tachypnoea, label: 'Takipnea (> 20/menit)' },
        ],
        source: 'Adult respiratory rate 12–20/min (clinical convention; not tabulated in the KMK)',
      },
    ],
    indicators: [],
    notes: '5–17 years: age-specific ranges, not interpreted.',
  },
  {
    code: 'oxygen-saturation',
    name: { en: 'Oxygen saturation (pulse oximetry)', id: 'Saturasi oksigen (oksimetri nadi)' },
    clusters: [2, 3, 4, 5],
    lifeCycles: [...LC.all],
    category: 'vital-signs',
    // The R4 oxygen-saturation vital-signs profile requires 2708-6 in code.coding beside the pulse
    // oximetry code 59408-5 (hl7.org/fhir/R4/oxygensat.html; ilp-domain §6.1 "also 2708-6").
    codings: [
      loinc('59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry'),
      loinc('2708-6', 'Oxygen saturation in Arterial blood'),
    ],
    confidence: 'confident',
    value: { type: 'quantity', unit: UNITS.percent, min: 30, max: 100, decimals: 0 },
    thresholds: [
      {
        id: 'general',
        bands: [
          { high: 90, flag: 'LL', category: CAT.hypoxaemia, label: 'Hipoksemia (< 90%)', followUp: FU.hypoxaemia },
          { low: 90, high: 95, flag: 'L', category: CAT.spo2Low, label: 'Rendah (90–94%)' },
          { low: 95, flag: 'N', category: CAT.spo2Normal, label: 'Normal (≥ 95%)' },
        ],
        source: 'MTBS (Kemenkes): SpO2 < 90% → pneumonia berat, rujuk; 90–94% low (clinical convention, verify)',
      },
    ],
    indicators: [],
    notes: 'At altitude the normal range is lower; the Puskesmas may override the interpretation.',
  },
];

function adultBmiBands(underweightFollowUp: FollowUp): Band[] {
  return [
    { high: 18.5, flag: 'L', category: CAT.underweight, label: 'Berat badan kurang (< 18,5)', followUp: underweightFollowUp },
    { low: 18.5, high: 23, flag: 'N', category: CAT.normalWeight, label: 'Normal (18,5–22,9)' },
    { low: 23, high: 25, flag: 'H', category: CAT.overweight, label: 'Berat badan lebih (23,0–24,9)', followUp: FU.nutritionEducation },
    { low: 25, high: 30, flag: 'H', category: CAT.obese, label: 'Obesitas I (25,0–29,9)', followUp: FU.nutritionEducation },
    { low: 30, flag: 'H', category: CAT.obese, label: 'Obesitas II (≥ 30,0)', followUp: FU.nutritionEducation },
  ];
}

/**
 * Young infants (< 2 months): MTBM counts fast breathing (≥ 60/min) and slow breathing (< 30/min)
 * among the signs of very severe disease; the clinical review of issue 9 found 25/min labelled normal.
 */
function youngInfantBreathingRule(): ThresholdRule {
  return {
    id: 'young-infant', when: { maxAgeMonths: 2 },
    source: 'Bagan MTBM (Kemenkes): napas cepat ≥ 60/menit atau napas lambat < 30/menit pada bayi < 2 bulan → penyakit sangat berat atau infeksi bakteri berat, rujuk segera',
    bands: [
      { high: 30, flag: 'LL', category: CAT.slowBreathingYoungInfant, label: 'Napas lambat (< 30/menit)', followUp: FU.youngInfantSlowBreathing },
      { low: 30, high: 60, flag: 'N', category: CAT.breathingNormal, label: 'Tidak napas cepat atau lambat (30–59/menit)' },
      { low: 60, flag: 'H', category: CAT.fastBreathing, label: 'Napas cepat (≥ 60/menit)', followUp: FU.youngInfantFastBreathing },
    ],
  };
}

function fastBreathingRule(id: string, when: ThresholdRule['when'], fast: number, followUp: FollowUp, source: string): ThresholdRule {
  return {
    id, when, source,
    bands: [
      { high: fast, flag: 'N', category: CAT.breathingNormal, label: `Tidak napas cepat (< ${fast}/menit)` },
      { low: fast, flag: 'H', category: CAT.fastBreathing, label: `Napas cepat (≥ ${fast}/menit)`, followUp },
    ],
  };
}
