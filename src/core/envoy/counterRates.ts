/** One reading of a counter: when, and its value (null when the proxy does not export it). */
export interface CounterReading {
  readonly atMs: number;
  readonly value: number | null;
}

/** Two readings closer than this say little about a rate (one scrape interval of Envoy's counters). */
export const MIN_RATE_WINDOW_MS = 10_000;

/**
 * Increase per minute between two readings of a monotonic counter. Null when either value is
 * unknown, the readings are too close together, or the counter went down (the sidecar restarted:
 * its counters started again from zero, so the difference means nothing).
 */
export function ratePerMinute(earlier: CounterReading | null, later: CounterReading): number | null {
  if (!earlier || earlier.value === null || later.value === null) return null;
  const elapsed = later.atMs - earlier.atMs;
  if (elapsed < MIN_RATE_WINDOW_MS) return null;
  const increase = later.value - earlier.value;
  if (increase < 0) return null;
  return (increase * 60_000) / elapsed;
}

/** `+12/min`, `+0.5/min`, `+0/min`: rates are shown with at most one decimal. */
export function formatRate(perMinute: number): string {
  const rounded = perMinute >= 10 ? Math.round(perMinute) : Math.round(perMinute * 10) / 10;
  return `+${rounded}/min`;
}
