import { DEFAULT_CONNECT_TIMEOUT_MINIMUM } from '../core/connectTimeoutMinimum';
import type { ClusterSampleSource } from '../core/envoy/clusterSample';
import type { ClusterRates } from '../core/envoy/clusterVerdict';
import type { ClusterRow } from '../core/envoy/types';
import { summarizePod } from '../core/pods';
import { adminSampleSource } from '../kube/adminSampleSource';
import { isAbortError } from '../kube/cancellation';
import type { ClientNode } from '../kube/clientNode';
import type { KubeClients } from '../kube/clients';
import { fetchClusterRows, toClusterRowsError, type AdminRoute } from '../kube/envoyAdmin';
import { DEFAULT_PROMETHEUS_SAMPLES, prometheusSampleSource } from '../kube/prometheusSampleSource';
import { listPodsPaged, watchPods, type PodPage, type PodWatch, type RawPod } from '../kube/pods';
import { KubeAccessError, type EnvoyAdminClient, type PodRef } from '../kube/types';
import { accessHint } from '../services/accessHints';
import type { MeshMetrics } from '../services/meshMetrics';
import { BadgeScanner, DEFAULT_BADGE_SCAN, type BadgeScanOptions } from './badgeScan';
import { clusterGroupNodes, type ClusterFilter } from './clusterGroups';
import { CounterHistory } from './counterHistory';
import { Emitter } from './events';
import { messageNode, namespaceKey, podKey, type ContextNode, type MeshNode, type NamespaceNode, type PodNode } from './nodes';

/** What the model needs from the cluster: the kubeconfig, clients and Envoy admin access per context. */
export interface MeshAccess {
  config(): ClientNode.KubeConfig;
  /** The context Mesh Doctor uses (listed first, expanded by default). */
  activeContext(): string;
  clientsFor(context: string): KubeClients;
  adminFor(context: string): EnvoyAdminClient;
  /** How the pod's Envoy admin was last reached, when the transport can tell; null otherwise. */
  adminRoute(pod: PodRef): AdminRoute | null;
  /** Drops the loaded kubeconfig and every client, so the next request reads the files again. */
  reset(): void;
}

/** Where the model writes what happened in the background (watch failures, fetch sizes). */
export interface MeshLog {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * How the badges are found: the samples' source (the pods' Envoy admin by default; Prometheus
 * first when `metrics` is given), the scan's bounds, the threshold.
 */
export interface BadgeOptions {
  readonly source?: ClusterSampleSource;
  /** Asked first for the whole mesh; the pods' Envoy admin answers where it cannot. */
  readonly metrics?: MeshMetrics;
  readonly scan?: BadgeScanOptions;
  /** The current low-timeout threshold in seconds (the configuration's). */
  readonly minimumSeconds?: () => number;
}

/** A pod's loaded clusters and, when an earlier reading exists, each one's rates. */
export interface PodClusters {
  readonly rows: readonly ClusterRow[];
  readonly rates: ReadonlyMap<string, ClusterRates | null>;
}

/** The pods the badge scan reads: meshed and running (a pending pod has no Envoy to ask). */
function scannable(pods: Iterable<{ readonly pod: PodRef; readonly summary: ReturnType<typeof summarizePod> }>): PodRef[] {
  const out: PodRef[] = [];
  for (const p of pods) if (p.summary.sidecar && p.summary.phase === 'Running') out.push(p.pod);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * What changed: everything (refresh), one namespace (its counts and its pod list), or one pod
 * (its summary, or its clusters must be asked for again). `key` is `namespaceKey` / `podKey`;
 * a pod's change also names its namespace (`namespaceKey`).
 */
export type MeshChange =
  | { readonly scope: 'all' }
  | { readonly scope: 'namespace'; readonly key: string }
  | { readonly scope: 'pod'; readonly namespace: string; readonly key: string };

interface WatchedNamespace {
  /** The namespace's current snapshot; replaced when its counts change. */
  node: NamespaceNode;
  /** The current snapshot of each pod, by name. */
  readonly pods: Map<string, PodNode>;
  readonly watch: PodWatch;
  /** The last watch failure, shown instead of the pods until the next successful sync. */
  error: KubeAccessError | null;
  /** Resolves once the first listing succeeded or failed, or the watch was stopped. */
  readonly firstSync: Promise<void>;
  readonly settle: () => void;
}

/** One pod's cluster fetch in flight, shared by every expansion that asks meanwhile. */
interface PendingRows {
  readonly controller: AbortController;
  readonly rows: Promise<PodClusters>;
}

function sidecarCount(pods: Iterable<PodNode>): number {
  let n = 0;
  for (const p of pods) if (p.summary.sidecar) n++;
  return n;
}

/**
 * The Mesh tree's data, without VS Code: contexts → namespaces → pods → cluster groups. Expanded
 * namespaces are watched; a pod's clusters cost four admin requests, cached until refresh, shared
 * between expansions asking at once and cancelled when the pod is collapsed. Failures become
 * message nodes (what failed, what to do). Every change produces new node objects and is announced
 * on `onDidChange`. `badges` scans the listed namespaces' pods in the background while resumed.
 */
export class MeshModel {
  private readonly changes = new Emitter<MeshChange>();
  readonly onDidChange = this.changes.event;
  private readonly watched = new Map<string, WatchedNamespace>();
  private readonly rows = new Map<string, PodClusters>();
  private readonly inflight = new Map<string, PendingRows>();
  readonly badges: BadgeScanner;
  private readonly metricsListener: { dispose(): void } | null;

  constructor(
    private readonly access: MeshAccess,
    private readonly log: MeshLog,
    badges: BadgeOptions = {},
  ) {
    const admin = badges.source ?? adminSampleSource((pod) => access.adminFor(pod.context));
    const metrics = badges.metrics;
    const fromMetrics = metrics ? prometheusSampleSource((context) => metrics.prometheusFor(context), admin, { ...DEFAULT_PROMETHEUS_SAMPLES, log }) : null;
    const minimum = badges.minimumSeconds ?? (() => DEFAULT_CONNECT_TIMEOUT_MINIMUM.seconds);
    this.badges = new BadgeScanner(fromMetrics ?? admin, new CounterHistory(), minimum, badges.scan ?? DEFAULT_BADGE_SCAN, log);
    // Another Prometheus (or none): every badge is read again from the new choice.
    this.metricsListener =
      metrics && fromMetrics
        ? metrics.onDidChange(() => {
            fromMetrics.reset();
            this.badges.invalidate();
          })
        : null;
  }

  contexts(): MeshNode[] {
    try {
      const kc = this.access.config();
      const active = this.access.activeContext();
      const current = kc.getCurrentContext();
      const names = kc.getContexts().map((c) => c.name);
      if (names.length === 0) return [messageNode(null, 'error', 'the kubeconfig has no contexts', 'add a context with kubectl config set-context, or point meshDoctor.kubeconfig at another file')];
      const rank = (n: string) => (n === active ? 0 : n === current ? 1 : 2);
      return names
        .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
        .map((context): ContextNode => ({ kind: 'context', context, active: context === active, kubeconfigCurrent: context === current }));
    } catch (err) {
      return this.failed(null, err);
    }
  }

  /**
   * Lists every pod one page at a time and keeps only the per-namespace counts. Without the right
   * to list pods cluster-wide, falls back to the context's own namespace (as kubectl does).
   */
  async namespaces(node: ContextNode): Promise<MeshNode[]> {
    try {
      const clients = this.access.clientsFor(node.context);
      const counts = new Map<string, { meshed: number; total: number; pods: { pod: PodRef; summary: ReturnType<typeof summarizePod> }[] }>();
      const count = (page: PodPage) => {
        for (const raw of page.items) {
          const ns = raw.metadata?.namespace ?? '?';
          const c = counts.get(ns) ?? { meshed: 0, total: 0, pods: [] };
          c.total++;
          const summary = summarizePod(raw);
          if (summary.sidecar) {
            c.meshed++;
            if (raw.metadata?.name) c.pods.push({ pod: { context: node.context, namespace: ns, name: raw.metadata.name }, summary });
          }
          counts.set(ns, c);
        }
      };
      const notes: MeshNode[] = [];
      try {
        await listPodsPaged(clients, null, count);
      } catch (err) {
        if (!(err instanceof KubeAccessError) || err.status !== 403) throw err;
        const own = clients.kubeConfig.getContextObject(node.context)?.namespace || 'default';
        counts.clear();
        await listPodsPaged(clients, own, count);
        counts.set(own, counts.get(own) ?? { meshed: 0, total: 0, pods: [] });
        notes.push(messageNode(node, 'info', `listing pods in all namespaces is forbidden: showing namespace ${own} (the context's namespace)`, 'set the namespace in the kubeconfig context, or ask for list on pods cluster-wide'));
      }
      if (counts.size === 0) return [messageNode(node, 'info', 'no pods in this context', 'deploy workloads, or switch to another context')];
      // A watched namespace's pods come from its watch; the others from this listing.
      for (const [namespace, c] of counts) {
        const key = `${node.context}/${namespace}`;
        if (!this.watched.has(key)) this.badges.setPods(key, scannable(c.pods));
      }
      const namespaces = [...counts]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([namespace, c]): NamespaceNode => this.watched.get(`${node.context}/${namespace}`)?.node ?? { kind: 'namespace', parent: node, context: node.context, namespace, meshed: c.meshed, total: c.total });
      return [...notes, ...namespaces];
    } catch (err) {
      return this.failed(node, err);
    }
  }

  /** The namespace's pods, from its watch (started on the first call, stopped on collapse). */
  async pods(node: NamespaceNode): Promise<MeshNode[]> {
    const key = namespaceKey(node);
    let w = this.watched.get(key);
    if (!w) {
      w = this.watchNamespace(this.namespace(node));
      this.watched.set(key, w);
    }
    await w.firstSync;
    // Collapsed or refreshed before the first listing: that change asks the view to list again.
    if (this.watched.get(key) !== w) return [];
    if (w.error) return [messageNode(w.node, 'error', w.error.message, `${accessHint(w.error.remedy)} (retrying in the background)`)];
    return [...w.pods.values()].sort((a, b) => a.pod.name.localeCompare(b.pod.name));
  }

  /** The pod's clusters grouped by direction; `filter` (the view's) decides which rows are shown. */
  async clusterGroups(node: PodNode, filter: ClusterFilter | null): Promise<MeshNode[]> {
    const pod = this.pod(node);
    if (!pod.summary.sidecar) return [];
    let rows: PodClusters | null;
    try {
      rows = await this.clusterRows(pod.pod);
    } catch (err) {
      return this.failed(pod, err);
    }
    if (rows === null) {
      // Collapsed or refreshed meanwhile: the next expansion asks again.
      this.changes.fire({ scope: 'pod', namespace: namespaceKey(pod.pod), key: podKey(pod.pod) });
      return [];
    }
    return clusterGroupNodes(pod, rows.rows, rows.rates, this.access.adminRoute(pod.pod), filter);
  }

  /** The latest snapshot of a namespace (the node itself when it is not watched). */
  namespace(node: NamespaceNode): NamespaceNode {
    return this.watched.get(namespaceKey(node))?.node ?? node;
  }

  /** The latest snapshot of a pod (the node itself when its namespace is not watched). */
  pod(node: PodNode): PodNode {
    return this.watched.get(namespaceKey(node.pod))?.pods.get(node.pod.name) ?? node;
  }

  /** The pod's clusters are loaded: re-rendering them sends no admin request. */
  hasClusters(pod: PodRef): boolean {
    return this.rows.has(podKey(pod));
  }

  /** Stop what a hidden subtree would need: the pod's fetch, or the namespace's watch. */
  collapsed(node: MeshNode): void {
    if (node.kind === 'pod') {
      this.cancelFetch(podKey(node.pod));
    } else if (node.kind === 'namespace') {
      const key = namespaceKey(node);
      const w = this.watched.get(key);
      if (!w) return;
      this.stopWatch(key, w);
      for (const pod of w.pods.values()) this.cancelFetch(podKey(pod.pod));
      // Unwatched now: make the next expansion list again instead of showing a stale list.
      this.changes.fire({ scope: 'namespace', key });
    }
  }

  /** Forgets everything (kubeconfig, clients, watches, clusters) and asks the view to start over. */
  refresh(): void {
    this.stopAll();
    this.rows.clear();
    this.badges.clear();
    this.access.reset();
    this.changes.fire({ scope: 'all' });
  }

  dispose(): void {
    this.stopAll();
    this.metricsListener?.dispose();
    this.badges.dispose();
    this.changes.dispose();
  }

  private stopAll(): void {
    for (const key of [...this.inflight.keys()]) this.cancelFetch(key);
    for (const [key, w] of [...this.watched]) this.stopWatch(key, w);
  }

  private stopWatch(key: string, w: WatchedNamespace): void {
    w.watch.dispose();
    this.watched.delete(key);
    w.settle();
  }

  private cancelFetch(key: string): void {
    this.inflight.get(key)?.controller.abort();
    this.inflight.delete(key);
  }

  /** Cached rows, else the fetch in flight, else a new fetch; null when that fetch was cancelled. */
  private async clusterRows(pod: PodRef): Promise<PodClusters | null> {
    const key = podKey(pod);
    const cached = this.rows.get(key);
    if (cached) return cached;
    // The view and a command (reveal) may expand the same pod at once: share one fetch.
    const pending = this.inflight.get(key) ?? this.startFetch(pod, key);
    try {
      return await pending.rows;
    } catch (err) {
      if (isAbortError(err) || pending.controller.signal.aborted) return null;
      throw err;
    }
  }

  private startFetch(pod: PodRef, key: string): PendingRows {
    const controller = new AbortController();
    const rows = fetchClusterRows(this.access.adminFor(pod.context), pod, controller.signal).then((fetched) => {
      // The expansion's reading is a sample too: it refreshes the pod's badge and gives the rates.
      const rates = this.badges.observe(pod, Date.now(), fetched);
      return { rows: fetched, rates };
    });
    const pending: PendingRows = { controller, rows };
    this.inflight.set(key, pending);
    pending.rows
      .then(
        (rows) => {
          if (this.inflight.get(key) !== pending) return;
          this.rows.set(key, rows);
          this.log.info(`Mesh explorer: ${rows.rows.length} Envoy clusters in ${pod.namespace}/${pod.name}`);
        },
        () => undefined,
      )
      .finally(() => {
        if (this.inflight.get(key) === pending) this.inflight.delete(key);
      });
    return pending;
  }

  private watchNamespace(node: NamespaceNode): WatchedNamespace {
    const key = namespaceKey(node);
    const pods = new Map<string, PodNode>();
    let settle!: () => void;
    const firstSync = new Promise<void>((resolve) => (settle = resolve));
    /** New namespace snapshot when the counts moved; true then. */
    const recount = (): boolean => {
      const total = pods.size;
      const meshed = sidecarCount(pods.values());
      if (state.node.total === total && state.node.meshed === meshed) return false;
      state.node = { ...state.node, total, meshed };
      return true;
    };
    const upsert = (name: string, raw: RawPod) => {
      const pod = pods.get(name)?.pod ?? { context: node.context, namespace: node.namespace, name };
      pods.set(name, { kind: 'pod', parent: state.node, pod, raw, summary: summarizePod(raw) });
    };
    const forget = (name: string) => {
      const pod = pods.get(name);
      if (!pod) return;
      pods.delete(name);
      const pk = podKey(pod.pod);
      this.cancelFetch(pk);
      this.rows.delete(pk);
    };
    const namespaceChanged = () => {
      this.badges.setPods(key, scannable(pods.values()));
      this.changes.fire({ scope: 'namespace', key });
    };
    const state: WatchedNamespace = {
      node,
      pods,
      error: null,
      firstSync,
      settle: () => settle(),
      watch: watchPods(this.access.clientsFor(node.context), {
        namespace: node.namespace,
        onSync: (list) => {
          const seen = new Set<string>();
          for (const raw of list) {
            const name = raw.metadata?.name;
            if (!name) continue;
            upsert(name, raw);
            seen.add(name);
          }
          for (const name of [...pods.keys()]) if (!seen.has(name)) forget(name);
          recount();
          const hadError = state.error !== null;
          state.error = null;
          settle();
          if (hadError) this.log.info(`Mesh explorer: watching pods in ${node.namespace} again`);
          namespaceChanged();
        },
        onEvent: ({ type, pod: raw }) => {
          const name = raw.metadata?.name;
          if (!name) return;
          if (type === 'DELETED') {
            forget(name);
            recount();
            namespaceChanged();
            return;
          }
          const isNew = !pods.has(name);
          upsert(name, raw);
          // A new pod (or a changed meshed count) changes the namespace; otherwise only the pod.
          if (recount() || isNew) namespaceChanged();
          else {
            // A pod that started running becomes scannable.
            this.badges.setPods(key, scannable(pods.values()));
            this.changes.fire({ scope: 'pod', namespace: key, key: podKey(pods.get(name)!.pod) });
          }
        },
        onError: (err) => {
          state.error = err;
          this.log.warn(`Mesh explorer: ${err.message}; retrying with backoff`);
          settle();
          namespaceChanged();
        },
      }),
    };
    return state;
  }

  private failed(parent: MeshNode | null, err: unknown): MeshNode[] {
    if (isAbortError(err)) return [];
    const e = toClusterRowsError(err, 'read the cluster');
    const hint = accessHint(e.remedy);
    this.log.warn(`Mesh explorer: ${e.message} (${hint})`);
    return [messageNode(parent, 'error', e.message, hint)];
  }
}
