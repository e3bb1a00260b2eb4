/**
 * Group commit for single calls: concurrent `run(item)` calls share one `runGroup(items)` call. At
 * most `flights` groups run at once; calls made while they run wait, and the next group takes
 * them all (up to `maxGroup`, in arrival order). A call with a flight free starts its group at once,
 * so an idle caller waits for nothing; under load, the groups grow by themselves with the time a
 * group takes. This is how PostgreSQL's own group commit amortises a WAL flush over concurrent
 * commits, one level up: one statement (and one flush) for the requests of a moment.
 *
 * `runGroup` answers one result per item, in order (GroupResult): a value, `{ error }` for an item
 * of its own failing (the others are unaffected), or `{ later }`, a step that finishes the item
 * outside the group. A `runGroup` that throws fails its whole group. Used for
 * the queued intake's accept (src/store/intake-queue-store.ts, docs/decisions/0022).
 *
 * With `keyOf`, calls of one key never share a group nor run in two groups at once: a later call
 * waits until the earlier one has finished (its group, and its `later` step if any), so calls of
 * one key run in the order they were made (a re-sent visit is never overtaken by its older payload).
 */
export class GroupCalls<I, O> {
  private flying = 0;
  private waiting: { item: I; resolve(o: O): void; reject(e: unknown): void }[] = [];
  /** Keys of the calls in running groups (with keyOf). */
  private readonly busy = new Set<string>();

  constructor(
    private readonly runGroup: (items: readonly I[]) => Promise<readonly GroupResult<O>[]>,
    private readonly options: { flights: number; maxGroup: number; keyOf?: (item: I) => string },
  ) {
    if (!Number.isInteger(options.flights) || options.flights < 1) throw new RangeError(`flights must be at least 1, got ${options.flights}`);
    if (!Number.isInteger(options.maxGroup) || options.maxGroup < 1) throw new RangeError(`maxGroup must be at least 1, got ${options.maxGroup}`);
  }

  /** Groups running now (tests and metrics). */
  get inFlight(): number {
    return this.flying;
  }

  run(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.fly();
    });
  }

  private fly(): void {
    while (this.flying < this.options.flights && this.waiting.length > 0) {
      const group = this.take();
      // Every waiting call's key is in a running group: that group's end flies again.
      if (group.length === 0) return;
      this.flying += 1;
      void this.runOne(group);
    }
  }

  /** The next group: the oldest calls, at most one per key and none whose key is in a running group. */
  private take(): GroupCalls<I, O>['waiting'] {
    const { keyOf, maxGroup } = this.options;
    if (!keyOf) return this.waiting.splice(0, maxGroup);
    const group: GroupCalls<I, O>['waiting'] = [];
    const rest: GroupCalls<I, O>['waiting'] = [];
    const keys = new Set<string>();
    for (const w of this.waiting) {
      const key = keyOf(w.item);
      if (group.length < maxGroup && !keys.has(key) && !this.busy.has(key)) {
        group.push(w);
        keys.add(key);
      } else {
        rest.push(w);
      }
    }
    this.waiting = rest;
    for (const key of keys) this.busy.add(key);
    return group;
  }

  private async runOne(group: GroupCalls<I, O>['waiting']): Promise<void> {
    // Calls whose result comes from a `later` step: their keys stay busy until it settles.
    const held: { call: GroupCalls<I, O>['waiting'][number]; later: () => Promise<O> }[] = [];
    try {
      const results = await this.runGroup(group.map((g) => g.item));
      if (results.length !== group.length) throw new Error(`a group of ${group.length} answered ${results.length} results`);
      group.forEach((g, i) => {
        const r = results[i] as GroupResult<O>;
        if (isFailure(r)) g.reject(r.error);
        else if (isLater<O>(r)) held.push({ call: g, later: r.later });
        else g.resolve(r);
      });
    } catch (err) {
      for (const g of group) g.reject(err);
    } finally {
      const { keyOf } = this.options;
      if (keyOf) for (const g of group) if (!held.some((h) => h.call === g)) this.busy.delete(keyOf(g.item));
      this.flying -= 1;
      this.fly();
    }
    for (const { call, later } of held) {
      const release = (): void => {
        const { keyOf } = this.options;
        if (keyOf) this.busy.delete(keyOf(call.item));
        this.fly();
      };
      later().then((o) => { release(); call.resolve(o); }, (err: unknown) => { release(); call.reject(err); });
    }
  }
}

/**
 * What runGroup answers per item: its value, its own error, or a step to finish it outside the
 * group (`later`): the group's flight is free at once, the item's key stays busy until the step
 * settles, so a later call of that key still cannot overtake it.
 */
export type GroupResult<O> = O | { error: unknown } | { later: () => Promise<O> };

function isFailure(r: unknown): r is { error: unknown } {
  return typeof r === 'object' && r !== null && 'error' in r && Object.keys(r).length === 1;
}

function isLater<O>(r: unknown): r is { later: () => Promise<O> } {
  return typeof r === 'object' && r !== null && typeof (r as { later?: unknown }).later === 'function' && Object.keys(r).length === 1;
}
