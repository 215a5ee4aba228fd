import { type PodSpecInput, type ContainerSpec } from './types';
import { stableHex64, stableNumber, stablePodIp, stableUid } from './ids';

export const PROXY_CONTAINER = 'istio-proxy';

/**
 * One pod as the stand-in stores it: the scenario's input plus the mutable state the API shows
 * (labels, phase, restarts, resourceVersion). The pod's JSON is derived and cached until it changes.
 */
export class PodRecord {
  readonly uid: string;
  readonly ip: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  phase: string;
  resourceVersion = 0;
  deletedMs: number | null = null;
  /** Restarts per container name. */
  readonly restarts = new Map<string, number>();
  private jsonCache: Record<string, unknown> | null = null;
  private textCache: string | null = null;

  constructor(
    readonly input: PodSpecInput,
    readonly createdMs: number,
  ) {
    this.uid = stableUid(`pod/${input.namespace}/${input.name}`);
    this.ip = stablePodIp(`${input.namespace}/${input.name}`);
    this.labels = { ...(input.labels ?? {}) };
    this.annotations = { ...(input.annotations ?? {}) };
    this.phase = input.phase ?? 'Running';
  }

  get namespace(): string {
    return this.input.namespace;
  }

  get name(): string {
    return this.input.name;
  }

  get key(): string {
    return `${this.input.namespace}/${this.input.name}`;
  }

  get nodeName(): string {
    return this.input.nodeName ?? `node-${1 + stableNumber(this.key, 3)}`;
  }

  /** App containers, in spec order (a pod always has at least one). */
  get appContainers(): readonly ContainerSpec[] {
    return this.input.containers?.length ? this.input.containers : [{ name: 'app', image: 'registry.example.com/app:1.0.0', port: 8080 }];
  }

  /** Every container a client may name in exec/logs: app containers, then the sidecar's. */
  containerNames(): string[] {
    const names = this.appContainers.map((c) => c.name);
    if (this.input.sidecar) names.push(PROXY_CONTAINER, 'istio-init');
    return names;
  }

  invalidate(): void {
    this.jsonCache = null;
    this.textCache = null;
  }

  /** The V1Pod JSON (without kind/apiVersion, as list items carry it). */
  toJson(): Record<string, unknown> {
    this.jsonCache ??= buildPodJson(this);
    return this.jsonCache;
  }

  /** `toJson()` serialized, cached: big lists are mostly concatenation of these. */
  toJsonText(): string {
    this.textCache ??= JSON.stringify(this.toJson());
    return this.textCache;
  }
}

function sidecarStatusAnnotation(native: boolean): string {
  return JSON.stringify({
    initContainers: native ? ['istio-init', PROXY_CONTAINER] : ['istio-init'],
    containers: native ? [] : [PROXY_CONTAINER],
    volumes: ['workload-socket', 'credential-socket', 'workload-certs', 'istio-envoy', 'istio-data', 'istio-podinfo', 'istio-token', 'istiod-ca-cert'],
    imagePullSecrets: null,
    revision: 'default',
  });
}

function containerStatus(pod: PodRecord, name: string, image: string, startedAt: string, running: boolean): Record<string, unknown> {
  const restarts = pod.restarts.get(name) ?? 0;
  return {
    name,
    image,
    imageID: `${image.split(':')[0]}@sha256:${stableHex64(image)}`,
    containerID: `containerd://${stableHex64(`${pod.uid}/${name}/${restarts}`)}`,
    ready: running && pod.phase === 'Running',
    started: running,
    restartCount: restarts,
    state: running ? { running: { startedAt } } : { terminated: { exitCode: 0, reason: 'Completed', startedAt, finishedAt: startedAt } },
  };
}

function buildPodJson(pod: PodRecord): Record<string, unknown> {
  const input = pod.input;
  const created = new Date(pod.createdMs).toISOString().replace(/\.\d+Z$/, 'Z');
  const sidecar = input.sidecar;
  const proxyImage = sidecar ? `docker.io/istio/proxyv2:${sidecar.istioVersion}` : '';
  const labels = { ...pod.labels };
  const annotations = { ...pod.annotations };
  if (sidecar) {
    labels['security.istio.io/tlsMode'] ??= 'istio';
    labels['service.istio.io/canonical-name'] ??= labels.app ?? pod.name;
    labels['service.istio.io/canonical-revision'] ??= labels.version ?? 'latest';
    annotations['sidecar.istio.io/status'] ??= sidecarStatusAnnotation(!!sidecar.native);
    annotations['kubectl.kubernetes.io/default-container'] ??= pod.appContainers[0].name;
    annotations['kubectl.kubernetes.io/default-logs-container'] ??= pod.appContainers[0].name;
  }
  const appContainers = pod.appContainers.map((c) => ({
    name: c.name,
    image: c.image,
    ports: c.port ? [{ containerPort: c.port, protocol: 'TCP', name: 'http' }] : undefined,
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  }));
  const proxyContainer = sidecar
    ? {
        name: PROXY_CONTAINER,
        image: proxyImage,
        args: ['proxy', 'sidecar', '--domain', '$(POD_NAMESPACE).svc.cluster.local', `--proxyLogLevel=${sidecar.proxyLogLevel ?? 'warning'}`, `--proxyComponentLogLevel=${sidecar.componentLogLevel ?? 'misc:error'}`, '--log_output_level=default:info', ...(sidecar.logAsJson ? ['--log_as_json'] : [])],
        ports: [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }],
        ...(sidecar.native ? { restartPolicy: 'Always' } : {}),
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2', memory: '1Gi' } },
        imagePullPolicy: 'IfNotPresent',
      }
    : null;
  const initContainer = sidecar ? { name: 'istio-init', image: proxyImage, args: ['istio-iptables', '-p', '15001', '-z', '15006', '-u', '1337'], imagePullPolicy: 'IfNotPresent' } : null;
  const running = pod.phase === 'Running';
  const spec: Record<string, unknown> = {
    containers: [...appContainers, ...(proxyContainer && !sidecar?.native ? [proxyContainer] : [])],
    ...(sidecar ? { initContainers: [initContainer, ...(sidecar.native ? [proxyContainer] : [])] } : {}),
    nodeName: pod.nodeName,
    serviceAccountName: input.serviceAccount ?? 'default',
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    terminationGracePeriodSeconds: 30,
  };
  const containerStatuses = [
    ...pod.appContainers.map((c) => containerStatus(pod, c.name, c.image, created, running)),
    ...(sidecar && !sidecar.native ? [containerStatus(pod, PROXY_CONTAINER, proxyImage, created, running)] : []),
  ];
  const initContainerStatuses = sidecar
    ? [containerStatus(pod, 'istio-init', proxyImage, created, false), ...(sidecar.native ? [containerStatus(pod, PROXY_CONTAINER, proxyImage, created, running)] : [])]
    : undefined;
  const owner = input.owner;
  return {
    metadata: {
      name: pod.name,
      ...(owner && owner.kind === 'ReplicaSet' ? { generateName: `${owner.name}-` } : {}),
      namespace: pod.namespace,
      uid: pod.uid,
      resourceVersion: String(pod.resourceVersion),
      creationTimestamp: created,
      ...(pod.deletedMs !== null ? { deletionTimestamp: new Date(pod.deletedMs).toISOString().replace(/\.\d+Z$/, 'Z'), deletionGracePeriodSeconds: 30 } : {}),
      labels,
      annotations,
      ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec,
    status: {
      phase: pod.phase,
      conditions: [
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: created },
        { type: 'Ready', status: running ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: created },
        { type: 'ContainersReady', status: running ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: created },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: created },
      ],
      hostIP: `192.168.49.${2 + stableNumber(pod.nodeName, 3)}`,
      podIP: pod.ip,
      podIPs: [{ ip: pod.ip }],
      startTime: created,
      ...(initContainerStatuses ? { initContainerStatuses } : {}),
      containerStatuses,
      qosClass: 'Burstable',
    },
  };
}
