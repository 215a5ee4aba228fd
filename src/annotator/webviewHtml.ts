import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** The only folder the annotator webview may load from (esbuild writes the bundle there). */
export function annotatorResourceRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'media', 'dist');
}

export function annotatorWebviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [annotatorResourceRoot(extensionUri)] };
}

/**
 * The panel's page: no inline script or style, one script allowed by a fresh nonce, styles and
 * images only from the extension's own media/dist, nothing remote. Log text never reaches this
 * HTML; the script adds it later as DOM text.
 */
export function annotatorHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const root = annotatorResourceRoot(extensionUri);
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, 'annotator.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(root, 'annotator.css'));
  const nonce = randomBytes(18).toString('base64');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${style.toString()}">
<title>Connection resets</title>
</head>
<body>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}
