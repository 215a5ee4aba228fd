import { LoggerLevels } from './levels';
import { LoggingChange, loggingRequests } from './change';

/**
 * The fewest admin requests that take a pod from `current` back to `saved`: when every saved
 * logger had one level (the usual case, e.g. all `warning`), one `?level=` request; otherwise one
 * request per logger whose level differs. Loggers the pod gained since (a new Envoy after a
 * restart) are left alone, and loggers it lost cannot be set, so both are ignored.
 */
export function planRestore(saved: LoggerLevels, current: LoggerLevels): string[] {
  const changed = Object.keys(saved).filter((n) => n in current && current[n] !== saved[n]);
  if (changed.length === 0) return [];
  const distinct = new Set(Object.values(saved));
  const sameLoggers = Object.keys(current).every((n) => n in saved);
  if (distinct.size === 1 && sameLoggers) {
    return loggingRequests({ kind: 'all', level: [...distinct][0] });
  }
  const levels: Record<string, LoggerLevels[string]> = {};
  for (const n of changed) levels[n] = saved[n];
  return loggingRequests({ kind: 'loggers', levels });
}

/** Loggers whose level after a restore still differs from what was saved (empty means exact). */
export function restoreMismatches(saved: LoggerLevels, after: LoggerLevels): string[] {
  return Object.keys(saved).filter((n) => n in after && after[n] !== saved[n]).sort();
}

/** True when `after` shows every logger of the change at the requested level. */
export function changeApplied(change: LoggingChange, after: LoggerLevels): boolean {
  if (change.kind === 'all') return Object.values(after).every((l) => l === change.level);
  return Object.entries(change.levels).every(([n, l]) => !(n in after) || after[n] === l);
}
