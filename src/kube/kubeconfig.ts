import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { k8s, type ClientNode } from './clientNode';
import { KubeAccessError } from './types';

export interface KubeConfigSource {
  /** `meshDoctor.kubeconfig`: one path (or several, path-delimiter separated) that wins over KUBECONFIG. */
  readonly kubeconfigSetting?: string;
}

/** The kubeconfig files Mesh Doctor reads, in precedence order, as kubectl chooses them. */
export function kubeconfigPaths(source: KubeConfigSource = {}, env: NodeJS.ProcessEnv = process.env): string[] {
  const explicit = source.kubeconfigSetting?.trim() || env.KUBECONFIG?.trim();
  if (explicit) {
    return explicit.split(path.delimiter).filter((p) => p.length > 0).map(expandHome);
  }
  return [path.join(os.homedir(), '.kube', 'config')];
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

/**
 * Loads and merges the kubeconfig the way kubectl does: for a name defined in several files the
 * first file wins, and the first file that sets `current-context` decides it. client-node's own
 * `mergeConfig` throws on duplicate names and lets the last file's context win, so merge here.
 * Missing files in a list are skipped (as kubectl does); no readable file at all is an error.
 */
export function loadKubeConfig(source: KubeConfigSource = {}, env: NodeJS.ProcessEnv = process.env): ClientNode.KubeConfig {
  const files = kubeconfigPaths(source, env);
  const clusters = new Map<string, ClientNode.Cluster>();
  const users = new Map<string, ClientNode.User>();
  const contexts = new Map<string, ClientNode.Context>();
  let currentContext = '';
  let loaded = 0;
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    const one = new k8s.KubeConfig();
    try {
      one.loadFromFile(file);
    } catch (err) {
      throw new KubeAccessError(
        `cannot read kubeconfig ${file}: ${err instanceof Error ? err.message : String(err)}`,
        'fix the YAML in that file, or point meshDoctor.kubeconfig / KUBECONFIG at a valid kubeconfig',
      );
    }
    loaded++;
    for (const c of one.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of one.users) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of one.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (!currentContext && one.currentContext) currentContext = one.currentContext;
  }
  if (loaded === 0) {
    throw new KubeAccessError(
      `no kubeconfig found (looked at ${files.join(', ')})`,
      'set meshDoctor.kubeconfig or KUBECONFIG to your kubeconfig file, or create ~/.kube/config',
    );
  }
  const merged = new k8s.KubeConfig();
  merged.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext,
  });
  return merged;
}
