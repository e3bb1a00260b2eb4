import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const EXAMPLE_PATH = join(__dirname, '..', '..', 'docs', 'examples', 'ilp-submission.example.json');
/** The reference submission from shared/design, as vendors receive it. */
export const SHARED_EXAMPLE_PATH = join(__dirname, '..', '..', '..', 'shared', 'design', 'ilp-submission.example.json');

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
