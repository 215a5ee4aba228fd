import type { FeatureContext } from '../ctx';
import { openClusterAccess } from '../kube/transport';
import type { WorkloadRef } from '../kube/workloads';
import { describeAccessFailure } from '../services/accessHints';
import type { ActiveContext } from '../services/activeContext';
import type { ClusterRevealer } from '../services/clusterRevealer';
import type { Configuration } from '../services/configuration';
import { abortOnCancel, type UserInterface } from '../services/ui';
import { credentialCommands } from './credentialCommands';
import type { OverviewNode } from './nodes';
import { findSourceWorkload } from './sourceWorkload';
import { OverviewModel } from './overviewModel';
import { OverviewTreeProvider } from './overviewTree';
import type { SettingsPrometheus } from './settingsPrometheus';

export interface OverviewServices {
  readonly config: Configuration;
  readonly ui: UserInterface;
  /** The Prometheus of the settings, shared with the explorer's badges. */
  readonly prometheus: SettingsPrometheus;
  readonly revealer: ClusterRevealer;
  readonly activeContext: ActiveContext;
}

/** The overview's command handlers, bound to ids in src/commands.ts. */
export interface OverviewCommands {
  readonly refresh: () => Promise<void>;
  readonly setCredentials: () => Promise<void>;
  readonly clearCredentials: () => Promise<void>;
  /** A row's click: its source namespace in the Mesh view. */
  readonly reveal: (node?: unknown) => Promise<void>;
  /** A row's source workload in its context, for Diagnose; undefined (after saying why) when the cluster has none of that name. */
  readonly sourceWorkload: (node?: unknown) => Promise<{ readonly workload: WorkloadRef } | undefined>;
}

export interface Overview {
  readonly model: OverviewModel;
  readonly provider: OverviewTreeProvider;
  readonly commands: OverviewCommands;
}

function isRowNode(arg: unknown): arg is Extract<OverviewNode, { kind: 'row' }> {
  const node = arg as Partial<Extract<OverviewNode, { kind: 'row' }>> | undefined;
  return node?.kind === 'row' && typeof node.context === 'string' && typeof node.row?.sourceNamespace === 'string';
}

/** The Mesh Overview, built from the services it needs; `register.ts` gives it its view. Everything made is owned by `ctx`. */
export function createOverview(ctx: FeatureContext, services: OverviewServices): Overview {
  const { config, ui } = services;
  const { prometheus } = services;
  const model = ctx.own(new OverviewModel({ config: () => config.current, prometheus, activeContext: services.activeContext, log: ctx.output }));
  const provider = ctx.own(new OverviewTreeProvider(model));
  ctx.own(config.onDidChange(['overview.minutes'], () => model.invalidate()));
  ctx.own(prometheus.onDidChange(() => model.invalidate()));
  // Another context: its own Prometheus (the in-cluster one is found through its API server).
  ctx.own(services.activeContext.onDidChange(() => model.invalidate()));
  const stored = credentialCommands(ui, prometheus.credentials);
  const commands: OverviewCommands = {
    refresh: () => ui.withProgress('Mesh Doctor: Mesh Overview', (progress, token) => abortOnCancel(token, (signal) => model.refresh(signal, (message) => progress.report({ message })))),
    setCredentials: stored.set,
    clearCredentials: stored.clear,
    async reveal(node) {
      if (isRowNode(node)) await services.revealer.revealNamespace(node.context, node.row.sourceNamespace);
    },
    async sourceWorkload(node) {
      if (!isRowNode(node)) return undefined;
      const { sourceNamespace: namespace, sourceWorkload: name } = node.row;
      try {
        const workload = await findSourceWorkload(openClusterAccess(config.current, node.context).clients, node.row);
        if (workload) return { workload };
        void ui.notify('error', `Mesh Doctor: no Deployment, StatefulSet or DaemonSet named ${name} in namespace ${namespace} of context ${node.context} (Istio's source_workload); diagnose one of its pods from the Mesh view instead.`);
      } catch (err) {
        void ui.notify('error', `Mesh Doctor: could not find the workload ${namespace}/${name} to diagnose: ${describeAccessFailure(err)}`);
      }
      return undefined;
    },
  };
  return { model, provider, commands };
}
