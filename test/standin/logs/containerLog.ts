import { type LogLine, LogRing } from './ring';

export interface LogFollower {
  onLines(lines: readonly LogLine[]): void;
  /** The container instance ended (restart) or the stand-in closed. */
  onEnd(): void;
}

/**
 * One container's log: the current instance's ring, the previous instance's (for `previous=true`)
 * and the followers of `follow=true` streams, who get every appended batch.
 */
export class ContainerLog {
  private ring: LogRing;
  private previousRing: LogRing | null = null;
  private readonly followers = new Set<LogFollower>();
  private lastMs = -Infinity;
  private lastSubNs = 0;
  private seq = 0;

  constructor(private readonly capacity: number) {
    this.ring = new LogRing(capacity);
  }

  get current(): LogRing {
    return this.ring;
  }

  get previous(): LogRing | null {
    return this.previousRing;
  }

  get followerCount(): number {
    return this.followers.size;
  }

  /** Appends lines all stamped at `ms`. */
  append(ms: number, texts: readonly string[]): void {
    this.appendTimed(texts.map((text) => ({ ms, text })));
  }

  /**
   * Appends lines, each at its own millisecond, and tells followers once. Sub-millisecond digits
   * come from a sequence so stamps are distinct, ordered and the same on every run; time never
   * goes backwards.
   */
  appendTimed(entries: readonly { readonly ms: number; readonly text: string }[]): void {
    if (entries.length === 0) return;
    const batch: LogLine[] = [];
    for (const { ms, text } of entries) {
      let at = Math.max(ms, this.lastMs);
      let sub: number;
      if (at === this.lastMs) {
        sub = this.lastSubNs + 1 + (this.seq % 7) * 13;
        if (sub > 999_999) {
          at += 1;
          sub = 0;
        }
      } else sub = 100_000 + ((this.seq * 7919) % 800_000);
      this.seq++;
      this.lastMs = at;
      this.lastSubNs = sub;
      batch.push({ time: { ms: at, subNs: sub }, text });
    }
    this.appendLines(batch);
  }

  private appendLines(batch: readonly LogLine[]): void {
    this.ring.append(batch);
    for (const f of this.followers) f.onLines(batch);
  }

  follow(f: LogFollower): () => void {
    this.followers.add(f);
    return () => this.followers.delete(f);
  }

  /** A new container instance: followers' streams end as the kubelet's do; old lines become `previous`. */
  restart(): void {
    this.endFollowers();
    this.previousRing = this.ring;
    this.ring = new LogRing(this.capacity);
  }

  endFollowers(): void {
    const ending = [...this.followers];
    this.followers.clear();
    for (const f of ending) f.onEnd();
  }
}
