import * as vscode from 'vscode';
import { TailSession, type TailTarget } from '../core/envoyLogging/tailSession';
import { readConfig } from '../config';
import { type FeatureContext } from '../ctx';
import { type UserInterface } from '../services/ui';
import { KubeAccessError } from '../kube/types';
import { appContainers, hasEnvoySidecar, SIDECAR_CONTAINER } from '../core/pods';
import { podRefOf } from '../kube/workloads';
import { resolveTarget } from '../services/podTargets';
import { describeAccessFailure } from '../services/accessHints';
import { TailDocument } from './tailDocument';
import { type TailManager } from './tailManager';

/** Lines of history each container shows when a tail starts. */
const INITIAL_TAIL_LINES = 200;
/** How often a workload tail looks for new replicas and deleted pods. */
const POLL_MS = 3000;

/**
 * "Tail Envoy logs" / "Tail app and Envoy logs" for a pod or a workload. Returns the tail's URI,
 * or undefined when cancelled or failed.
 */
export function tailCommand(ctx: FeatureContext, ui: UserInterface, manager: TailManager, includeApp: boolean, scope: 'pod' | 'workload') {
  return async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    try {
      const cfg = readConfig();
      const target = await resolveTarget(ui, arg, scope, cfg);
      if (!target) return undefined;
      const context = target.access.clients.context;
      const title = `${includeApp ? 'app+envoy' : 'envoy'} ${target.label}`;
      const doc = new TailDocument(manager.newUri(title), `Tailing ${includeApp ? 'app and Envoy' : 'Envoy'} logs of ${target.label} (${context})`, cfg.tailMaxLines);
      const warnedNoSidecar = new Set<string>();
      const listTargets = async (): Promise<TailTarget[]> => {
        const pods = await target.listPods().catch((err: unknown) => {
          // A single pod that was deleted is an empty set, which ends its followers.
          if (err instanceof KubeAccessError && err.status === 404) return [];
          throw err;
        });
        return pods.map((p) => {
          const envoy = hasEnvoySidecar(p) ? [SIDECAR_CONTAINER] : [];
          const name = p.metadata?.name ?? '';
          if (envoy.length === 0 && !warnedNoSidecar.has(name)) {
            warnedNoSidecar.add(name);
            doc.addNotice(`${name} has no istio-proxy sidecar${includeApp ? '; showing its app containers only' : ''}`);
          }
          return { pod: podRefOf(context, p), uid: p.metadata?.uid ?? '', containers: [...envoy, ...(includeApp ? appContainers(p) : [])], envoyContainers: envoy };
        });
      };
      const session = new TailSession({
        source: target.access.transport.logs,
        listTargets,
        pollMs: POLL_MS,
        initialTailLines: INITIAL_TAIL_LINES,
        onLine: (l) => {
          doc.addLine(l);
          manager.markDirty(doc.uri);
        },
        onNotice: (m) => {
          doc.addNotice(m);
          ctx.output.info(`tail ${target.label}: ${m}`);
          manager.markDirty(doc.uri);
        },
      });
      await manager.open(doc, session);
      await session.start();
      return doc.uri;
    } catch (err) {
      ctx.output.error(`Tail failed: ${describeAccessFailure(err)}`);
      void ui.notify('error', `Could not tail logs: ${describeAccessFailure(err)}`);
      return undefined;
    }
  };
}

/** "Stop tailing": the active tail editor, else every tail. */
export function stopTailCommand(manager: TailManager) {
  return async (): Promise<void> => {
    const active = vscode.window.activeTextEditor?.document.uri;
    const uris = active && manager.openUris().some((u) => u.toString() === active.toString()) ? [active] : manager.openUris();
    await Promise.all(uris.map((u) => manager.stop(u)));
  };
}
