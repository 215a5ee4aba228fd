/** One item's result from `mapBounded`: its value, or the error it threw. */
export type Settled<T, R> = { readonly item: T; readonly ok: true; readonly value: R } | { readonly item: T; readonly ok: false; readonly error: unknown };

/**
 * Runs `fn` over `items` with at most `limit` in flight, keeping input order in the result. A
 * failure is recorded for its item and the others go on: a 403 on one replica must not leave the
 * rest unchanged or unknown. Stops starting new items once `signal` aborts.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<Settled<T, R>[]> {
  const results = new Array<Settled<T, R>>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      const item = items[i];
      if (signal?.aborted) {
        results[i] = { item, ok: false, error: new Error('Cancelled') };
        continue;
      }
      try {
        results[i] = { item, ok: true, value: await fn(item, i) };
      } catch (error) {
        results[i] = { item, ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
