/**
 * The contract of cluster access, shared by the mesh explorer, debug logging, log tailing and the
 * CLI. Implementations live beside this file; none of them imports `vscode`.
 */

export interface PodRef {
  /** Kube context name, as in the kubeconfig. */
  readonly context: string;
  readonly namespace: string;
  readonly name: string;
}

/** How Mesh Doctor reaches the cluster: client-node (`api`) or the user's kubectl (`kubectl`). */
export type TransportKind = 'api' | 'kubectl';

/**
 * A failure talking to the cluster, with what to do about it. `hint` is written for the user
 * ("ask for pods/portforward in namespace X, or switch meshDoctor.transport to kubectl").
 */
export class KubeAccessError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    /** HTTP status when the API server answered, else null (network, TLS, timeout). */
    readonly status: number | null = null,
    /** Kubernetes Status reason, e.g. `Forbidden`, `NotFound`, or null. */
    readonly reason: string | null = null,
  ) {
    super(message);
    this.name = 'KubeAccessError';
  }
}

/** A cluster call that got no answer in time; `message` says what it was waiting for. */
export class KubeTimeoutError extends KubeAccessError {
  constructor(
    message: string,
    readonly seconds: number,
  ) {
    super(message, 'the cluster did not answer in time: check the API server and the pod, then retry or allow a longer timeout', null, 'Timeout');
    this.name = 'KubeTimeoutError';
  }
}

/** One request to a pod's Envoy admin API (port 15000). */
export interface EnvoyAdminClient {
  /**
   * Sends `method pathAndQuery` (for example `GET /clusters?format=json`) to the pod's Envoy admin
   * API and resolves with the response body. Rejects with KubeAccessError; aborts on `signal`.
   */
  request(pod: PodRef, method: 'GET' | 'POST', pathAndQuery: string, signal?: AbortSignal): Promise<string>;
}

export interface LogStreamOptions {
  readonly container: string;
  readonly follow: boolean;
  /** RFC 3339 time: only lines at or after it. */
  readonly sinceTime?: string;
  readonly tailLines?: number;
  /** Ask the server to prefix each line with its RFC 3339 timestamp. */
  readonly timestamps: boolean;
}

/** Streams a container's log line by line until it ends, fails or `signal` aborts. */
export interface PodLogSource {
  streamLogs(pod: PodRef, options: LogStreamOptions, onLine: (line: string) => void, signal: AbortSignal): Promise<void>;
}
