import type { Request, Response } from 'express';
import { dataFilter } from '../auth/access-decision';
import { areaTable, type AreaTable } from '../console/areas';
import { PWS_PAGE } from '../console/pages';
import { buildDashboard, buildTrends, chartRule } from '../console/pws-dashboard';
import { pwsPage, pwsStartPage, trendsFragment } from '../console/pws-page';
import { OperationOutcomeError, fail, type Issue } from '../kernel';
import { field } from '../pws/csv';
import { isIssue, parseArea, parsePeriod, type Period } from '../pws/query';
import { pwsScope } from '../pws/scope';
import type { PwsStore } from '../store/pws-ports';
import type { ConsolePages } from './console-pages';
import { consoleOf } from './console-session';

export interface PwsPageDeps {
  pws: PwsStore;
  /** The Kemendagri area names (default: the idn-area-data package, loaded on first use). */
  areas?: () => AreaTable;
  /** For the default period (the current month in Indonesia's western time, WIB). */
  now?: () => number;
}

interface DashboardQuery {
  area: string | undefined;
  period: Period;
  indicator: string | undefined;
}

function text(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function currentMonth(now: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit' }).format(now).slice(0, 7);
}

/** The same parameters and refusals as GET /pws/v1/indicators (src/pws/query.ts). */
function parse(req: Request, now: number): DashboardQuery {
  const problems: Issue[] = [];
  const areaText = text(req, 'area');
  const area = areaText === undefined ? undefined : parseArea(areaText);
  if (area && isIssue(area)) problems.push(area);
  const period = parsePeriod(text(req, 'period') ?? currentMonth(now));
  if (isIssue(period)) problems.push(period);
  if (problems.length > 0) throw new OperationOutcomeError(400, problems);
  return { area: area && !isIssue(area) ? area.code : undefined, period: period as Period, indicator: text(req, 'indicator') };
}

/** /console/pws: the PWS dashboard (figures from src/pws/engine.ts, the same as GET /pws/v1/indicators). */
export function registerPwsPages(pages: ConsolePages, deps: PwsPageDeps): void {
  const areas = deps.areas ?? areaTable;
  const now = deps.now ?? Date.now;

  pages.get(PWS_PAGE, '/pws', async (view, req, res: Response) => {
    const q = parse(req, now());
    const principal = consoleOf(res).principal!;
    const indicator = chartRule(q.indicator).code;
    if (q.area === undefined) {
      const regions = principal.regions ?? [];
      if (regions.length === 1) return res.redirect(303, `/console/pws?area=${regions[0]}&period=${q.period.text}&indicator=${indicator}`);
      const filter = dataFilter(principal);
      const starts = regions.length > 0 ? [...regions].sort() : areas().children('').filter((c) => { try { pwsScope(filter, c); return true; } catch { return false; } });
      return pwsStartPage(view, areas(), starts, { period: q.period.text, indicator });
    }
    const d = await buildDashboard(deps.pws, principal, areas(), { area: q.area, period: q.period, indicator });
    // Without script, ?trends=1 renders the trend lines in the page itself.
    if (req.query.trends === '1') d.trends = await buildTrends(deps.pws, principal, { area: q.area, period: q.period });
    return pwsPage(view, areas(), d);
  });

  // The trend lines as an HTML fragment, fetched by console.js once the chart is on screen.
  pages.get(PWS_PAGE, '/pws/trends', async (view, req, res: Response) => {
    const q = parse(req, now());
    if (q.area === undefined) fail('PWS-AREA-REQUIRED');
    const trends = await buildTrends(deps.pws, consoleOf(res).principal!, { area: q.area, period: q.period });
    return trendsFragment(view, q.period.year, trends);
  });

  // The ranking as shown (one line per child area), with the chosen indicator's figures.
  pages.get(PWS_PAGE, '/pws.csv', async (_view, req, res: Response) => {
    const q = parse(req, now());
    if (q.area === undefined) fail('PWS-AREA-REQUIRED');
    const d = await buildDashboard(deps.pws, consoleOf(res).principal!, areas(), { area: q.area, period: q.period, ...(q.indicator ? { indicator: q.indicator } : {}) });
    const header = ['rank', 'area', 'name', 'period', 'code', 'numerator', 'denominator', 'value', 'cumulative', 'target', 'status', 'direction'];
    const lines = d.children.map((c, i) => [i + 1, c.code, c.name ?? '', d.period.text, d.rule.code, c.result?.numerator, c.result?.denominator, c.result?.value, c.coverage, c.target, c.status, c.direction].map(field).join(','));
    res.type('text/csv; charset=utf-8').attachment(`pws-ranking-${d.area}-${d.period.text}-${d.rule.code}.csv`).send([header.join(','), ...lines].join('\r\n') + '\r\n');
  });
}
