/**
 * Infers a cluster's connect timeout from how long failed connection attempts took: when several
 * attempts to one cluster all gave up after the same time (e.g. 1.000 s), that time is the timeout.
 */

const MAX_SAMPLES = 32;
const MIN_SAMPLES = 2;
/** Attempts shorter than this are refusals, not timeouts. */
const MIN_TIMEOUT_MS = 100;
const AGREEMENT = 0.03;

export class ConnectTimeoutInference {
  private readonly samples = new Map<string, number[]>();

  /** An attempt on `cluster` that ended after `durationMs` without connecting. */
  addAttempt(cluster: string, durationMs: number): void {
    if (durationMs < MIN_TIMEOUT_MS) return;
    let list = this.samples.get(cluster);
    if (!list) this.samples.set(cluster, (list = []));
    list.push(durationMs);
    if (list.length > MAX_SAMPLES) list.shift();
  }

  /** The inferred timeout in seconds (to 10 ms), or null when the attempts do not agree. */
  timeoutSeconds(cluster: string): number | null {
    const list = this.samples.get(cluster);
    if (!list || list.length < MIN_SAMPLES) return null;
    const sorted = [...list].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const agreeing = sorted.filter((d) => Math.abs(d - median) <= median * AGREEMENT).length;
    if (agreeing < MIN_SAMPLES || agreeing < sorted.length * 0.6) return null;
    return Math.round(median / 10) / 100;
  }
}
