import { type StandInCause } from '../logs/causeCalls';

/** What a scenario (or a test, through the control API) says about a pod's Envoy sidecar. */
export interface SidecarSpec {
  /** Istio release of the proxy image, e.g. `1.22.3`; decides log layout and /server_info. */
  readonly istioVersion: string;
  /** istio-proxy as an init container with restartPolicy Always (Kubernetes native sidecar). */
  readonly native?: boolean;
  /** Proxy started with `--log_as_json`: Envoy logs as JSON objects. */
  readonly logAsJson?: boolean;
  /** connect_timeout of `outbound|443||idp.example.com`, e.g. `1s` (the incident) or `10s`. */
  readonly identityConnectTimeout?: string;
  /** Emit the failing identity calls: debug sequence, UF,URX access log, app reset, rising counters. */
  readonly incident?: boolean;
  /**
   * The failure this pod's calls show, one of the correlator's causes (the `causes` scenario): the
   * app's symptom, Envoy's and pilot-agent's lines, the cluster's config and its counters.
   */
  readonly cause?: StandInCause;
  /** How the incident's calls reach the identity provider: `tcp` (TLS through, default) or `http` (router path). */
  readonly incidentProtocol?: 'tcp' | 'http';
  /** Generated outbound clusters on top of the ones cloned from the real config dump. */
  readonly extraClusters?: number;
  /** `--proxyLogLevel` the injector passes; default `warning`. */
  readonly proxyLogLevel?: string;
  /** `--proxyComponentLogLevel` the injector passes; default `misc:error`. */
  readonly componentLogLevel?: string;
  /** Access-log lines per second written by this proxy (the load knob); 0 for none. */
  readonly linesPerSecond?: number;
}

export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly port?: number;
}

export interface OwnerRef {
  readonly kind: 'ReplicaSet' | 'StatefulSet' | 'DaemonSet';
  readonly name: string;
  readonly uid: string;
}

/** Everything needed to create a pod; the rest of its JSON is derived. */
export interface PodSpecInput {
  readonly namespace: string;
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly containers?: readonly ContainerSpec[];
  readonly sidecar?: SidecarSpec;
  readonly owner?: OwnerRef;
  readonly nodeName?: string;
  readonly phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  readonly serviceAccount?: string;
}

export type WorkloadKind = 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet';

export interface WorkloadInput {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly replicas: number;
  readonly owner?: { readonly kind: 'Deployment'; readonly name: string; readonly uid: string };
}
