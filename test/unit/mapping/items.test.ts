/**
 * Every catalogue item mapped with the right code, unit and interpretation. The expected values
 * below are written by hand from the guidelines (ilp-domain §4, §6), not read from the catalogue,
 * so a wrong catalogue entry fails here.
 */
import type { Observation } from 'fhir/r4';
import { prepareVisit } from '../../../src/pipeline/submit-visit';
import { intakeDeps, screeningFor } from '../../support/intake';
import { Json, example } from '../../support/submissions';

interface Case {
  name: string;
  items: { code: string; value: unknown }[];
  /** The Observation to inspect (catalogue code). */
  observe: string;
  system: string;
  code: string;
  unit?: string;
  flag?: string;
  patch?: (s: Json) => void;
  value?: Partial<Observation>;
  /** The clinical category coding in interpretation[1]. */
  category?: { system?: string; code: string };
}

const LOINC = 'http://loinc.org';
const SCT = 'http://snomed.info/sct';
const ILP_ITEM = 'https://ilp-gateway.github.io/fhir/CodeSystem/ilp-screening-item';
const adultMale = (s: Json) => {
  s.patient.gender = 'male';
  s.patient.nik = '3508011505800001';
  s.patient.birthDate = '1980-05-15';
  s.lifeCycle = ['usia-dewasa'];
  s.cluster = 3;
  s.visitType = 'skrining';
  delete s.visitOrdinal;
};
const infant8Months = (s: Json) => {
  s.patient.birthDate = '2023-11-20';
  s.lifeCycle = ['bayi', 'balita'];
  s.visitType = 'sehat';
  delete s.visitOrdinal;
};

const CASES: Case[] = [
  { name: 'systolic 142 in a pregnant woman → high', items: [{ code: 'systolic-bp', value: 142 }], observe: 'systolic-bp', system: LOINC, code: '8480-6', unit: 'mm[Hg]', flag: 'H' },
  { name: 'systolic 142 is hypertension stage 1 (KMK Tabel 22: 140–159)', items: [{ code: 'systolic-bp', value: 142 }], observe: 'systolic-bp', system: LOINC, code: '8480-6', unit: 'mm[Hg]', flag: 'H', patch: adultMale, category: { system: SCT, code: '827069000' } },
  { name: 'pregnant at 30 weeks, systolic 165 → severe (PPK preeclampsia: ≥ 160/110)', items: [{ code: 'systolic-bp', value: 165 }, { code: 'gestational-age-weeks', value: 30 }], observe: 'systolic-bp', system: LOINC, code: '8480-6', unit: 'mm[Hg]', flag: 'HH' },
  { name: 'pregnant at 30 weeks, systolic 142 → high (≥ 140/90 after 20 weeks)', items: [{ code: 'systolic-bp', value: 142 }, { code: 'gestational-age-weeks', value: 30 }], observe: 'systolic-bp', system: LOINC, code: '8480-6', unit: 'mm[Hg]', flag: 'H' },
  { name: 'diastolic 92 → high', items: [{ code: 'diastolic-bp', value: 92 }], observe: 'diastolic-bp', system: LOINC, code: '8462-4', unit: 'mm[Hg]', flag: 'H' },
  { name: 'adult systolic 118 → normal', items: [{ code: 'systolic-bp', value: 118 }], observe: 'systolic-bp', system: LOINC, code: '8480-6', unit: 'mm[Hg]', flag: 'N', patch: adultMale },
  { name: 'adult systolic 139 → still below HT1', items: [{ code: 'systolic-bp', value: 139 }], observe: 'systolic-bp', system: LOINC, code: '8480-6', unit: 'mm[Hg]', flag: 'N', patch: adultMale },
  { name: 'weight', items: [{ code: 'body-weight', value: 61.5 }], observe: 'body-weight', system: LOINC, code: '29463-7', unit: 'kg' },
  { name: 'height', items: [{ code: 'body-height', value: 156 }], observe: 'body-height', system: LOINC, code: '8302-2', unit: 'cm' },
  {
    name: 'BMI computed from 61.5 kg and 156 cm = 25.3 → obese I (Asia-Pacific)', items: [{ code: 'body-weight', value: 61.5 }, { code: 'body-height', value: 156 }],
    observe: 'bmi', system: LOINC, code: '39156-5', unit: 'kg/m2', flag: 'H', patch: adultMale, value: { valueQuantity: { value: 25.3, unit: 'kg/m2', system: 'http://unitsofmeasure.org', code: 'kg/m2' } },
  },
  { name: 'waist 95 cm in a man → central obesity', items: [{ code: 'waist-circumference', value: 95 }], observe: 'waist-circumference', system: LOINC, code: '8280-0', unit: 'cm', flag: 'H', patch: adultMale },
  { name: 'MUAC 23.0 cm in pregnancy → KEK', items: [{ code: 'muac', value: 23 }], observe: 'muac', system: LOINC, code: '56072-2', unit: 'cm', flag: 'L' },
  { name: 'head circumference', items: [{ code: 'head-circumference', value: 44 }], observe: 'head-circumference', system: LOINC, code: '9843-4', unit: 'cm', patch: infant8Months },
  { name: 'temperature 38.2 → fever', items: [{ code: 'body-temperature', value: 38.2 }], observe: 'body-temperature', system: LOINC, code: '8310-5', unit: 'Cel', flag: 'H' },
  { name: 'heart rate 72 adult → normal', items: [{ code: 'heart-rate', value: 72 }], observe: 'heart-rate', system: LOINC, code: '8867-4', unit: '/min', flag: 'N', patch: adultMale },
  { name: 'respiratory rate 55 at 8 months → fast breathing (MTBS ≥50)', items: [{ code: 'respiratory-rate', value: 55 }], observe: 'respiratory-rate', system: LOINC, code: '9279-1', unit: '/min', flag: 'H', patch: infant8Months },
  { name: 'random glucose 120 → indeterminate (KMK gap 100–139)', items: [{ code: 'blood-glucose-random', value: 120 }], observe: 'blood-glucose-random', system: LOINC, code: '41653-7', unit: 'mg/dL', flag: 'IND', patch: adultMale },
  { name: 'random glucose 210 → diabetes range', items: [{ code: 'blood-glucose-random', value: 210 }], observe: 'blood-glucose-random', system: LOINC, code: '41653-7', unit: 'mg/dL', flag: 'H', patch: adultMale },
  { name: 'fasting glucose 130 (capillary, LOINC 41604-0 since issue 9) → diabetes range (≥126)', items: [{ code: 'blood-glucose-fasting', value: 130 }], observe: 'blood-glucose-fasting', system: LOINC, code: '41604-0', unit: 'mg/dL', flag: 'H', patch: adultMale },
  { name: 'Hb 10.4 g/dL at 24 weeks → anaemia (TM2 < 10.5)', items: [{ code: 'hemoglobin', value: 10.4 }, { code: 'gestational-age-weeks', value: 24 }], observe: 'hemoglobin', system: LOINC, code: '718-7', unit: 'g/dL', flag: 'L' },
  { name: 'Hb 10.7 g/dL at 24 weeks → not anaemic in TM2', items: [{ code: 'hemoglobin', value: 10.7 }, { code: 'gestational-age-weeks', value: 24 }], observe: 'hemoglobin', system: LOINC, code: '718-7', unit: 'g/dL', flag: 'N' },
  { name: 'cholesterol 245 → high (≥240)', items: [{ code: 'total-cholesterol', value: 245 }], observe: 'total-cholesterol', system: LOINC, code: '2093-3', unit: 'mg/dL', flag: 'H', patch: adultMale },
  { name: 'fundal height', items: [{ code: 'fundal-height', value: 24 }], observe: 'fundal-height', system: LOINC, code: '11881-0', unit: 'cm' },
  { name: 'fetal heart rate 170 → above 120–160', items: [{ code: 'fetal-heart-rate', value: 170 }], observe: 'fetal-heart-rate', system: LOINC, code: '55283-6', unit: '/min', flag: 'H' },
  { name: 'gestational age', items: [{ code: 'gestational-age-weeks', value: 24 }], observe: 'gestational-age-weeks', system: LOINC, code: '18185-9', unit: 'wk' },
  { name: 'smoking status smoker', items: [{ code: 'smoking-status', value: 'smoker' }], observe: 'smoking-status', system: LOINC, code: '72166-2', flag: 'A', patch: adultMale, value: { valueCodeableConcept: expect.objectContaining({ coding: [expect.objectContaining({ system: SCT, code: '77176002' })] }) } },
  { name: 'visual acuity 6/18 right eye → impaired', items: [{ code: 'visual-acuity-right', value: '6/18' }], observe: 'visual-acuity-right', system: SCT, code: '363983007', flag: 'L', patch: adultMale, value: { valueString: '6/18' } },
  { name: 'SRQ-20 score 6 → abnormal (cut-off ≥ 6)', items: [{ code: 'srq20-score', value: 6 }], observe: 'srq20-score', system: ILP_ITEM, code: 'srq20-score', flag: 'A', patch: adultMale },
  { name: 'SRQ-20 score 5 → normal', items: [{ code: 'srq20-score', value: 5 }], observe: 'srq20-score', system: ILP_ITEM, code: 'srq20-score', flag: 'N', patch: adultMale },
  { name: 'SRQ-20 item 17 yes → abnormal regardless of score', items: [{ code: 'srq20-suicidal-thoughts', value: true }], observe: 'srq20-suicidal-thoughts', system: ILP_ITEM, code: 'srq20-suicidal-thoughts', flag: 'AA', patch: adultMale },
  { name: 'PUMA 6 → high risk of PPOK (≥ 6)', items: [{ code: 'puma-score', value: 6 }], observe: 'puma-score', system: ILP_ITEM, code: 'puma-score', flag: 'H', patch: adultMale },
  { name: 'PUMA 5 → low risk', items: [{ code: 'puma-score', value: 5 }], observe: 'puma-score', system: ILP_ITEM, code: 'puma-score', flag: 'N', patch: adultMale },
  { name: 'ADL 10 → moderate dependence (9–11)', items: [{ code: 'adl-score', value: 10 }], observe: 'adl-score', system: ILP_ITEM, code: 'adl-score', flag: 'L', patch: adultMale, category: { code: 'OI000046' } },
  { name: 'ADL 20 → independent', items: [{ code: 'adl-score', value: 20 }], observe: 'adl-score', system: ILP_ITEM, code: 'adl-score', flag: 'N', patch: adultMale },
  { name: 'KPSP meragukan → abnormal, retest', items: [{ code: 'kpsp-result', value: 'meragukan' }], observe: 'kpsp-result', system: ILP_ITEM, code: 'kpsp-result', flag: 'A', patch: infant8Months },
  { name: 'immunisation incomplete → abnormal', items: [{ code: 'immunization-status', value: 'belum-lengkap' }], observe: 'immunization-status', system: ILP_ITEM, code: 'immunization-status', flag: 'A', patch: infant8Months },
  { name: 'TB symptom: cough ≥ 2 weeks → terduga TB (positive screen)', items: [{ code: 'cough-2-weeks', value: true }, { code: 'fever', value: false }], observe: 'tb-screening-result', system: ILP_ITEM, code: 'tb-screening-result', flag: 'POS', patch: adultMale },
  { name: 'TB symptoms all absent → negative screen', items: [{ code: 'cough-2-weeks', value: false }, { code: 'weight-loss', value: false }, { code: 'fever', value: false }, { code: 'night-sweats', value: false }], observe: 'tb-screening-result', system: ILP_ITEM, code: 'tb-screening-result', flag: 'NEG', patch: adultMale },
];

function observationFor(bundle: { entry?: { resource?: unknown }[] }, system: string, code: string): Observation | undefined {
  return bundle.entry?.map((e) => e.resource as Observation).find((r) => r.resourceType === 'Observation' && r.code.coding?.some((c) => c.system === system && c.code === code));
}

describe('catalogue items → Observation (hand-written expectations)', () => {
  test.each(CASES)('$name', (c) => {
    const s = example();
    c.patch?.(s);
    s.screenings = c.items.map((i) => ({ type: screeningFor(i.code), items: [i] }));
    const { bundle } = prepareVisit(s, intakeDeps());
    const obs = observationFor(bundle, c.system, c.code);
    expect(obs).toBeDefined();
    expect(obs!.status).toBe('final');
    if (c.unit) expect(obs!.valueQuantity).toMatchObject({ system: 'http://unitsofmeasure.org', code: c.unit });
    const flag = obs!.interpretation?.[0]?.coding?.[0];
    if (c.flag) expect(flag).toMatchObject({ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: c.flag });
    else expect(obs!.interpretation).toBeUndefined();
    if (c.value) expect(obs).toMatchObject(c.value);
    if (c.category) expect(obs!.interpretation?.[1]?.coding?.[0]).toMatchObject(c.category);
  });

  test('every catalogue item a vendor may send maps to one Observation with its primary code', () => {
    const { catalogue } = intakeDeps();
    for (const item of catalogue.items.values()) {
      if (item.derived) continue;
      const s = example();
      adultMale(s);
      s.lifeCycle = item.lifeCycles.slice(0, 1).length ? item.lifeCycles.slice(0, 1) : s.lifeCycle;
      if (['ibu-hamil', 'ibu-bersalin', 'ibu-nifas', 'wus'].includes(s.lifeCycle[0])) s.patient = example().patient;
      const value = item.value.type === 'quantity' || item.value.type === 'integer' ? item.value.min
        : item.value.type === 'boolean' ? true : item.value.type === 'coded' ? item.value.options[0]!.value : '6/6';
      s.screenings = [{ type: screeningFor(item.code), items: [{ code: item.code, value }] }];
      const { bundle } = prepareVisit(s, intakeDeps());
      const primary = item.codings[0]!;
      expect(observationFor(bundle, primary.system, primary.code)).toBeDefined();
    }
  });
});
