import * as vscode from 'vscode';
import type { PodRef } from '../kube/types';
import { clusterNodes, type ClusterFilter } from './clusterGroups';
import { needsAttention } from './clusterText';
import type { Subscription } from './events';
import type { MeshChange, MeshModel } from './meshModel';
import type { ConnectTimeoutMinimum } from '../core/connectTimeoutMinimum';
import { namespaceKey, podKey, type ClusterNode, type ContextNode, type MeshNode, type NamespaceNode, type PodNode } from './nodes';
import { toTreeItem } from './treeItems';

/**
 * The Mesh view over the mesh model. What is shown is decided here: the low-timeout filter and
 * the minimum that makes a timeout "low", both applied when rendering, so changing either sends no
 * admin request.
 *
 * VS Code refreshes an element by the object it was given, so the provider remembers the
 * namespace and pod objects it handed out and fires those when the model reports a change;
 * getTreeItem renders the model's latest snapshot of the same identity. getChildren is for the
 * view: other callers walk the model (see `findShownCluster`) so they never replace what the view
 * holds.
 */
export class MeshTreeProvider implements vscode.TreeDataProvider<MeshNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MeshNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly modelChanges: Subscription;
  /** The namespace objects the view holds, by namespaceKey. */
  private readonly shownNamespaces = new Map<string, NamespaceNode>();
  /** The pod objects the view holds, by namespaceKey, then podKey. */
  private readonly shownPods = new Map<string, Map<string, PodNode>>();
  private lowOnly = false;
  /** Read once per change of the setting, not once per tree item (a pod may have thousands of clusters). */
  private minimum: ConnectTimeoutMinimum;

  /** `readMinimum` gives the current low-timeout threshold (the configuration service's parsed setting). */
  constructor(
    private readonly model: MeshModel,
    private readonly readMinimum: () => ConnectTimeoutMinimum,
  ) {
    this.minimum = readMinimum();
    this.modelChanges = model.onDidChange((change) => this.modelChanged(change));
  }

  get lowTimeoutsOnly(): boolean {
    return this.lowOnly;
  }

  setLowTimeoutsOnly(on: boolean): void {
    this.lowOnly = on;
    this.rerenderClusters();
  }

  /** The threshold setting changed: loaded clusters are re-rendered against the new one. */
  minimumChanged(): void {
    this.minimum = this.readMinimum();
    this.rerenderClusters();
  }

  refresh(): void {
    this.model.refresh();
  }

  /** Called on onDidCollapseElement: the model stops what the hidden subtree would need. */
  collapsed(node: MeshNode): void {
    this.model.collapsed(node);
  }

  getTreeItem(node: MeshNode): vscode.TreeItem {
    return toTreeItem(this.latest(node), this.minimum);
  }

  getParent(node: MeshNode): MeshNode | undefined {
    if (node.kind === 'context') return undefined;
    const parent = node.parent ?? undefined;
    if (parent?.kind === 'namespace') return this.shownNamespaces.get(namespaceKey(parent)) ?? parent;
    if (parent?.kind === 'pod') return this.shownPods.get(namespaceKey(parent.pod))?.get(podKey(parent.pod)) ?? parent;
    return parent;
  }

  async getChildren(node?: MeshNode): Promise<MeshNode[]> {
    if (!node) return this.model.contexts();
    switch (node.kind) {
      case 'context':
        return this.remember(await this.model.namespaces(node));
      case 'namespace':
        return this.remember(await this.model.pods(node), namespaceKey(node));
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
    const find = <T extends MeshNode>(nodes: MeshNode[], match: (n: MeshNode) => n is T) => nodes.find(match);
    const context = find(this.model.contexts(), (n): n is ContextNode => n.kind === 'context' && n.context === pod.context);
    const namespace = context && find(await this.model.namespaces(context), (n): n is NamespaceNode => n.kind === 'namespace' && n.namespace === pod.namespace);
    const podNode = namespace && find(await this.model.pods(namespace), (n): n is PodNode => n.kind === 'pod' && n.pod.name === pod.name);
    if (!podNode) return undefined;
    for (const group of await this.model.clusterGroups(podNode, this.filter())) {
      if (group.kind !== 'clusterGroup') continue;
      const found = clusterNodes(group).find((c) => c.cluster.name === cluster);
      if (found) return found;
    }
    return undefined;
  }

  dispose(): void {
    this.modelChanges.dispose();
    this.changed.dispose();
  }

  private filter(): ClusterFilter | null {
    if (!this.lowOnly) return null;
    const { seconds } = this.minimum;
    return (row) => needsAttention(row, seconds);
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

  /** Re-renders the pods whose clusters are loaded, from the model's cache: no admin request is sent. */
  private rerenderClusters(): void {
    for (const pods of this.shownPods.values()) for (const pod of pods.values()) if (this.model.hasClusters(pod.pod)) this.changed.fire(pod);
  }

  private modelChanged(change: MeshChange): void {
    if (change.scope === 'all') {
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
