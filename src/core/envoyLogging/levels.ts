/**
 * Envoy's logger levels and the text its admin endpoint `POST /logging` answers with, e.g.
 *
 *     active loggers:
 *       admin: warning
 *       connection: debug
 *
 * Both a bare `POST /logging` and a `POST /logging?x=y` answer with this listing (after the change),
 * so one parser serves "read the current levels" and "read back what we set".
 */

export const ENVOY_LOG_LEVELS = ['trace', 'debug', 'info', 'warning', 'error', 'critical', 'off'] as const;
export type EnvoyLogLevel = (typeof ENVOY_LOG_LEVELS)[number];

/** Logger name -> level, as Envoy reported it. */
export type LoggerLevels = Readonly<Record<string, EnvoyLogLevel>>;

export class EnvoyLoggingParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvoyLoggingParseError';
  }
}

/** Accepts Envoy's spelling and its alias `warn`; anything else is undefined. */
export function toEnvoyLogLevel(text: string): EnvoyLogLevel | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'warn') return 'warning';
  return (ENVOY_LOG_LEVELS as readonly string[]).includes(t) ? (t as EnvoyLogLevel) : undefined;
}

/** Logger names are identifiers (Envoy registers them in code); this guards the query strings we build. */
const LOGGER_NAME = /^[A-Za-z0-9_.-]+$/;

export function isLoggerName(name: string): boolean {
  return LOGGER_NAME.test(name);
}

/**
 * Parses the `POST /logging` listing. Throws EnvoyLoggingParseError with the offending line when the
 * text is not a listing (an HTML error page, a 404 body, `pilot-agent` usage text), because silently
 * returning no loggers would later be saved as "the levels to restore".
 */
export function parseEnvoyLoggingListing(text: string): LoggerLevels {
  const refusal = envoyLoggingRefusal(text);
  if (refusal) throw new EnvoyLoggingParseError(`Envoy refused the /logging request: ${refusal}`);
  const levels: Record<string, EnvoyLogLevel> = {};
  let sawHeader = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    if (!sawHeader) {
      if (/^active loggers:?$/i.test(line)) {
        sawHeader = true;
        continue;
      }
      throw new EnvoyLoggingParseError(
        `Envoy's /logging answer does not start with "active loggers:" (line ${i + 1}: ${JSON.stringify(line.slice(0, 120))})`,
      );
    }
    const m = /^([^:\s]+):\s*(\S+)$/.exec(line);
    const level = m ? toEnvoyLogLevel(m[2]) : undefined;
    if (!m || !level) {
      throw new EnvoyLoggingParseError(`Unexpected line ${i + 1} in Envoy's /logging answer: ${JSON.stringify(line.slice(0, 120))}`);
    }
    levels[m[1]] = level;
  }
  if (!sawHeader) throw new EnvoyLoggingParseError("Envoy's /logging answer is empty");
  return levels;
}

/**
 * Why Envoy refused a `/logging` change, from its answer's text (whatever its status), or null
 * when the text is not a refusal. Envoy 1.27+ answers 400 with `error: <reason>` first (`unknown
 * logger name`, `unknown logger level`, `invalid number of parameters`); older releases answer 404
 * with the usage text only (source/server/admin/logs_handler.cc).
 */
export function envoyLoggingRefusal(text: string): string | null {
  const body = text.replace(/^Envoy admin \S+ \S+ answered \d{3}(?: \(not found\))?: /, '');
  const reason = /^error: ([^\n]+)/.exec(body.trimStart());
  if (reason) return reason[1].trim();
  if (/^usage: \/logging\?/.test(body.trimStart())) {
    return 'this Envoy (1.26 or older) answers an unknown logger, an unknown level or more than one parameter with its usage text';
  }
  return null;
}

/** Renders levels in Envoy's own layout (used by the CLI's text output). */
export function formatLoggerLevels(levels: LoggerLevels): string {
  const names = Object.keys(levels).sort();
  return ['active loggers:', ...names.map((n) => `  ${n}: ${levels[n]}`)].join('\n');
}
