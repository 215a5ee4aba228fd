import type * as vscode from 'vscode';
import type { PrometheusAuth } from '../kube/prometheus';

/** The one SecretStorage key; its value is the credentials as JSON, never a setting. */
export const PROMETHEUS_CREDENTIALS_KEY = 'meshDoctor.prometheus.credentials';

function parseAuth(text: string | undefined): PrometheusAuth | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as Partial<Record<string, unknown>>;
    if (v.kind === 'bearer' && typeof v.token === 'string') return { kind: 'bearer', token: v.token };
    if (v.kind === 'basic' && typeof v.username === 'string' && typeof v.password === 'string') return { kind: 'basic', username: v.username, password: v.password };
  } catch {
    // Not ours (or damaged): treated as none, and replaced by the next Set Prometheus Credentials.
  }
  return undefined;
}

/**
 * The Prometheus credentials (a bearer token or basic auth), kept in VS Code's SecretStorage (the
 * OS keychain), so they are never in a settings file and never synced with settings.
 */
export class PrometheusCredentials {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(): Promise<PrometheusAuth | undefined> {
    return parseAuth(await this.secrets.get(PROMETHEUS_CREDENTIALS_KEY));
  }

  async set(auth: PrometheusAuth): Promise<void> {
    await this.secrets.store(PROMETHEUS_CREDENTIALS_KEY, JSON.stringify(auth));
  }

  async clear(): Promise<void> {
    await this.secrets.delete(PROMETHEUS_CREDENTIALS_KEY);
  }

  /** Fires when the credentials change (here, or in another window). */
  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((e) => {
      if (e.key === PROMETHEUS_CREDENTIALS_KEY) listener();
    });
  }
}
