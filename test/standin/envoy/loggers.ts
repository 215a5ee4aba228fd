import { readFileSync } from 'node:fs';
import { realFixture } from '../fixtures';

export const ENVOY_LOG_LEVELS = ['trace', 'debug', 'info', 'warning', 'error', 'critical', 'off'] as const;
export type EnvoyLogLevel = (typeof ENVOY_LOG_LEVELS)[number];

export function isEnvoyLogLevel(text: string): text is EnvoyLogLevel {
  return (ENVOY_LOG_LEVELS as readonly string[]).includes(text);
}

/** Whether a line at `lineLevel` is written by a logger set to `loggerLevel`. */
export function levelEnabled(loggerLevel: EnvoyLogLevel, lineLevel: EnvoyLogLevel): boolean {
  return ENVOY_LOG_LEVELS.indexOf(lineLevel) >= ENVOY_LOG_LEVELS.indexOf(loggerLevel);
}

let loggerNames: readonly string[] | null = null;

/**
 * Loggers of current Envoys that the recorded listing (from an older Envoy) lacks but the
 * incident's debug sequence writes to (`[conn_handler] [C331] new connection`).
 */
const NEWER_LOGGERS = ['conn_handler'];

/**
 * Envoy's logger names, in Envoy's order, read from a real `POST /logging` answer (istioctl's
 * test data) rather than typed in, then the newer ones.
 */
export function envoyLoggerNames(): readonly string[] {
  loggerNames ??= readFileSync(realFixture('istio/istioctl-envoy-logging.txt'), 'utf8')
    .split('\n')
    .map((line) => /^\s+([\w.]+):\s*\w+\s*$/.exec(line)?.[1])
    .filter((name): name is string => !!name)
    .concat(NEWER_LOGGERS);
  return loggerNames;
}

/** Envoy's listing, as `POST /logging` prints it after every change (an empty line at the end). */
export function formatActiveLoggers(levels: ReadonlyMap<string, EnvoyLogLevel>): string {
  let text = 'active loggers:\n';
  for (const [name, level] of levels) text += `  ${name}: ${level}\n`;
  return text + '\n';
}
