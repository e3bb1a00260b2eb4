import { loadCatalogue } from '../../src/catalog';
import { validateBundleStructure } from '../../src/fhir/structural-validation';
import { compileSubmissionValidator } from '../../src/intake/schema-validator';
import type { IntakeDeps } from '../../src/pipeline/submit-visit';

/** 2026-11-23T00:00:00Z: a fixed "now", so future-date rules do not depend on the day tests run. */
export const TEST_NOW = Date.parse('2026-11-23T00:00:00Z');

let cached: IntakeDeps | undefined;

/** Real catalogue, real generated schema, real structural validator; a fixed clock. */
export function intakeDeps(): IntakeDeps {
  cached ??= (() => {
    const catalogue = loadCatalogue();
    return { catalogue, schema: compileSubmissionValidator(catalogue), validateBundle: validateBundleStructure, now: () => TEST_NOW };
  })();
  return cached;
}

/** The screening type that lists an item, so a test can send any item in a valid screening. */
export function screeningFor(code: string): string {
  const found = [...intakeDeps().catalogue.screenings.values()].find((s) => s.items.includes(code));
  if (!found) throw new Error(`no screening lists item ${code}`);
  return found.code;
}
