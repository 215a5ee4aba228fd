import type { ClientNode } from './clientNode';
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
function createTransport(kind: TransportKind, clients: KubeClients, kubectlPath: string, kubeconfigFiles: readonly string[] = []): Transport {
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

/** The kubeconfig the settings choose, loaded once: the contexts a front end lists, and what each context's access opens from. */
export interface ClusterConfig {
  readonly kubeConfig: ClientNode.KubeConfig;
  /** The files it was merged from, which kubectl reads too (as KUBECONFIG). */
  readonly files: readonly string[];
}

/** Loads the kubeconfig the setting or flag names, else KUBECONFIG (read from `env`), else ~/.kube/config. */
export function loadClusterConfig(settings: Pick<ClusterAccessSettings, 'kubeconfig'>, env: NodeJS.ProcessEnv = process.env): ClusterConfig {
  const source = settings.kubeconfig ? { kubeconfigSetting: settings.kubeconfig } : {};
  return { kubeConfig: loadKubeConfig(source, env), files: kubeconfigPaths(source, env) };
}

/**
 * The one way every feature and CLI command reaches a cluster: clients and transport for `context`
 * (the kubeconfig's current one when omitted), from `config` (loaded from the settings when not
 * given; pass one to open several contexts from one load).
 */
export function openClusterAccess(settings: ClusterAccessSettings, context?: string, config: ClusterConfig = loadClusterConfig(settings)): ClusterAccess {
  const clients = createKubeClients(config.kubeConfig, context, { requestTimeoutSeconds: settings.requestTimeoutSeconds });
  return { clients, transport: createTransport(settings.transport, clients, settings.kubectlPath, config.files) };
}

/**
 * Access to every context a front end shows, each opened once through openClusterAccess from one
 * load of the kubeconfig, with the settings of that load. `reset()` drops it all, so the next use
 * reads the settings and the files again.
 */
export class ClusterAccessPool {
  private loaded: { readonly settings: ClusterAccessSettings; readonly config: ClusterConfig } | null = null;
  private readonly opened = new Map<string, ClusterAccess>();

  constructor(private readonly settings: () => ClusterAccessSettings) {}

  /** The loaded kubeconfig (loading it on first use). */
  kubeConfig(): ClientNode.KubeConfig {
    return this.load().config.kubeConfig;
  }

  accessFor(context: string): ClusterAccess {
    let access = this.opened.get(context);
    if (!access) {
      const { settings, config } = this.load();
      access = openClusterAccess(settings, context, config);
      this.opened.set(context, access);
    }
    return access;
  }

  reset(): void {
    this.loaded = null;
    this.opened.clear();
  }

  private load(): { readonly settings: ClusterAccessSettings; readonly config: ClusterConfig } {
    if (!this.loaded) {
      const settings = this.settings();
      this.loaded = { settings, config: loadClusterConfig(settings) };
    }
    return this.loaded;
  }
}
