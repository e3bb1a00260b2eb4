import type { OpsConfig } from '../config/ops-config';
import type { Logger } from '../kernel';
import type { IntakeAttemptInput, OpsStore } from '../store/ops-ports';
import { BatchQueue } from './batch-queue';

const FLUSH_MS = 500;
const BATCH = 200;
const QUEUE_LIMIT = 10_000;
const PURGE_EVERY_MS = 3_600_000;

export interface VersionAttribution {
  submissionPk: string;
  /** null: the submission's current version (an updated $import line does not say which). */
  version: number | null;
  clientId: string;
}

/** The intake-attempt and client-attribution writers of one process, and the attempts' retention purge. */
export interface OpsTrail {
  attempts: BatchQueue<IntakeAttemptInput>;
  attribution: BatchQueue<VersionAttribution>;
  /** The payload cap for this client's next refused request: 0 once it used its minute's quota. */
  payloadMaxBytes(clientId: string): number;
  purge(): Promise<number>;
  close(): Promise<void>;
}

/**
 * A fixed one-minute window per client (per process, like the other throttles). The map holds the
 * clients seen this minute only: it is cleared when the minute turns.
 */
export function payloadQuota(perMinute: number, now: () => number = Date.now): (clientId: string) => boolean {
  let minute = -1;
  const used = new Map<string, number>();
  return (clientId) => {
    const m = Math.floor(now() / 60_000);
    if (m !== minute) {
      minute = m;
      used.clear();
    }
    const n = (used.get(clientId) ?? 0) + 1;
    used.set(clientId, n);
    return n <= perMinute;
  };
}

export function startOpsTrail(store: OpsStore, config: OpsConfig, logger: Logger): OpsTrail {
  const attempts = new BatchQueue<IntakeAttemptInput>({ name: 'intake_attempt', write: (rows) => store.recordAttempts(rows), batchSize: BATCH, flushIntervalMs: FLUSH_MS, queueLimit: QUEUE_LIMIT, logger });
  const attribution = new BatchQueue<VersionAttribution>({ name: 'submission_version.client_id', write: (rows) => store.attributeVersions(rows), batchSize: BATCH, flushIntervalMs: FLUSH_MS, queueLimit: QUEUE_LIMIT, logger });
  attempts.start();
  attribution.start();
  const purge = async (): Promise<number> => {
    const n = await store.purgeAttempts(config.attemptRetentionDays);
    if (n > 0) logger.info({ purged: n, retentionDays: config.attemptRetentionDays }, 'intake attempts: old attempts deleted');
    return n;
  };
  const timer = setInterval(() => purge().catch((err: unknown) => logger.error({ err }, 'intake attempt purge failed')), PURGE_EVERY_MS);
  timer.unref();
  const quota = payloadQuota(config.attemptPayloadsPerClientMinute);
  return {
    attempts, attribution, purge,
    payloadMaxBytes: (clientId) => (quota(clientId) ? config.attemptPayloadMaxBytes : 0),
    close: async () => {
      clearInterval(timer);
      await attempts.close();
      await attribution.close();
    },
  };
}
