import * as vscode from 'vscode';
import type { ConnectTimeoutFinding } from '../core/lint/types';
import { notificationText } from '../core/text/markupEscape';
import { toRange } from './toVscode';

export const RAISE_CONNECT_TIMEOUT = 'meshDoctor.raiseConnectTimeout';

/** The edit that raises one finding's value: only the value's characters change, quotes included. */
export function raiseEdit(uri: vscode.Uri, finding: ConnectTimeoutFinding): vscode.WorkspaceEdit | null {
  if (!finding.fix) return null;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, toRange(finding.range), finding.fix.replacement);
  return edit;
}

/** The lens command for one finding; its arguments are what `meshDoctor.raiseConnectTimeout` takes. */
export function raiseConnectTimeoutCommand(uri: vscode.Uri, finding: ConnectTimeoutFinding): vscode.Command | undefined {
  if (!finding.fix) return undefined;
  return {
    title: finding.fix.title,
    tooltip: `Replace ${finding.value} with ${finding.fix.replacement}`,
    command: RAISE_CONNECT_TIMEOUT,
    arguments: [uri, toRange(finding.range), finding.fix.replacement, finding.value],
  };
}

/**
 * `meshDoctor.raiseConnectTimeout(uri, range, replacement, expected?)`. A lens can be clicked after
 * the document changed under it, so when `expected` (the value as linted) is given and the text at
 * the range is no longer it, the command refuses rather than overwrite something else.
 */
export function raiseConnectTimeoutHandler(): (...args: unknown[]) => Promise<boolean> {
  return async (...args: unknown[]) => {
    const [uriArg, rangeArg, replacement, expected] = args;
    const uri = asUri(uriArg);
    const range = asRange(rangeArg);
    if (!uri || !range || typeof replacement !== 'string') {
      void vscode.window.showErrorMessage(
        'Mesh Doctor: raiseConnectTimeout needs a document URI, a range and the replacement text. Use the code lens or quick fix on a flagged connectTimeout.',
      );
      return false;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    if (typeof expected === 'string' && document.getText(range) !== expected) {
      void vscode.window.showWarningMessage(
        notificationText(
          `Mesh Doctor did not change ${vscode.workspace.asRelativePath(uri)}: the connect timeout moved since it was checked. Try again from the refreshed lens.`,
        ),
      );
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, range, replacement);
    return vscode.workspace.applyEdit(edit);
  };
}

function asUri(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  if (typeof value === 'string') {
    try {
      return vscode.Uri.parse(value, true);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Accepts a Range or its JSON form (`{ start: { line, character }, end: ... }`, as a command link sends it). */
function asRange(value: unknown): vscode.Range | undefined {
  if (value instanceof vscode.Range) return value;
  const r = value as { start?: { line?: unknown; character?: unknown }; end?: { line?: unknown; character?: unknown } } | null;
  const nums = [r?.start?.line, r?.start?.character, r?.end?.line, r?.end?.character];
  if (!nums.every((n): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0)) return undefined;
  return new vscode.Range(nums[0], nums[1], nums[2], nums[3]);
}
