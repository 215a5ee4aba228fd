import { type EnvoyLogLevel, type LoggerLevels, isLoggerName } from './levels';

/**
 * What the user asked for: every logger at one level, or named loggers at given levels.
 * The admin requests are one per logger (`POST /logging?<name>=<level>`), the form every Envoy
 * version accepts; the `?paths=` form is newer and, with fine-grain logging, means file globs.
 */
export type LoggingChange =
  | { readonly kind: 'all'; readonly level: EnvoyLogLevel }
  | { readonly kind: 'loggers'; readonly levels: LoggerLevels };

/** The loggers that show a connection's life: accept, pool, connect/timeout, routing, HTTP codec. */
export const CONNECTION_PROBLEM_LOGGERS = ['connection', 'pool', 'conn_handler', 'upstream', 'router', 'http', 'filter'] as const;

export type LoggingPresetId = 'connection' | 'everything';

export function presetChange(preset: LoggingPresetId, level: EnvoyLogLevel = 'debug'): LoggingChange {
  if (preset === 'everything') return { kind: 'all', level };
  return loggersChange(CONNECTION_PROBLEM_LOGGERS, level);
}

export function loggersChange(names: readonly string[], level: EnvoyLogLevel): LoggingChange {
  const levels: Record<string, EnvoyLogLevel> = {};
  for (const n of names) levels[n] = level;
  return { kind: 'loggers', levels };
}

/** The `pathAndQuery` of each admin request that applies the change, in a stable order. */
export function loggingRequests(change: LoggingChange): string[] {
  if (change.kind === 'all') return [`/logging?level=${change.level}`];
  return Object.keys(change.levels)
    .sort()
    .map((name) => {
      if (!isLoggerName(name)) throw new Error(`Not an Envoy logger name: ${JSON.stringify(name)}`);
      return `/logging?${name}=${change.levels[name]}`;
    });
}

/**
 * Loggers in `change` that the pod does not have. Envoy answers an unknown logger with an error page
 * (and older versions with 404), so they are dropped before sending and reported instead.
 */
export function unknownLoggers(change: LoggingChange, available: LoggerLevels): string[] {
  if (change.kind === 'all') return [];
  return Object.keys(change.levels).filter((n) => !(n in available)).sort();
}

/** The change limited to the loggers the pod has. */
export function restrictToAvailable(change: LoggingChange, available: LoggerLevels): LoggingChange {
  if (change.kind === 'all') return change;
  const levels: Record<string, EnvoyLogLevel> = {};
  for (const [n, l] of Object.entries(change.levels)) if (n in available) levels[n] = l;
  return { kind: 'loggers', levels };
}

/** Parses the CLI's `--loggers a:debug,b:trace`; throws a message naming the bad item. */
export function parseLoggersSpec(spec: string, toLevel: (t: string) => EnvoyLogLevel | undefined): LoggingChange {
  const levels: Record<string, EnvoyLogLevel> = {};
  for (const item of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, levelText, extra] = item.split(':');
    const level = levelText === undefined ? undefined : toLevel(levelText);
    if (extra !== undefined || !name || !isLoggerName(name) || !level) {
      throw new Error(`Bad logger item ${JSON.stringify(item)}: expected name:level, level one of trace, debug, info, warning, error, critical, off`);
    }
    levels[name] = level;
  }
  if (Object.keys(levels).length === 0) throw new Error('--loggers needs at least one name:level');
  return { kind: 'loggers', levels };
}
