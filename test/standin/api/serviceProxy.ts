import * as http from 'node:http';
import { type ApiRequest } from './request';
import { kubeStatus, sendStatus } from './status';
import { type MeshModel } from '../model/meshModel';

/**
 * The API server's service proxy (`/api/v1/namespaces/NS/services/[SCHEME:]NAME[:PORT]/proxy/…`)
 * for the Services the stand-in backs with a real loopback server (the real Prometheus). As
 * kube-apiserver does, the caller's Authorization header is not passed on.
 */
export interface ProxiedService {
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
}

const backends = new WeakMap<MeshModel, Map<string, string>>();

const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;

/** Makes `namespace/name` (port `port`, by number or as `http`) reach `targetUrl`; returns the undo. */
export function registerServiceProxy(model: MeshModel, service: ProxiedService, targetUrl: string): () => void {
  let map = backends.get(model);
  if (!map) backends.set(model, (map = new Map()));
  map.set(keyOf(service.namespace, service.name), `${service.port} ${targetUrl}`);
  return () => map.delete(keyOf(service.namespace, service.name));
}

/** `[scheme:]name[:port]` as kube-apiserver parses a service-proxy name (net.SplitSchemeNamePort). */
function splitSchemeNamePort(id: string): { name: string; port: string } | null {
  const parts = id.split(':');
  if (parts.length === 1) return { name: parts[0], port: '' };
  if (parts.length === 2) return { name: parts[0], port: parts[1] };
  if (parts.length === 3 && (parts[0] === 'http' || parts[0] === 'https')) return { name: parts[1], port: parts[2] };
  return null;
}

export function serveServiceProxy(r: ApiRequest, namespace: string, serviceId: string, rest: string): void {
  const parsed = splitSchemeNamePort(decodeURIComponent(serviceId));
  if (!parsed) return sendStatus(r.res, kubeStatus(400, `invalid service request "${serviceId}"`, undefined, 'BadRequest'));
  const backend = backends.get(r.model)?.get(keyOf(namespace, parsed.name));
  if (!backend) return sendStatus(r.res, kubeStatus(404, `services "${parsed.name}" not found`, { kind: 'services', name: parsed.name }, 'NotFound'));
  const [port, target] = backend.split(' ');
  if (parsed.port !== '' && parsed.port !== port && parsed.port !== 'http' && parsed.port !== 'web') {
    return sendStatus(r.res, kubeStatus(503, `no endpoints available for service "${parsed.name}"`, { kind: 'services', name: parsed.name }, 'ServiceUnavailable'));
  }
  const url = new URL(`${rest || '/'}${r.url.search}`, target);
  const headers = { ...r.req.headers };
  delete headers.authorization;
  delete headers.host;
  const upstream = http.request(url, { method: r.req.method, headers }, (res) => {
    r.res.writeHead(res.statusCode ?? 502, res.headers);
    res.pipe(r.res);
  });
  upstream.on('error', (err) => {
    if (!r.res.headersSent) sendStatus(r.res, kubeStatus(503, `error trying to reach service: ${err.message}`, undefined, 'ServiceUnavailable'));
    else r.res.destroy(err);
  });
  r.req.pipe(upstream);
}
