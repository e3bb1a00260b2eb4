import { requireAccess } from '../auth/access-decision';
import type { Principal } from '../auth/tokens';
import { fail } from '../kernel';
import type { OpsStore, RelayHealthFacts } from '../store/ops-ports';
import type { QueueStats, RelayStore } from '../store/ports';

/**
 * Relay health (issue 11 item 4): queue depth, the oldest waiting visit, failures by cause, paused
 * organisations, and resume. It spans every organisation, so the access decision admits only an
 * unrestricted admin (src/auth/access-decision.ts, decideOps).
 */
export interface RelayHealthDeps {
  ops: OpsStore;
  relay: Pick<RelayStore, 'stats' | 'listPaused' | 'resume'>;
  /** What this process's relay says of itself; undefined when it does not run here. */
  state?: () => { running: boolean; circuit?: string; target?: string };
  poke?: () => void;
}

export interface RelayHealth extends RelayHealthFacts {
  running: boolean;
  circuit?: string;
  target?: string;
  queue: QueueStats;
  paused: { organizationId: string; reason: string; pausedAt: string }[];
}

export async function relayHealth(p: Principal, deps: RelayHealthDeps): Promise<RelayHealth> {
  requireAccess(p, 'ops', 'relay');
  const [queue, paused, facts] = await Promise.all([deps.relay.stats(), deps.relay.listPaused(), deps.ops.relayHealth()]);
  const state = deps.state?.() ?? { running: false };
  return { ...state, queue, paused, ...facts };
}

const ORG = /^\d{6,12}$/;

/** Resume a paused organisation's relay (its queued visits are claimed again at once). */
export async function resumeOrganization(p: Principal, organizationId: string, deps: RelayHealthDeps): Promise<void> {
  requireAccess(p, 'ops', 'relay');
  if (!ORG.test(organizationId)) fail('OPS-BAD-QUERY', { param: 'organizationId', detail: 'a SATUSEHAT organization id (6 to 12 digits)' });
  if (!(await deps.relay.resume(organizationId))) fail('OPS-NOT-FOUND', { what: `Pause of organization ${organizationId}` });
  deps.poke?.();
}
