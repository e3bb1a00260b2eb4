import { loadCatalogue } from '../../src/catalog';
import { createIlpValidator } from '../../src/validation/ilp/ilp-validator';
import { compileSubmissionValidator } from '../../src/intake/schema-validator';
import type { IntakeDeps } from '../../src/pipeline/submit-visit';

/** 2026-11-23T00:00:00Z: a fixed "now", so future-date rules do not depend on the day tests run. */
export const TEST_NOW = Date.parse('2026-11-23T00:00:00Z');

let cached: IntakeDeps | undefined;

/** Real catalogue, real generated schema, the profile validator the gateway runs; a fixed clock. */
export function intakeDeps(): IntakeDeps {
  cached ??= (() => {
    const catalogue = loadCatalogue();
    const validator = createIlpValidator();
    return { catalogue, schema: compileSubmissionValidator(catalogue), validateBundle: (bundle) => validator.validate(bundle), now: () => TEST_NOW };
  })();
  return cached;
}

/** The screening type that lists an item, so a test can send any item in a valid screening. */
export function screeningFor(code: string): string {
  const found = [...intakeDeps().catalogue.screenings.values()].find((s) => s.items.includes(code));
  if (!found) throw new Error(`no screening lists item ${code}`);
  return found.code;
}
