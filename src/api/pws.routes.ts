import express, { Request, Response, Router } from 'express';
import { OperationOutcomeError, fail, issue, type Issue } from '../kernel';
import { CSV_HEADER, csvRows } from '../pws/csv';
import { evaluate, type Evaluation } from '../pws/engine';
import { isIssue, parseArea, parsePeriod, type Period } from '../pws/query';
import { INDICATOR_BY_CODE, INDICATOR_RULES, NOT_COMPUTED, TARGET_GROUPS, type IndicatorRule } from '../pws/registry';
import { pwsScope } from '../pws/scope';
import { targetsFromCsv, targetsFromJson } from '../pws/targets';
import type { PwsStore } from '../store/pws-ports';
import { dataFilter } from '../auth/access-decision';
import { principalOf } from './auth.routes';

export interface PwsRouteDeps {
  pws: PwsStore;
  bodyLimitBytes: number;
}

interface IndicatorQuery {
  area: string;
  period: Period;
  rules: IndicatorRule[];
  byVillage: boolean;
}

function single(req: Request, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') fail('PWS-PARAM-INVALID', { name }, name);
  return v;
}

/** area, period, code (comma-separated), level — every problem named by its parameter. */
function parseQuery(req: Request): IndicatorQuery {
  const problems: Issue[] = [];
  const areaText = single(req, 'area');
  const area = areaText === undefined ? undefined : parseArea(areaText);
  if (area === undefined) problems.push(issue('PWS-AREA-REQUIRED'));
  else if (isIssue(area)) problems.push(area);
  const period = parsePeriod(single(req, 'period') ?? '');
  if (isIssue(period)) problems.push(period);
  // Each code once (a repeated code would only repeat work), and no more codes than the registry has.
  const codes = [...new Set(single(req, 'code')?.split(',').filter(Boolean) ?? [])].slice(0, INDICATOR_RULES.length + 1);
  const asked = codes.length > 0 ? codes : undefined;
  const rules = asked ? asked.map((c) => INDICATOR_BY_CODE.get(c) ?? c) : [...INDICATOR_RULES];
  for (const r of rules) if (typeof r === 'string') problems.push(issue('PWS-INDICATOR-UNKNOWN', { code: r.slice(0, 40) }, 'code'));
  const level = single(req, 'level');
  if (level !== undefined && level !== 'village') problems.push(issue('PWS-LEVEL-INVALID', {}, 'level'));
  if (problems.length > 0) throw new OperationOutcomeError(400, problems);
  return { area: (area as { code: string }).code, period: period as Period, rules: rules as IndicatorRule[], byVillage: level === 'village' };
}

async function run(deps: PwsRouteDeps, req: Request, res: Response): Promise<{ q: IndicatorQuery; e: Evaluation }> {
  const q = parseQuery(req);
  const scope = pwsScope(dataFilter(principalOf(res)), q.area);
  return { q, e: await evaluate(deps.pws, scope, q.period, q.rules) };
}

export function pwsRouter(deps: PwsRouteDeps): Router {
  // Case-sensitive like the app and the access policy (http-app.ts): a Router() of its own would match
  // /pws/v1/Targets where the policy sees no rule, and skip the scope check.
  const router = Router({ caseSensitive: true, strict: false });

  router.get('/indicators', async (req, res) => {
    const { q, e } = await run(deps, req, res);
    const body: Record<string, unknown> = { area: q.area, period: q.period.text, indicators: e.total };
    if (q.byVillage) body.villages = [...e.byVillage].map(([area, indicators]) => ({ area, indicators }));
    res.json(body);
  });

  router.get('/indicators.csv', async (req, res) => {
    const { q, e } = await run(deps, req, res);
    const rows = q.byVillage ? [...e.byVillage].flatMap(([v, results]) => csvRows(v, q.period.text, results)) : csvRows(q.area, q.period.text, e.total);
    res.type('text/csv; charset=utf-8').attachment(`pws-${q.area}-${q.period.text}.csv`).send([CSV_HEADER.join(','), ...rows].join('\r\n') + '\r\n');
  });

  router.get('/registry', (_req, res) => {
    res.json({ targetGroups: TARGET_GROUPS, indicators: INDICATOR_RULES, notComputed: NOT_COMPUTED });
  });

  router.put('/targets/:village/:year', express.json({ limit: deps.bodyLimitBytes }), async (req, res) => {
    if (!req.is('application/json')) fail('PWS-MEDIA-TYPE', { type: req.headers['content-type'] ?? '(none)' });
    const { rows, issues } = targetsFromJson(String(req.params.village), String(req.params.year), req.body);
    if (issues.length > 0) throw new OperationOutcomeError(422, issues);
    pwsScope(dataFilter(principalOf(res)), String(req.params.village));
    await deps.pws.putTargets(rows);
    res.json({ villageCode: req.params.village, year: Number(req.params.year), targets: Object.fromEntries(rows.map((r) => [r.group, r.count])) });
  });

  router.post('/targets', express.text({ type: ['text/csv', 'text/plain'], limit: deps.bodyLimitBytes }), async (req, res) => {
    if (typeof req.body !== 'string') fail('PWS-MEDIA-TYPE', { type: req.headers['content-type'] ?? '(none)' });
    const { rows, issues } = targetsFromCsv(req.body);
    if (issues.length > 0) throw new OperationOutcomeError(422, issues);
    const caller = dataFilter(principalOf(res));
    for (const v of new Set(rows.map((r) => r.villageCode))) pwsScope(caller, v);
    await deps.pws.putTargets(rows);
    res.json({ loaded: rows.length, villages: new Set(rows.map((r) => r.villageCode)).size });
  });

  return router;
}
