/**
 * What the user can do about a failed cluster call, as data. The shared layers never name a
 * setting, a flag or a view: each front end words a remedy in its own terms (the CLI in
 * `src/cli/clusterHints.ts`, the extension in `src/services/accessHints.ts`). Advice that names
 * nothing either front end sets is worded once, here.
 */
export type AccessRemedy =
  /** A kubeconfig file could not be parsed (`unreadable`), or none was found (`missing`). */
  | { readonly kind: 'kubeconfig'; readonly problem: 'unreadable' | 'missing' }
  /** The asked-for kube context is not in the kubeconfig; `known` are the ones that are. */
  | { readonly kind: 'context'; readonly known: readonly string[] }
  /**
   * The API server refused: `action` is what was refused in RBAC words ("list pods in namespace
   * shop"); `alternative` is another way in that may carry other rights.
   */
  | { readonly kind: 'rbac'; readonly action: string; readonly alternative?: 'kubectl-transport' }
  /** The pod (or container) asked for is not there (404). */
  | { readonly kind: 'gone' }
  /** The cluster did not answer within the request time limit. */
  | { readonly kind: 'timeout' }
  /** No kubectl binary where the kubectl path says (the message names the path). */
  | { readonly kind: 'kubectl-path' }
  /** A pod reference with names Kubernetes would never accept. */
  | { readonly kind: 'pod-name' }
  /** The pod runs without an Istio sidecar, so there is no Envoy to ask. */
  | { readonly kind: 'no-sidecar' }
  /** Advice that names nothing a front end sets, so both show `advice` as it is. */
  | { readonly kind: 'check'; readonly advice: string };

/** The one wording of a refused permission, for both front ends. */
export function permissionRequest(remedy: Extract<AccessRemedy, { kind: 'rbac' }>): string {
  return `ask your cluster admin for permission to ${remedy.action}`;
}

/** How both front ends start the timeout remedy, before naming their own way to allow longer. */
export const TIMEOUT_ADVICE = 'the cluster did not answer in time: check the API server and the pod, then retry';

/** How both front ends word the no-sidecar remedy, before any pointer to where sidecars show. */
export const NO_SIDECAR_ADVICE = 'pick a pod with an Istio sidecar; if this pod should have one, check its sidecar.istio.io/inject label and the namespace\'s istio-injection label';

/** Advice that names nothing a front end sets. */
export function check(advice: string): AccessRemedy {
  return { kind: 'check', advice };
}

/** Envoy answered an error status: the request, not the route to it, was wrong. */
export const ENVOY_REJECTED = check('check the admin path; Envoy rejected the request');

/** The port-forward or exec reached the pod but not a working Envoy. */
export const SIDECAR_NOT_RUNNING = check('check that the istio-proxy container is running and ready');

/** The API server (or kubectl) said 401. */
export const CREDENTIALS_REJECTED = check('log in again or refresh the token in your kubeconfig (for exec plugins, run the plugin once in a terminal)');
