import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';

/**
 * Output formats of `ilp-gateway validate`: text (per-file issues and a summary table), json (the
 * contract: `[{ "file", "valid", "outcome" }]`) and junit (one testcase per file, for CI servers).
 */

export interface FileResult {
  file: string;
  valid: boolean;
  outcome: OperationOutcome;
}

const count = (r: FileResult, severities: string[]): number => r.outcome.issue.filter((i) => severities.includes(i.severity)).length;

function issueLine(i: OperationOutcomeIssue): string {
  const where = i.expression?.[0] ?? i.location?.[0] ?? '';
  return `  ${i.severity.padEnd(11)} ${where.padEnd(48)} ${i.diagnostics ?? ''}`;
}

export function formatText(results: readonly FileResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const shown = r.outcome.issue.filter((i) => i.severity !== 'information');
    lines.push(`${r.valid ? 'PASS' : 'FAIL'}  ${r.file}`);
    lines.push(...shown.map(issueLine));
  }
  const valid = results.filter((r) => r.valid).length;
  const rows: [string, string][] = [
    ['files', String(results.length)],
    ['valid', String(valid)],
    ['invalid', String(results.length - valid)],
    ['errors', String(results.reduce((n, r) => n + count(r, ['error', 'fatal']), 0))],
    ['warnings', String(results.reduce((n, r) => n + count(r, ['warning']), 0))],
  ];
  lines.push('', '┌──────────┬──────────┐');
  for (const [k, v] of rows) lines.push(`│ ${k.padEnd(8)} │ ${v.padStart(8)} │`);
  lines.push('└──────────┴──────────┘');
  return `${lines.join('\n')}\n`;
}

export function formatJson(results: readonly FileResult[]): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}

const xml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

export function formatJunit(results: readonly FileResult[], seconds: number): string {
  const failures = results.filter((r) => !r.valid).length;
  const cases = results.map((r) => {
    const errors = r.outcome.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal');
    const head = `    <testcase classname="fhir.validate" name="${xml(r.file)}">`;
    if (r.valid) return `${head}</testcase>`;
    const body = errors.map((i) => `${i.severity} ${i.expression?.[0] ?? ''}: ${i.diagnostics ?? ''}`).join('\n');
    return `${head}\n      <failure message="${xml(`${errors.length} error(s)`)}" type="invalid">${xml(body)}</failure>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${results.length}" failures="${failures}" time="${seconds.toFixed(3)}">`,
    `  <testsuite name="ilp-gateway validate" tests="${results.length}" failures="${failures}" errors="0" time="${seconds.toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
