import { type PodRecord } from '../model/podRecord';

/** Whether the client asked for server-side printing (kubectl's default `get` output). */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /;\s*as=Table/.test(accept);
}

/** Ages as kubectl prints them: `45s`, `3m12s`, `15m`, `2h30m`, `20h`, `3d`. */
export function humanAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  if (s < 120) return `${s}s`;
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (h < 3) return `${m}m`;
  if (h < 8) return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

function countReady(pod: PodRecord): string {
  const status = pod.toJson().status as { containerStatuses?: { ready: boolean }[]; initContainerStatuses?: { name: string; ready: boolean }[] };
  // Native sidecars (restartable init containers) count as containers, as kubectl shows them.
  const statuses = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? []).filter((c) => c.name === 'istio-proxy')];
  return `${statuses.filter((c) => c.ready).length}/${statuses.length}`;
}

/**
 * A meta.k8s.io/v1 Table of pods (NAME READY STATUS RESTARTS AGE), each row carrying the pod's
 * metadata as PartialObjectMetadata so kubectl can add the NAMESPACE column.
 */
export function podTable(pods: readonly PodRecord[], resourceVersion: number, nowMs: number, continueToken?: string): unknown {
  const column = (name: string, type: string, description: string, format = '') => ({ name, type, format, description, priority: 0 });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: String(resourceVersion), ...(continueToken ? { continue: continueToken } : {}) },
    columnDefinitions: [
      column('Name', 'string', 'Name must be unique within a namespace.', 'name'),
      column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
      column('Status', 'string', 'The aggregate status of the containers in this pod.'),
      column('Restarts', 'string', 'The number of times the containers in this pod have been restarted.'),
      column('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.'),
    ],
    rows: pods.map((pod) => ({
      cells: [pod.name, countReady(pod), pod.deletedMs !== null ? 'Terminating' : pod.phase, String([...pod.restarts.values()].reduce((a, b) => a + b, 0)), humanAge(nowMs - pod.createdMs)],
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pod.toJson().metadata },
    })),
  };
}
