import * as vscode from 'vscode';
import { type RaisedPod, formatRemaining } from '../core/envoyLogging/raisedState';
import { type FeatureContext } from '../ctx';
import { type PickItem, type UserInterface } from '../services/ui';
import { type RaisedStore } from '../services/raisedStore';
import { type RestoreSummary, restoreWithProgress } from '../services/restoreRaised';
import { isTargetArg } from '../services/podTargets';

/**
 * "Restore Envoy log level": for a pod node, that pod's saved levels; from the palette, a pick of
 * the raised pods. A pod Mesh Doctor did not raise has nothing saved and is left alone.
 */
export function restoreCommand(ctx: FeatureContext, ui: UserInterface, store: RaisedStore) {
  return async (arg?: unknown): Promise<RestoreSummary | undefined> => {
    let records: RaisedPod[];
    if (isTargetArg(arg) && 'pod' in arg) {
      const p = arg.pod;
      records = store.all().filter((r) => r.pod.context === p.context && r.pod.namespace === p.namespace && r.pod.name === p.name);
      if (records.length === 0) {
        void ui.notify('info', `Mesh Doctor has not raised the Envoy log levels of ${p.namespace}/${p.name}, so there is nothing saved to restore.`);
        return undefined;
      }
    } else {
      const picked = await pickRaised(ui, store, 'Restore Envoy log level');
      if (!picked) return undefined;
      records = picked;
    }
    return restoreWithProgress(ctx, ui, store, records, 'Envoy log levels');
  };
}

export function restoreAllCommand(ctx: FeatureContext, ui: UserInterface, store: RaisedStore) {
  return async (): Promise<RestoreSummary | undefined> => {
    const records = store.mine();
    if (records.length === 0) {
      void ui.notify('info', 'No Envoy log levels are raised from this window.');
      return undefined;
    }
    return restoreWithProgress(ctx, ui, store, records, 'Envoy log levels');
  };
}

/** The status bar's list: every raised pod with its time left, plus "restore all". */
export function showRaisedCommand(ctx: FeatureContext, ui: UserInterface, store: RaisedStore) {
  return async (): Promise<void> => {
    const picked = await pickRaised(ui, store, 'Envoy debug logging: pick pods to restore');
    if (picked) await restoreWithProgress(ctx, ui, store, picked, 'Envoy log levels');
  };
}

async function pickRaised(ui: UserInterface, store: RaisedStore, title: string): Promise<RaisedPod[] | undefined> {
  const records = store.all();
  if (records.length === 0) {
    void ui.notify('info', 'No Envoy log levels are raised.');
    return undefined;
  }
  type Item = PickItem & { records: RaisedPod[] };
  // Pod, context and namespace names are untrusted: the seam escapes labels, descriptions and details.
  const items: Item[] = [
    { icon: 'debug-restart', label: 'Restore all', description: `${records.length} pod${records.length === 1 ? '' : 's'}`, records },
    { label: '', kind: vscode.QuickPickItemKind.Separator, records: [] },
    ...records.map((r) => ({
      icon: 'vm',
      label: r.pod.name,
      description: `${r.pod.context} · ${r.pod.namespace}`,
      detail: `${r.description}${r.revertAt === null ? '' : ` · turns off in ${formatRemaining(r.revertAt - Date.now())}`}${r.session === store.session ? '' : ' · raised by another window'}`,
      records: [r],
    })),
  ];
  return (await ui.pick(items, { title }))?.records;
}
