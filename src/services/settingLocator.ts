import type * as vscode from 'vscode';
import type { ManifestSettings } from '../core/lint/settingSites';

/**
 * How features find the manifest behind a live value without knowing each other: the lint feature
 * (which indexes the workspace's settings) implements it, the explorer and the annotator use it.
 */
export interface SettingLocator {
  /**
   * Opens the manifest that sets the connect timeout for `host` as a client in `namespace` sees it
   * (a DestinationRule for the host, else the mesh-wide value; `host` null: the mesh-wide value)
   * and selects the value. Resolves false when no manifest in the workspace sets it.
   */
  revealConnectTimeoutSetting(host: string | null, namespace: string | null): Promise<boolean>;
}

/** One workspace manifest's connect-timeout settings (as the linting core found them), and the file to open. */
export interface WorkspaceManifestSettings extends ManifestSettings {
  readonly uri: vscode.Uri;
}

/**
 * Every connect-timeout setting the workspace's manifests hold, for a feature that needs the sites
 * themselves (Diagnose lists them in its report); implemented by the lint feature over its index.
 */
export interface SettingSites {
  /** Resolves once the workspace has been scanned. */
  workspaceSettings(): Promise<readonly WorkspaceManifestSettings[]>;
}
