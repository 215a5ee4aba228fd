import { type PodRecord, PROXY_CONTAINER } from '../model/podRecord';

/**
 * Which container a log or exec request means, as the API server decides: the named one if the
 * pod has it; the only one when there is one; otherwise a 400 message listing the choices.
 */
export function chooseContainer(pod: PodRecord, requested: string | null): { ok: true; name: string } | { ok: false; message: string } {
  const all = pod.containerNames();
  if (requested) {
    return all.includes(requested) ? { ok: true, name: requested } : { ok: false, message: `container ${requested} is not valid for pod ${pod.name}` };
  }
  const init = pod.input.sidecar ? ['istio-init', ...(pod.input.sidecar.native ? [PROXY_CONTAINER] : [])] : [];
  const regular = all.filter((c) => !init.includes(c));
  if (regular.length === 1) return { ok: true, name: regular[0] };
  const initPart = init.length ? ` or one of the init containers: [${init.join(' ')}]` : '';
  return { ok: false, message: `a container name must be specified for pod ${pod.name}, choose one of: [${regular.join(' ')}]${initPart}` };
}
