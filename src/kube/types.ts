/**
 * The contract of cluster access, shared by the mesh explorer, debug logging, log tailing and the
 * CLI. Implementations live beside this file; none of them imports `vscode`. The pod and admin
 * contracts that the pure layer also uses are defined in core and re-exported here.
 */

import type { AccessRemedy } from './remedy';

export type { EnvoyAdminClient, LogStreamOptions, PodLogSource, PodRef } from '../core/podAccess';

/** How Mesh Doctor reaches the cluster: client-node (`api`) or the user's kubectl (`kubectl`). */
export type TransportKind = 'api' | 'kubectl';

/**
 * A failure talking to the cluster, with what to do about it as a `remedy` that each front end
 * words in its own terms (a CLI flag, a VS Code setting).
 */
export class KubeAccessError extends Error {
  constructor(
    message: string,
    readonly remedy: AccessRemedy,
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
    super(message, { kind: 'timeout' }, null, 'Timeout');
    this.name = 'KubeTimeoutError';
  }
}
