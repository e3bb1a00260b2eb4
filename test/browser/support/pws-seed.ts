import { example, uniqueId, type Json } from '../../support/submissions';

/** Hand-made visits for the dashboard tests: blood pressure of adults in named villages (idn-area-data names). */
export interface SeedVisit {
  village: string;
  date: string;
  age: number;
  bp: [number, number];
}

let n = 0;

function born(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return `${y - years}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function submission(v: SeedVisit): Json {
  n += 1;
  const s = example();
  delete s.diagnoses;
  delete s.carePlan;
  delete s.visitOrdinal;
  s.submissionId = uniqueId('CONSOLE');
  s.start = `${v.date}T08:00:00+07:00`;
  s.end = `${v.date}T08:30:00+07:00`;
  s.patient = { ...s.patient, nik: `${v.village.slice(0, 2)}08${String(500000 + n).padStart(12, '0')}`, birthDate: born(v.date, v.age), gender: 'male', address: { villageCode: v.village } };
  s.screenings = [{ type: 'hypertension', items: [{ code: 'systolic-bp', value: v.bp[0] }, { code: 'diastolic-bp', value: v.bp[1] }] }];
  s.lifeCycle = ['usia-dewasa'];
  s.cluster = 3;
  s.visitType = 'skrining';
  return s;
}

export async function seedVisits(baseUrl: string, visits: readonly SeedVisit[]): Promise<void> {
  for (const v of visits) {
    const res = await fetch(`${baseUrl}/ilp/v1/encounters`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(submission(v)) });
    if (res.status !== 202) throw new Error(`visit refused ${res.status}: ${await res.text()}`);
  }
}

export async function seedTargets(baseUrl: string, csv: string): Promise<void> {
  const res = await fetch(`${baseUrl}/pws/v1/targets`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: csv });
  if (res.status !== 200) throw new Error(`targets refused ${res.status}: ${await res.text()}`);
}
