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
