import * as vscode from 'vscode';
import { isLowConnectTimeout } from '../core/envoy/clusterRows';
import type { ClusterDirection, ClusterRow } from '../core/envoy/types';
import { summarizePod } from '../core/pods';
import { fetchClusterRows, toClusterRowsError, type ApiAdminClient } from '../kube/envoyAdmin';
import { listPodsPaged, watchPods, type PodWatch, type RawPod } from '../kube/pods';
import { KubeAccessError, type PodRef } from '../kube/types';
import { needsAttention } from './clusterText';
import type { KubeSession } from './kubeSession';
import { readMinimum } from './minimum';
import { podKey, type ClusterGroupNode, type ClusterNode, type ContextNode, type MeshNode, type MessageNode, type NamespaceNode, type PodNode } from './nodes';
import { toTreeItem } from './treeItems';

const DIRECTIONS: readonly ClusterDirection[] = ['outbound', 'inbound', 'other'];

interface WatchedNamespace {
  readonly node: NamespaceNode;
  readonly pods: Map<string, PodNode>;
  readonly watch: PodWatch;
  /** The last watch failure, shown instead of the pods until the next successful sync. */
  error: KubeAccessError | null;
  /** Resolves once the first listing succeeded or failed. */
  readonly firstSync: Promise<void>;
}

/** One pod's cluster fetch in flight, shared by every expansion that asks meanwhile. */
interface PendingRows {
  readonly controller: AbortController;
  readonly rows: Promise<ClusterRow[]>;
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/**
 * The Mesh tree: contexts → namespaces → pods → cluster groups → clusters. Namespaces that are
 * expanded are watched and only their nodes are refreshed on change; a pod's clusters cost four
 * admin requests, cached until refresh and cancelled when the pod is collapsed. Failures become
 * message nodes (what failed, what to do), never pop-ups.
 */
export class MeshTreeProvider implements vscode.TreeDataProvider<MeshNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MeshNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly watched = new Map<string, WatchedNamespace>();
  private readonly rows = new Map<string, ClusterRow[]>();
  private readonly inflight = new Map<string, PendingRows>();
  private lowOnly = false;
  /** Read once per change of the setting, not once per tree item (a pod may have thousands of clusters). */
  private minimum = readMinimum();

  constructor(
    private readonly session: KubeSession,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get lowTimeoutsOnly(): boolean {
    return this.lowOnly;
  }

  setLowTimeoutsOnly(on: boolean): void {
    this.lowOnly = on;
    this.regroupClusters();
  }

  /** Re-renders the pods whose clusters are loaded, from the cached rows: no admin request is sent. */
  private regroupClusters(): void {
    for (const ns of this.watched.values()) for (const pod of ns.pods.values()) if (this.rows.has(podKey(pod.pod))) this.changed.fire(pod);
  }

  /** Threshold changed: flags are recomputed from the cached rows. */
  minimumChanged(): void {
    this.minimum = readMinimum();
    const { seconds } = this.minimum;
    for (const [key, list] of this.rows) {
      this.rows.set(key, list.map((r) => ({ ...r, low: isLowConnectTimeout(r, seconds) })));
    }
    this.regroupClusters();
  }

  refresh(): void {
    for (const p of this.inflight.values()) p.controller.abort();
    this.inflight.clear();
    for (const w of this.watched.values()) w.watch.dispose();
    this.watched.clear();
    this.rows.clear();
    this.session.reset();
    this.changed.fire(undefined);
  }

  /** Called on onDidCollapseElement: stop what the hidden subtree would need. */
  collapsed(node: MeshNode): void {
    if (node.kind === 'pod') {
      const key = podKey(node.pod);
      this.inflight.get(key)?.controller.abort();
      this.inflight.delete(key);
    } else if (node.kind === 'namespace') {
      const key = `${node.context}/${node.namespace}`;
      const w = this.watched.get(key);
      if (w) {
        w.watch.dispose();
        this.watched.delete(key);
        for (const pod of w.pods.values()) this.inflight.get(podKey(pod.pod))?.controller.abort();
        // Unwatched now: make the next expansion list again instead of showing a stale list.
        this.changed.fire(node);
      }
    }
  }

  getTreeItem(node: MeshNode): vscode.TreeItem {
    return toTreeItem(node, this.minimum.text);
  }

  getParent(node: MeshNode): MeshNode | undefined {
    return node.kind === 'context' ? undefined : node.parent ?? undefined;
  }

  async getChildren(node?: MeshNode): Promise<MeshNode[]> {
    try {
      if (!node) return this.contextNodes();
      switch (node.kind) {
        case 'context':
          return await this.namespaceNodes(node);
        case 'namespace':
          return await this.podNodes(node);
        case 'pod':
          return await this.clusterGroups(node);
        case 'clusterGroup':
          return [...node.clusters];
        default:
          return [];
      }
    } catch (err) {
      if (isAbort(err)) return [];
      const e = toClusterRowsError(err, 'read the cluster');
      this.log.warn(`Mesh explorer: ${e.message} (${e.hint})`);
      return [message(node ?? null, 'error', e.message, e.hint)];
    }
  }

  private contextNodes(): MeshNode[] {
    const kc = this.session.config();
    const active = this.session.activeContext();
    const current = kc.getCurrentContext();
    const names = kc.getContexts().map((c) => c.name);
    if (names.length === 0) return [message(null, 'error', 'the kubeconfig has no contexts', 'add a context with kubectl config set-context, or point meshDoctor.kubeconfig at another file')];
    const rank = (n: string) => (n === active ? 0 : n === current ? 1 : 2);
    return names
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
      .map((context): ContextNode => ({ kind: 'context', context, active: context === active, kubeconfigCurrent: context === current }));
  }

  /**
   * Lists every pod one page at a time and keeps only the per-namespace counts. Without the right
   * to list pods cluster-wide, falls back to the context's own namespace (as kubectl does).
   */
  private async namespaceNodes(node: ContextNode): Promise<MeshNode[]> {
    const clients = this.session.clientsFor(node.context);
    const counts = new Map<string, { meshed: number; total: number }>();
    const count = (page: { items: RawPod[] }) => {
      for (const raw of page.items) {
        const ns = raw.metadata?.namespace ?? '?';
        const c = counts.get(ns) ?? { meshed: 0, total: 0 };
        c.total++;
        if (summarizePod(raw).sidecar) c.meshed++;
        counts.set(ns, c);
      }
    };
    const notes: MeshNode[] = [];
    try {
      await listPodsPaged(clients, null, count);
    } catch (err) {
      if (!(err instanceof KubeAccessError) || err.status !== 403) throw err;
      const own = clients.kubeConfig.getContextObject(node.context)?.namespace || 'default';
      await listPodsPaged(clients, own, count);
      counts.set(own, counts.get(own) ?? { meshed: 0, total: 0 });
      notes.push(message(node, 'info', `listing pods in all namespaces is forbidden: showing namespace ${own} (the context's namespace)`, 'set the namespace in the kubeconfig context, or ask for list on pods cluster-wide'));
    }
    if (counts.size === 0) return [message(node, 'info', 'no pods in this context', 'deploy workloads, or switch to another context')];
    const namespaces = [...counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([namespace, c]): NamespaceNode => ({ kind: 'namespace', parent: node, context: node.context, namespace, meshed: c.meshed, total: c.total }));
    return [...notes, ...namespaces];
  }

  private async podNodes(node: NamespaceNode): Promise<MeshNode[]> {
    const key = `${node.context}/${node.namespace}`;
    let w = this.watched.get(key);
    if (!w) {
      w = this.watchNamespace(node);
      this.watched.set(key, w);
    }
    await w.firstSync;
    if (w.error) return [message(node, 'error', w.error.message, `${w.error.hint} (retrying in the background)`)];
    return [...w.pods.values()].sort((a, b) => a.pod.name.localeCompare(b.pod.name));
  }

  private watchNamespace(node: NamespaceNode): WatchedNamespace {
    const pods = new Map<string, PodNode>();
    let resolveFirst!: () => void;
    const firstSync = new Promise<void>((r) => (resolveFirst = r));
    const recount = () => {
      node.total = pods.size;
      node.meshed = [...pods.values()].filter((p) => p.summary.sidecar).length;
    };
    const upsert = (raw: RawPod): PodNode | null => {
      const name = raw.metadata?.name;
      if (!name) return null;
      const existing = pods.get(name);
      if (existing) {
        existing.raw = raw;
        existing.summary = summarizePod(raw);
        return existing;
      }
      const pod: PodRef = { context: node.context, namespace: node.namespace, name };
      const created: PodNode = { kind: 'pod', parent: node, pod, raw, summary: summarizePod(raw) };
      pods.set(name, created);
      return created;
    };
    const state: WatchedNamespace = {
      node,
      pods,
      error: null,
      firstSync,
      watch: watchPods(this.session.clientsFor(node.context), {
        namespace: node.namespace,
        onSync: (list) => {
          const seen = new Set<string>();
          for (const raw of list) if (upsert(raw)) seen.add(raw.metadata!.name!);
          for (const name of [...pods.keys()]) if (!seen.has(name)) this.forgetPod(pods, name);
          recount();
          const hadError = state.error !== null;
          state.error = null;
          resolveFirst();
          if (hadError) this.log.info(`Mesh explorer: watching pods in ${node.namespace} again`);
          this.changed.fire(node);
        },
        onEvent: ({ type, pod: raw }) => {
          const name = raw.metadata?.name;
          if (!name) return;
          if (type === 'DELETED') {
            this.forgetPod(pods, name);
            recount();
            this.changed.fire(node);
            return;
          }
          const isNew = !pods.has(name);
          const meshedBefore = node.meshed;
          const updated = upsert(raw);
          recount();
          // A new pod (or a changed meshed count) changes the namespace node; otherwise only the pod's.
          this.changed.fire(isNew || !updated || node.meshed !== meshedBefore ? node : updated);
        },
        onError: (err) => {
          state.error = err;
          this.log.warn(`Mesh explorer: ${err.message}; retrying with backoff`);
          resolveFirst();
          this.changed.fire(node);
        },
      }),
    };
    return state;
  }

  private forgetPod(pods: Map<string, PodNode>, name: string): void {
    const pod = pods.get(name);
    if (!pod) return;
    pods.delete(name);
    const key = podKey(pod.pod);
    this.inflight.get(key)?.controller.abort();
    this.inflight.delete(key);
    this.rows.delete(key);
  }

  private async clusterGroups(node: PodNode): Promise<MeshNode[]> {
    if (!node.summary.sidecar) return [];
    const key = podKey(node.pod);
    let list = this.rows.get(key);
    const notes: MeshNode[] = [];
    if (!list) {
      // The view and a command (reveal, a test) may expand the same pod at once: share one fetch.
      let pending = this.inflight.get(key);
      if (!pending) {
        const controller = new AbortController();
        const fetching = fetchClusterRows(this.session.adminFor(node.pod.context), node.pod, this.minimum.seconds, controller.signal);
        const started: PendingRows = { controller, rows: fetching };
        pending = started;
        this.inflight.set(key, started);
        fetching.then(
          (rows) => {
            if (this.inflight.get(key) !== started) return;
            this.rows.set(key, rows);
            this.log.info(`Mesh explorer: ${rows.length} Envoy clusters in ${node.pod.namespace}/${node.pod.name}`);
          },
          () => undefined,
        ).finally(() => {
          if (this.inflight.get(key) === started) this.inflight.delete(key);
        });
      }
      try {
        list = await pending.rows;
      } catch (err) {
        // Collapsed or refreshed meanwhile: the next expansion asks again.
        if (isAbort(err) || pending.controller.signal.aborted) {
          this.changed.fire(node);
          return [];
        }
        throw err;
      }
    }
    const route = (this.session.adminFor(node.pod.context) as Partial<ApiAdminClient>).routeFor?.(node.pod);
    if (route === 'exec') notes.push(message(node, 'info', 'Envoy reached through exec (port-forward was refused)', `ask for create on pods/portforward in namespace ${node.pod.namespace} to use port-forward`));
    const groups: MeshNode[] = [];
    for (const direction of DIRECTIONS) {
      const all = list.filter((r) => r.direction === direction);
      const shown = this.lowOnly ? all.filter(needsAttention) : all;
      if (shown.length === 0) continue;
      const group: ClusterGroupNode = { kind: 'clusterGroup', parent: node, pod: node.pod, direction, unfiltered: all.length, clusters: [] };
      group.clusters = shown.map((cluster): ClusterNode => ({ kind: 'cluster', parent: group, pod: node.pod, cluster }));
      groups.push(group);
    }
    if (groups.length === 0) {
      notes.push(this.lowOnly
        ? message(node, 'info', 'no cluster with a low connect timeout or connect failures', 'turn the filter off to see all clusters')
        : message(node, 'info', 'Envoy reports no clusters', 'the proxy may still be starting; refresh in a moment'));
    }
    return [...notes, ...groups];
  }

  /** The nodes currently known under a namespace, for tests and reveal. */
  podNode(pod: PodRef): PodNode | undefined {
    return this.watched.get(`${pod.context}/${pod.namespace}`)?.pods.get(pod.name);
  }

  dispose(): void {
    for (const p of this.inflight.values()) p.controller.abort();
    for (const w of this.watched.values()) w.watch.dispose();
    this.changed.dispose();
  }
}

function message(parent: MeshNode | null, severity: MessageNode['severity'], text: string, hint: string): MessageNode {
  return { kind: 'message', parent, severity, message: text, hint };
}
