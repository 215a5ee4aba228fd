import { type EnvoyLogLevel, type LoggerLevels } from './levels';
import { type LoggingChange, loggingRequests } from './change';

/** The level most saved loggers had (ties: the first one met, in Envoy's order). */
function majorityLevel(saved: LoggerLevels): EnvoyLogLevel | null {
  const counts = new Map<EnvoyLogLevel, number>();
  for (const level of Object.values(saved)) counts.set(level, (counts.get(level) ?? 0) + 1);
  let best: EnvoyLogLevel | null = null;
  for (const [level, n] of counts) if (best === null || n > counts.get(best)!) best = level;
  return best;
}

/**
 * The fewest admin requests that take a pod from `current` back to `saved`, whichever is fewer of:
 * - one request per logger whose level differs (`?pool=warning`), or
 * - one `?level=` for the level most saved loggers had, then one request per saved logger at
 *   another level. A sidecar as injected (`warning`, `misc: error`) after the "everything" preset
 *   is two requests (`?level=warning`, `?misc=error`), not one per logger (about 80).
 * `?level=` also sets loggers the pod gained since it was saved (a new Envoy after a restart), so
 * it is used only when they already are at that level; loggers it lost cannot be set and are ignored.
 */
export function planRestore(saved: LoggerLevels, current: LoggerLevels): string[] {
  const changed = Object.keys(saved).filter((n) => n in current && current[n] !== saved[n]);
  if (changed.length === 0) return [];
  const perLogger = (names: readonly string[]) => {
    const levels: Record<string, EnvoyLogLevel> = {};
    for (const n of names) levels[n] = saved[n];
    return names.length === 0 ? [] : loggingRequests({ kind: 'loggers', levels });
  };
  const majority = majorityLevel(saved);
  const gainedAtMajority = Object.keys(current).every((n) => n in saved || current[n] === majority);
  if (majority !== null && gainedAtMajority) {
    const exceptions = Object.keys(saved).filter((n) => n in current && saved[n] !== majority);
    if (1 + exceptions.length < changed.length) return [...loggingRequests({ kind: 'all', level: majority }), ...perLogger(exceptions)];
  }
  return perLogger(changed);
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
