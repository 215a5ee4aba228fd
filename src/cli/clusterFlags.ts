import * as path from 'node:path';
import { DEFAULT_REQUEST_TIMEOUT_SECONDS } from '../kube/deadline';
import type { ClusterAccessSettings } from '../kube/transport';
import type { TransportKind } from '../kube/types';
import { oneOf, timeoutOption } from './args';

/** The flags of every command that reaches a cluster, as node:util parseArgs options. */
export const CLUSTER_OPTIONS = {
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  timeout: { type: 'string', default: String(DEFAULT_REQUEST_TIMEOUT_SECONDS) },
  transport: { type: 'string', default: 'api' },
  kubectl: { type: 'string', default: 'kubectl' },
} as const;

/**
 * CLUSTER_OPTIONS for a command whose own `--timeout` means something else (`verify`: how long to
 * wait for the fix): the time each call to the cluster may take is `--request-timeout` there.
 */
export const CLUSTER_OPTIONS_WITH_REQUEST_TIMEOUT = {
  context: CLUSTER_OPTIONS.context,
  kubeconfig: CLUSTER_OPTIONS.kubeconfig,
  'request-timeout': CLUSTER_OPTIONS.timeout,
  transport: CLUSTER_OPTIONS.transport,
  kubectl: CLUSTER_OPTIONS.kubectl,
} as const;

/** The cluster flags, checked. */
export interface ClusterFlags {
  /** Absent: the kubeconfig's current context. */
  readonly context: string | undefined;
  /** `--kubeconfig` as typed (relative to the working directory), for a command line repeated back to the user. */
  readonly kubeconfig: string | undefined;
  readonly transport: TransportKind;
  readonly kubectl: string;
  readonly requestTimeoutSeconds: number;
}

/**
 * Reads the values parseArgs found for CLUSTER_OPTIONS; a bad value is a UsageError. `timeoutFlag`:
 * the name the request timeout has on this command's command line (its `timeout` value).
 */
export function readClusterFlags(values: { context?: string; kubeconfig?: string; timeout?: string; transport?: string; kubectl?: string }, timeoutFlag = 'timeout'): ClusterFlags {
  return {
    context: values.context,
    kubeconfig: values.kubeconfig || undefined,
    transport: oneOf('transport', values.transport ?? 'api', ['api', 'kubectl'] as const),
    kubectl: values.kubectl ?? 'kubectl',
    requestTimeoutSeconds: timeoutOption(values.timeout ?? String(DEFAULT_REQUEST_TIMEOUT_SECONDS), timeoutFlag),
  };
}

/** How openClusterAccess should reach the cluster, with `--kubeconfig` resolved against `cwd`. */
export function clusterAccessSettings(flags: ClusterFlags, cwd: string): ClusterAccessSettings {
  return {
    kubeconfig: flags.kubeconfig ? path.resolve(cwd, flags.kubeconfig) : '',
    transport: flags.transport,
    kubectlPath: flags.kubectl,
    requestTimeoutSeconds: flags.requestTimeoutSeconds,
  };
}
