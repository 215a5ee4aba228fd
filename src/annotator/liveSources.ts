import type { PodLike } from '../core/pods';
import type { PodLogSource, PodRef } from '../kube/types';
import { describeAccessFailure } from '../services/accessHints';
import type { LiveLogDocuments } from './liveLogDocuments';
import type { AnnotateInput } from './sources';

/** How the annotator reaches a cluster; the default reads the kubeconfig, tests can pass their own. */
export interface LiveClusterAccess {
  logSource(context: string): PodLogSource;
  readPod(pod: PodRef): Promise<PodLike>;
  /** The pods of the Deployment/StatefulSet/DaemonSet owning `pod`, or null when nothing owns it. */
  workloadPods(pod: PodRef): Promise<{ label: string; pods: LivePod[] } | null>;
}

/** A pod to read logs from: its ref, and the pod object when the Mesh tree already has it. */
export interface LivePod {
  readonly pod: PodRef;
  readonly raw?: PodLike;
}

/** Every container whose log can hold either side: app containers and the sidecar, native or not. */
export function logContainers(pod: PodLike): string[] {
  const regular = pod.spec?.containers?.map((c) => c.name) ?? [];
  const nativeSidecars = pod.spec?.initContainers?.filter((c) => c.restartPolicy === 'Always').map((c) => c.name) ?? [];
  return [...regular, ...nativeSidecars];
}

export interface LiveFetch {
  readonly inputs: AnnotateInput[];
  /** Containers whose log could not be read, with what to do; the others are still correlated. */
  readonly warnings: string[];
}

/**
 * Reads the logs since `sinceTime` of every container of `pods`, one container at a time (the
 * machine and the API server both stay calm), keeping them as openable documents of run `runId`.
 */
export async function fetchLiveInputs(
  pods: readonly LivePod[],
  sinceTime: string,
  access: LiveClusterAccess,
  documents: LiveLogDocuments,
  runId: number,
  signal: AbortSignal,
  onProgress: (text: string) => void,
): Promise<LiveFetch> {
  const inputs: AnnotateInput[] = [];
  const warnings: string[] = [];
  for (const { pod, raw } of pods) {
    let containers: string[];
    try {
      containers = logContainers(raw ?? (await access.readPod(pod)));
    } catch (err) {
      warnings.push(`Could not read pod ${pod.namespace}/${pod.name}: ${describeAccessFailure(err)}`);
      continue;
    }
    const source = access.logSource(pod.context);
    for (const container of containers) {
      if (signal.aborted) return { inputs, warnings };
      onProgress(`Reading ${pod.name}/${container} logs…`);
      const lines: string[] = [];
      try {
        await source.streamLogs(pod, { container, follow: false, sinceTime, timestamps: true }, (line) => lines.push(line), signal);
      } catch (err) {
        warnings.push(`Could not read the ${container} log of ${pod.namespace}/${pod.name}: ${describeAccessFailure(err)}`);
        if (lines.length === 0) continue;
      }
      const uri = documents.uriFor(runId, pod, container);
      documents.store(runId, uri, lines);
      inputs.push({
        source: { file: uri.toString(), label: `${pod.namespace}/${pod.name}/${container}`, firstLine: 1 },
        input: { file: uri.toString(), lines, pod: pod.name, container },
      });
    }
  }
  return { inputs, warnings };
}
