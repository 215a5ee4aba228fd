import { readConfig } from '../config';

/**
 * The core lints synchronously, so a cancellation token alone cannot stop a pathological document
 * (the token only flips when the event loop runs). A wall-clock budget bounds the time the
 * extension host is blocked; the token still stops work that has not started yet.
 */
export const LINT_TIME_BUDGET_MS = 2000;

export function cancellationCheck(token: { readonly isCancellationRequested: boolean } | undefined): {
  isCancelled: () => boolean;
  overBudget: () => boolean;
} {
  const deadline = performance.now() + LINT_TIME_BUDGET_MS;
  const overBudget = (): boolean => performance.now() > deadline;
  return { isCancelled: () => token?.isCancellationRequested === true || overBudget(), overBudget };
}

export function maxLintChars(): number {
  const mb = readConfig().lintMaxFileSizeMB;
  // A non-positive or non-numeric setting would disable the bound; keep the default instead.
  return (Number.isFinite(mb) && mb > 0 ? mb : 2) * 1024 * 1024;
}

export function formatMegabytes(chars: number): string {
  return `${(chars / (1024 * 1024)).toFixed(1)} MB`;
}
