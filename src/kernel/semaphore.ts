/**
 * A counting semaphore with a FIFO queue: at most `limit` tasks run at once, the others wait in
 * arrival order and none is refused. A finished task hands its slot straight to the oldest waiter,
 * so a newcomer never overtakes the queue. Used for IMPORT_WRITERS_TOTAL (src/api/import.routes.ts).
 */
export class Semaphore {
  private active = 0;
  /** Waiters' grants, oldest first. */
  private readonly queue: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a semaphore needs a limit of at least 1, got ${limit}`);
  }

  /** Slots held now. */
  get inUse(): number {
    return this.active;
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Runs `task` holding one slot, from its call until it settles (resolved, rejected or thrown).
   * A `signal` aborted while waiting takes the task out of the queue and rejects with its reason
   * (the task never runs); a task already running is not interrupted.
   */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private acquire(signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted();
    if (this.active < this.limit) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const at = this.queue.indexOf(grant);
        if (at >= 0) this.queue.splice(at, 1);
        reject(signal?.reason);
      };
      this.queue.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next(); // the slot passes on: `active` is unchanged
    else this.active -= 1;
  }
}
