import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';

/** One kubeconfig context the stand-in serves: each has its own user and bearer token. */
export interface StandInContext {
  readonly name: string;
  readonly user: string;
  readonly token: string;
  /** Namespace the context defaults to, as `kubectl config set-context --namespace` would set. */
  readonly namespace?: string;
}

/**
 * Renders a kubeconfig with one cluster (the stand-in, trusted through certificate-authority-data)
 * and one context per entry; the first entry is the current context.
 */
export function renderKubeconfig(serverUrl: string, caCertPem: string, contexts: readonly StandInContext[], clusterName = 'standin'): string {
  if (contexts.length === 0) throw new Error('renderKubeconfig needs at least one context');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': contexts[0].name,
    clusters: [{ name: clusterName, cluster: { server: serverUrl, 'certificate-authority-data': Buffer.from(caCertPem).toString('base64') } }],
    users: contexts.map((c) => ({ name: c.user, user: { token: c.token } })),
    contexts: contexts.map((c) => ({
      name: c.name,
      context: { cluster: clusterName, user: c.user, ...(c.namespace ? { namespace: c.namespace } : {}) },
    })),
  });
}

export async function writeKubeconfig(filePath: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(filePath), { recursive: true });
  // 0600: kubectl warns about group/world-readable kubeconfigs holding tokens.
  await fs.writeFile(filePath, text, { mode: 0o600 });
}
