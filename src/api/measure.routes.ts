import { Request, Response, Router } from 'express';
import { OperationOutcomeError, fail, issue, type Issue } from '../kernel';
import { evaluate } from '../pws/engine';
import { measureOf, measureReportOf } from '../pws/measure';
import { isIssue, parseArea, type Period } from '../pws/query';
import { INDICATOR_BY_CODE, INDICATOR_RULES } from '../pws/registry';
import { pwsScope } from '../pws/scope';
import type { PwsStore } from '../store/pws-ports';
import { dataFilter } from '../auth/access-decision';
import { principalOf } from './auth.routes';

const FHIR_JSON = 'application/fhir+json';

export interface MeasureRouteDeps {
  pws: PwsStore;
  version: string;
  now(): number;
}

function sendFhir(res: Response, resource: object): void {
  res.type(FHIR_JSON).send(JSON.stringify(resource));
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const dayAfter = (d: string): string => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const isDate = (d: string): boolean => DATE.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

/**
 * periodStart/periodEnd (inclusive dates) within one calendar year, the targets being per year.
 * A whole calendar month gets the month figures with year-to-date, like GET /pws/v1/indicators.
 */
function periodOf(req: Request, problems: Issue[]): Period | undefined {
  const start = typeof req.query.periodStart === 'string' ? req.query.periodStart : '';
  const end = typeof req.query.periodEnd === 'string' ? req.query.periodEnd : '';
  if (!isDate(start)) problems.push(issue('PWS-PERIOD-INVALID', { period: start.slice(0, 20) }, 'periodStart'));
  if (!isDate(end)) problems.push(issue('PWS-PERIOD-INVALID', { period: end.slice(0, 20) }, 'periodEnd'));
  if (!isDate(start) || !isDate(end)) return undefined;
  if (end < start || start.slice(0, 4) !== end.slice(0, 4)) {
    problems.push(issue('PWS-MEASURE-PERIOD', { start, end }, 'periodEnd'));
    return undefined;
  }
  const to = dayAfter(end);
  const wholeMonth = start.endsWith('-01') && monthAfter(start) === to;
  return { text: `${start}/${end}`, year: Number(start.slice(0, 4)), ...(wholeMonth ? { month: Number(start.slice(5, 7)) } : {}), from: start, to };
}

/** The first day of the month after `date`'s month. */
function monthAfter(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/**
 * FHIR Clinical Reasoning for the PWS indicators: `Measure/{code}` generated from the registry and
 * `$evaluate-measure` (R4 measure-operation-evaluate-measure) answering a summary MeasureReport
 * for a Kemendagri area (the `area` parameter, an ILP extension of the operation).
 */
export function measureRouter(deps: MeasureRouteDeps): Router {
  // Case-sensitive like the app and the access policy (http-app.ts): a Router() of its own would match
  // /pws/v1/Targets where the policy sees no rule, and skip the scope check.
  const router = Router({ caseSensitive: true, strict: false });
  const measures = new Map(INDICATOR_RULES.map((r) => [r.code, measureOf(r, deps.version)]));

  router.get('/Measure', (_req, res) => {
    sendFhir(res, { resourceType: 'Bundle', type: 'searchset', total: measures.size, entry: [...measures.values()].map((m) => ({ fullUrl: `Measure/${m.id}`, resource: m, search: { mode: 'match' } })) });
  });

  router.get('/Measure/:code', (req, res) => {
    const m = measures.get(String(req.params.code));
    if (!m) fail('FHIR-RESOURCE-NOT-FOUND', { type: 'Measure', id: String(req.params.code).slice(0, 64) });
    sendFhir(res, m);
  });

  router.get('/Measure/:code/\\$evaluate-measure', async (req, res) => {
    const rule = INDICATOR_BY_CODE.get(String(req.params.code));
    if (!rule) fail('FHIR-RESOURCE-NOT-FOUND', { type: 'Measure', id: String(req.params.code).slice(0, 64) });
    const problems: Issue[] = [];
    const period = periodOf(req, problems);
    const areaText = typeof req.query.area === 'string' ? req.query.area : undefined;
    const area = areaText === undefined ? issue('PWS-AREA-REQUIRED', {}, 'area') : parseArea(areaText);
    if (isIssue(area)) problems.push(area);
    if (problems.length > 0 || !period || isIssue(area)) throw new OperationOutcomeError(400, problems);
    const scope = pwsScope(dataFilter(principalOf(res)), area.code);
    const { total } = await evaluate(deps.pws, scope, period, [rule]);
    sendFhir(res, measureReportOf(rule, area.code, period, total[0]!, new Date(deps.now()).toISOString().replace('Z', '+00:00')));
  });

  return router;
}
