/**
 * The stand-in's notion of "now". Everything time-driven (log lines, rising counters) is a pure
 * function of this clock, so a test with a manual clock can predict every line and counter, and
 * `advance` moves time forward without waiting.
 */
export class VirtualClock {
  private offsetMs = 0;
  private readonly realStartMs = Date.now();

  constructor(
    /** Virtual time at start, epoch milliseconds. */
    readonly startMs: number,
    /** When true only `advance` moves time; otherwise it also follows the wall clock. */
    readonly manual: boolean,
  ) {}

  now(): number {
    return this.startMs + this.offsetMs + (this.manual ? 0 : Date.now() - this.realStartMs);
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`advance needs a non-negative number of milliseconds, got ${ms}`);
    this.offsetMs += ms;
  }
}
