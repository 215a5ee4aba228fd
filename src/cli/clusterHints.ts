import { type AccessRemedy, NO_SIDECAR_ADVICE, permissionRequest, TIMEOUT_ADVICE } from '../kube/remedy';
import { type KubeAccessError } from '../kube/types';

/** A remedy in the CLI's words: what to change is a flag or an environment variable. */
export function cliRemedyText(remedy: AccessRemedy): string {
  switch (remedy.kind) {
    case 'kubeconfig':
      return remedy.problem === 'unreadable'
        ? 'fix the YAML in that file, or point --kubeconfig / KUBECONFIG at a valid kubeconfig'
        : 'pass your kubeconfig with --kubeconfig FILE or KUBECONFIG, or create ~/.kube/config';
    case 'context':
      return remedy.known.length > 0 ? `pass one of these with --context: ${remedy.known.join(', ')}` : 'the kubeconfig defines no context: add one, or pass another with --kubeconfig';
    case 'rbac':
      return permissionRequest(remedy) + (remedy.alternative === 'kubectl-transport' ? ', or retry with --transport kubectl if your kubectl has other rights' : '');
    case 'gone':
      return 'it may have been deleted; check the name and namespace with kubectl get pods';
    case 'timeout':
      return `${TIMEOUT_ADVICE}, or allow longer with --timeout SECONDS`;
    case 'kubectl-path':
      return 'install kubectl or pass its full path with --kubectl PATH, or use --transport api';
    case 'pod-name':
      return 'give the pod as NAMESPACE/NAME exactly as `kubectl get pods` prints it';
    case 'no-sidecar':
      return NO_SIDECAR_ADVICE;
    case 'check':
      return remedy.advice;
  }
}

/** What to do about a cluster failure, in the CLI's words. */
export function cliHint(err: KubeAccessError): string {
  return cliRemedyText(err.remedy);
}
