import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeDisagreements, HL7_DIR, loadHl7Cases, scoreHl7 } from './hl7-score';

/**
 * `ilp-gateway validate --ig r4` against the HL7 Java validator's recorded outcomes on the
 * self-contained R4 JSON cases of FHIR/fhir-test-cases (hl7-cases/README.md). The floor in
 * hl7-cases/floor.json may only rise: raise it when a fix lifts the score, never lower it to make
 * the test pass. Every disagreement is printed, and each is explained in docs/validation.md.
 */

interface Floor {
  cases: number;
  verdict: number;
  errorCount: number;
}

const floor = JSON.parse(readFileSync(join(HL7_DIR, 'floor.json'), 'utf8')) as Floor;

test('the fixture set is complete (every case file present, as many cases as the floor was measured on)', () => {
  const cases = loadHl7Cases();
  expect(cases.length).toBe(floor.cases);
  for (const c of cases) expect(() => readFileSync(join(HL7_DIR, c.file))).not.toThrow();
});

test('verdicts and error counts agree with the reference validator at least as often as the floor', () => {
  const score = scoreHl7();
  const report = `--ig r4 vs HL7 reference: verdict ${score.verdict}/${score.total} (${((100 * score.verdict) / score.total).toFixed(1)}%), `
    + `exact error count ${score.count}/${score.total} (${((100 * score.count) / score.total).toFixed(1)}%)\n${describeDisagreements(score)}`;
  process.stdout.write(`${report}\n`);
  // On a drop, the failure message carries the whole report (which cases changed, and why).
  if (score.verdict < floor.verdict || score.count < floor.errorCount) {
    throw new Error(`below the floor (verdict ${floor.verdict}, error count ${floor.errorCount}):\n${report}`);
  }
  expect(score.verdict).toBeGreaterThanOrEqual(floor.verdict);
  expect(score.count).toBeGreaterThanOrEqual(floor.errorCount);
});
