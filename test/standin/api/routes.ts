import { apiGroupList, apiVersions, appsResources, coreResources, versionInfo } from './discovery';
import { servePodLog } from './logs';
import { type ApiRequest } from './request';
import { deletePod, getNamespace, getPod, listNamespaces, listPods, serveApps } from './resources';
import { kubeStatus, sendJson, sendStatus } from './status';
import { type RequestScope } from '../model/faults';
import { serveServiceProxy } from './serviceProxy';

type Handler = (r: ApiRequest, m: RegExpExecArray) => void;

interface Route {
  readonly method: 'GET' | 'DELETE';
  readonly pattern: RegExp;
  readonly scope: (m: RegExpExecArray, query: URLSearchParams) => RequestScope;
  readonly handle: Handler;
}

const SEG = '([a-z0-9]([-a-z0-9.]*[a-z0-9])?)';
const cluster = (): RequestScope => ({ verb: 'discovery' });
const listOrWatch = (q: URLSearchParams): RequestScope['verb'] => (q.get('watch') === 'true' || q.get('watch') === '1' ? 'watch' : 'list');

/** The Kubernetes API paths the stand-in serves (exec and port-forward are WebSocket upgrades). */
export const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: /^\/version\/?$/, scope: cluster, handle: (r) => sendJson(r.res, 200, versionInfo()) },
  { method: 'GET', pattern: /^\/(healthz|livez|readyz)$/, scope: cluster, handle: (r) => r.res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok') },
  { method: 'GET', pattern: /^\/api\/?$/, scope: cluster, handle: (r) => sendJson(r.res, 200, apiVersions(r.url.host)) },
  { method: 'GET', pattern: /^\/apis\/?$/, scope: cluster, handle: (r) => sendJson(r.res, 200, apiGroupList()) },
  { method: 'GET', pattern: /^\/api\/v1\/?$/, scope: cluster, handle: (r) => sendJson(r.res, 200, coreResources()) },
  { method: 'GET', pattern: /^\/apis\/apps\/v1\/?$/, scope: cluster, handle: (r) => sendJson(r.res, 200, appsResources()) },
  { method: 'GET', pattern: /^\/api\/v1\/namespaces$/, scope: (_m, q) => ({ verb: listOrWatch(q) }), handle: (r) => listNamespaces(r) },
  { method: 'GET', pattern: new RegExp(`^/api/v1/namespaces/${SEG}$`), scope: () => ({ verb: 'get' }), handle: (r, m) => getNamespace(r, m[1]) },
  { method: 'GET', pattern: /^\/api\/v1\/pods$/, scope: (_m, q) => ({ verb: listOrWatch(q) }), handle: (r) => listPods(r, null) },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/v1/namespaces/${SEG}/pods$`),
    scope: (m, q) => ({ verb: listOrWatch(q), namespace: m[1] }),
    handle: (r, m) => listPods(r, m[1]),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/v1/namespaces/${SEG}/pods/${SEG}$`),
    scope: (m) => ({ verb: 'get', namespace: m[1], pod: m[3] }),
    handle: (r, m) => getPod(r, m[1], m[3]),
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/api/v1/namespaces/${SEG}/pods/${SEG}$`),
    scope: (m) => ({ verb: 'delete', namespace: m[1], pod: m[3] }),
    handle: (r, m) => deletePod(r, m[1], m[3]),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/v1/namespaces/${SEG}/pods/${SEG}/log$`),
    scope: (m) => ({ verb: 'log', namespace: m[1], pod: m[3] }),
    handle: (r, m) => servePodLog(r, m[1], m[3]),
  },
  { method: 'GET', pattern: /^\/apis\/apps\/v1\/([a-z]+)$/, scope: (_m, q) => ({ verb: listOrWatch(q) }), handle: (r, m) => serveApps(r, m[1], null, null) },
  {
    method: 'GET',
    pattern: new RegExp(`^/apis/apps/v1/namespaces/${SEG}/([a-z]+)(?:/${SEG})?$`),
    scope: (m, q) => ({ verb: m[4] ? 'get' : listOrWatch(q), namespace: m[1] }),
    handle: (r, m) => serveApps(r, m[3], m[1], m[4] ?? null),
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/v1/namespaces/${SEG}/services/([^/]+)/proxy(/.*)?$`),
    scope: (m) => ({ verb: 'get', namespace: m[1] }),
    handle: (r, m) => serveServiceProxy(r, m[1], m[3], m[4] ?? ''),
  },
];

export function findRoute(method: string, path: string): { route: Route; match: RegExpExecArray } | 'method' | null {
  let pathMatched = false;
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    if (route.method === method) return { route, match };
    pathMatched = true;
  }
  return pathMatched ? 'method' : null;
}

export function notFound(r: ApiRequest): void {
  sendStatus(r.res, kubeStatus(404, 'the server could not find the requested resource', undefined, 'NotFound'));
}
