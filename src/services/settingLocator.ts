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
