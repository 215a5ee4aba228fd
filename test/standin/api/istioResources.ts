/**
 * The writes a cluster accepts for the Istio configuration behind the incident, so a test (or a
 * user trying the demo) can apply a fix the way they would on a real mesh: `kubectl apply -f` of a
 * `networking.istio.io/v1` DestinationRule, or of the `istio` ConfigMap in istio-system. A write
 * changes the affected sidecars' config dumps after istiod's push delay (MeshModel.istioConfigChanged).
 *
 * Verbs: get, list, create (POST), replace (PUT), patch (merge-patch, strategic-merge-patch: the
 * same for these objects' fields, and server-side apply as a whole-object write), delete.
 */

import type { IncomingMessage } from 'node:http';
import { parse } from 'yaml';
import { InvalidObjectError, MESH_CONFIG_MAP, ROOT_NAMESPACE, type StoredObject } from '../model/istioConfig';
import { type ApiRequest } from './request';
import { kubeStatus, sendJson, sendStatus } from './status';

type Json = Record<string, unknown>;

export const ISTIO_NETWORKING_GROUP = 'networking.istio.io';
const MAX_BODY = 1024 * 1024;

/** The APIResourceList of networking.istio.io/v1 (only what the stand-in serves). */
export function istioNetworkingResources(): unknown {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: `${ISTIO_NETWORKING_GROUP}/v1`,
    resources: [{ name: 'destinationrules', singularName: 'destinationrule', namespaced: true, kind: 'DestinationRule', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['dr'], categories: ['istio-io', 'networking-istio-io'] }],
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new InvalidObjectError('request body over 1 MiB', 400);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Json = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

async function bodyObject(r: ApiRequest): Promise<Json> {
  const text = await readBody(r.req);
  let value: unknown;
  try {
    // Server-side apply sends YAML; everything else JSON (which YAML also reads).
    value = parse(text);
  } catch (err) {
    throw new InvalidObjectError(`the body is not JSON or YAML: ${(err as Error).message}`, 400);
  }
  if (!isObject(value)) throw new InvalidObjectError('the body must be an object', 400);
  return value;
}

interface Kind {
  readonly get: (namespace: string, name: string) => StoredObject | undefined | null;
  readonly put: (namespace: string, body: Json, mustExist: boolean | null) => StoredObject;
  readonly notFound: (name: string) => string;
}

/** A write: create, replace or patch of `name` (null for a POST to the collection). */
async function write(r: ApiRequest, kind: Kind, namespace: string, name: string | null): Promise<void> {
  const method = r.req.method ?? 'GET';
  const body = await bodyObject(r);
  const contentType = (r.req.headers['content-type'] ?? '').split(';')[0]!.trim();
  let object: Json;
  let mustExist: boolean | null;
  if (method === 'PATCH') {
    const current = kind.get(namespace, name!);
    if (contentType === 'application/apply-patch+yaml') {
      object = body;
      mustExist = null;
    } else if (contentType === 'application/merge-patch+json' || contentType === 'application/strategic-merge-patch+json') {
      if (!current) return sendStatus(r.res, kubeStatus(404, kind.notFound(name!), { name }));
      object = mergePatch(current, body) as Json;
      mustExist = true;
    } else {
      return sendStatus(r.res, kubeStatus(415, `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml`, undefined, 'UnsupportedMediaType'));
    }
  } else {
    object = body;
    mustExist = method === 'PUT' ? true : false;
  }
  const meta = isObject(object.metadata) ? object.metadata : {};
  if (name !== null && meta.name !== undefined && meta.name !== name) throw new InvalidObjectError('the name of the object does not match the name on the URL', 400);
  const stored = r.model.changeIstioConfig(() => kind.put(namespace, { ...object, metadata: { ...meta, name: meta.name ?? name } }, mustExist));
  sendJson(r.res, method === 'POST' ? 201 : 200, stored);
}

const DR_PATH = /^\/apis\/networking\.istio\.io\/v1(?:\/namespaces\/([a-z0-9-]+))?\/destinationrules(?:\/([a-z0-9.-]+))?$/;
const CM_PATH = /^\/api\/v1\/namespaces\/([a-z0-9-]+)\/configmaps(?:\/([a-z0-9.-]+))?$/;

/** Serves the Istio resources; false when the path is none of theirs. */
export async function serveIstioResources(r: ApiRequest): Promise<boolean> {
  const path = r.url.pathname;
  const method = r.req.method ?? 'GET';
  const store = r.model.istio;
  if (path === `/apis/${ISTIO_NETWORKING_GROUP}/v1` || path === `/apis/${ISTIO_NETWORKING_GROUP}/v1/`) {
    sendJson(r.res, 200, istioNetworkingResources());
    return true;
  }
  const dr = DR_PATH.exec(path);
  const cm = dr ? null : CM_PATH.exec(path);
  if (!dr && !cm) return false;
  try {
    if (dr) {
      const [, namespace, name] = dr;
      const kind: Kind = {
        get: (ns, n) => store.destinationRule(ns, n),
        put: (ns, body, mustExist) => store.putDestinationRule(ns, body, mustExist),
        notFound: (n) => `destinationrules.networking.istio.io "${n}" not found`,
      };
      if (method === 'GET' && !name) {
        sendJson(r.res, 200, { apiVersion: `${ISTIO_NETWORKING_GROUP}/v1`, kind: 'DestinationRuleList', metadata: { resourceVersion: String(r.model.resourceVersion) }, items: store.destinationRules(namespace ?? null) });
      } else if (!namespace) {
        sendStatus(r.res, kubeStatus(405, 'the server does not allow this method on the requested resource'));
      } else if (method === 'GET') {
        const found = store.destinationRule(namespace, name!);
        if (found) sendJson(r.res, 200, found);
        else sendStatus(r.res, kubeStatus(404, kind.notFound(name!), { name, group: ISTIO_NETWORKING_GROUP, kind: 'destinationrules' }));
      } else if (method === 'DELETE') {
        const gone = store.destinationRule(namespace, name!) ? r.model.changeIstioConfig((s) => s.deleteDestinationRule(namespace, name!)) : undefined;
        if (gone) sendJson(r.res, 200, gone);
        else sendStatus(r.res, kubeStatus(404, kind.notFound(name!), { name, group: ISTIO_NETWORKING_GROUP, kind: 'destinationrules' }));
      } else if ((method === 'POST' && !name) || ((method === 'PUT' || method === 'PATCH') && name)) {
        await write(r, kind, namespace, name ?? null);
      } else {
        sendStatus(r.res, kubeStatus(405, 'the server does not allow this method on the requested resource'));
      }
      return true;
    }
    const [, namespace, name] = cm!;
    const notFound = (n: string) => `configmaps "${n}" not found`;
    if (namespace !== ROOT_NAMESPACE || (name !== undefined && name !== MESH_CONFIG_MAP)) {
      // The stand-in keeps only the mesh config's ConfigMap.
      if (method === 'GET' && !name) sendJson(r.res, 200, { apiVersion: 'v1', kind: 'ConfigMapList', metadata: { resourceVersion: String(r.model.resourceVersion) }, items: [] });
      else sendStatus(r.res, kubeStatus(name ? 404 : 403, name ? notFound(name) : `the stand-in stores only the ${MESH_CONFIG_MAP} ConfigMap of ${ROOT_NAMESPACE}`, { name, kind: 'configmaps' }));
      return true;
    }
    const kind: Kind = {
      get: () => store.meshConfigMap(),
      put: (_ns, body, mustExist) => {
        if (mustExist === true && !store.meshConfigMap()) throw new InvalidObjectError(notFound(MESH_CONFIG_MAP), 400);
        if (mustExist === false && store.meshConfigMap()) throw new InvalidObjectError(`configmaps "${MESH_CONFIG_MAP}" already exists`, 409);
        return store.putMeshConfigMap(body);
      },
      notFound,
    };
    const current = store.meshConfigMap();
    if (method === 'GET' && !name) sendJson(r.res, 200, { apiVersion: 'v1', kind: 'ConfigMapList', metadata: { resourceVersion: String(r.model.resourceVersion) }, items: current ? [current] : [] });
    else if (method === 'GET') {
      if (current) sendJson(r.res, 200, current);
      else sendStatus(r.res, kubeStatus(404, notFound(MESH_CONFIG_MAP), { name, kind: 'configmaps' }));
    } else if ((method === 'POST' && !name) || ((method === 'PUT' || method === 'PATCH') && name)) await write(r, kind, namespace, name ?? null);
    else sendStatus(r.res, kubeStatus(405, 'the server does not allow this method on the requested resource'));
  } catch (err) {
    if (!(err instanceof InvalidObjectError)) throw err;
    const reason = err.code === 409 ? 'AlreadyExists' : err.code === 400 ? 'BadRequest' : 'Invalid';
    sendStatus(r.res, kubeStatus(err.code, err.message, undefined, reason));
  }
  return true;
}
