import { type PodRef } from '../podAccess';
import { type LoggerLevels } from './levels';

/**
 * One pod whose Envoy levels Mesh Doctor raised, with exactly what to put back. The extension keeps
 * these in globalState, the CLI in a JSON file; both survive a crash so the next run can restore.
 */
export interface RaisedPod {
  readonly pod: PodRef;
  /** The pod's uid when raised: a pod recreated under the same name is a different Envoy. */
  readonly uid: string;
  readonly saved: LoggerLevels;
  /** Epoch ms. */
  readonly raisedAt: number;
  /** Epoch ms when it should be restored, or null to keep it raised until asked. */
  readonly revertAt: number | null;
  /** What was set, for display ("connection problems at debug"). */
  readonly description: string;
  /** The VS Code session that raised it (absent for the CLI), so another live window does not restore it. */
  readonly session?: string;
}

export function raisedPodKey(pod: PodRef, uid: string): string {
  return `${pod.context}/${pod.namespace}/${pod.name}/${uid}`;
}

/** Validates a stored record (globalState or a file can hold anything after a version change). */
export function isRaisedPod(v: unknown): v is RaisedPod {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  const pod = r.pod as Record<string, unknown> | undefined;
  return (
    typeof pod === 'object' &&
    pod !== null &&
    typeof pod.context === 'string' &&
    typeof pod.namespace === 'string' &&
    typeof pod.name === 'string' &&
    typeof r.uid === 'string' &&
    typeof r.saved === 'object' &&
    r.saved !== null &&
    typeof r.raisedAt === 'number' &&
    (r.revertAt === null || typeof r.revertAt === 'number')
  );
}

/** The earliest revert time among `pods`, or null when none expires. */
export function nextRevertAt(pods: readonly RaisedPod[]): number | null {
  let min: number | null = null;
  for (const p of pods) if (p.revertAt !== null && (min === null || p.revertAt < min)) min = p.revertAt;
  return min;
}

/** `9:12` for 552 s; `1:02:05` past an hour; never negative. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * Adds a record unless one exists for the same pod and uid: raising an already raised pod must keep
 * the levels from before the first raise, or a restore would put back debug.
 */
export function addRaised(pods: RaisedPod[], record: RaisedPod): { pods: RaisedPod[]; result: RaisedPod } {
  const key = raisedPodKey(record.pod, record.uid);
  const existing = pods.find((p) => raisedPodKey(p.pod, p.uid) === key);
  if (existing) {
    const kept = { ...existing, revertAt: record.revertAt, description: record.description };
    return { pods: pods.map((p) => (p === existing ? kept : p)), result: kept };
  }
  return { pods: [...pods, record], result: record };
}

export function removeRaised(pods: RaisedPod[], key: string): { pods: RaisedPod[]; result: RaisedPod | undefined } {
  const found = pods.find((p) => raisedPodKey(p.pod, p.uid) === key);
  return { pods: pods.filter((p) => p !== found), result: found };
}
