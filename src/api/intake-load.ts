/**
 * Whether this process's intake is busy (the materialiser's `yieldTo.busySince`): a visit arrived
 * (counted at arrival, src/api/http-app.ts) since a given instant, or an `$import` upload, a burst
 * by itself, is running. The materialiser asks about the time since its round began less a second,
 * not only the last second: on the embedded PGlite a round blocks the event loop, so the visits that
 * arrive meanwhile are counted only after it.
 */
export class IntakeLoad {
  private last = Number.NEGATIVE_INFINITY;
  private uploads = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** A visit arrived. */
  arrived(): void {
    this.last = this.now();
  }

  /** An upload started; call what it returns when it ends. */
  upload(): () => void {
    this.uploads += 1;
    let ended = false;
    return () => {
      if (!ended) this.uploads -= 1;
      ended = true;
    };
  }

  busySince(instant: number): boolean {
    return this.uploads > 0 || this.last >= instant;
  }
}
