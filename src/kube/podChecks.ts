import { podNameProblem } from '../core/kubeNames';
import { detectSidecar, SIDECAR_CONTAINER, type PodLike } from '../core/pods';
import { KubeAccessError, type PodRef } from './types';

/**
 * Refuses a pod reference whose names Kubernetes would never accept, before it reaches a URL path
 * (`../x` would walk out of it) or a kubectl command line (`--filename=x` would be read as a flag).
 */
export function assertValidPodRef(pod: PodRef): void {
  const problem = podNameProblem(pod.namespace, pod.name);
  if (problem) throw new KubeAccessError(`not a valid pod: ${problem}`, { kind: 'pod-name' }, null, 'Invalid');
}

/**
 * After an Envoy admin call failed: true when the pod, read again, has no istio-proxy container to
 * exec into or forward to. The failure itself does not say so reliably (a refused upgrade is a bare
 * 400, kubelets word it differently), the pod spec does. False when the pod cannot be read.
 */
export async function confirmedWithoutSidecar(readPod: () => Promise<PodLike>): Promise<boolean> {
  try {
    const kind = detectSidecar(await readPod())?.kind;
    return kind !== 'container' && kind !== 'native';
  } catch {
    return false;
  }
}

export function noSidecarError(pod: PodRef): KubeAccessError {
  return new KubeAccessError(
    `${pod.namespace}/${pod.name} has no ${SIDECAR_CONTAINER} container: it runs without an Istio sidecar, so there is no Envoy to ask`,
    { kind: 'no-sidecar' },
    400,
    'NoSidecar',
  );
}
