import { type AccessRemedy, NO_SIDECAR_ADVICE, permissionRequest, TIMEOUT_ADVICE } from '../kube/remedy';
import { KubeAccessError } from '../kube/types';

/**
 * A remedy in the extension's words: what to change is a meshDoctor.* setting or a view. Every
 * feature that shows a cluster failure words it here (explorer nodes, debug logging, tail, annotator).
 */
export function accessHint(remedy: AccessRemedy): string {
  switch (remedy.kind) {
    case 'kubeconfig':
      return remedy.problem === 'unreadable'
        ? 'fix the YAML in that file, or point the meshDoctor.kubeconfig setting / KUBECONFIG at a valid kubeconfig'
        : 'set meshDoctor.kubeconfig or KUBECONFIG to your kubeconfig file, or create ~/.kube/config';
    case 'context':
      return remedy.known.length > 0 ? `pick one of: ${remedy.known.join(', ')}` : 'the kubeconfig defines no context: add one, or set meshDoctor.kubeconfig to another kubeconfig';
    case 'rbac':
      return permissionRequest(remedy) + (remedy.alternative === 'kubectl-transport' ? ', or set meshDoctor.transport to kubectl if your kubectl has other rights' : '');
    case 'gone':
      return 'it may have been deleted; refresh the view';
    case 'timeout':
      return `${TIMEOUT_ADVICE}, or allow longer with the meshDoctor.requestTimeoutSeconds setting`;
    case 'kubectl-path':
      return 'install kubectl or set meshDoctor.kubectlPath (user settings) to its full path, or switch meshDoctor.transport to api';
    case 'pod-name':
      return 'the pod name is not one Kubernetes accepts: pick the pod from the Mesh view';
    case 'no-sidecar':
      return `${NO_SIDECAR_ADVICE} (the Mesh explorer marks pods without one)`;
    case 'check':
      return remedy.advice;
  }
}

/** What failed, and for a cluster failure what to do about it, for a notification or the output channel. */
export function describeAccessFailure(err: unknown): string {
  if (err instanceof KubeAccessError) return `${err.message} (${accessHint(err.remedy)})`;
  return err instanceof Error ? err.message : String(err);
}
