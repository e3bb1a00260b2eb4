import { setImmediate as tick } from 'node:timers/promises';
import { Semaphore } from '../../../src/kernel';

/** A promise settled from outside, to hold a task inside its slot for as long as a test needs. */
interface Gate { promise: Promise<void>; open(): void; fail(err: unknown): void }
function gate(): Gate {
  let open!: () => void;
  let fail!: (err: unknown) => void;
  const promise = new Promise<void>((resolve, reject) => { open = resolve; fail = reject; });
  return { promise, open, fail };
}

describe('Semaphore (IMPORT_WRITERS_TOTAL)', () => {
  it('never runs more than limit tasks at once, and runs every task', async () => {
    const slots = new Semaphore(3);
    let running = 0;
    let most = 0;
    const task = async (ms: number): Promise<number> => {
      running += 1;
      most = Math.max(most, running);
      expect(slots.inUse).toBeLessThanOrEqual(3);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running -= 1;
      return ms;
    };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => slots.run(() => task((i * 7) % 5))));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => (i * 7) % 5));
    expect(most).toBe(3);
    expect([slots.inUse, slots.waiting]).toEqual([0, 0]);
  });

  it('grants slots in arrival order (FIFO), also to a task that arrives while others wait', async () => {
    const slots = new Semaphore(1);
    const started: string[] = [];
    const gates = new Map<string, Gate>();
    const enqueue = (name: string): Promise<void> => {
      const g = gate();
      gates.set(name, g);
      return slots.run(async () => { started.push(name); await g.promise; });
    };
    const done = [enqueue('a'), enqueue('b'), enqueue('c'), enqueue('d')];
    await tick();
    expect(started).toEqual(['a']);
    expect([slots.inUse, slots.waiting]).toEqual([1, 3]);
    gates.get('a')?.open();
    await done[0];
    // The slot went to b; e arrives now and queues behind c and d.
    done.push(enqueue('e'));
    for (const name of ['b', 'c', 'd']) {
      await tick();
      gates.get(name)?.open();
    }
    gates.get('e')?.open();
    await Promise.all(done);
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('releases the slot when the task rejects or throws synchronously; the error reaches the caller', async () => {
    const slots = new Semaphore(1);
    await expect(slots.run(() => Promise.reject(new Error('rejected')))).rejects.toThrow('rejected');
    expect(slots.inUse).toBe(0);
    await expect(slots.run(() => { throw new Error('thrown'); })).rejects.toThrow('thrown');
    expect(slots.inUse).toBe(0);
    // A throwing holder with waiters behind it hands its slot on.
    const g = gate();
    const first = slots.run(async () => { await g.promise; });
    const second = slots.run(async () => 'second ran');
    await tick();
    expect([slots.inUse, slots.waiting]).toEqual([1, 1]);
    g.fail(new Error('holder failed'));
    await expect(first).rejects.toThrow('holder failed');
    await expect(second).resolves.toBe('second ran');
    expect([slots.inUse, slots.waiting]).toEqual([0, 0]);
  });

  it('an aborted waiter leaves the queue without running; a running task is not interrupted', async () => {
    const slots = new Semaphore(1);
    const g = gate();
    const holder = new AbortController();
    const held = slots.run(async () => { await g.promise; return 'held'; }, holder.signal);
    const waiter = new AbortController();
    let ran = false;
    const waiting = slots.run(async () => { ran = true; }, waiter.signal);
    const after = slots.run(async () => 'after');
    await tick();
    expect(slots.waiting).toBe(2);
    waiter.abort(new Error('client gone'));
    holder.abort(new Error('too late: already running'));
    await expect(waiting).rejects.toThrow('client gone');
    expect(slots.waiting).toBe(1);
    g.open();
    await expect(held).resolves.toBe('held');
    await expect(after).resolves.toBe('after');
    expect(ran).toBe(false);
    expect([slots.inUse, slots.waiting]).toEqual([0, 0]);
    await expect(slots.run(async () => 'never', waiter.signal)).rejects.toThrow('client gone');
  });

  it('refuses a limit below 1', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
    expect(() => new Semaphore(1.5)).toThrow(RangeError);
  });
});
