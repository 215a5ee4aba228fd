import { type MeshModel } from '../model/meshModel';
import { type RequestScope } from '../model/faults';
import { type KubeStatus, forbiddenStatus, kubeStatus } from './status';

export const UNAUTHORIZED: KubeStatus = kubeStatus(401, 'Unauthorized');

/**
 * Applies the fault book to a request: a delay first, then a pod deletion, then an error Status if one is due.
 * Returns the Status to answer with, or null to serve the request.
 */
export async function applyFaults(model: MeshModel, scope: RequestScope, user: string, resourceForDenial: string, verbForDenial: string): Promise<KubeStatus | null> {
  const delay = model.faults.take('delay', scope);
  if (delay) await new Promise((resolve) => setTimeout(resolve, delay.delayMs ?? 1000));
  const deletion = model.faults.take('deletePod', scope);
  if (deletion && scope.namespace && scope.pod && model.getPod(scope.namespace, scope.pod)) model.deletePod(scope.namespace, scope.pod);
  const fault = model.faults.take('status', scope);
  if (!fault) return null;
  const code = fault.code ?? 500;
  if (fault.message) return kubeStatus(code, fault.message);
  if (code === 401) return UNAUTHORIZED;
  if (code === 403) return forbiddenStatus(user, verbForDenial, resourceForDenial, scope.pod, scope.namespace);
  return kubeStatus(code, code === 500 ? 'Internal error occurred: stand-in fault injected' : `stand-in fault ${code}`);
}

const VERB_WORDS: Record<RequestScope['verb'], [string, string]> = {
  list: ['list', 'pods'],
  watch: ['watch', 'pods'],
  get: ['get', 'pods'],
  delete: ['delete', 'pods'],
  log: ['get', 'pods/log'],
  exec: ['create', 'pods/exec'],
  portforward: ['create', 'pods/portforward'],
  discovery: ['get', 'nonresourceurls'],
};

export function denialWords(verb: RequestScope['verb']): { verb: string; resource: string } {
  const [v, resource] = VERB_WORDS[verb];
  return { verb: v, resource };
}
