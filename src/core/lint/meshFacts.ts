import type { SourceRange } from './types';

/**
 * What a file says about the mesh that a rule can judge only with other files: who demands mTLS,
 * who turns it off, which Services, namespaces and workloads exist. The linter collects these per
 * file; crossFileFindings joins them by namespace and host.
 */
export interface PeerAuthenticationFact {
  readonly name: string | null;
  readonly namespace: string | null;
  /** matchLabels of spec.selector; null for a namespace-wide (or mesh-wide) policy. */
  readonly selector: Readonly<Record<string, string>> | null;
  readonly mode: string;
  readonly range: SourceRange;
}

export interface TlsModeFact {
  readonly mode: string;
  /** spec.host; null for a Kustomize patch that names the rule but not its host. */
  readonly host: string | null;
  readonly name: string | null;
  readonly namespace: string | null;
  readonly path: string;
  readonly range: SourceRange;
  /** The value node's text as written. */
  readonly value: string;
}

export interface ServicePortFact {
  readonly port: number;
  readonly name: string | null;
  readonly appProtocol: string | null;
  readonly range: SourceRange;
}

export interface ServiceFact {
  readonly name: string | null;
  readonly namespace: string | null;
  readonly selector: Readonly<Record<string, string>> | null;
  readonly ports: readonly ServicePortFact[];
  /** Service ports may be judged only when the whole list is literal (not rendered by a template). */
  readonly portsTemplated: boolean;
}

export interface NamespaceFact {
  readonly name: string;
  /** True with injection or ambient on, false when off or absent. */
  readonly meshed: boolean;
  /** Sidecar injection is on (`istio-injection: enabled` or an `istio.io/rev` label); ambient is not. */
  readonly sidecarInjection: boolean;
  readonly range: SourceRange;
}

export interface WorkloadFact {
  readonly kind: string;
  readonly name: string | null;
  readonly namespace: string | null;
  readonly podLabels: Readonly<Record<string, string>>;
  /** `sidecar.istio.io/inject: "false"` on the pod (label or annotation). */
  readonly injectionDisabled: boolean;
  /** `sidecar.istio.io/inject: "true"` or an `istio.io/rev` label on the pod: it gets a sidecar wherever it runs. */
  readonly injectionRequested: boolean;
  readonly range: SourceRange;
  /**
   * The pod's terminationGracePeriodSeconds (null: unset, Kubernetes' 30 s) and where to report
   * against it (the field, else the pod template's spec key); absent when the value cannot be known
   * or the pod's own proxy.istio.io/config may set the drain (the pod's value wins over the mesh's).
   */
  readonly grace?: { readonly seconds: number | null; readonly range: SourceRange; readonly path: string };
}

/** A mesh config (any layout): what other files' rules read from it. */
export interface MeshConfigFact {
  readonly resource: { readonly kind: string; readonly name: string | null; readonly namespace: string | null };
  readonly rootNamespace: string | null;
  /** defaultConfig.terminationDrainDuration, when written literally as a valid duration. */
  readonly drain: { readonly seconds: number; readonly value: string; readonly path: string; readonly range: SourceRange } | null;
}

export interface MeshFacts {
  /** Resources of Istio's API groups (or Sail's): that the configuration uses Istio at all. */
  readonly istioResources: { readonly kind: string; readonly name: string | null; readonly namespace: string | null }[];
  readonly peerAuthentications: PeerAuthenticationFact[];
  readonly tlsModes: TlsModeFact[];
  readonly services: ServiceFact[];
  readonly namespaces: NamespaceFact[];
  readonly workloads: WorkloadFact[];
  readonly meshConfigs: MeshConfigFact[];
}

/** Workloads whose pods are replaced, and so drained, on every rollout. */
export const ROLLED_WORKLOAD_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'Rollout'];

export const noFacts = (): MeshFacts => ({ istioResources: [], peerAuthentications: [], tlsModes: [], services: [], namespaces: [], workloads: [], meshConfigs: [] });
