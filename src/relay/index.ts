import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { RelayConfig } from '../config/relay-config';
import type { Logger } from '../kernel';
import type { CredentialStore, RelayStore, RelayWork } from '../store/ports';
import { credentialProvider, type CredentialProvider, type CredentialVault, type NationalCredentials } from './credentials';
import { deliver, type DeliverDeps } from './deliver';
import { NationalDirectory } from './directory';
import type { LatencyObserver } from './national-client';
import { NationalPlatform } from './national-platform';
import { CircuitBreaker } from './retry-policy';
import { TokenCache } from './token-cache';
import { RelayWorker, type RelayMetrics } from './worker';

export { CredentialVault } from './credentials';
export type { NationalCredentials } from './credentials';

/** Where the relay sends: SATUSEHAT (or the simulator) and how it gets credentials. */
export interface NationalTarget {
  authUrl: string;
  fhirUrl: string;
  /** Credentials from the environment (one organisation). */
  single?: NationalCredentials;
  /** The built-in simulator: its sandbox convention gives every organisation a client (src/sim/state.ts). */
  simulated?: boolean;
}

export interface Relay {
  readonly worker: RelayWorker;
  readonly breaker: CircuitBreaker;
  readonly vault: CredentialVault | undefined;
  readonly target: NationalTarget;
  start(): void;
  stop(): Promise<void>;
}

function simulatedCredentials(organizationId: string): NationalCredentials {
  return { organizationId, clientId: `sim-${organizationId}`, clientSecret: `sim-secret-${organizationId}` };
}

/**
 * All the relay sees of storage: the outbox (claims, leases, results, and the visit a claim sends)
 * and the organisations' national credentials. Not the whole Database.
 */
export interface RelayPorts {
  outbox: RelayStore;
  credentials: CredentialStore;
}

function provider(target: NationalTarget, ports: RelayPorts, vault: CredentialVault | undefined): CredentialProvider {
  const configured = credentialProvider(target.single, ports.credentials, vault);
  if (!target.simulated) return configured;
  return { get: async (org) => (await configured.get(org)) ?? simulatedCredentials(org) };
}

export interface RelayHooks {
  observe?: LatencyObserver;
  metrics?: RelayMetrics;
  /** Opens sealed secrets of the credentials store (CREDENTIALS_KEY). */
  vault?: CredentialVault;
}

export function createRelay(config: RelayConfig, target: NationalTarget, ports: RelayPorts, logger: Logger, hooks: RelayHooks = {}): Relay {
  const vault = hooks.vault;
  const tokens = new TokenCache({ authUrl: target.authUrl, timeoutMs: config.timeoutMs, ...(hooks.observe ? { observe: hooks.observe } : {}) });
  const platform = new NationalPlatform({ fhirUrl: target.fhirUrl, tokens, timeoutMs: config.timeoutMs, ...(hooks.observe ? { observe: hooks.observe } : {}) });
  const workerId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const outbox = ports.outbox;
  const deps: DeliverDeps = {
    visits: outbox, credentials: provider(target, ports, vault), platform, directory: new NationalDirectory(platform, config.createPatients),
    markSent: (work: RelayWork) => outbox.markSent(work, workerId),
  };
  const breaker = new CircuitBreaker(config.breakerThreshold, config.breakerCooldownMs);
  const worker = new RelayWorker(
    { store: outbox, deliver: (work, signal) => deliver(deps, work, signal), breaker, logger: logger.child({ component: 'relay' }), ...(hooks.metrics ? { metrics: hooks.metrics } : {}) },
    {
      workerId,
      concurrency: config.concurrency, leaseSeconds: config.leaseSeconds, pollMs: config.pollMs,
      // Each HTTP call is bounded by timeoutMs; a delivery makes up to a few dozen (token, patient and
      // practitioner look-ups, identifier look-ups after a lost answer, the transaction). Never tighter
      // than the 240 s a delivery had before the heartbeat (80 % of the old 300 s lease).
      deliveryBudgetMs: Math.max(240_000, config.timeoutMs * 10),
      policy: { baseDelayMs: config.baseDelayMs, maxDelayMs: config.maxDelayMs, maxAttempts: config.maxAttempts, maxRetryMs: config.maxRetryHours * 3_600_000 },
    },
  );
  let retention: NodeJS.Timeout | undefined;
  const purge = (): void => {
    outbox.purge(config.retentionDays).then(
      (n) => { if (n.outbox + n.events > 0) logger.info({ purged: n, retentionDays: config.retentionDays }, 'relay retention'); },
      (err: unknown) => logger.warn({ err }, 'relay retention failed'),
    );
  };
  return {
    worker, breaker, vault, target,
    start() {
      worker.start();
      purge();
      retention = setInterval(purge, 3_600_000);
      retention.unref();
    },
    async stop() {
      if (retention) clearInterval(retention);
      await worker.stop(); // the same promise for every caller (main.ts at SIGTERM, then app.close())
    },
  };
}
