import * as vscode from 'vscode';
import { RaisedPod, formatRemaining } from '../core/envoyLogging/raisedState';
import { Ctx } from '../ctx';
import { RaisedStore } from './raisedStore';
import { RestoreSummary, restoreWithProgress } from './restoreRaised';
import { isTargetArg } from './targets';
import { iconSafeText, notificationText } from '../core/text/markupEscape';

/**
 * "Restore Envoy log level": for a pod node, that pod's saved levels; from the palette, a pick of
 * the raised pods. A pod Mesh Doctor did not raise has nothing saved and is left alone.
 */
export function restoreCommand(ctx: Ctx, store: RaisedStore) {
  return async (arg?: unknown): Promise<RestoreSummary | undefined> => {
    let records: RaisedPod[];
    if (isTargetArg(arg) && 'pod' in arg) {
      const p = arg.pod;
      records = store.all().filter((r) => r.pod.context === p.context && r.pod.namespace === p.namespace && r.pod.name === p.name);
      if (records.length === 0) {
        void vscode.window.showInformationMessage(notificationText(`Mesh Doctor has not raised the Envoy log levels of ${p.namespace}/${p.name}, so there is nothing saved to restore.`));
        return undefined;
      }
    } else {
      const picked = await pickRaised(store, 'Restore Envoy log level');
      if (!picked) return undefined;
      records = picked;
    }
    return restoreWithProgress(ctx, store, records, 'Envoy log levels');
  };
}

export function restoreAllCommand(ctx: Ctx, store: RaisedStore) {
  return async (): Promise<RestoreSummary | undefined> => {
    const records = store.mine();
    if (records.length === 0) {
      void vscode.window.showInformationMessage('No Envoy log levels are raised from this window.');
      return undefined;
    }
    return restoreWithProgress(ctx, store, records, 'Envoy log levels');
  };
}

/** The status bar's list: every raised pod with its time left, plus "restore all". */
export function showRaisedCommand(ctx: Ctx, store: RaisedStore) {
  return async (): Promise<void> => {
    const picked = await pickRaised(store, 'Envoy debug logging: pick pods to restore');
    if (picked) await restoreWithProgress(ctx, store, picked, 'Envoy log levels');
  };
}

async function pickRaised(store: RaisedStore, title: string): Promise<RaisedPod[] | undefined> {
  const records = store.all();
  if (records.length === 0) {
    void vscode.window.showInformationMessage('No Envoy log levels are raised.');
    return undefined;
  }
  type Item = vscode.QuickPickItem & { records: RaisedPod[] };
  const items: Item[] = [
    { label: '$(debug-restart) Restore all', description: `${records.length} pod${records.length === 1 ? '' : 's'}`, records },
    { label: '', kind: vscode.QuickPickItemKind.Separator, records: [] },
    ...records.map((r) => ({
      label: `$(vm) ${iconSafeText(r.pod.name)}`,
      description: iconSafeText(`${r.pod.context} · ${r.pod.namespace}`),
      detail: `${r.description}${r.revertAt === null ? '' : ` · turns off in ${formatRemaining(r.revertAt - Date.now())}`}${r.session === store.session ? '' : ' · raised by another window'}`,
      records: [r],
    })),
  ];
  return (await vscode.window.showQuickPick(items, { title }))?.records;
}
