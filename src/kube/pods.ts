import { k8s, type ClientNode } from './clientNode';
import { getRaw, toKubeAccessError, type KubeClients } from './clients';
import { check } from './remedy';
import { KubeAccessError, type PodRef } from './types';

/** The subset of the raw pod JSON the explorer reads (same field names as client-node's V1Pod). */
export type RawPod = ClientNode.V1Pod;

export interface PodPage {
  readonly items: RawPod[];
  /** 0-based page number. */
  readonly index: number;
  /** The list's resourceVersion, for starting a watch right after the listing. */
  readonly resourceVersion: string;
}

export interface ListPodsOptions {
  /** Pods per request (the API server's `limit`); kubectl uses 500. */
  readonly limit?: number;
  readonly labelSelector?: string;
  readonly signal?: AbortSignal;
}

interface RawPodList {
  metadata?: { continue?: string; resourceVersion?: string };
  items?: RawPod[];
}

export const DEFAULT_PAGE_SIZE = 500;

function podsPath(namespace: string | null): string {
  return namespace === null ? '/api/v1/pods' : `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
}

/**
 * Lists pods page by page (`limit` + `continue`), handing each page to `onPage` before the next is
 * requested, so memory holds one page of JSON at a time however big the cluster is. The raw JSON
 * is parsed without client-node's per-field deserialization, which dominates the cost of a large
 * listing. `namespace` null lists all namespaces. Resolves with the count and resourceVersion.
 */
export async function listPodsPaged(
  clients: KubeClients,
  namespace: string | null,
  onPage: (page: PodPage) => void | Promise<void>,
  options: ListPodsOptions = {},
): Promise<{ count: number; pages: number; resourceVersion: string }> {
  const limit = options.limit ?? DEFAULT_PAGE_SIZE;
  const action = namespace === null ? 'list pods in all namespaces' : `list pods in namespace ${namespace}`;
  let token: string | undefined;
  let count = 0;
  let index = 0;
  let resourceVersion = '';
  do {
    const query = new URLSearchParams({ limit: String(limit) });
    if (token) query.set('continue', token);
    if (options.labelSelector) query.set('labelSelector', options.labelSelector);
    const body = await getRaw(clients, `${podsPath(namespace)}?${query}`, action, options.signal);
    let list: RawPodList;
    try {
      list = JSON.parse(body) as RawPodList;
    } catch {
      throw new KubeAccessError(`cannot ${action}: the API server's answer is not JSON`, check('check that the kubeconfig points at a Kubernetes API server (not a proxy or login page)'));
    }
    const items = list.items ?? [];
    resourceVersion = list.metadata?.resourceVersion ?? resourceVersion;
    await onPage({ items, index, resourceVersion });
    count += items.length;
    index++;
    token = list.metadata?.continue || undefined;
  } while (token && !options.signal?.aborted);
  return { count, pages: index, resourceVersion };
}

export type PodEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; pod: RawPod };

export interface PodWatchOptions {
  readonly namespace: string | null;
  /** Called for every change after the initial state. */
  readonly onEvent: (event: PodEvent) => void;
  /** Called after a (re)list: the complete current set, replacing whatever was known. */
  readonly onSync: (pods: RawPod[]) => void;
  /** Called when the watch fails; it keeps retrying with backoff until disposed. */
  readonly onError: (error: KubeAccessError) => void;
  /** First retry delay; doubles up to 30 s. */
  readonly initialBackoffMs?: number;
}

export interface PodWatch {
  dispose(): void;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Follows the pods of a namespace (or all): list, then watch from the list's resourceVersion.
 * When the watch ends or fails (timeouts, 410 Gone, a dropped connection) it lists again after a
 * backoff that doubles up to 30 s and resets once a watch delivered events, so a flapping API
 * server is not hammered and the tree still converges.
 */
export function watchPods(clients: KubeClients, options: PodWatchOptions): PodWatch {
  const initial = options.initialBackoffMs ?? 1000;
  let backoff = initial;
  let disposed = false;
  let controller: AbortController | null = null;
  let timer: NodeJS.Timeout | null = null;
  const action = options.namespace === null ? 'watch pods in all namespaces' : `watch pods in namespace ${options.namespace}`;

  const retry = (err: unknown) => {
    if (disposed) return;
    if (err) options.onError(toKubeAccessError(err, action, clients.server));
    timer = setTimeout(() => void cycle(), backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };

  const cycle = async () => {
    timer = null;
    if (disposed) return;
    const pods: RawPod[] = [];
    let resourceVersion: string;
    const listing = new AbortController();
    controller = listing;
    try {
      ({ resourceVersion } = await listPodsPaged(clients, options.namespace, (page) => void pods.push(...page.items), { signal: listing.signal }));
    } catch (err) {
      return retry(err);
    }
    if (disposed) return;
    options.onSync(pods);
    let delivered = false;
    try {
      controller = await new k8s.Watch(clients.kubeConfig).watch(
        options.namespace === null ? '/api/v1/pods' : `/api/v1/namespaces/${encodeURIComponent(options.namespace)}/pods`,
        { resourceVersion, allowWatchBookmarks: true },
        (type, obj: RawPod) => {
          if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
            delivered = true;
            backoff = initial;
            options.onEvent({ type, pod: obj });
          }
        },
        (err: unknown) => {
          // A watch that ran and ended normally is restarted promptly; a failing one backs off.
          if (!err && delivered) backoff = initial;
          retry(err);
        },
      );
      if (disposed) controller.abort();
    } catch (err) {
      retry(err);
    }
  };

  void cycle();
  return {
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      controller?.abort();
    },
  };
}

/**
 * Reads one pod. Every feature and CLI command reads a pod through this, so a failure is worded one
 * way: what could not be done, with the pod named (`cannot get pod X in namespace Y: …`).
 */
export async function readPod(clients: KubeClients, pod: PodRef): Promise<RawPod> {
  try {
    return await clients.core.readNamespacedPod({ name: pod.name, namespace: pod.namespace });
  } catch (err) {
    throw toKubeAccessError(err, `get pod ${pod.name} in namespace ${pod.namespace}`, clients.server);
  }
}
