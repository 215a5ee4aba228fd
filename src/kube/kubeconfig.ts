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

/** js-yaml's parse error: `reason` is its own wording, `mark` the 0-based position. */
interface YamlParseError {
  readonly name: 'YAMLException';
  readonly reason: string;
  readonly mark?: { readonly line: number; readonly column: number };
}

function isYamlParseError(err: unknown): err is YamlParseError {
  return err instanceof Error && err.name === 'YAMLException' && typeof (err as Partial<YamlParseError>).reason === 'string';
}

/**
 * Why a kubeconfig file could not be loaded, naming the place but never quoting the file: a
 * kubeconfig holds tokens, passwords and client keys, and js-yaml's own message ends with a code
 * frame of the lines around the error (the token line among them). Its reason can also quote a
 * tag or alias name from the file, so quoted parts are elided too.
 */
function describeLoadError(err: unknown): string {
  if (isYamlParseError(err)) {
    const reason = err.reason.replace(/"[^"]*"/g, '"…"').replace(/!<[^>]*>/g, '!<…>').replace(/!\S*/g, '!…');
    return err.mark ? `${reason} at line ${err.mark.line + 1}, column ${err.mark.column + 1} (YAML syntax)` : `${reason} (YAML syntax)`;
  }
  // client-node's own checks name the entry (`users[0].name is missing`), fs errors the path; neither quotes values.
  return err instanceof Error ? err.message.split('\n')[0] : 'unreadable';
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
        `cannot read kubeconfig ${file}: ${describeLoadError(err)}`,
        { kind: 'kubeconfig', problem: 'unreadable' },
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
      { kind: 'kubeconfig', problem: 'missing' },
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
