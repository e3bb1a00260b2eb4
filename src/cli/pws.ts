import { hostname } from 'node:os';
import { OperationOutcomeError } from '../kernel';
import { manualReportRun, type ReportJobDeps } from '../pws/report-job';

export const PWS_USAGE = `Usage: ilp-gateway pws reports --period YYYY-MM [--area <Kemendagri code>]

Computes and stores the village MeasureReports of a closed month now (every village, or those under
--area: 2, 4, 6 or 10 digits), on the gateway's database (DATABASE_URL, else the embedded one in DATA_DIR).
A re-run stores a new version only of the reports whose figures changed.
Exit 0 done, 1 failed or another worker is computing the month, 2 usage.
`;

interface Io { out(text: string): void; err(text: string): void }

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function runPws(deps: ReportJobDeps, args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const period = option(rest, '--period');
  if (sub !== 'reports' || period === undefined) {
    io.err(PWS_USAGE);
    return 2;
  }
  const known = new Set(['--period', '--area']);
  for (let i = 0; i < rest.length; i += 2) {
    if (!known.has(rest[i] ?? '') || rest[i + 1] === undefined) {
      io.err(`unexpected argument "${rest[i] ?? ''}"\n\n${PWS_USAGE}`);
      return 2;
    }
  }
  try {
    const outcome = await manualReportRun(deps, `cli:${hostname()}:${process.pid}`, period, option(rest, '--area'));
    io.out(`${JSON.stringify(outcome)}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) throw err;
    io.err(`${err.issues.map((i) => `${i.message.en}\n  ${i.message.id}`).join('\n')}\n`);
    return err.status === 400 ? 2 : 1;
  }
}
