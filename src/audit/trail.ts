import type { AuditConfig } from '../config/audit-config';
import type { Logger } from '../kernel';
import type { AuditStore } from '../store/audit-ports';
import { AuditRecorder, type RecorderOptions } from './recorder';

/** How long a new request waits for room in a full audit queue before it is refused (503). */
const ADMIT_TIMEOUT_MS = 10_000;
const PURGE_EVERY_MS = 3_600_000;

export interface AuditTrail {
  recorder: AuditRecorder;
  /** Deletes events older than AUDIT_RETENTION_DAYS; also run hourly. */
  purge(): Promise<number>;
  /** Stops the purge timer and writes every queued event (app.close()). */
  close(): Promise<void>;
}

/** The recorder and the retention purge of one gateway process; started here, closed by app.close(). */
export function startAuditTrail(store: AuditStore, config: AuditConfig, logger: Logger, counters?: RecorderOptions['counters']): AuditTrail {
  const recorder = new AuditRecorder(store, {
    batchSize: config.batchSize, flushIntervalMs: config.flushIntervalMs, queueLimit: config.queueLimit,
    admitTimeoutMs: ADMIT_TIMEOUT_MS, logger, ...(counters ? { counters } : {}),
  });
  recorder.start();
  const purge = async (): Promise<number> => {
    const n = await store.purge(config.retentionDays);
    if (n > 0) logger.info({ purged: n, retentionDays: config.retentionDays }, 'audit retention: old events deleted');
    return n;
  };
  // Every replica purges; the DELETE is idempotent, so concurrent purges only share the work.
  const timer = setInterval(() => purge().catch((err: unknown) => logger.error({ err }, 'audit retention purge failed')), PURGE_EVERY_MS);
  timer.unref();
  return {
    recorder,
    purge,
    close: async () => {
      clearInterval(timer);
      await recorder.close();
    },
  };
}
