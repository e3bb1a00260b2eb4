/**
 * The clinical review of issue 9 (item 6): each case below failed before its fix. Expectations are
 * written by hand from the cited source, not read from the catalogue.
 */
import type { Bundle, CarePlan, Observation } from 'fhir/r4';
import { prepareVisit } from '../../../src/pipeline/submit-visit';
import { intakeDeps, screeningFor } from '../../support/intake';
import { Json, example } from '../../support/submissions';

const LOINC = 'http://loinc.org';

type Patch = (s: Json) => void;
const adult: Patch = (s) => {
  s.patient.gender = 'male';
  s.patient.nik = '3508011505800001';
  s.patient.birthDate = '1980-05-15';
  s.lifeCycle = ['usia-dewasa'];
  s.cluster = 3;
  s.visitType = 'skrining';
  delete s.visitOrdinal;
};
/** The example is a woman at an ANC visit (lifeCycle ibu-hamil), visit on 2024-07-29. */
const pregnantNoGestationalAge: Patch = () => undefined;
const postpartum: Patch = (s) => {
  s.lifeCycle = ['ibu-nifas'];
  s.visitType = 'nifas';
  s.visitOrdinal = 'KF2';
};
const newborn5Days: Patch = (s) => {
  s.patient.birthDate = '2024-07-24';
  s.lifeCycle = ['neonatus'];
  s.visitType = 'neonatal';
  s.visitOrdinal = 'KN2';
};
const child12Months: Patch = (s) => {
  s.patient.birthDate = '2023-07-20';
  s.lifeCycle = ['bayi', 'balita'];
  s.visitType = 'sehat';
  delete s.visitOrdinal;
};

function visit(patch: Patch, items: { code: string; value: unknown }[]): Bundle {
  const s = example();
  patch(s);
  delete s.diagnoses;
  delete s.carePlan;
  const byScreening = new Map<string, { code: string; value: unknown }[]>();
  for (const i of items) byScreening.set(screeningFor(i.code), [...(byScreening.get(screeningFor(i.code)) ?? []), i]);
  s.screenings = [...byScreening].map(([type, list]) => ({ type, items: list }));
  const { bundle, issues } = prepareVisit(s, intakeDeps());
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  return bundle;
}

const resources = <T>(bundle: Bundle, type: string): T[] => (bundle.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === type) as T[];
const observation = (bundle: Bundle, system: string, code: string): Observation | undefined =>
  resources<Observation>(bundle, 'Observation').find((o) => o.code.coding?.some((c) => c.system === system && c.code === code));
const flagOf = (o: Observation | undefined): string | undefined => o?.interpretation?.[0]?.coding?.[0]?.code;
const categoryOf = (o: Observation | undefined): { code?: string; display?: string; text?: string } => {
  const concept = o?.interpretation?.[1];
  return { code: concept?.coding?.[0]?.code, display: concept?.coding?.[0]?.display, text: concept?.text };
};
const activities = (bundle: Bundle) => resources<CarePlan>(bundle, 'CarePlan')[0]?.activity ?? [];

describe('codes', () => {
  test('visual acuity of the right eye has bodySite SNOMED 362502000 Entire right eye, the left eye 362503005 Entire left eye', () => {
    const bundle = visit(adult, [{ code: 'visual-acuity-right', value: '6/6' }, { code: 'visual-acuity-left', value: '6/9' }]);
    const acuity = resources<Observation>(bundle, 'Observation').filter((o) => o.code.coding?.some((c) => c.code === '363983007'));
    const sites = acuity.map((o) => ({ value: o.valueString, site: o.bodySite?.coding?.[0]?.code }));
    expect(sites).toEqual(expect.arrayContaining([{ value: '6/6', site: '362502000' }, { value: '6/9', site: '362503005' }]));
  });

  test('oxygen saturation carries LOINC 2708-6 (required by the R4 oxygen-saturation profile) beside 59408-5', () => {
    const spo2 = observation(visit(adult, [{ code: 'oxygen-saturation', value: 97 }]), LOINC, '59408-5');
    expect(spo2?.code.coding?.map((c) => `${c.system}|${c.code}`)).toEqual(expect.arrayContaining([`${LOINC}|2708-6`, `${LOINC}|59408-5`]));
  });

  test('a capillary glucometer fasting glucose is LOINC 41604-0, not 1558-6 (serum/plasma)', () => {
    const bundle = visit(adult, [{ code: 'blood-glucose-fasting', value: 95 }]);
    expect(observation(bundle, LOINC, '41604-0')).toBeDefined();
    expect(observation(bundle, LOINC, '1558-6')).toBeUndefined();
  });
});

describe('glucose', () => {
  test('pregnant, fasting glucose 95 mg/dL → gestational diabetes (≥ 92, WHO 2013), referral', () => {
    const bundle = visit(pregnantNoGestationalAge, [{ code: 'blood-glucose-fasting', value: 95 }]);
    const o = observation(bundle, LOINC, '41604-0');
    expect(flagOf(o)).toBe('H');
    expect(categoryOf(o).code).toBe('11687002'); // SNOMED Gestational diabetes mellitus
    expect(activities(bundle).map((a) => a.detail?.code?.coding?.[0]?.code)).toContain('referral');
  });

  test('pregnant, fasting glucose 91 mg/dL → normal', () => {
    expect(flagOf(observation(visit(pregnantNoGestationalAge, [{ code: 'blood-glucose-fasting', value: 91 }]), LOINC, '41604-0'))).toBe('N');
  });

  test('pregnant, random glucose 150 mg/dL is not "prediabetes" and is not followed up with HbA1c', () => {
    const bundle = visit(pregnantNoGestationalAge, [{ code: 'blood-glucose-random', value: 150 }]);
    const o = observation(bundle, LOINC, '41653-7');
    expect(flagOf(o)).toBe('H');
    expect(categoryOf(o).code).not.toBe('714628002');
    const text = activities(bundle).map((a) => a.detail?.description ?? '').join(' ');
    expect(text).not.toMatch(/HbA1c/);
    expect(text).toMatch(/TTGO/); // the 75 g oral glucose tolerance test diagnoses GDM
  });

  test('adult random glucose 210 mg/dL is not labelled "with classic symptoms" (none is captured)', () => {
    const o = observation(visit(adult, [{ code: 'blood-glucose-random', value: 210 }]), LOINC, '41653-7');
    expect(flagOf(o)).toBe('H');
    expect(JSON.stringify(o?.interpretation)).not.toMatch(/gejala klasik|classic symptom/i);
  });
});

describe('blood pressure', () => {
  test('pregnant with no gestational age in this visit, 150/95 → hypertension in pregnancy, not adult stage 1', () => {
    const bundle = visit(pregnantNoGestationalAge, [{ code: 'systolic-bp', value: 150 }, { code: 'diastolic-bp', value: 95 }]);
    for (const code of ['8480-6', '8462-4']) {
      const o = observation(bundle, LOINC, code);
      expect(flagOf(o)).toBe('H');
      expect(categoryOf(o).code).not.toBe('827069000'); // SNOMED Stage 1 hypertension (KMK Tabel 22)
    }
    expect(activities(bundle).map((a) => a.detail?.description).join(' ')).toMatch(/kehamilan/);
  });

  test('postpartum (ibu nifas), 150/95 → postpartum hypertension with a referral, not adult stage 1', () => {
    const bundle = visit(postpartum, [{ code: 'systolic-bp', value: 150 }, { code: 'diastolic-bp', value: 95 }]);
    const o = observation(bundle, LOINC, '8480-6');
    expect(flagOf(o)).toBe('H');
    expect(categoryOf(o).code).not.toBe('827069000');
    const referrals = activities(bundle).filter((a) => a.detail?.code?.coding?.[0]?.code === 'referral');
    expect(referrals).toHaveLength(1);
    expect(referrals[0]?.detail?.description).toMatch(/nifas|pascasalin/i);
  });

  test('adult 168/96 → one referral (the more urgent, stage 2) citing both components, not two', () => {
    const bundle = visit(adult, [{ code: 'systolic-bp', value: 168 }, { code: 'diastolic-bp', value: 96 }]);
    const referrals = activities(bundle).filter((a) => a.detail?.code?.coding?.[0]?.code === 'referral');
    expect(referrals).toHaveLength(1);
    expect(referrals[0]?.detail?.description).toMatch(/derajat 2/);
    expect(referrals[0]?.detail?.reasonReference).toHaveLength(2);
    // due in 3 days (stage 2), not 7 (stage 1): the visit is on 2024-07-29 (WIB)
    expect(referrals[0]?.detail?.scheduledPeriod?.end?.slice(0, 10)).toBe('2024-08-01');
  });

  test('adult 135/92 → one referral (diastolic stage 1) and no separate lifestyle activity for the systolic', () => {
    const bundle = visit(adult, [{ code: 'systolic-bp', value: 135 }, { code: 'diastolic-bp', value: 92 }]);
    expect(activities(bundle).map((a) => a.detail?.code?.coding?.[0]?.code)).toEqual(['referral']);
  });
});

describe('newborn and child', () => {
  test('a newborn breathing 25/min → slow breathing, a young-infant danger sign (MTBM < 30/min), urgent referral', () => {
    const bundle = visit(newborn5Days, [{ code: 'respiratory-rate', value: 25 }]);
    const o = observation(bundle, LOINC, '9279-1');
    expect(flagOf(o)).toBe('LL'); // critically low: a danger sign
    const referral = activities(bundle).find((a) => a.detail?.code?.coding?.[0]?.code === 'referral');
    expect(referral?.detail?.description).toMatch(/< 30/);
    expect(referral?.detail?.scheduledPeriod?.end?.slice(0, 10)).toBe('2024-07-29');
  });

  test('a newborn breathing 40/min is still normal', () => {
    expect(flagOf(observation(visit(newborn5Days, [{ code: 'respiratory-rate', value: 40 }]), LOINC, '9279-1'))).toBe('N');
  });

  test('a 12-month-old presumptive TB case is not sent for a 2-sputum TCM: child TB pathway (score, specimen if obtainable)', () => {
    const bundle = visit(child12Months, [{ code: 'cough-2-weeks', value: true }]);
    const text = activities(bundle).map((a) => a.detail?.description ?? '').join(' ');
    expect(text).not.toMatch(/2 sampel dahak/);
    expect(text).toMatch(/skoring/i);
  });

  test('an adult presumptive TB case still goes to TCM with 2 sputum samples', () => {
    const text = activities(visit(adult, [{ code: 'cough-2-weeks', value: true }])).map((a) => a.detail?.description ?? '').join(' ');
    expect(text).toMatch(/2 sampel dahak/);
  });
});

describe('TB symptoms', () => {
  test('an adult cough of any duration can be recorded and makes the screen presumptive (Formulir 1)', () => {
    const bundle = visit(adult, [{ code: 'cough', value: true }, { code: 'fever', value: false }]);
    const result = resources<Observation>(bundle, 'Observation').find((o) => o.code.coding?.some((c) => c.code === 'tb-screening-result'));
    expect(flagOf(result)).toBe('POS');
  });

  test('no cough (any duration) with the three other symptoms absent → not presumptive', () => {
    const bundle = visit(adult, [{ code: 'cough', value: false }, { code: 'weight-loss', value: false }, { code: 'fever', value: false }, { code: 'night-sweats', value: false }]);
    const result = resources<Observation>(bundle, 'Observation').find((o) => o.code.coding?.some((c) => c.code === 'tb-screening-result'));
    expect(flagOf(result)).toBe('NEG');
  });
});
