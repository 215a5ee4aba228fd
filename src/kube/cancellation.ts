/** Waiting that a signal can cut short, for the front ends' long-running cluster work (diagnose, verify). */

export function abortError(message: string): Error {
  const err = new Error(message);
  err.name = 'AbortError';
  return err;
}

/** Whether `err` is a cancellation (an AbortError: the signal's own, fetch's, or one of ours). */
export function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

/** Resolves after `ms`, or rejects with an AbortError saying `what` was cancelled as soon as `signal` aborts. */
export function sleep(ms: number, what: string, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(`${what} was cancelled`));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(`${what} was cancelled`));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
