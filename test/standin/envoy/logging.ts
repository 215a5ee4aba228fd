import { ENVOY_LOG_LEVELS, formatActiveLoggers, isEnvoyLogLevel } from './loggers';
import { EnvoyProxy } from './proxy';

const USAGE =
  'usage: /logging?<name>=<level> (change single level)\n' +
  'usage: /logging?paths=name1:level1,name2:level2,... (change multiple levels)\n' +
  'usage: /logging?level=<level> (change all levels)\n' +
  `levels: ${ENVOY_LOG_LEVELS.map((l) => `${l} `).join('')}\n`;

/**
 * `POST /logging`: no query lists the loggers; `level=` sets all, `<logger>=` one, `paths=` several.
 * A bad name or level changes nothing and answers 400 with Envoy's error and usage text.
 */
export function handleLogging(proxy: EnvoyProxy, query: URLSearchParams): { status: number; body: string } {
  const changes: [string, string][] = [];
  for (const [key, value] of query) {
    if (key === 'level') for (const name of proxy.levels.keys()) changes.push([name, value]);
    else if (key === 'paths') {
      for (const pair of value.split(',')) {
        const [name, level = ''] = pair.split(':');
        changes.push([name, level]);
      }
    } else changes.push([key, value]);
  }
  for (const [name, level] of changes) {
    const error = !proxy.levels.has(name) ? `unknown logger name: ${name}` : !isEnvoyLogLevel(level) ? `unknown logger level: ${level}` : null;
    if (error) return { status: 400, body: `error: ${error}\n\n${USAGE}${formatActiveLoggers(proxy.levels)}` };
  }
  for (const [name, level] of changes) if (isEnvoyLogLevel(level)) proxy.levels.set(name, level);
  return { status: 200, body: formatActiveLoggers(proxy.levels) };
}
