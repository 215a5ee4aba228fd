import * as vscode from 'vscode';
import type { MeshTreeProvider } from '../meshTreeProvider';

export function registerRefresh(provider: MeshTreeProvider): vscode.Disposable {
  return vscode.commands.registerCommand('meshDoctor.mesh.refresh', () => provider.refresh());
}
