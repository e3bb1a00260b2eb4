import { createLogger } from '../../../src/kernel';
import type { DeliveryResult } from '../../../src/relay/outcome';
import { CircuitBreaker } from '../../../src/relay/retry-policy';
import { RelayWorker, type WorkerStore } from '../../../src/relay/worker';
import type { RelayWork } from '../../../src/store/ports';

const WORK: RelayWork = { outboxId: '1', submissionPk: 'p', submissionVersion: 1, organizationId: '10000005', attempts: 1, sentBefore: false, mayHaveSent: false, ageMs: 0 };

function fakeStore(): { store: WorkerStore; calls: string[] } {
  const calls: string[] = [];
  let claimed = false;
  const store = {
    claim: async () => { if (claimed) return []; claimed = true; return [WORK]; },
    complete: async () => { calls.push('complete'); return true; },
    retry: async () => { calls.push('retry'); return true; },
    release: async () => { calls.push('release'); return 1; },
  } as unknown as WorkerStore;
  return { store, calls };
}

function worker(store: WorkerStore, deliver: (w: RelayWork, signal: AbortSignal) => Promise<DeliveryResult>, stopBudgetMs = 2000, leaseSeconds = 60): RelayWorker {
  return new RelayWorker(
    { store, deliver, breaker: new CircuitBreaker(5, 1000), logger: createLogger('silent') },
    { workerId: 'w', concurrency: 1, leaseSeconds, pollMs: 10, stopBudgetMs, deliveryBudgetMs: 60_000, policy: { baseDelayMs: 10, maxDelayMs: 100, maxAttempts: 3, maxRetryMs: 3_600_000 } },
  );
}

describe('relay worker stop (SIGTERM)', () => {
  test('a delivery that concludes "delivered" while stopping is recorded before the rows are released', async () => {
    const { store, calls } = fakeStore();
    let started!: () => void;
    const inflight = new Promise<void>((resolve) => { started = resolve; });
    const w = worker(store, async (_work, signal) => {
      started();
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      return { kind: 'delivered', ids: {} }; // the platform's 200 arrived just as the stop began
    });
    w.start();
    await inflight;
    const first = w.stop();
    expect(w.stop()).toBe(first); // main.ts at SIGTERM and app.close() share one stop
    await first;
    expect(calls).toEqual(['complete', 'release']);
  });

  test('an interrupted attempt is released, not recorded as a retry', async () => {
    const { store, calls } = fakeStore();
    let started!: () => void;
    const inflight = new Promise<void>((resolve) => { started = resolve; });
    const w = worker(store, async (_work, signal) => {
      started();
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      return { kind: 'retry', error: 'aborted', upstream: true, transient: true };
    });
    w.start();
    await inflight;
    await w.stop();
    expect(calls).toEqual(['release']);
  });

  test('stop() keeps to its budget when a delivery ignores the abort', async () => {
    const { store, calls } = fakeStore();
    let started!: () => void;
    const inflight = new Promise<void>((resolve) => { started = resolve; });
    const w = worker(store, async () => { started(); return new Promise<DeliveryResult>(() => undefined); }, 100);
    w.start();
    await inflight;
    const t0 = Date.now();
    await w.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(calls).toEqual(['release']);
  });
});

describe('relay worker lease heartbeat', () => {
  test('a delivery longer than its lease has the lease renewed every third of it, with the claim\'s attempt', async () => {
    const { store, calls } = fakeStore();
    const renewals: { worker: string; ids: string[]; attempts: number[]; lease: number }[] = [];
    (store as { renew: WorkerStore['renew'] }).renew = async (worker, works, lease) => {
      renewals.push({ worker, ids: works.map((x) => x.outboxId), attempts: works.map((x) => x.attempts), lease });
      return works.map((x) => x.outboxId);
    };
    // Lease 0.3 s (a heartbeat every 100 ms, the worker's floor is 200 ms); the delivery takes 1 s.
    const w = worker(store, async () => { await new Promise((r) => setTimeout(r, 1000)); return { kind: 'delivered', ids: {} }; }, 2000, 0.3);
    w.start();
    await new Promise((r) => setTimeout(r, 1300));
    await w.stop();
    expect(calls).toEqual(['complete', 'release']);
    expect(renewals.length).toBeGreaterThanOrEqual(3);
    expect(renewals[0]).toEqual({ worker: 'w', ids: ['1'], attempts: [1], lease: 0.3 });
  });

  test('a claim the heartbeat finds lost (another worker took it over) is aborted, and its result is not recorded as ours', async () => {
    const { store, calls } = fakeStore();
    (store as { renew: WorkerStore['renew'] }).renew = async () => [];
    (store as { retry: WorkerStore['retry'] }).retry = async () => { calls.push('retry-fenced'); return false; };
    let aborted = false;
    const w = worker(store, async (_work, signal) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      aborted = true;
      return { kind: 'retry', error: 'aborted', upstream: false };
    }, 2000, 0.3);
    w.start();
    await new Promise((r) => setTimeout(r, 600));
    expect(aborted).toBe(true);
    await w.stop();
    expect(calls).toEqual(['retry-fenced', 'release']);
  });
});
