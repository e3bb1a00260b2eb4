import type { PwsStore } from '../../../src/store/pws-ports';
import type { PwsReportStore, ReportRun } from '../../../src/store/pws-report-ports';
import { ReportScheduler } from '../../../src/pws/report-worker';
import { loadPwsReportsConfig } from '../../../src/config/pws-config';

/** The scheduler over in-memory ports: which months it claims, and what a shutdown mid-month leaves. */
function fakes(opts: { slowCount?: () => Promise<void> } = {}) {
  const calls: string[] = [];
  const pws: PwsStore = {
    countMany: async (_scope, qs) => {
      await opts.slowCount?.();
      return qs.map(() => ({ total: 0, byVillage: new Map<string, number>() }));
    },
    targets: async () => new Map(),
    putTargets: async () => undefined,
  };
  const run = (period: string, worker: string): ReportRun => ({ period, area: '', state: 'running', worker, leaseUntil: '', startedAt: '', attempts: 1 });
  const reports: PwsReportStore = {
    claim: async (period, _area, worker) => { calls.push(`claim ${period}`); return run(period, worker); },
    renew: async () => true,
    finish: async (period) => { calls.push(`finish ${period}`); return true; },
    fail: async (period, _area, _worker, _now, error, interrupted) => { calls.push(`fail ${period} ${error} ${interrupted}`); return true; },
    runs: async () => [],
    storedVillages: async () => [],
    save: async (r) => ({ written: 0, unchanged: r.length }),
  };
  return { calls, pws, reports };
}

const config = loadPwsReportsConfig({ PWS_REPORTS_CATCH_UP_MONTHS: '2' }, []);
const now = () => Date.parse('2026-04-02T00:00:00Z');

test('a tick claims the due months oldest first and finishes each', async () => {
  const f = fakes();
  const scheduler = new ReportScheduler({ pws: f.pws, reports: f.reports, now, leaseSeconds: 60 }, config);
  const outcomes = await scheduler.tick();
  expect(f.calls).toEqual(['claim 2026-02', 'finish 2026-02', 'claim 2026-03', 'finish 2026-03']);
  expect(outcomes.map((o) => o.claimed)).toEqual([true, true]);
  await scheduler.stop();
});

test('stop() during a month ends it between provinces, marked interrupted, and claims nothing more', async () => {
  let release: () => void = () => undefined;
  let started: () => void = () => undefined;
  const inCount = new Promise<void>((r) => { started = r; });
  const f = fakes({ slowCount: () => { started(); return new Promise<void>((r) => { release = r; }); } });
  const scheduler = new ReportScheduler({ pws: f.pws, reports: f.reports, now, leaseSeconds: 60 }, config);
  const tick = scheduler.tick();
  await inCount;
  const stopping = scheduler.stop();
  release();
  await stopping;
  await tick;
  expect(f.calls).toEqual(['claim 2026-02', 'fail 2026-02 stopped by shutdown true']);
});
