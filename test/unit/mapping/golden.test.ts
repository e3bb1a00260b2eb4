/**
 * Golden files: vendor payload → expected FHIR Bundle. A change to the mapping shows up as a diff
 * of the golden file, reviewed like code. Regenerate deliberately with UPDATE_GOLDEN=1.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareVisit } from '../../../src/pipeline/submit-visit';
import { intakeDeps } from '../../support/intake';

const DIR = join(__dirname, '..', '..', 'fixtures', 'golden');
const cases = readdirSync(DIR).filter((f) => f.endsWith('.input.json'));

test('there are golden cases', () => {
  expect(cases.length).toBeGreaterThanOrEqual(2);
});

test.each(cases)('%s', (file) => {
  const input = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
  const { bundle, issues } = prepareVisit(input, intakeDeps());
  const actual = { bundle, issues };
  const goldenPath = join(DIR, file.replace('.input.json', '.expected.json'));
  // Only an explicit UPDATE_GOLDEN=1 writes golden files (to be reviewed and committed); a missing
  // one is a failure everywhere, never silently created and then compared with itself.
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(goldenPath, `${JSON.stringify(actual, null, 2)}\n`);
  if (!existsSync(goldenPath)) throw new Error(`${goldenPath} is missing: run UPDATE_GOLDEN=1 npx jest test/unit/mapping/golden.test.ts and review it`);
  expect(actual).toEqual(JSON.parse(readFileSync(goldenPath, 'utf8')));
});

/** Levels of objects and arrays (`{}` is one). */
function depth(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  return 1 + Math.max(0, ...Object.values(v).map(depth));
}

// The gateway validates its own mapped Bundle with `depthBounded` (src/app.ts): the mapping fixes the
// nesting, since every payload value it copies is a primitive (the generated schema is closed).
test.each(cases)('%s maps to a Bundle nesting far less than the validator\'s MAX_DEPTH', (file) => {
  const { bundle } = prepareVisit(JSON.parse(readFileSync(join(DIR, file), 'utf8')), intakeDeps());
  expect(depth(bundle)).toBeGreaterThan(3);
  expect(depth(bundle)).toBeLessThanOrEqual(16);
});
