/**
 * The kube context Mesh Doctor works on (the one switched to in the Mesh view, else the
 * kubeconfig's current-context), for features that show one context's data: the explorer
 * implements it, the overview follows it.
 */
export interface ActiveContext {
  /** The context's name; throws a KubeAccessError when no kubeconfig can be loaded. */
  current(): string;
  /** Fires when another context becomes the active one (switched to in the Mesh view). */
  onDidChange(listener: () => void): { dispose(): void };
}
