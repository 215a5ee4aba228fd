import type * as vscode from 'vscode';
import { readConfig } from '../config';
import type { ClientNode } from '../kube/clientNode';
import { type ClusterAccess, ClusterAccessPool } from '../kube/transport';
import { Emitter } from './events';

const ACTIVE_CONTEXT_KEY = 'meshDoctor.mesh.activeContext';

/**
 * The explorer's view of the kubeconfig: loaded lazily from `meshDoctor.kubeconfig` / KUBECONFIG /
 * ~/.kube/config, with each context's access (clients, Envoy admin and logs) opened through
 * openClusterAccess once, all dropped on `reset()`. The "active context" is Mesh Doctor's own
 * (global state), so switching it never rewrites the user's kubeconfig.
 */
export class KubeSession {
  private readonly pool = new ClusterAccessPool(() => readConfig());
  private readonly switched = new Emitter<void>();
  /** Fires after setActiveContext chose another context. */
  readonly onDidChangeActiveContext = this.switched.event;

  constructor(private readonly state: vscode.Memento) {}

  config(): ClientNode.KubeConfig {
    return this.pool.kubeConfig();
  }

  /** The context Mesh Doctor uses: the one switched to in the tree, else the kubeconfig's current one. */
  activeContext(): string {
    const chosen = this.state.get<string>(ACTIVE_CONTEXT_KEY);
    const kc = this.config();
    return chosen && kc.getContextObject(chosen) ? chosen : kc.getCurrentContext();
  }

  async setActiveContext(context: string): Promise<void> {
    const before = this.state.get<string>(ACTIVE_CONTEXT_KEY);
    await this.state.update(ACTIVE_CONTEXT_KEY, context);
    if (before !== context) this.switched.fire();
  }

  accessFor(context: string): ClusterAccess {
    return this.pool.accessFor(context);
  }

  reset(): void {
    this.pool.reset();
  }
}
