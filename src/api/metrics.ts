import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one gateway process (GET /metrics). One registry per app, so tests stay isolated. */
export interface Metrics {
  registry: Registry;
  submissions: Counter<'result'>;
  httpResponses: Counter<'status'>;
  /** Queued visits (INTAKE_MODE=queued) by how their materialiser round ended: written, unchanged, refused, later. */
  materialised: Counter<'result'>;
  /** Relay attempts by result (delivered, retry, rejected, failed, superseded). */
  relayResults: Counter<'result'>;
  /** Calls to the national platform by operation (token, transaction, patient-search, …) and HTTP status or `network`. */
  upstreamSeconds: Histogram<'operation' | 'status'>;
}

/**
 * One database read per scrape for gauges that share it: prom-client collects a registry's metrics
 * concurrently, so the gauges of one table await the same read instead of making one each.
 */
function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () => (inFlight ??= read().finally(() => { inFlight = undefined; }));
}

/** Outbox gauges read from the database at scrape time (so every replica reports the shared queue). */
export function registerQueueGauges(m: Metrics, read: () => Promise<{ pending: number; claimed: number; failed: number; oldestSeconds: number }>): void {
  const stats = sharedRead(read);
  new Gauge({
    name: 'ilp_gateway_relay_queue_depth', help: 'Outbox rows by status (pending, claimed, failed)', labelNames: ['status'], registers: [m.registry],
    async collect() {
      const s = await stats();
      for (const status of ['pending', 'claimed', 'failed'] as const) this.set({ status }, s[status]);
    },
  });
  new Gauge({
    name: 'ilp_gateway_relay_oldest_pending_seconds', help: 'Age of the oldest outbox row not yet delivered', registers: [m.registry],
    async collect() {
      this.set((await stats()).oldestSeconds);
    },
  });
}

/** INTAKE_MODE=queued: visits accepted and not yet written, read at scrape time (src/store/intake-queue-store.ts). */
export function registerIntakeQueueGauges(m: Metrics, read: () => Promise<{ received: number; leased: number; refused: number; oldestSeconds: number }>): void {
  const stats = sharedRead(read);
  new Gauge({
    name: 'ilp_gateway_intake_queue_depth', help: 'Queued visits (INTAKE_MODE=queued) by state: received (waiting or being written), leased (being written), refused', labelNames: ['state'], registers: [m.registry],
    async collect() {
      const s = await stats();
      for (const state of ['received', 'leased', 'refused'] as const) this.set({ state }, s[state]);
    },
  });
  new Gauge({
    name: 'ilp_gateway_intake_queue_oldest_seconds', help: 'Age of the oldest queued visit not yet written (INTAKE_MODE=queued)', registers: [m.registry],
    async collect() {
      this.set((await stats()).oldestSeconds);
    },
  });
}

/** IMPORT_WRITERS_TOTAL's slots (src/kernel/semaphore.ts), read at scrape time: groups written and groups waiting, all uploads of this process. */
export function registerImportSlotGauges(m: Metrics, slots: { readonly inUse: number; readonly waiting: number }): void {
  new Gauge({
    name: 'ilp_gateway_import_writes_in_flight', help: '$import group transactions being written now, all uploads of this process (at most IMPORT_WRITERS_TOTAL)', registers: [m.registry],
    collect() {
      this.set(slots.inUse);
    },
  });
  new Gauge({
    name: 'ilp_gateway_import_writes_waiting', help: '$import groups ready to write and waiting for an IMPORT_WRITERS_TOTAL slot', registers: [m.registry],
    collect() {
      this.set(slots.waiting);
    },
  });
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ilp_gateway_' });
  return {
    registry,
    submissions: new Counter({ name: 'ilp_gateway_submissions_total', help: 'ILP submissions accepted, by result (created, updated, unchanged); with INTAKE_MODE=queued counted when queued', labelNames: ['result'], registers: [registry] }),
    httpResponses: new Counter({ name: 'ilp_gateway_http_responses_total', help: 'HTTP responses by status code', labelNames: ['status'], registers: [registry] }),
    materialised: new Counter({ name: 'ilp_gateway_materialised_total', help: 'Queued visits by how their write ended (written, unchanged, refused, later)', labelNames: ['result'], registers: [registry] }),
    relayResults: new Counter({ name: 'ilp_gateway_relay_results_total', help: 'Relay attempts by result', labelNames: ['result'], registers: [registry] }),
    upstreamSeconds: new Histogram({
      name: 'ilp_gateway_upstream_seconds', help: 'Latency of calls to the national platform', labelNames: ['operation', 'status'], registers: [registry],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
  };
}
