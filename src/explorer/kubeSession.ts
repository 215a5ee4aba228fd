import type * as vscode from 'vscode';
import { readConfig } from '../config';
import { createKubeClients, type KubeClients } from '../kube/clients';
import type { ClientNode } from '../kube/clientNode';
import { kubeconfigPaths, loadKubeConfig } from '../kube/kubeconfig';
import { createTransport, type Transport } from '../kube/transport';

const ACTIVE_CONTEXT_KEY = 'meshDoctor.mesh.activeContext';

/**
 * The explorer's view of the kubeconfig: loaded lazily from `meshDoctor.kubeconfig` / KUBECONFIG /
 * ~/.kube/config, with clients and a transport (Envoy admin and logs) per context, all dropped on `reset()`.
 * The "active context" is Mesh Doctor's own (global state), so switching it never rewrites the
 * user's kubeconfig.
 */
export class KubeSession {
  private kubeConfig: ClientNode.KubeConfig | null = null;
  private readonly clients = new Map<string, KubeClients>();
  private readonly transports = new Map<string, Transport>();

  constructor(private readonly state: vscode.Memento) {}

  config(): ClientNode.KubeConfig {
    this.kubeConfig ??= loadKubeConfig({ kubeconfigSetting: readConfig().kubeconfig });
    return this.kubeConfig;
  }

  /** The context Mesh Doctor uses: the one switched to in the tree, else the kubeconfig's current one. */
  activeContext(): string {
    const chosen = this.state.get<string>(ACTIVE_CONTEXT_KEY);
    const kc = this.config();
    return chosen && kc.getContextObject(chosen) ? chosen : kc.getCurrentContext();
  }

  async setActiveContext(context: string): Promise<void> {
    await this.state.update(ACTIVE_CONTEXT_KEY, context);
  }

  clientsFor(context: string): KubeClients {
    let c = this.clients.get(context);
    if (!c) {
      c = createKubeClients(this.config(), context, { requestTimeoutSeconds: readConfig().requestTimeoutSeconds });
      this.clients.set(context, c);
    }
    return c;
  }

  transportFor(context: string): Transport {
    let t = this.transports.get(context);
    if (!t) {
      const settings = readConfig();
      const files = kubeconfigPaths({ kubeconfigSetting: settings.kubeconfig });
      t = createTransport(settings.transport, this.clientsFor(context), settings.kubectlPath, files);
      this.transports.set(context, t);
    }
    return t;
  }

  reset(): void {
    this.kubeConfig = null;
    this.clients.clear();
    this.transports.clear();
  }
}
