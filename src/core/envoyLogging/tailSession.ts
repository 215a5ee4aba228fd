import { type PodLogSource, type PodRef } from '../podAccess';
import { followContainer } from './followContainer';

/** A pod to tail and which of its containers. */
export interface TailTarget {
  readonly pod: PodRef;
  readonly uid: string;
  readonly containers: readonly string[];
  /** The containers that are Envoy (istio-proxy), for highlighting. */
  readonly envoyContainers: readonly string[];
}

export interface TailLine {
  readonly pod: string;
  readonly container: string;
  readonly fromEnvoy: boolean;
  readonly timestamp: string;
  readonly text: string;
}

export interface TailSessionOptions {
  readonly source: PodLogSource;
  /** Lists the pods to tail now: one pod, or a workload's current replicas. */
  readonly listTargets: () => Promise<TailTarget[]>;
  /** How often to look for new replicas and gone pods. */
  readonly pollMs: number;
  readonly initialTailLines: number;
  readonly retryDelayMs?: number;
  readonly onLine: (line: TailLine) => void;
  /** Notices for the user: a pod appeared, a stream dropped and resumed, a pod went away. */
  readonly onNotice: (message: string) => void;
}

/**
 * Tails a changing set of pods: one follower per pod container, new replicas picked up on each
 * poll, followers of deleted pods ending by themselves. `stop()` ends everything and resolves
 * when every follower has returned, so nothing writes after the view closed.
 */
export class TailSession {
  private readonly abort = new AbortController();
  private readonly followers = new Map<string, Promise<void>>();
  private known = new Set<string>();
  private poll: NodeJS.Timeout | undefined;

  constructor(private readonly o: TailSessionOptions) {}

  async start(): Promise<void> {
    await this.refresh();
    this.poll = setInterval(() => void this.refresh().catch((err) => this.o.onNotice(`Could not list pods: ${messageOf(err)}`)), this.o.pollMs);
  }

  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  async stop(): Promise<void> {
    if (this.poll) clearInterval(this.poll);
    this.abort.abort();
    await Promise.allSettled([...this.followers.values()]);
  }

  private async refresh(): Promise<void> {
    if (this.stopped) return;
    const targets = await this.o.listTargets();
    this.known = new Set(targets.map((t) => `${t.pod.namespace}/${t.pod.name}/${t.uid}`));
    for (const t of targets) {
      for (const container of t.containers) {
        const key = `${t.pod.namespace}/${t.pod.name}/${t.uid}/${container}`;
        if (this.followers.has(key) || this.stopped) continue;
        this.followers.set(key, this.follow(t, container, key));
      }
    }
  }

  private async follow(t: TailTarget, container: string, key: string): Promise<void> {
    const podKey = `${t.pod.namespace}/${t.pod.name}/${t.uid}`;
    const fromEnvoy = t.envoyContainers.includes(container);
    try {
      await followContainer({
        source: this.o.source,
        pod: t.pod,
        container,
        initialTailLines: this.o.initialTailLines,
        retryDelayMs: this.o.retryDelayMs,
        signal: this.abort.signal,
        onLine: (l) => this.o.onLine({ pod: t.pod.name, container, fromEnvoy, timestamp: l.timestamp, text: l.text }),
        onInterruption: (reason, willResume) =>
          this.o.onNotice(`${t.pod.name}/${container}: ${reason}${willResume ? '; resuming' : '; pod is gone, stopped following it'}`),
        shouldResume: async () => {
          await this.refresh().catch(() => undefined);
          return !this.stopped && this.known.has(podKey);
        },
      });
    } finally {
      // Only a stopped session keeps the key, so a later poll can never restart a gone pod's follower twice.
      if (!this.stopped) this.followers.delete(key);
    }
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
