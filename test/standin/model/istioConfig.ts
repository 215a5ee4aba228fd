/**
 * The Istio configuration the stand-in's control plane holds: DestinationRules
 * (`networking.istio.io/v1`) and the `istio` ConfigMap's mesh config in istio-system. What it
 * decides for a sidecar is the connect timeout of the identity-provider cluster, as istiod would:
 * a DestinationRule for the host (the pod's namespace first, then the root namespace, then any
 * other), else the mesh config's `connectTimeout`, else what the scenario gave the pod. Writes go
 * through MeshModel.changeIstioConfig, which delivers them to the sidecars.
 */

import { parse } from 'yaml';
import { parseDuration } from '../../../src/core/duration';

export const IDENTITY_HOST_NAME = 'idp.example.com';
export const ROOT_NAMESPACE = 'istio-system';
export const MESH_CONFIG_MAP = 'istio';

type Json = Record<string, unknown>;

/** A stored object as the API returns it. */
export interface StoredObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: Json & { name: string; namespace: string; uid: string; resourceVersion: string; creationTimestamp: string; generation?: number };
  readonly spec?: Json;
  readonly data?: Record<string, string>;
}

/** A write the API refuses, with the Status it answers. */
export class InvalidObjectError extends Error {
  constructor(
    message: string,
    readonly code: 400 | 409 | 422 = 422,
  ) {
    super(message);
  }
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function tcpConnectTimeout(spec: Json | undefined): unknown {
  const pool = isObject(spec?.trafficPolicy) ? (spec.trafficPolicy as Json).connectionPool : undefined;
  return isObject(pool) && isObject(pool.tcp) ? pool.tcp.connectTimeout : undefined;
}

/** A duration as Istio's validation takes it (`1s`, `500ms`, at least 1 ms), or an InvalidObjectError. */
function checkedDuration(value: unknown, field: string): string {
  const parsed = parseDuration(value);
  if (typeof value !== 'string' || !parsed.ok || parsed.seconds < 0.001) throw new InvalidObjectError(`${field}: Invalid value: ${JSON.stringify(value)}: duration must be at least 1ms`);
  return value;
}

export class IstioConfigStore {
  private readonly rules = new Map<string, StoredObject>();
  private meshMap: StoredObject | null = null;

  constructor(private readonly nextRv: () => number, private readonly now: () => number) {}

  destinationRules(namespace: string | null): StoredObject[] {
    return [...this.rules.values()].filter((r) => namespace === null || r.metadata.namespace === namespace).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  }

  destinationRule(namespace: string, name: string): StoredObject | undefined {
    return this.rules.get(`${namespace}/${name}`);
  }

  meshConfigMap(): StoredObject | null {
    return this.meshMap;
  }

  private stamp(input: Json, kind: string, apiVersion: string, namespace: string, previous: StoredObject | undefined | null): StoredObject {
    const meta = isObject(input.metadata) ? input.metadata : {};
    const name = meta.name;
    if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) throw new InvalidObjectError(`metadata.name: Invalid value: ${JSON.stringify(name)}`);
    if (meta.namespace !== undefined && meta.namespace !== namespace) throw new InvalidObjectError('the namespace of the provided object does not match the namespace sent on the request', 400);
    const created = previous?.metadata.creationTimestamp ?? new Date(this.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const uid = previous?.metadata.uid ?? `${kind.toLowerCase()}-${namespace}-${name}-${this.nextRv()}`;
    return {
      ...input,
      apiVersion,
      kind,
      metadata: { ...meta, name, namespace, uid, resourceVersion: String(this.nextRv()), creationTimestamp: created, generation: (previous?.metadata.generation ?? 0) + 1 },
    } as StoredObject;
  }

  /** Creates or replaces a DestinationRule after the checks Istio's validation makes of what the stand-in reads. */
  putDestinationRule(namespace: string, input: Json, mustExist: boolean | null): StoredObject {
    const spec = isObject(input.spec) ? input.spec : undefined;
    if (!spec || typeof spec.host !== 'string' || spec.host === '') throw new InvalidObjectError('spec.host: Required value: host is required');
    const timeout = tcpConnectTimeout(spec);
    if (timeout !== undefined) checkedDuration(timeout, 'spec.trafficPolicy.connectionPool.tcp.connectTimeout');
    const name = isObject(input.metadata) ? String(input.metadata.name) : '';
    const previous = this.rules.get(`${namespace}/${name}`);
    if (mustExist === true && !previous) throw new InvalidObjectError(`destinationrules.networking.istio.io "${name}" not found`, 400);
    if (mustExist === false && previous) throw new InvalidObjectError(`destinationrules.networking.istio.io "${name}" already exists`, 409);
    const stored = this.stamp(input, 'DestinationRule', 'networking.istio.io/v1', namespace, previous);
    this.rules.set(`${namespace}/${stored.metadata.name}`, stored);
    return stored;
  }

  deleteDestinationRule(namespace: string, name: string): StoredObject | undefined {
    const r = this.rules.get(`${namespace}/${name}`);
    this.rules.delete(`${namespace}/${name}`);
    return r;
  }

  /** Creates or replaces the `istio` ConfigMap of istio-system; its `mesh` key must be YAML with a valid connectTimeout. */
  putMeshConfigMap(input: Json): StoredObject {
    const data = isObject(input.data) ? input.data : {};
    const mesh = data.mesh;
    if (mesh !== undefined) {
      let parsed: unknown;
      try {
        parsed = parse(String(mesh));
      } catch (err) {
        throw new InvalidObjectError(`data.mesh: not YAML: ${(err as Error).message}`);
      }
      if (isObject(parsed) && parsed.connectTimeout !== undefined) checkedDuration(parsed.connectTimeout, 'data.mesh.connectTimeout');
    }
    this.meshMap = this.stamp(input, 'ConfigMap', 'v1', ROOT_NAMESPACE, this.meshMap);
    return this.meshMap;
  }

  /** The identity cluster's connect timeout for a sidecar in `namespace`, or null when no Istio config sets one. */
  identityConnectTimeout(namespace: string): string | null {
    const forHost = [...this.rules.values()].filter((r) => r.spec?.host === IDENTITY_HOST_NAME && tcpConnectTimeout(r.spec) !== undefined);
    const rank = (r: StoredObject) => (r.metadata.namespace === namespace ? 0 : r.metadata.namespace === ROOT_NAMESPACE ? 1 : 2);
    forHost.sort((a, b) => rank(a) - rank(b) || (a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : 1));
    if (forHost.length > 0) return String(tcpConnectTimeout(forHost[0]!.spec));
    const mesh = this.meshMap?.data?.mesh;
    if (mesh === undefined) return null;
    const parsed: unknown = parse(mesh);
    return isObject(parsed) && typeof parsed.connectTimeout === 'string' ? parsed.connectTimeout : null;
  }
}
