import * as vscode from 'vscode';
import type { MeshTreeProvider } from '../meshTreeProvider';

const CONTEXT_KEY = 'meshDoctor.mesh.lowOnly';
const STATE_KEY = 'meshDoctor.mesh.lowOnly';

/**
 * The problems filter toggle: two commands, one per state, so the title bar shows a different icon
 * for each (selected by the context key); the view's description says when the filter is on. It
 * keeps the namespaces, pods and clusters with problems (and low connect timeouts).
 */
export function lowTimeoutFilterCommands(provider: MeshTreeProvider, view: vscode.TreeView<unknown>, state: vscode.Memento): { readonly on: () => Promise<void>; readonly off: () => Promise<void> } {
  const apply = async (on: boolean) => {
    provider.setProblemsOnly(on);
    view.description = on ? 'problems only' : undefined;
    await vscode.commands.executeCommand('setContext', CONTEXT_KEY, on);
    await state.update(STATE_KEY, on);
  };
  void apply(state.get<boolean>(STATE_KEY, false));
  return { on: () => apply(true), off: () => apply(false) };
}
