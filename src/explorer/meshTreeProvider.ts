import * as vscode from 'vscode';
import type { PodRef } from '../kube/types';
import type { RaisedLevels } from '../services/raisedLevels';
import type { BadgeChange } from './badgeScan';
import { hasProblems } from './badgeWording';
import { clusterNodes, type ClusterFilter } from './clusterGroups';
import { clusterVerdict } from './clusterWording';
import type { Subscription } from './events';
import type { MeshChange, MeshModel } from './meshModel';
import type { ConnectTimeoutMinimum } from '../core/connectTimeoutMinimum';
import { namespaceKey, podKey, type ClusterNode, type ContextNode, type MeshNode, type NamespaceNode, type PodNode } from './nodes';
import { toTreeItem, type RowMarks } from './treeItems';

/** A raised pod's "time left" is re-rendered this often. */
const RAISED_TICK_MS = 30_000;

/**
 * The Mesh view over the mesh model. What is shown is decided here: the problems filter and the
 * minimum that makes a timeout "low", both applied when rendering, so changing either sends no
 * admin request. Namespace and pod badges come from the model's background scan (`model.badges`),
 * raised log levels from the RaisedLevels service.
 *
 * VS Code refreshes an element by the object it was given, so the provider remembers the
 * context, namespace and pod objects it handed out and fires those when the model reports a change;
 * getTreeItem renders the model's latest snapshot of the same identity. getChildren is for the
 * view: other callers walk the model (see `findShownCluster`) so they never replace what the view
 * holds.
 */
export class MeshTreeProvider implements vscode.TreeDataProvider<MeshNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MeshNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: Subscription[];
  private readonly shownContexts = new Map<string, ContextNode>();
  /** The context's namespaces as last listed (unfiltered), so a badge change re-filters without listing pods again. */
  private readonly listedNamespaces = new Map<string, MeshNode[]>();
  /** Contexts fired because badges changed: their next getChildren re-filters the last listing. */
  private readonly refilter = new Set<string>();
  /** The namespace objects the view holds, by namespaceKey. */
  private readonly shownNamespaces = new Map<string, NamespaceNode>();
  /** The pod objects the view holds, by namespaceKey, then podKey. */
  private readonly shownPods = new Map<string, Map<string, PodNode>>();
  private problemsOnly = false;
  /** Read once per change of the setting, not once per tree item (a pod may have thousands of clusters). */
  private minimum: ConnectTimeoutMinimum;
  private readonly tick: NodeJS.Timeout;

  /** `readMinimum` gives the current low-timeout threshold (the configuration service's parsed setting). */
  constructor(
    private readonly model: MeshModel,
    private readonly readMinimum: () => ConnectTimeoutMinimum,
    private readonly raised: Pick<RaisedLevels, 'forPod' | 'onDidChange'>,
  ) {
    this.minimum = readMinimum();
    const raisedChanged = raised.onDidChange(() => this.rerenderPods(() => true));
    this.subscriptions = [model.onDidChange((change) => this.modelChanged(change)), model.badges.onDidChange((change) => this.badgesChanged(change)), raisedChanged];
    this.tick = setInterval(() => this.rerenderPods((pod) => raised.forPod(pod.pod) !== undefined), RAISED_TICK_MS);
  }

  get showsProblemsOnly(): boolean {
    return this.problemsOnly;
  }

  /** The problems filter: only namespaces, pods and clusters with problems (and what is not scanned yet). */
  setProblemsOnly(on: boolean): void {
    this.problemsOnly = on;
    for (const context of this.shownContexts.values()) this.changed.fire(context);
  }

  /** The threshold setting changed: loaded clusters are re-rendered against the new one, badges are read again. */
  minimumChanged(): void {
    this.minimum = this.readMinimum();
    this.model.badges.invalidate();
    this.rerenderPods((pod) => this.model.hasClusters(pod.pod));
  }

  refresh(): void {
    this.model.refresh();
  }

  /** Called on onDidCollapseElement: the model stops what the hidden subtree would need. */
  collapsed(node: MeshNode): void {
    this.model.collapsed(node);
  }

  getTreeItem(node: MeshNode): vscode.TreeItem {
    return toTreeItem(this.latest(node), this.minimum, this.marks());
  }

  getParent(node: MeshNode): MeshNode | undefined {
    if (node.kind === 'context') return undefined;
    const parent = node.parent ?? undefined;
    if (parent?.kind === 'context') return this.shownContexts.get(parent.context) ?? parent;
    if (parent?.kind === 'namespace') return this.shownNamespaces.get(namespaceKey(parent)) ?? parent;
    if (parent?.kind === 'pod') return this.shownPods.get(namespaceKey(parent.pod))?.get(podKey(parent.pod)) ?? parent;
    return parent;
  }

  async getChildren(node?: MeshNode): Promise<MeshNode[]> {
    if (!node) {
      const contexts = this.model.contexts();
      for (const c of contexts) if (c.kind === 'context') this.shownContexts.set(c.context, c);
      return contexts;
    }
    switch (node.kind) {
      case 'context':
        return this.remember(this.filterNamespaces(await this.namespacesOf(node)));
      case 'namespace':
        return this.remember(this.filterPods(await this.model.pods(node)), namespaceKey(node));
      case 'pod':
        return this.model.clusterGroups(node, this.filter());
      case 'clusterGroup':
        return clusterNodes(node);
      default:
        return [];
    }
  }

  /** The cluster node as the view would show it under its pod (filter applied), without touching the view's nodes. */
  async findShownCluster(pod: PodRef, cluster: string): Promise<ClusterNode | undefined> {
    const namespace = await this.findNamespace(pod.context, pod.namespace);
    const podNode = namespace && (await this.model.pods(namespace)).find((n): n is PodNode => n.kind === 'pod' && n.pod.name === pod.name);
    if (!podNode) return undefined;
    for (const group of await this.model.clusterGroups(podNode, this.filter())) {
      if (group.kind !== 'clusterGroup') continue;
      const found = clusterNodes(group).find((c) => c.cluster.name === cluster);
      if (found) return found;
    }
    return undefined;
  }

  /** The namespace node under `context` as the model lists it (not filtered), without touching the view's nodes. */
  async findNamespace(context: string, namespace: string): Promise<NamespaceNode | undefined> {
    const contextNode = this.model.contexts().find((n): n is ContextNode => n.kind === 'context' && n.context === context);
    return contextNode && (await this.model.namespaces(contextNode)).find((n): n is NamespaceNode => n.kind === 'namespace' && n.namespace === namespace);
  }

  dispose(): void {
    clearInterval(this.tick);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private marks(): RowMarks {
    const badges = this.model.badges;
    return {
      namespace: (key) => badges.namespace(key),
      pod: (node) => badges.pod(node.pod),
      raised: (node) => this.raised.forPod(node.pod),
      nowMs: Date.now(),
    };
  }

  private async namespacesOf(node: ContextNode): Promise<MeshNode[]> {
    const cached = this.refilter.delete(node.context) ? this.listedNamespaces.get(node.context) : undefined;
    if (cached) return cached;
    const listed = await this.model.namespaces(node);
    this.listedNamespaces.set(node.context, listed);
    return listed;
  }

  /** With the filter on: namespaces with problems, and those whose scan is not complete (they may have some). */
  private filterNamespaces(nodes: MeshNode[]): MeshNode[] {
    if (!this.problemsOnly) return nodes;
    return nodes.filter((n) => {
      if (n.kind !== 'namespace') return true;
      const badge = this.model.badges.namespace(namespaceKey(n));
      return badge !== undefined && (hasProblems(badge.summary) || badge.scanned < badge.meshed);
    });
  }

  /** With the filter on: pods with problems or raised log levels, and meshed pods not scanned yet. */
  private filterPods(nodes: MeshNode[]): MeshNode[] {
    if (!this.problemsOnly) return nodes;
    return nodes.filter((n) => {
      if (n.kind !== 'pod') return true;
      if (!n.summary.sidecar) return false;
      const badge = this.model.badges.pod(n.pod);
      return badge === undefined ? n.summary.phase === 'Running' : hasProblems(badge.summary) || this.raised.forPod(n.pod) !== undefined;
    });
  }

  private filter(): ClusterFilter | null {
    if (!this.problemsOnly) return null;
    const minimum = this.minimum;
    return (row, rates) => clusterVerdict(row, rates, minimum).severity !== 'ok';
  }

  private latest(node: MeshNode): MeshNode {
    if (node.kind === 'namespace') return this.model.namespace(node);
    if (node.kind === 'pod') return this.model.pod(node);
    return node;
  }

  private remember(children: MeshNode[], namespace?: string): MeshNode[] {
    if (namespace !== undefined) {
      const pods = new Map<string, PodNode>();
      for (const c of children) if (c.kind === 'pod') pods.set(podKey(c.pod), c);
      this.shownPods.set(namespace, pods);
    } else {
      for (const c of children) if (c.kind === 'namespace') this.shownNamespaces.set(namespaceKey(c), c);
    }
    return children;
  }

  /** Re-renders the shown pods that `which` picks; loaded clusters come from the model's cache (no admin request). */
  private rerenderPods(which: (pod: PodNode) => boolean): void {
    for (const pods of this.shownPods.values()) for (const pod of pods.values()) if (which(pod)) this.changed.fire(pod);
  }

  private badgesChanged(namespaces: BadgeChange): void {
    const contexts = new Set<string>();
    for (const key of namespaces) {
      const shown = this.shownNamespaces.get(key);
      if (shown) {
        contexts.add(shown.context);
        // Firing the namespace re-renders it and, when expanded, its pods (from the watch: no request).
        this.changed.fire(shown);
      }
    }
    if (!this.problemsOnly) return;
    // The filter may now hide or show namespaces: re-filter the contexts' last listing.
    for (const context of contexts) {
      const node = this.shownContexts.get(context);
      if (!node) continue;
      this.refilter.add(context);
      this.changed.fire(node);
    }
  }

  private modelChanged(change: MeshChange): void {
    if (change.scope === 'all') {
      this.shownContexts.clear();
      this.listedNamespaces.clear();
      this.refilter.clear();
      this.shownNamespaces.clear();
      this.shownPods.clear();
      this.changed.fire(undefined);
      return;
    }
    if (change.scope === 'namespace') {
      const shown = this.shownNamespaces.get(change.key);
      if (shown) this.changed.fire(shown);
      return;
    }
    const shown = this.shownPods.get(change.namespace)?.get(change.key);
    if (shown) this.changed.fire(shown);
  }
}
