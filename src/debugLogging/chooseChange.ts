import { CONNECTION_PROBLEM_LOGGERS, type LoggingChange, loggersChange, presetChange } from '../core/envoyLogging/change';
import { ENVOY_LOG_LEVELS, type EnvoyLogLevel, type LoggerLevels, toEnvoyLogLevel } from '../core/envoyLogging/levels';
import { type UserInterface, abortOnCancel } from '../services/ui';

/** What a caller (a test, a keybinding with args) can pass instead of answering the pickers. */
export interface EnableOptions {
  readonly preset?: 'connection' | 'everything';
  readonly loggers?: readonly string[];
  readonly level?: string;
}

export function changeFromOptions(o: EnableOptions): LoggingChange | undefined {
  const level = o.level === undefined ? 'debug' : toEnvoyLogLevel(o.level);
  if (!level) throw new Error(`Unknown Envoy log level "${o.level}": use trace, debug, info, warning, error, critical or off`);
  if (o.loggers && o.loggers.length > 0) return loggersChange(o.loggers, level);
  if (o.preset) return presetChange(o.preset, level);
  return undefined;
}

export function describeLoggingChange(change: LoggingChange): string {
  if (change.kind === 'all') return `all loggers at ${change.level}`;
  const names = Object.keys(change.levels);
  const level = change.levels[names[0]];
  const preset = names.length === CONNECTION_PROBLEM_LOGGERS.length && CONNECTION_PROBLEM_LOGGERS.every((n) => change.levels[n] === level);
  return preset ? `connection problems at ${level}` : `${names.join(', ')} at ${[...new Set(Object.values(change.levels))].join('/')}`;
}

/**
 * Preset, or loggers from the pod's own list (`readLoggers` reads them only if the user wants to
 * choose) and a level. Undefined when cancelled.
 */
export async function pickChange(ui: UserInterface, readLoggers: (signal: AbortSignal) => Promise<LoggerLevels>): Promise<LoggingChange | undefined> {
  const preset = await ui.pick(
    [
      { label: 'Connection problems', description: CONNECTION_PROBLEM_LOGGERS.join(', '), id: 'connection' as const },
      { label: 'Everything', description: 'every logger (?level=debug): very verbose', id: 'everything' as const },
      { label: 'Choose loggers…', description: "from the pod's logger list", id: 'choose' as const },
    ],
    { title: 'Enable Envoy debug logging', placeHolder: 'What to log at debug' },
  );
  if (!preset) return undefined;
  if (preset.id !== 'choose') return presetChange(preset.id);
  const current = await ui.withProgress('Reading Envoy loggers', (_progress, token) => abortOnCancel(token, readLoggers));
  // Logger names come from the pod: the seam escapes them in labels and descriptions.
  const loggers = await ui.pickMany(
    Object.keys(current)
      .sort()
      .map((n) => ({ label: n, description: `now ${current[n]}`, picked: (CONNECTION_PROBLEM_LOGGERS as readonly string[]).includes(n) })),
    { title: 'Loggers to change' },
  );
  if (!loggers || loggers.length === 0) return undefined;
  const level = await ui.pick(ENVOY_LOG_LEVELS.map((l: EnvoyLogLevel) => ({ label: l, level: l })), { title: 'Level', placeHolder: 'debug' });
  if (!level) return undefined;
  return loggersChange(
    loggers.map((l) => l.label),
    level.level,
  );
}
