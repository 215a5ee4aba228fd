import type { AccessRemedy } from '../../../src/kube/remedy';

/** One remedy of every kind (the Record type fails to compile when a kind is added without a sample). */
export const REMEDY_OF_EVERY_KIND: Record<AccessRemedy['kind'], AccessRemedy> = {
  kubeconfig: { kind: 'kubeconfig', problem: 'missing' },
  context: { kind: 'context', known: ['prod', 'dev'] },
  rbac: { kind: 'rbac', action: 'create pods/portforward in namespace shop (pods/exec is the fallback)', alternative: 'kubectl-transport' },
  gone: { kind: 'gone' },
  timeout: { kind: 'timeout' },
  'kubectl-path': { kind: 'kubectl-path' },
  'pod-name': { kind: 'pod-name' },
  'no-sidecar': { kind: 'no-sidecar' },
  check: { kind: 'check', advice: 'check the admin path; Envoy rejected the request' },
};
