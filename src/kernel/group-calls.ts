/**
 * Group commit for single calls: concurrent `run(item)` calls share one `runGroup(items)` call. At
 * most `flights` groups run at once; calls made while they run wait, and the next group takes
 * them all (up to `maxGroup`, in arrival order). A call with a flight free starts its group at once,
 * so an idle caller waits for nothing; under load, the groups grow by themselves with the time a
 * group takes. This is how PostgreSQL's own group commit amortises a WAL flush over concurrent
 * commits, one level up: one statement (and one flush) for the requests of a moment.
 *
 * `runGroup` answers one result per item, in order: a value, or `{ error }` for an item of its own
 * failing (the others are unaffected). A `runGroup` that throws fails its whole group. Used for
 * the queued intake's accept (src/store/intake-queue-store.ts, docs/decisions/0022).
 */
export class GroupCalls<I, O> {
  private flying = 0;
  private readonly waiting: { item: I; resolve(o: O): void; reject(e: unknown): void }[] = [];

  constructor(
    private readonly runGroup: (items: readonly I[]) => Promise<readonly (O | { error: unknown })[]>,
    private readonly options: { flights: number; maxGroup: number },
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
      const group = this.waiting.splice(0, this.options.maxGroup);
      this.flying += 1;
      void this.runOne(group);
    }
  }

  private async runOne(group: GroupCalls<I, O>['waiting']): Promise<void> {
    try {
      const results = await this.runGroup(group.map((g) => g.item));
      if (results.length !== group.length) throw new Error(`a group of ${group.length} answered ${results.length} results`);
      group.forEach((g, i) => {
        const r = results[i] as O | { error: unknown };
        if (isFailure(r)) g.reject(r.error);
        else g.resolve(r);
      });
    } catch (err) {
      for (const g of group) g.reject(err);
    } finally {
      this.flying -= 1;
      this.fly();
    }
  }
}

function isFailure(r: unknown): r is { error: unknown } {
  return typeof r === 'object' && r !== null && 'error' in r && Object.keys(r).length === 1;
}
