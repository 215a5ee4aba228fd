import { LabelSelectorError, matchesLabels, parseLabelSelector, parsePodFieldSelector } from '../model/labelSelector';
import { type NamespaceRecord } from '../model/meshModel';
import { type WorkloadKind } from '../model/types';
import { BadContinueError, type Page, listBody, paginate } from './paging';
import { type PodRecord } from '../model/podRecord';
import { podTable, wantsTable } from './podTable';
import { type ApiRequest, boolParam, intParam } from './request';
import { kubeStatus, sendJson, sendStatus } from './status';
import { type PodFilter, podMatches, servePodWatch } from './watch';

const APPS_KINDS: Record<string, WorkloadKind> = {
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
};

/** Runs `fn`, turning bad selectors and continue tokens into 400 Status answers. */
function withBadRequest(r: ApiRequest, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof LabelSelectorError || err instanceof BadContinueError) sendStatus(r.res, kubeStatus(400, err.message));
    else throw err;
  }
}

function namespaceJson(ns: NamespaceRecord): Record<string, unknown> {
  return {
    metadata: { name: ns.name, uid: ns.uid, resourceVersion: String(ns.resourceVersion), creationTimestamp: new Date(ns.createdMs).toISOString().replace(/\.\d+Z$/, 'Z'), labels: ns.labels },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export function listNamespaces(r: ApiRequest): void {
  withBadRequest(r, () => {
    const selector = parseLabelSelector(r.query.get('labelSelector'));
    const items = [...r.model.namespaces.values()]
      .filter((ns) => matchesLabels(selector, ns.labels))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const page = paginate(items, (ns) => ns.name, r.model.resourceVersion, intParam(r.query, 'limit'), r.query.get('continue'));
    sendJson(r.res, 200, listBody('NamespaceList', 'v1', { ...page, items: page.items.map(namespaceJson) }));
  });
}

export function getNamespace(r: ApiRequest, name: string): void {
  const ns = r.model.namespaces.get(name);
  if (!ns) return sendStatus(r.res, kubeStatus(404, `namespaces "${name}" not found`, { name, kind: 'namespaces' }));
  sendJson(r.res, 200, { kind: 'Namespace', apiVersion: 'v1', ...namespaceJson(ns) });
}

/** GET pods (one namespace or all): a page of the PodList, or a watch stream. */
export function listPods(r: ApiRequest, namespace: string | null): void {
  withBadRequest(r, () => {
    const filter: PodFilter = {
      namespace,
      labels: parseLabelSelector(r.query.get('labelSelector')),
      fields: parsePodFieldSelector(r.query.get('fieldSelector')),
    };
    if (boolParam(r.query, 'watch')) return servePodWatch(r, filter);
    const pods = r.model.listPods(namespace);
    const matching = filter.labels.length || r.query.get('fieldSelector') ? pods.filter((p) => podMatches(filter, p)) : pods;
    const page = paginate(matching, (p) => p.key, r.model.resourceVersion, intParam(r.query, 'limit'), r.query.get('continue'));
    if (wantsTable(r.req.headers.accept)) return sendJson(r.res, 200, podTable(page.items, page.resourceVersion, r.model.clock.now(), page.continueToken));
    sendPodList(r, page);
  });
}

/**
 * A PodList written in ~1 MiB chunks of cached pod texts: 10,000 pods are ~40 MB of JSON, and one
 * JSON.stringify of that would stall the server and churn memory.
 */
function sendPodList(r: ApiRequest, page: Page<PodRecord>): void {
  const head = JSON.stringify(listBody('PodList', 'v1', { ...page, items: [] }));
  r.res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  let chunk = head.slice(0, -2);
  page.items.forEach((pod, i) => {
    chunk += (i ? ',' : '') + pod.toJsonText();
    if (chunk.length > 1 << 20) {
      r.res.write(chunk);
      chunk = '';
    }
  });
  r.res.end(chunk + ']}');
}

export function getPod(r: ApiRequest, namespace: string, name: string): void {
  const pod = r.model.getPod(namespace, name);
  if (!pod) return sendStatus(r.res, kubeStatus(404, `pods "${name}" not found`, { name, kind: 'pods' }));
  if (wantsTable(r.req.headers.accept)) return sendJson(r.res, 200, podTable([pod], pod.resourceVersion, r.model.clock.now()));
  sendJson(r.res, 200, { kind: 'Pod', apiVersion: 'v1', ...pod.toJson() });
}

export function deletePod(r: ApiRequest, namespace: string, name: string): void {
  const pod = r.model.getPod(namespace, name);
  if (!pod) return sendStatus(r.res, kubeStatus(404, `pods "${name}" not found`, { name, kind: 'pods' }));
  r.model.deletePod(namespace, name);
  sendJson(r.res, 200, { kind: 'Pod', apiVersion: 'v1', ...pod.toJson() });
}

/** GET /apis/apps/v1/[namespaces/NS/]RESOURCE[/NAME] */
export function serveApps(r: ApiRequest, resource: string, namespace: string | null, name: string | null): void {
  const kind = APPS_KINDS[resource];
  if (!kind) return sendStatus(r.res, kubeStatus(404, 'the server could not find the requested resource', undefined, 'NotFound'));
  if (name !== null) {
    const w = namespace ? r.model.getWorkload(kind, namespace, name) : undefined;
    if (!w) return sendStatus(r.res, kubeStatus(404, `${resource}.apps "${name}" not found`, { name, group: 'apps', kind: resource }));
    return sendJson(r.res, 200, { kind, apiVersion: 'apps/v1', ...w.toJson() });
  }
  withBadRequest(r, () => {
    const selector = parseLabelSelector(r.query.get('labelSelector'));
    const items = r.model.listWorkloads(kind, namespace).filter((w) => matchesLabels(selector, w.input.labels));
    const page = paginate(items, (w) => w.key, r.model.resourceVersion, intParam(r.query, 'limit'), r.query.get('continue'));
    sendJson(r.res, 200, listBody(`${kind}List`, 'apps/v1', { ...page, items: page.items.map((w) => w.toJson()) }));
  });
}
