import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one gateway process (GET /metrics). One registry per app, so tests stay isolated. */
export interface Metrics {
  registry: Registry;
  submissions: Counter<'result'>;
  httpResponses: Counter<'status'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ilp_gateway_' });
  return {
    registry,
    submissions: new Counter({ name: 'ilp_gateway_submissions_total', help: 'ILP submissions stored, by result (created, updated, unchanged)', labelNames: ['result'], registers: [registry] }),
    httpResponses: new Counter({ name: 'ilp_gateway_http_responses_total', help: 'HTTP responses by status code', labelNames: ['status'], registers: [registry] }),
  };
}
