import { type PodLogSource, type PodRef } from '../podAccess';
import { LogResumeCursor, type TimestampedLine } from './logResume';

export interface FollowContainerOptions {
  readonly source: PodLogSource;
  readonly pod: PodRef;
  readonly container: string;
  /** Lines of history to show when the follow starts (not on resumes). */
  readonly initialTailLines?: number;
  readonly onLine: (line: TimestampedLine) => void;
  /** Told when the stream ends or fails and whether it will resume, for the view's status line. */
  readonly onInterruption?: (reason: string, willResume: boolean) => void;
  /**
   * Asked after the stream ends or fails: resume only while the pod still exists (a pod deleted
   * while followed ends its log; a restarted container continues in the same pod).
   */
  readonly shouldResume: () => Promise<boolean>;
  /** Delay before the first retry; doubles up to 8x on consecutive failures without a line. */
  readonly retryDelayMs?: number;
  readonly signal: AbortSignal;
}

/**
 * Follows one container until `signal` aborts or the pod is gone, resuming after every dropped
 * stream or restart from the last seen timestamp with the boundary de-duplicated.
 */
export async function followContainer(o: FollowContainerOptions): Promise<void> {
  const cursor = new LogResumeCursor();
  const baseDelay = o.retryDelayMs ?? 1000;
  let failures = 0;
  let first = true;
  while (!o.signal.aborted) {
    let sawLine = false;
    let reason = 'log stream ended';
    cursor.beginResume();
    const sinceTime = cursor.sinceTime();
    try {
      await o.source.streamLogs(
        o.pod,
        {
          container: o.container,
          follow: true,
          timestamps: true,
          ...(sinceTime ? { sinceTime } : first && o.initialTailLines !== undefined ? { tailLines: o.initialTailLines } : {}),
        },
        (raw) => {
          const line = cursor.accept(raw);
          if (line) {
            sawLine = true;
            o.onLine(line);
          }
        },
        o.signal,
      );
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err);
    }
    first = false;
    if (o.signal.aborted) return;
    failures = sawLine ? 0 : failures + 1;
    const resume = await o.shouldResume().catch(() => false);
    o.onInterruption?.(reason, resume);
    if (!resume) return;
    await sleep(baseDelay * Math.min(8, 2 ** Math.max(0, failures - 1)), o.signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
