import { hostname } from 'node:os';
import { Router } from 'express';
import { fail } from '../kernel';
import { manualReportRun, type ReportJobDeps } from '../pws/report-job';
import { adminGuard, unrestrictedAdmin } from './admin-guard';

export interface PwsReportRouteDeps {
  job: ReportJobDeps;
  adminToken: string | undefined;
}

/**
 * The monthly village MeasureReports' manual trigger and run table (admin scope, unrestricted
 * principal, audited like every /admin/v1 call): POST /admin/v1/pws/reports {"period": "YYYY-MM",
 * "area": "<Kemendagri code>"} computes the month now and answers what it stored.
 */
export function pwsReportsRouter(deps: PwsReportRouteDeps): Router {
  const router = Router({ caseSensitive: true, strict: false });
  router.use('/pws', adminGuard(deps.adminToken), unrestrictedAdmin);
  const worker = `admin:${hostname()}:${process.pid}`;

  router.get('/pws/reports', async (_req, res) => {
    res.json({ items: await deps.job.reports.runs(100) });
  });

  router.post('/pws/reports', async (req, res) => {
    const body = req.body as Record<string, unknown> | undefined;
    const period = body?.period;
    const area = body?.area;
    if (typeof period !== 'string') fail('PWS-REPORT-BODY', { detail: '"period" must be a month, YYYY-MM' });
    if (area !== undefined && typeof area !== 'string') fail('PWS-REPORT-BODY', { detail: '"area" must be a Kemendagri code (2, 4, 6 or 10 digits)' });
    res.json(await manualReportRun(deps.job, worker, period, area));
  });

  return router;
}
