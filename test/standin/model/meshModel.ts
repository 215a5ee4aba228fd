import { parseIstioVersion } from '../envoy/istioVersion';
import { type VirtualClock } from '../logs/clock';
import { FaultBook } from './faults';
import { IstioConfigStore } from './istioConfig';
import { type MeshConfig, meshConfigFor } from './meshConfig';
import { stableNumber, stableUid } from './ids';

/** istiod's push of a config change reaches a sidecar this long after the write, plus up to the spread. */
export const ISTIO_PUSH_DELAY_MS = 2000;
export const ISTIO_PUSH_SPREAD_MS = 3000;
import { PodRecord } from './podRecord';
import { PodRuntime } from './podRuntime';
import { type PodSpecInput, type WorkloadInput, type WorkloadKind } from './types';
import { WorkloadRecord } from './workloadRecord';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface PodEvent {
  readonly type: WatchEventType;
  readonly rv: number;
  readonly pod: PodRecord;
  /** The pod's JSON text at the time of the event. */
  objectText(): string;
}

export interface NamespaceRecord {
  readonly name: string;
  readonly uid: string;
  readonly createdMs: number;
  readonly labels: Record<string, string>;
  resourceVersion: number;
}

export interface PodChange {
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly phase?: string;
}

/** How many past pod events a watch may resume from; older resourceVersions get 410 Gone. */
const HISTORY_LIMIT = 10_000;
const TICK_MS = 100;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** Refuses a pod the API server would refuse, with its wording, before anything is stored. */
function validatePodInput(input: PodSpecInput): void {
  if (typeof input?.namespace !== 'string' || !DNS_LABEL.test(input.namespace)) {
    throw new Error(`metadata.namespace: Invalid value: ${JSON.stringify(input?.namespace)}: a lowercase RFC 1123 label is required`);
  }
  if (typeof input.name !== 'string' || !DNS_SUBDOMAIN.test(input.name)) {
    throw new Error(`metadata.name: Invalid value: ${JSON.stringify(input.name)}: a lowercase RFC 1123 subdomain is required`);
  }
  if (input.sidecar) parseIstioVersion(String(input.sidecar.istioVersion));
  for (const c of input.containers ?? []) {
    if (typeof c?.name !== 'string' || !DNS_LABEL.test(c.name) || typeof c.image !== 'string') {
      throw new Error(`spec.containers: Invalid value: ${JSON.stringify(c)}: each container needs a DNS-label name and an image`);
    }
  }
}

export class PodNotFoundError extends Error {
  constructor(
    readonly namespace: string,
    readonly pod: string,
  ) {
    super(`pods "${pod}" not found`);
  }
}

/**
 * The stand-in cluster's state: namespaces, pods, workloads, pod events for watches, faults, and
 * the runtimes that write logs as virtual time passes. Pure in-memory; the API server and the
 * control API both drive it.
 */
export class MeshModel {
  readonly faults = new FaultBook();
  readonly namespaces = new Map<string, NamespaceRecord>();
  private readonly pods = new Map<string, PodRecord>();
  private sortedPods: PodRecord[] | null = null;
  private readonly runtimes = new Map<string, PodRuntime>();
  private readonly workloads = new Map<WorkloadKind, Map<string, WorkloadRecord>>();
  private rv = 1000;
  private readonly history: PodEvent[] = [];
  private readonly watchers = new Set<(e: PodEvent) => void>();
  private readonly ticker: NodeJS.Timeout | null;
  /** How often watches that allow bookmarks get one (the API server: about a minute). */
  bookmarkIntervalMs = 60_000;
  /** Namespaces with a Telemetry resource that turns the access log on (`istio-system`: the whole mesh). */
  private readonly accessLogTelemetry = new Set<string>();
  /** DestinationRules and the mesh config (test/standin/api/istioResources.ts writes them). */
  readonly istio = new IstioConfigStore(() => this.nextRv(), () => this.clock.now());

  constructor(
    readonly clock: VirtualClock,
    readonly meshConfig: MeshConfig = meshConfigFor('default'),
  ) {
    this.ticker = clock.manual ? null : setInterval(() => this.tick(), TICK_MS);
    this.ticker?.unref();
  }

  get resourceVersion(): number {
    return this.rv;
  }

  private nextRv(): number {
    return ++this.rv;
  }

  addNamespace(name: string, labels: Record<string, string> = {}): NamespaceRecord {
    let ns = this.namespaces.get(name);
    if (!ns) {
      ns = { name, uid: stableUid(`namespace/${name}`), createdMs: this.clock.now(), labels: { 'kubernetes.io/metadata.name': name, ...labels }, resourceVersion: this.nextRv() };
      this.namespaces.set(name, ns);
    }
    return ns;
  }

  addPod(input: PodSpecInput): PodRecord {
    validatePodInput(input);
    const key = `${input.namespace}/${input.name}`;
    if (this.pods.has(key)) throw new Error(`pods "${input.name}" already exists in namespace "${input.namespace}"`);
    this.addNamespace(input.namespace);
    const pod = new PodRecord(input, this.clock.now());
    pod.resourceVersion = this.nextRv();
    this.pods.set(key, pod);
    this.sortedPods = null;
    this.publish('ADDED', pod);
    return pod;
  }

  getPod(namespace: string, name: string): PodRecord | undefined {
    return this.pods.get(`${namespace}/${name}`);
  }

  requirePod(namespace: string, name: string): PodRecord {
    const pod = this.getPod(namespace, name);
    if (!pod) throw new PodNotFoundError(namespace, name);
    return pod;
  }

  /** Pods in etcd key order (namespace, then name), optionally of one namespace. */
  listPods(namespace: string | null): readonly PodRecord[] {
    this.sortedPods ??= [...this.pods.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return namespace === null ? this.sortedPods : this.sortedPods.filter((p) => p.namespace === namespace);
  }

  get podCount(): number {
    return this.pods.size;
  }

  /** Deletes a pod: watchers get DELETED with a deletionTimestamp; its log streams end. */
  deletePod(namespace: string, name: string): PodRecord {
    const pod = this.requirePod(namespace, name);
    pod.deletedMs = this.clock.now();
    pod.resourceVersion = this.nextRv();
    pod.invalidate();
    this.pods.delete(pod.key);
    this.sortedPods = null;
    const runtime = this.runtimes.get(pod.key);
    this.runtimes.delete(pod.key);
    if (runtime) for (const c of pod.containerNames()) runtime.log(c).endFollowers();
    this.publish('DELETED', pod);
    return pod;
  }

  modifyPod(namespace: string, name: string, change: PodChange): PodRecord {
    const pod = this.requirePod(namespace, name);
    if (change.labels) pod.labels = { ...change.labels };
    if (change.annotations) pod.annotations = { ...change.annotations };
    if (change.phase) pod.phase = change.phase;
    return this.touch(pod);
  }

  /** Restarts one container (or all): restartCount goes up, its log starts a new instance. */
  restartPod(namespace: string, name: string, container: string | null = null): PodRecord {
    const pod = this.requirePod(namespace, name);
    if (container && !pod.containerNames().includes(container)) throw new Error(`container ${container} is not valid for pod ${name}`);
    this.runtime(pod).restart(this.clock.now(), container);
    return this.touch(pod);
  }

  private touch(pod: PodRecord): PodRecord {
    pod.resourceVersion = this.nextRv();
    pod.invalidate();
    this.publish('MODIFIED', pod);
    return pod;
  }

  /**
   * A Telemetry resource in `namespace` with `accessLogging: [{ providers: [{ name: envoy }] }]`
   * (in `istio-system`, the root namespace: the whole mesh), or its removal.
   */
  setAccessLogTelemetry(namespace: string, on: boolean): void {
    if (on) this.accessLogTelemetry.add(namespace);
    else this.accessLogTelemetry.delete(namespace);
  }

  /** Whether a pod's Envoy writes access-log lines now. */
  accessLogOn(pod: PodRecord): boolean {
    return this.meshConfig.accessLogFile !== '' || this.accessLogTelemetry.has('istio-system') || this.accessLogTelemetry.has(pod.namespace);
  }

  private identityConnectTimeout(pod: PodRecord): string {
    return this.istio.identityConnectTimeout(pod.namespace) ?? pod.input.sidecar?.identityConnectTimeout ?? '10s';
  }

  /**
   * Changes the Istio config through `write`: every sidecar has run on the old config until now,
   * and istiod pushes each its new identity cluster a few seconds later (2 to 5 s on the virtual
   * clock, per pod), as a real control plane's debounce and push do.
   */
  changeIstioConfig<T>(write: (store: IstioConfigStore) => T): T {
    const sidecars = [...this.pods.values()].filter((p) => p.input.sidecar);
    const runtimes = sidecars.map((p) => this.runtime(p));
    const result = write(this.istio);
    const now = this.clock.now();
    sidecars.forEach((pod, i) => runtimes[i].pushIdentityConnectTimeout(this.identityConnectTimeout(pod), now + ISTIO_PUSH_DELAY_MS + stableNumber(`${pod.key}/push`, ISTIO_PUSH_SPREAD_MS)));
    return result;
  }

  /** The pod's logs and Envoy, created on first use and caught up with the clock. */
  runtime(pod: PodRecord): PodRuntime {
    let r = this.runtimes.get(pod.key);
    if (!r) {
      r = new PodRuntime(pod, pod.createdMs, { config: this.meshConfig, accessLogOn: (p) => this.accessLogOn(p), identityConnectTimeout: (p) => this.identityConnectTimeout(p) });
      this.runtimes.set(pod.key, r);
    }
    r.advanceTo(this.clock.now());
    return r;
  }

  addWorkload(input: WorkloadInput): WorkloadRecord {
    this.addNamespace(input.namespace);
    let byKey = this.workloads.get(input.kind);
    if (!byKey) this.workloads.set(input.kind, (byKey = new Map()));
    const w = new WorkloadRecord(input, this.clock.now());
    w.resourceVersion = this.nextRv();
    byKey.set(w.key, w);
    return w;
  }

  listWorkloads(kind: WorkloadKind, namespace: string | null): WorkloadRecord[] {
    const all = [...(this.workloads.get(kind)?.values() ?? [])];
    return all.filter((w) => namespace === null || w.input.namespace === namespace).sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  getWorkload(kind: WorkloadKind, namespace: string, name: string): WorkloadRecord | undefined {
    return this.workloads.get(kind)?.get(`${namespace}/${name}`);
  }

  private publish(type: WatchEventType, pod: PodRecord): void {
    // Serialized now when someone watches (a snapshot); otherwise on first replay, so building
    // a 10,000-pod scenario does not serialize 10,000 pods nobody asked for.
    let text: string | null = this.watchers.size > 0 ? pod.toJsonText() : null;
    const event: PodEvent = { type, rv: pod.resourceVersion, pod, objectText: () => (text ??= pod.toJsonText()) };
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    for (const w of this.watchers) w(event);
  }

  /**
   * Subscribes to pod events after `fromRv`. Returns null when `fromRv` is older than the kept
   * history (the API answers 410 Gone, and clients relist).
   */
  watchPods(fromRv: number, onEvent: (e: PodEvent) => void): { cancel(): void } | null {
    const dropped = this.history.length >= HISTORY_LIMIT;
    if (dropped && fromRv < this.history[0].rv - 1) return null;
    for (const e of this.history) if (e.rv > fromRv) onEvent(e);
    this.watchers.add(onEvent);
    return { cancel: () => this.watchers.delete(onEvent) };
  }

  /** Moves virtual time forward and writes what happened meanwhile. */
  advance(ms: number): void {
    this.clock.advance(ms);
    this.tick();
  }

  private tick(): void {
    const now = this.clock.now();
    for (const r of this.runtimes.values()) {
      try {
        if (r.isActive) r.advanceTo(now);
      } catch (err) {
        // One broken pod must not stop time for the others (or crash the test run from a timer).
        console.error(`stand-in: pod ${r.pod.key} failed to advance: ${(err as Error).message}`);
      }
    }
  }

  close(): void {
    if (this.ticker) clearInterval(this.ticker);
    for (const w of this.watchers) this.watchers.delete(w);
    for (const [key, r] of this.runtimes) {
      const pod = this.pods.get(key);
      if (pod) for (const c of pod.containerNames()) r.log(c).endFollowers();
    }
  }
}
