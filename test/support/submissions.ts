import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The reference submission (architecture.md: "must be accepted as is"), copied into the repository; tests read nothing outside it. */
export const EXAMPLE_PATH = join(__dirname, '..', '..', 'docs', 'examples', 'ilp-submission.example.json');
/**
 * sha256 of the design's ilp-submission.example.json (shared/design, 2026-12-01), recorded when it
 * was copied: the copy must stay byte for byte that contract, and a fresh clone can check it.
 */
export const EXAMPLE_SHA256 = '4647e574c770c0633135163549dede5520aadcd27c53731cbf7bccff59204782';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A fresh deep copy of the reference ILP submission. */
export function example(): Json {
  return JSON.parse(readFileSync(EXAMPLE_PATH, 'utf8')) as Json;
}

/** The example with its screenings replaced, for item-level tests. */
export function withItems(items: { code: string; value: unknown; interpretation?: string }[], screeningType = 'vital-signs', patch: Json = {}): Json {
  const s = example();
  s.screenings = [{ type: screeningType, items }];
  delete s.diagnoses;
  delete s.carePlan;
  return { ...s, ...patch };
}

let counter = 0;
/** A unique submissionId per call, so integration tests never collide. */
export function uniqueId(prefix = 'TEST'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now()}-${counter}`;
}

/** The golden newborn visit (test/fixtures/golden), the base of the Posyandu weighings below. */
export function newbornVisit(): Json {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'golden', 'newborn-kn1-no-nik.input.json'), 'utf8')) as Json;
}

/** A monthly weighing at the Posyandu of a boy born 2023-03-10 (17–19 months old in Aug–Oct 2024: KBM 200 g). */
export function posyanduWeighing(submissionId: string, date: string, kg: number, child = { nik: '9104223107000004', name: 'Raka Pratama' }): Json {
  const s = newbornVisit();
  s.submissionId = submissionId;
  s.setting = 'posyandu';
  s.lifeCycle = ['balita'];
  s.visitType = 'sehat';
  delete s.visitOrdinal;
  s.start = `${date}T09:00:00+07:00`;
  s.end = `${date}T09:10:00+07:00`;
  s.patient = { nik: child.nik, name: child.name, birthDate: '2023-03-10', gender: 'male', address: { villageCode: '3508012001' } };
  s.screenings = [{ type: 'growth-development', items: [{ code: 'body-weight', value: kg }, { code: 'body-height', value: 80.0 }] }];
  return s;
}
