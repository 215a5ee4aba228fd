import { createKubeClients, type KubeClients } from './clients';
import { kubeconfigPaths, loadKubeConfig } from './kubeconfig';
import { createKubectlAdminClient, createKubectlLogSource } from './kubectl';
import { createApiLogSource } from './logs';
import { type AdminRoute, createApiAdminClient } from './envoyAdmin';
import type { EnvoyAdminClient, PodLogSource, PodRef, TransportKind } from './types';

export interface Transport {
  readonly kind: TransportKind;
  readonly admin: EnvoyAdminClient;
  readonly logs: PodLogSource;
  /** How the last admin request reached `pod` (port-forward or exec); null before one, and always for kubectl, which only execs. */
  adminRoute(pod: PodRef): AdminRoute | null;
}

/**
 * The admin and log access for one context, through client-node (`api`: port-forward with exec
 * fallback, pods/log) or the user's kubectl (`kubectl`: `exec ... pilot-agent request`, `logs -f`).
 * `kubeconfigFiles` is what kubectl reads (as KUBECONFIG), the same files `clients` was loaded from.
 */
export function createTransport(kind: TransportKind, clients: KubeClients, kubectlPath: string, kubeconfigFiles: readonly string[] = []): Transport {
  if (kind === 'kubectl') {
    const o = { kubectlPath, kubeconfigFiles, requestTimeoutSeconds: clients.requestTimeoutSeconds };
    return { kind, admin: createKubectlAdminClient(o), logs: createKubectlLogSource(o), adminRoute: () => null };
  }
  const admin = createApiAdminClient(clients);
  return { kind, admin, logs: createApiLogSource(clients), adminRoute: (pod) => admin.routeFor(pod) };
}

/** The settings that decide how a feature reaches a cluster (from meshDoctor.* or CLI flags). */
export interface ClusterAccessSettings {
  readonly kubeconfig: string;
  readonly transport: TransportKind;
  readonly kubectlPath: string;
  /** The time limit of each cluster call; DEFAULT_REQUEST_TIMEOUT_SECONDS when absent. */
  readonly requestTimeoutSeconds?: number;
}

export interface ClusterAccess {
  readonly clients: KubeClients;
  readonly transport: Transport;
}

/**
 * The one way every feature and CLI command reaches a cluster: loads the kubeconfig (the setting or
 * flag, else KUBECONFIG, else ~/.kube/config) and builds clients and transport for `context` (the
 * kubeconfig's current one when omitted). `env` is where KUBECONFIG is read.
 */
export function openClusterAccess(settings: ClusterAccessSettings, context?: string, env: NodeJS.ProcessEnv = process.env): ClusterAccess {
  const source = settings.kubeconfig ? { kubeconfigSetting: settings.kubeconfig } : {};
  const clients = createKubeClients(loadKubeConfig(source, env), context, { requestTimeoutSeconds: settings.requestTimeoutSeconds });
  return { clients, transport: createTransport(settings.transport, clients, settings.kubectlPath, kubeconfigPaths(source, env)) };
}
