import { k8s, type ClientNode } from './clientNode';
import { KubeTimeoutError } from './types';

/** How long one cluster call may take unless the user sets otherwise (CLI --timeout, meshDoctor.requestTimeoutSeconds). */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;

export interface Deadline {
  /** Aborts when the caller's signal does or when the time is up. */
  readonly signal: AbortSignal;
  /** True when the time ran out (not when the caller cancelled). */
  timedOut(): boolean;
}

/** A time limit of `seconds` on one call, combined with the caller's own cancellation. */
export function deadline(seconds: number, signal?: AbortSignal): Deadline {
  const timer = AbortSignal.timeout(Math.max(1, Math.round(seconds * 1000)));
  return { signal: signal ? AbortSignal.any([signal, timer]) : timer, timedOut: () => timer.aborted && !signal?.aborted };
}

export function timeoutError(seconds: number, waitingFor: string): KubeTimeoutError {
  return new KubeTimeoutError(`timed out after ${seconds} s waiting for ${waitingFor}`, seconds);
}

/** What the timed HTTP library throws; toKubeAccessError words it with the action that was attempted. */
export class ApiRequestTimeout extends Error {
  override readonly name = 'ApiRequestTimeout';
  constructor(readonly seconds: number) {
    super(`no answer from the API server within ${seconds} s`);
  }
}

/**
 * client-node's fetch library with a time limit on every typed API call (readNamespacedPod, list
 * calls, ...), which client-node itself never sets: a stalled API server would hang the caller.
 */
export function timedHttpLibrary(seconds: number): ClientNode.HttpLibrary {
  const fetchLibrary = new k8s.IsomorphicFetchHttpLibrary();
  return k8s.wrapHttpLibrary({
    async send(request) {
      const limit = deadline(seconds, request.getSignal());
      request.setSignal(limit.signal);
      try {
        const response = await fetchLibrary.send(request).toPromise();
        // The body is read here, under the same limit: a server that stalls mid-body is a timeout too.
        const body = await response.body.binary();
        return new k8s.ResponseContext(response.httpStatusCode, response.headers, { text: async () => body.toString('utf8'), binary: async () => body });
      } catch (err) {
        throw limit.timedOut() ? new ApiRequestTimeout(seconds) : err;
      }
    },
  });
}
