import type { ClusterSampleSource } from '../core/envoy/clusterSample';
import { type ClusterObservation, type ClusterRates, type ProblemSummary, judgeCluster, summarizePods, summarizeVerdicts } from '../core/envoy/clusterVerdict';
import { isAbortError } from '../kube/cancellation';
import type { PodRef } from '../kube/types';
import type { CounterHistory } from './counterHistory';
import { Emitter } from './events';
import type { MeshLog } from './meshModel';
import { podKey } from './nodes';

/** A pod's badge: its problems at `atMs`, or why it could not be read. */
export interface PodBadge {
  readonly summary: ProblemSummary;
  readonly atMs: number;
  readonly error: string | null;
}

/** A namespace's badge: pods with problems among those scanned so far. */
export interface NamespaceBadge {
  readonly summary: ProblemSummary;
  readonly scanned: number;
  readonly meshed: number;
  readonly unreachable: number;
  /** The scan is running and has not read every pod yet (paused while the view is hidden). */
  readonly scanning: boolean;
}

export interface BadgeScanOptions {
  /** Pods sampled at once, across all namespaces. */
  readonly concurrency: number;
  /** A badge older than this is sampled again (the second reading gives the rates). */
  readonly maxAgeMs: number;
}

export const DEFAULT_BADGE_SCAN: BadgeScanOptions = { concurrency: 4, maxAgeMs: 60_000 };

/** Changed badges, by namespaceKey; coalesced so a scan of thousands of pods does not flood the view. */
export type BadgeChange = ReadonlySet<string>;

const COALESCE_MS = 200;

function sameSummary(a: ProblemSummary | undefined, b: ProblemSummary): boolean {
  return a !== undefined && a.problems === b.problems && a.causes.join() === b.causes.join();
}

/**
 * The background scan behind the namespace and pod badges: samples every meshed pod of the
 * listed namespaces (namespace order, `concurrency` at a time) without expanding them, keeps each
 * badge for `maxAgeMs`, then samples again for rates. It runs only while resumed (the view is
 * visible); pausing aborts the samples in flight.
 */
export class BadgeScanner {
  private readonly changes = new Emitter<BadgeChange>();
  readonly onDidChange = this.changes.event;
  /** Meshed running pods per namespaceKey, in the tree's order. */
  private readonly targets = new Map<string, readonly PodRef[]>();
  private readonly badges = new Map<string, PodBadge>();
  private controller: AbortController | null = null;
  private pass: Promise<void> | null = null;
  private nextPass: NodeJS.Timeout | null = null;
  private pendingChanges = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  /** Requests the source reported, since the start (the bench reads them). */
  requests = 0;

  constructor(
    private readonly source: ClusterSampleSource,
    private readonly history: CounterHistory,
    private readonly minimumSeconds: () => number,
    private readonly options: BadgeScanOptions,
    private readonly log: MeshLog,
  ) {}

  get running(): boolean {
    return this.controller !== null;
  }

  /** The namespace's meshed running pods (from the listing or the watch): new ones are scanned, gone ones forgotten. */
  setPods(namespace: string, pods: readonly PodRef[]): void {
    const keep = new Set(pods.map(podKey));
    for (const old of this.targets.get(namespace) ?? []) {
      const key = podKey(old);
      if (!keep.has(key)) {
        this.badges.delete(key);
        this.history.forget(key);
      }
    }
    this.targets.set(namespace, pods);
    this.changed(namespace);
    this.kick();
  }

  pod(pod: PodRef): PodBadge | undefined {
    return this.badges.get(podKey(pod));
  }

  namespace(namespace: string): NamespaceBadge | undefined {
    const pods = this.targets.get(namespace);
    if (!pods) return undefined;
    const found: ProblemSummary[] = [];
    let unreachable = 0;
    for (const p of pods) {
      const b = this.badges.get(podKey(p));
      if (!b) continue;
      if (b.error) unreachable++;
      found.push(b.summary);
    }
    return { summary: summarizePods(found), scanned: found.length, meshed: pods.length, unreachable, scanning: this.running && found.length < pods.length };
  }

  /**
   * A reading of the pod's clusters (the scan's, or an expansion's full rows): updates its badge
   * and returns each cluster's rates against the previous reading.
   */
  observe(pod: PodRef, atMs: number, clusters: readonly ClusterObservation[]): Map<string, ClusterRates | null> {
    const key = podKey(pod);
    const rates = this.history.record(key, atMs, clusters);
    const minimum = this.minimumSeconds();
    const summary = summarizeVerdicts(clusters.map((c) => judgeCluster(c, minimum, rates.get(c.name) ?? null)));
    const before = this.badges.get(key);
    this.badges.set(key, { summary, atMs, error: null });
    if (!sameSummary(before?.summary, summary) || before?.error) this.changed(`${pod.context}/${pod.namespace}`);
    return rates;
  }

  /** Starts (or continues) scanning: the view became visible. */
  resume(): void {
    if (this.controller) return;
    this.controller = new AbortController();
    for (const namespace of this.targets.keys()) this.changed(namespace);
    this.kick();
  }

  /** Stops scanning and aborts the samples in flight: the view was hidden. Badges are kept. */
  pause(): void {
    if (this.controller) for (const namespace of this.targets.keys()) this.changed(namespace);
    this.controller?.abort();
    this.controller = null;
    if (this.nextPass) clearTimeout(this.nextPass);
    this.nextPass = null;
  }

  /** The threshold changed: every badge is sampled again (kept meanwhile). */
  invalidate(): void {
    for (const [key, b] of this.badges) this.badges.set(key, { ...b, atMs: 0 });
    this.kick();
  }

  /** Forgets every badge and target (refresh). */
  clear(): void {
    const running = this.running;
    this.pause();
    this.targets.clear();
    this.badges.clear();
    this.history.clear();
    if (running) this.resume();
  }

  dispose(): void {
    this.pause();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.changes.dispose();
  }

  /** Resolves when the current pass (if any) is done; for callers that want every badge. */
  async idle(): Promise<void> {
    while (this.pass) await this.pass;
  }

  private stale(now: number): PodRef[] {
    const due: PodRef[] = [];
    for (const pods of this.targets.values()) {
      for (const p of pods) {
        const b = this.badges.get(podKey(p));
        if (!b || now - b.atMs >= this.options.maxAgeMs) due.push(p);
      }
    }
    return due;
  }

  private kick(): void {
    const controller = this.controller;
    if (!controller || this.pass) return;
    if (this.nextPass) clearTimeout(this.nextPass);
    this.nextPass = null;
    this.pass = this.runPass(controller).finally(() => {
      this.pass = null;
      if (this.controller !== controller) return;
      // New targets may have arrived during the pass; otherwise sample again once badges age.
      if (this.stale(Date.now()).length > 0) this.kick();
      else this.nextPass = setTimeout(() => this.kick(), this.options.maxAgeMs);
    });
  }

  private async runPass(controller: AbortController): Promise<void> {
    const queue = this.stale(Date.now());
    let failures = 0;
    const worker = async () => {
      for (let pod = queue.shift(); pod && !controller.signal.aborted; pod = queue.shift()) {
        try {
          const sample = await this.source.sample(pod, controller.signal);
          this.requests += sample.requests;
          if (controller.signal.aborted || !this.isTarget(pod)) continue;
          this.observe(pod, sample.atMs, sample.clusters);
        } catch (err) {
          if (isAbortError(err) || controller.signal.aborted) return;
          const message = err instanceof Error ? err.message : String(err);
          if (failures++ === 0) this.log.warn(`Mesh explorer: badge scan of ${pod.namespace}/${pod.name}: ${message}`);
          this.badges.set(podKey(pod), { summary: { problems: 0, causes: [] }, atMs: Date.now(), error: message });
          this.changed(`${pod.context}/${pod.namespace}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency) }, worker));
    if (failures > 1) this.log.warn(`Mesh explorer: the badge scan could not read ${failures} pods`);
  }

  private isTarget(pod: PodRef): boolean {
    const key = podKey(pod);
    return (this.targets.get(`${pod.context}/${pod.namespace}`) ?? []).some((p) => podKey(p) === key);
  }

  private changed(namespace: string): void {
    this.pendingChanges.add(namespace);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      const changed = this.pendingChanges;
      this.pendingChanges = new Set();
      this.changes.fire(changed);
    }, COALESCE_MS);
  }
}
