import { type EnvoyLogLevel } from './envoy/loggers';
import { type IdentityCallSchedule } from './logs/identityCalls';
import { type ActiveFault, type FaultSpec } from './model/faults';
import { MESH_CONFIG_MAP } from './model/istioConfig';
import { type MeshModel, type PodChange } from './model/meshModel';
import { type PodSpecInput } from './model/types';

/**
 * What tests do to the stand-in while it runs, in-process (`standIn.model`) or over HTTP under
 * /standin/v1/ (same operations, see api/control.ts). Every change shows up through the
 * Kubernetes API exactly as a real cluster would show it (watch events, logs, counters).
 */
export class StandInControl {
  constructor(readonly mesh: MeshModel) {}

  /**
   * Creates or replaces a `networking.istio.io/v1` DestinationRule, as `kubectl apply` would; the
   * sidecars get the change after istiod's push delay (2 to 5 s of virtual time).
   */
  applyDestinationRule(namespace: string, rule: Record<string, unknown>): Record<string, unknown> {
    return { ...this.mesh.changeIstioConfig((s) => s.putDestinationRule(namespace, rule, null)) };
  }

  /** Replaces the mesh config (the `mesh` key of the `istio` ConfigMap in istio-system), e.g. `connectTimeout: 10s`. */
  applyMeshConfig(mesh: string): Record<string, unknown> {
    return { ...this.mesh.changeIstioConfig((s) => s.putMeshConfigMap({ metadata: { name: MESH_CONFIG_MAP }, data: { mesh } })) };
  }

  /** Virtual now, epoch ms. */
  now(): number {
    return this.mesh.clock.now();
  }

  /** Moves virtual time forward: identity calls fail, counters rise, logs are written. */
  advance(ms: number): void {
    this.mesh.advance(ms);
  }

  addPod(input: PodSpecInput): Record<string, unknown> {
    return this.mesh.addPod(input).toJson();
  }

  deletePod(namespace: string, name: string): void {
    this.mesh.deletePod(namespace, name);
  }

  modifyPod(namespace: string, name: string, change: PodChange): Record<string, unknown> {
    return this.mesh.modifyPod(namespace, name, change).toJson();
  }

  restartPod(namespace: string, name: string, container?: string): Record<string, unknown> {
    return this.mesh.restartPod(namespace, name, container ?? null).toJson();
  }

  addFault(spec: FaultSpec): number {
    return this.mesh.faults.add(spec).id;
  }

  removeFault(id: number): boolean {
    return this.mesh.faults.remove(id);
  }

  clearFaults(): void {
    this.mesh.faults.clear();
  }

  faults(): readonly ActiveFault[] {
    return this.mesh.faults.list();
  }

  /** The pod's Envoy logger levels right now (changed by `POST /logging`). */
  envoyLogLevels(namespace: string, name: string): Record<string, EnvoyLogLevel> {
    const proxy = this.mesh.runtime(this.mesh.requirePod(namespace, name)).proxy;
    if (!proxy) throw new Error(`pod ${namespace}/${name} has no istio-proxy sidecar`);
    return Object.fromEntries(proxy.levels);
  }

  /** The mesh's profile (`default`: a default install; `demo`: access logs and cluster stats on). */
  get profile(): string {
    return this.mesh.meshConfig.profile;
  }

  /**
   * Applies (or deletes) a Telemetry resource turning Envoy's access log on for `namespace`
   * (`istio-system`: the whole mesh), as `kubectl apply` of the YAML the product shows would.
   */
  setAccessLogTelemetry(namespace: string, on: boolean): void {
    this.mesh.setAccessLogTelemetry(namespace, on);
  }

  /** When the pod's failing identity calls happen (null for a healthy pod), to predict its logs. */
  identitySchedule(namespace: string, name: string): IdentityCallSchedule | null {
    return this.mesh.runtime(this.mesh.requirePod(namespace, name)).schedule;
  }

  /** Appends lines to a container's log at virtual now, as if the container printed them. */
  emitLog(namespace: string, name: string, container: string, lines: readonly string[]): void {
    const pod = this.mesh.requirePod(namespace, name);
    if (!pod.containerNames().includes(container)) throw new Error(`container ${container} is not valid for pod ${name}`);
    this.mesh.runtime(pod).log(container).append(this.now(), lines);
  }

  /** The load knob: the pod's istio-proxy writes this many access-log lines per second. */
  setLoad(namespace: string, name: string, linesPerSecond: number): void {
    if (!(linesPerSecond >= 0)) throw new Error('linesPerSecond must be 0 or more');
    this.mesh.runtime(this.mesh.requirePod(namespace, name)).setLinesPerSecond(linesPerSecond, this.now());
  }
}
