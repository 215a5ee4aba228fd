import { podNameProblem } from '../core/kubeNames';
import { SIDECAR_CONTAINER } from '../core/pods';
import { KubeAccessError, type PodRef } from './types';

/**
 * Refuses a pod reference whose names Kubernetes would never accept, before it reaches a URL path
 * (`../x` would walk out of it) or a kubectl command line (`--filename=x` would be read as a flag).
 */
export function assertValidPodRef(pod: PodRef): void {
  const problem = podNameProblem(pod.namespace, pod.name);
  if (problem) throw new KubeAccessError(`not a valid pod: ${problem}`, 'give the pod as NAMESPACE/NAME exactly as `kubectl get pods` prints it', null, 'Invalid');
}

/** The API server's (and kubectl's) words for an exec into a container the pod does not have. */
export function saysSidecarMissing(text: string): boolean {
  const c = SIDECAR_CONTAINER.replace(/-/g, '\\-');
  return new RegExp(`container "?${c}"? (is not valid for pod|not found in pod)`).test(text);
}

export function noSidecarError(pod: PodRef): KubeAccessError {
  return new KubeAccessError(
    `${pod.namespace}/${pod.name} has no ${SIDECAR_CONTAINER} container: it runs without an Istio sidecar, so there is no Envoy to ask`,
    'pick a pod with an Istio sidecar (the Mesh explorer marks pods without one); if this pod should have one, check its sidecar.istio.io/inject label and the namespace\'s istio-injection label',
    400,
    'NoSidecar',
  );
}
