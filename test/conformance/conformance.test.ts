import { hasErrors } from '../../src/kernel';
import { ilpCases } from './cases/ilp.cases';
import { invariantCases } from './cases/invariants.cases';
import { referenceCases } from './cases/references.cases';
import { slicingCases } from './cases/slicing.cases';
import { structureCases } from './cases/structure.cases';
import { terminologyCases } from './cases/terminology.cases';
import { type Case, validatorsFor } from './support';

/**
 * The conformance suite: every case asserts the verdict (valid = no error or fatal issue) and, for
 * invalid cases, that an error is reported at each expected FHIRPath expression.
 */
const suites: [string, Case[]][] = [
  ['structure', structureCases],
  ['invariants', invariantCases],
  ['terminology', terminologyCases],
  ['references', referenceCases],
  ['slicing', slicingCases],
  ['ILP profiles', ilpCases],
];

test('the suite has at least 150 cases', () => {
  expect(suites.reduce((n, [, cases]) => n + cases.length, 0)).toBeGreaterThanOrEqual(150);
});

describe.each(suites)('%s', (_suite, cases) => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const validator = validatorsFor()[c.validator ?? 'base'];
    const issues = validator.validate(c.resource, { profiles: c.profile ? [c.profile] : [] });
    const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
    const shown = issues.map((i) => `${i.severity} ${i.expression ?? ''}: ${i.message.en}`);
    expect({ valid: !hasErrors(issues), issues: shown }).toEqual(expect.objectContaining({ valid: c.valid }));
    for (const expression of c.errors ?? []) {
      expect({ expression, errors: errors.map((e) => e.expression) }).toEqual({ expression, errors: expect.arrayContaining([expression]) });
    }
    for (const expression of c.warnings ?? []) {
      expect(issues.filter((i) => i.severity === 'warning').map((i) => i.expression)).toContain(expression);
    }
  });
});
