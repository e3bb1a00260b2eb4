import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateText } from '../../src/cli/validate';
import type { ValidationPolicy } from '../../src/validation/context';
import { createIlpValidator } from '../../src/validation/ilp/ilp-validator';

/**
 * Scores `ilp-gateway validate --ig r4` against the HL7 Java validator's recorded outcomes on the
 * self-contained R4 JSON cases of FHIR/fhir-test-cases (test/conformance/hl7-cases/README.md).
 * A case's verdict agrees when both say valid (no error or fatal issue) or both say invalid; its
 * error count agrees when both report the same number of error + fatal issues.
 */

export const HL7_DIR = join(__dirname, 'hl7-cases');

export interface Hl7Case {
  name: string;
  file: string;
  source: string;
  module: string;
  description?: string;
  options?: Record<string, unknown>;
  expected: { valid: boolean; errorCount: number; errors: { expression: string; message: string }[] };
}

export interface CaseResult {
  name: string;
  module: string;
  expected: { valid: boolean; errorCount: number };
  actual: { valid: boolean; errorCount: number };
  verdictAgrees: boolean;
  countAgrees: boolean;
  ourErrors: string[];
  theirErrors: string[];
}

export interface Score {
  total: number;
  verdict: number;
  count: number;
  results: CaseResult[];
}

/**
 * A case's validator options (the HL7 harness's names, manifest.json) → the same switches of ours
 * (`ilp-gateway validate --help`). Options we have no switch for are ignored (docs/validation.md).
 */
export function hl7Options(options: Record<string, unknown>): { policy: ValidationPolicy; allowComments: boolean } {
  const policy: ValidationPolicy = {};
  if (options.examples === false) policy.exampleUrls = false;
  if (options['security-checks'] === true) policy.securityChecks = true;
  if (options.noHtmlInMarkdown === true) policy.htmlInMarkdown = false;
  if (options.validateContains === 'IGNORE') policy.containedResources = 'ignore';
  if (typeof options.validateReference === 'string' && options.validateReference !== 'IGNORE') policy.resolveParameterReferences = true;
  if (options['no-experimental-content'] === true) policy.experimentalContent = false;
  if (options['for-publication'] === true) policy.forPublication = true;
  return { policy, allowComments: options['allow-comments'] === true };
}

export function loadHl7Cases(): Hl7Case[] {
  return (JSON.parse(readFileSync(join(HL7_DIR, 'manifest.json'), 'utf8')) as { cases: Hl7Case[] }).cases;
}

export function scoreHl7(cases: readonly Hl7Case[] = loadHl7Cases()): Score {
  const validator = createIlpValidator();
  const results = cases.map((c): CaseResult => {
    const text = readFileSync(join(HL7_DIR, c.file), 'utf8');
    const { outcome } = validateText(validator, text, { ig: 'r4', ...hl7Options(c.options ?? {}) });
    const errors = (outcome.issue ?? []).filter((i) => i.severity === 'error' || i.severity === 'fatal');
    const actual = { valid: errors.length === 0, errorCount: errors.length };
    return {
      name: c.name, module: c.module, expected: { valid: c.expected.valid, errorCount: c.expected.errorCount }, actual,
      verdictAgrees: actual.valid === c.expected.valid, countAgrees: actual.errorCount === c.expected.errorCount,
      ourErrors: errors.map((e) => `${e.expression?.[0] ?? ''}: ${e.diagnostics ?? ''}`),
      theirErrors: c.expected.errors.map((e) => `${e.expression}: ${e.message}`),
    };
  });
  return {
    total: results.length, verdict: results.filter((r) => r.verdictAgrees).length, count: results.filter((r) => r.countAgrees).length, results,
  };
}

/** One line per disagreement, then what each side reported (the test prints it). */
export function describeDisagreements(score: Score): string {
  return score.results.filter((r) => !r.countAgrees).map((r) => [
    `${r.verdictAgrees ? 'count  ' : 'VERDICT'} ${r.name} [${r.module}]: reference ${r.expected.valid ? 'valid' : 'invalid'} (${r.expected.errorCount}), ours ${r.actual.valid ? 'valid' : 'invalid'} (${r.actual.errorCount})`,
    ...r.theirErrors.map((e) => `    ref: ${e}`),
    ...r.ourErrors.map((e) => `    ours: ${e}`),
  ].join('\n')).join('\n');
}
