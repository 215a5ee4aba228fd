/**
 * What the pure layers need to know about reaching a pod, as contracts only: a pod reference, one
 * request to its Envoy admin API, and a container log stream. `src/kube` implements them (client-node
 * or kubectl); `src/core` uses them without any I/O of its own.
 */

/** How a pod is named to the user everywhere (reports, logs, messages): `namespace/name`. */
export function podLabel(pod: Pick<PodRef, 'namespace' | 'name'>): string {
  return `${pod.namespace}/${pod.name}`;
}

export interface PodRef {
  /** Kube context name, as in the kubeconfig. */
  readonly context: string;
  readonly namespace: string;
  readonly name: string;
}

/** One request to a pod's Envoy admin API (port 15000). */
export interface EnvoyAdminClient {
  /**
   * Sends `method pathAndQuery` (for example `GET /clusters?format=json`) to the pod's Envoy admin
   * API and resolves with the response body. Rejects with a KubeAccessError (src/kube); aborts on `signal`.
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
