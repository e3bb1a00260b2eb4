import type { IndicatorResult } from './engine';

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
export function field(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_HEADER = ['area', 'period', 'code', 'name', 'numerator', 'denominator', 'value', 'ytd_numerator', 'ytd_denominator', 'ytd_value', 'target_line', 'target_missing', 'counted_period'];

/** One row per area × indicator, the same figures as GET /pws/v1/indicators (`counted_period` when a year-natural indicator counts the year to date). */
export function csvRows(area: string, period: string, results: readonly IndicatorResult[]): string[] {
  return results.map((r) => [
    area, period, r.code, r.name, r.numerator, r.denominator, r.value,
    r.yearToDate?.numerator, r.yearToDate?.denominator, r.yearToDate?.value, r.targetLine, r.targetMissing,
    r.countedPeriod ? `${r.countedPeriod.start}/${r.countedPeriod.end}` : undefined,
  ].map(field).join(','));
}
