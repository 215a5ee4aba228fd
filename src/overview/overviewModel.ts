import * as vscode from 'vscode';
import type { MeshDoctorConfig } from '../config';
import { PrometheusError } from '../kube/prometheus';
import { fetchMeshOverview, type MeshOverview } from '../kube/prometheusOverview';
import { KubeAccessError } from '../kube/types';
import { describeAccessFailure } from '../services/accessHints';
import type { ActiveContext } from '../services/activeContext';
import type { MeshMetrics } from '../services/meshMetrics';
import { prometheusWhere, PrometheusSetupError, type PrometheusWhere } from './prometheusAccess';

/** While the view is visible, the overview is asked again this often. */
export const AUTO_REFRESH_MS = 30_000;

/** Why there is no overview: a headline for the row, the reason, what to do, and the setting that does it. */
export interface OverviewProblem {
  readonly headline: string;
  readonly message: string;
  readonly hint: string;
  readonly setting: string;
}

export type OverviewState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loaded'; readonly context: string; readonly overview: MeshOverview }
  | { readonly kind: 'problem'; readonly context: string | null; readonly problem: OverviewProblem };

export interface OverviewSources {
  readonly config: () => MeshDoctorConfig;
  readonly prometheus: Pick<MeshMetrics, 'prometheusFor'>;
  readonly activeContext: ActiveContext;
  readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>;
}

const CREDENTIALS_COMMAND = '"Mesh Doctor: Set Prometheus Credentials"';

function unreachableHint(where: PrometheusWhere | null, context: string | null, err: PrometheusError): string {
  if (where?.kind === 'service') {
    const s = where.service;
    return (
      `no Prometheus answered as the Service ${s.namespace}/${s.name}:${s.port} through the API server of context ${context ?? '?'}: ` +
      `set meshDoctor.prometheus.url (e.g. http://127.0.0.1:9090 after kubectl port-forward -n ${s.namespace} svc/${s.name} ${s.port}), ` +
      'or name the in-cluster Service with meshDoctor.prometheus.service'
    );
  }
  if (err.status === 401 || err.status === 403) return `set the credentials with ${CREDENTIALS_COMMAND}, or check meshDoctor.prometheus.headers`;
  return `check meshDoctor.prometheus.url, the credentials (${CREDENTIALS_COMMAND}), meshDoctor.prometheus.headers and meshDoctor.prometheus.caFile`;
}

/** The one wording of every way the overview can fail, each with the setting that fixes it. */
export function describeOverviewFailure(err: unknown, config: MeshDoctorConfig, context: string | null): OverviewProblem {
  if (err instanceof PrometheusSetupError) return { headline: 'Prometheus setting not usable', message: err.message, hint: `change ${err.setting}`, setting: err.setting };
  if (err instanceof KubeAccessError) {
    return { headline: 'Cluster not reachable', message: describeAccessFailure(err), hint: 'fix the cluster access, or set meshDoctor.prometheus.url to reach Prometheus directly', setting: 'meshDoctor.prometheus.url' };
  }
  if (err instanceof PrometheusError) {
    if (err.kind === 'api') return { headline: 'Prometheus refused the queries', message: err.message, hint: 'lower meshDoctor.overview.minutes, or check the server’s query limits', setting: 'meshDoctor.overview.minutes' };
    let where: PrometheusWhere | null = null;
    try {
      where = prometheusWhere(config);
    } catch {
      // The setting was valid when the client was made; a change since is worded by the next refresh.
    }
    const setting = where?.kind === 'service' ? 'meshDoctor.prometheus' : 'meshDoctor.prometheus.url';
    return { headline: 'No Prometheus reachable', message: err.message, hint: unreachableHint(where, context, err), setting };
  }
  return { headline: 'Overview failed', message: err instanceof Error ? err.message : String(err), hint: 'refresh the view; the Mesh Doctor output channel has details', setting: 'meshDoctor.prometheus' };
}

/**
 * The Mesh Overview's data: the ranked failures of the active context from Prometheus, asked on
 * refresh and every AUTO_REFRESH_MS while the view is visible (never while hidden: hiding it aborts
 * the queries in flight). A newer refresh aborts an older one; a cancelled refresh keeps what is shown.
 */
export class OverviewModel implements vscode.Disposable {
  private current: OverviewState = { kind: 'idle' };
  private loading: AbortController | null = null;
  private loadedAtMs = 0;
  private visible = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly sources: OverviewSources) {}

  get state(): OverviewState {
    return this.current;
  }

  /** True while a refresh is in flight. */
  get busy(): boolean {
    return this.loading !== null;
  }

  /** The view became visible (refresh when stale, then every AUTO_REFRESH_MS) or hidden (stop, abort). */
  setVisible(visible: boolean): void {
    this.visible = visible;
    clearInterval(this.timer);
    this.timer = undefined;
    if (!visible) {
      this.loading?.abort();
      return;
    }
    this.timer = setInterval(() => {
      if (!this.busy) void this.refresh();
    }, AUTO_REFRESH_MS);
    if (!this.busy && Date.now() - this.loadedAtMs >= AUTO_REFRESH_MS) void this.refresh();
  }

  get isVisible(): boolean {
    return this.visible;
  }

  /** Settings or credentials changed: the overview is asked again now if visible, else when next shown. */
  invalidate(): void {
    this.loadedAtMs = 0;
    if (this.visible) void this.refresh();
  }

  /** Asks Prometheus now. `signal` cancels it (the state is kept); `report` hears each step. */
  async refresh(signal?: AbortSignal, report?: (message: string) => void): Promise<void> {
    this.loading?.abort();
    const abort = new AbortController();
    this.loading = abort;
    const cancel = () => abort.abort();
    signal?.addEventListener('abort', cancel, { once: true });
    this.changed.fire();
    const config = this.sources.config();
    let context: string | null = null;
    try {
      context = this.sources.activeContext.current();
      const client = await this.sources.prometheus.prometheusFor(context);
      report?.(`asking ${client.endpoint}`);
      const overview = await fetchMeshOverview(client, { minutes: config.overviewMinutes, signal: abort.signal, onProgress: (done, total) => report?.(`${done} of ${total} queries answered`) });
      if (this.loading !== abort) return;
      this.current = { kind: 'loaded', context, overview };
      this.loadedAtMs = Date.now();
      for (const w of overview.warnings) this.sources.log.warn(`Mesh Overview: Prometheus warns (the result may be partial): ${w}`);
    } catch (err) {
      if (this.loading !== abort || abort.signal.aborted) return;
      const problem = describeOverviewFailure(err, config, context);
      const before = this.current.kind === 'problem' ? this.current.problem.message : null;
      this.current = { kind: 'problem', context, problem };
      this.loadedAtMs = Date.now();
      // Logged once per new failure, not once per auto-refresh.
      if (problem.message !== before) this.sources.log.warn(`Mesh Overview: ${problem.message} (${problem.hint})`);
    } finally {
      signal?.removeEventListener('abort', cancel);
      if (this.loading === abort) {
        this.loading = null;
        this.changed.fire();
      }
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    this.loading?.abort();
    this.changed.dispose();
  }
}
