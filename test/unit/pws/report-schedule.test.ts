import { addMonths, claimRule, closedAt, dueMonths, isClosed, lastClosedMonth, LATEST_OFFSET_MINUTES, localMonth, manualRule, parseMonth } from '../../../src/pws/report-schedule';
import { reportId } from '../../../src/pws/report-job';
import { loadPwsReportsConfig } from '../../../src/config/pws-config';
import { AREA_SYSTEM } from '../../../src/pws/measure';
import { AREA_IDENTIFIER_SYSTEM, searchParam } from '../../../src/fhir/search-parameters';
import { indexRows } from '../../../src/fhir/search-values';

const at = (iso: string): number => Date.parse(iso);
const OPTS = { graceDays: 10, recomputeHours: 24, retryMinutes: 60 };

describe('local months and when they close', () => {
  test('a month is closed once it is over in WIB (UTC+7), the zone where it ends last', () => {
    expect(LATEST_OFFSET_MINUTES).toBe(420);
    // 1 April 00:00 WIB = 31 March 17:00 UTC; by then WITA (UTC+8) and WIT (UTC+9) are already in April.
    expect(new Date(closedAt('2026-03')).toISOString()).toBe('2026-03-31T17:00:00.000Z');
    expect(isClosed('2026-03', at('2026-03-31T16:59:59.999Z'))).toBe(false);
    expect(isClosed('2026-03', at('2026-03-31T17:00:00Z'))).toBe(true);
    expect(new Date(closedAt('2026-12')).toISOString()).toBe('2026-12-31T17:00:00.000Z');
  });

  test('the local month of an instant depends on the zone', () => {
    const instant = at('2026-03-31T16:30:00Z');
    expect(localMonth(instant)).toBe('2026-03'); // 23:30 WIB
    expect(localMonth(instant, 480)).toBe('2026-04'); // 00:30 WITA
    expect(localMonth(instant, 540)).toBe('2026-04'); // 01:30 WIT
  });

  test('month arithmetic across years', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2026-03', -14)).toBe('2025-01');
    expect(parseMonth('2026-13')).toBeUndefined();
    expect(parseMonth('2026-3')).toBeUndefined();
    expect(parseMonth('2026-03')).toEqual([2026, 3]);
    expect(lastClosedMonth(at('2026-01-01T00:00:00Z'))).toBe('2025-12'); // 07:00 WIB on 1 January
    expect(lastClosedMonth(at('2025-12-31T16:59:00Z'))).toBe('2025-11'); // 23:59 WIB on 31 December
  });

  test('a report id is deterministic and a valid FHIR id', () => {
    const id = reportId('PWS-K3-PTM-SCREENED', '3508012001', '2026-03');
    expect(id).toBe('pws-PWS-K3-PTM-SCREENED-3508012001-2026-03');
    expect(id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
  });
});

describe('what is due', () => {
  test('catch-up: the last closed month and the ones before it, oldest first', () => {
    const due = dueMonths(at('2026-04-05T00:00:00Z'), { ...OPTS, catchUpMonths: 3 });
    expect(due.map((d) => d.period)).toEqual(['2026-01', '2026-02', '2026-03']);
  });

  test('inside the grace window a month is recomputed when its last run is older than recomputeHours', () => {
    const now = at('2026-04-05T00:00:00Z');
    const rule = claimRule('2026-03', now, OPTS);
    expect(rule.doneBefore).toBe('2026-04-04T00:00:00.000Z');
    expect(rule.failedBefore).toBe('2026-04-04T23:00:00.000Z');
  });

  test('after the grace window: one final recomputation of a run that finished inside it, then never', () => {
    // Grace ends 10 days after 31 March 17:00 UTC.
    const rule = claimRule('2026-03', at('2026-05-01T00:00:00Z'), OPTS);
    expect(rule.doneBefore).toBe('2026-04-10T17:00:00.000Z');
    // The same boundary whatever the clock says later: a run that finished after it is final.
    expect(claimRule('2026-03', at('2027-01-01T00:00:00Z'), OPTS).doneBefore).toBe('2026-04-10T17:00:00.000Z');
    // No grace at all: final once a run finished after the close.
    expect(claimRule('2026-03', at('2026-04-02T00:00:00Z'), { ...OPTS, graceDays: 0 }).doneBefore).toBe('2026-03-31T17:00:00.000Z');
  });

  test('a manual run takes any run that is not being computed right now', () => {
    const now = at('2026-04-05T00:00:00Z');
    expect(manualRule(now)).toEqual({ doneBefore: '2026-04-05T00:00:00.001Z', failedBefore: '2026-04-05T00:00:00.001Z' });
  });
});

describe('configuration', () => {
  test('defaults, and bad values listed', () => {
    const problems: string[] = [];
    expect(loadPwsReportsConfig({}, problems)).toEqual({ enabled: true, checkMinutes: 60, catchUpMonths: 3, graceDays: 10, recomputeHours: 24, leaseSeconds: 900 });
    expect(problems).toEqual([]);
    expect(loadPwsReportsConfig({ PWS_REPORTS_ENABLED: '0' }, problems).enabled).toBe(false);
    loadPwsReportsConfig({ PWS_REPORTS_ENABLED: 'yes', PWS_REPORTS_CATCH_UP_MONTHS: '0', PWS_REPORTS_GRACE_DAYS: '61' }, problems);
    expect(problems).toHaveLength(3);
  });
});

describe('MeasureReport search values', () => {
  const report = {
    resourceType: 'MeasureReport', id: 'x', status: 'complete', type: 'summary', measure: 'https://ilp-gateway.github.io/fhir/Measure/PWS-K3-HT',
    subject: { identifier: { system: AREA_SYSTEM, value: '3508012001' } }, period: { start: '2026-03-01', end: '2026-03-31' },
  };

  test('region codes from the subject identifier, the measure canonical as a reference', () => {
    expect(AREA_IDENTIFIER_SYSTEM).toBe(AREA_SYSTEM);
    expect(searchParam('MeasureReport', 'city')?.evaluate(report)).toEqual(['3508']);
    expect(searchParam('MeasureReport', 'village')?.evaluate(report)).toEqual(['3508012001']);
    expect(searchParam('MeasureReport', 'province')?.evaluate({ ...report, subject: { identifier: { system: 'other', value: '3508012001' } } })).toEqual([]);
    const rows = indexRows(report as never);
    expect(rows.reference).toContainEqual({ code: 'measure', target_type: 'Measure', target_id: 'PWS-K3-HT' });
    // One consistent code: one `area` row, which province/city/district/village read as a code range (decision 0007).
    expect(rows.token).toContainEqual({ code: 'area', system: '', value: '3508012001' });
  });
});
