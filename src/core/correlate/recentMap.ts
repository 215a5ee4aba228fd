/**
 * A map that remembers the most recently set keys, at least `capacity / 2` and at most `capacity`
 * of them, in constant time per call. It keeps two generations and drops the older one whole when
 * the newer fills: deleting a Map's oldest key one at a time (`keys().next()` then `delete`) makes
 * V8 walk every hole left by earlier deletions, which turned a log with more connections than the
 * bound (every ephemeral port is one) quadratic.
 */
export class RecentMap<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.current.get(key);
    return value !== undefined ? value : this.previous.get(key);
  }

  set(key: K, value: V): void {
    // Setting an existing key updates it in place; no delete is needed to keep it current.
    this.current.set(key, value);
    if (this.current.size >= this.capacity / 2) {
      this.previous = this.current;
      this.current = new Map();
    }
  }
}
