import { Counter, Gauge } from 'prom-client';
import type { RecorderOptions } from '../audit/recorder';
import type { Metrics } from './metrics';

/** Prometheus figures of the audit trail: what was written, what waited, what was lost (alert on any drop). */
export function auditCounters(m: Metrics, depth: () => number): NonNullable<RecorderOptions['counters']> {
  const registers = [m.registry];
  const written = new Counter({ name: 'ilp_gateway_audit_events_written_total', help: 'Audit events written to the database', registers });
  const dropped = new Counter({ name: 'ilp_gateway_audit_events_dropped_total', help: 'Audit events LOST (queue full for too long, or refused by the database): alert on any increase', registers });
  const failures = new Counter({ name: 'ilp_gateway_audit_flush_failures_total', help: 'Batches of audit events the database did not accept (retried)', registers });
  const waits = new Counter({ name: 'ilp_gateway_audit_backpressure_waits_total', help: 'Requests that waited because the audit queue was over its limit', registers });
  new Gauge({ name: 'ilp_gateway_audit_queue_depth', help: 'Audit events waiting to be written', registers, collect() { this.set(depth()); } });
  return {
    written: (n) => written.inc(n),
    dropped: (n) => dropped.inc(n),
    flushFailed: () => failures.inc(),
    waited: () => waits.inc(),
  };
}
