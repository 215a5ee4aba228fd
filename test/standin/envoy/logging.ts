import { ENVOY_LOG_LEVELS, formatActiveLoggers, isEnvoyLogLevel } from './loggers';
import { type EnvoyProxy } from './proxy';

/**
 * Envoy's `/logging` changed twice (source/server/admin/logs_handler.cc, earlier admin.cc):
 * - before 1.15 (Istio 1.5 and 1.6: Envoy 1.14): no `paths=`; a bad request answers 404 with
 *   the usage text, then the listing;
 * - 1.15 to 1.26 (Istio 1.12: Envoy 1.20): `paths=` added, still 404 with the usage text only;
 * - 1.27 on (Istio 1.19+, e.g. 1.22: Envoy 1.30): 400 with `error: <reason>` before the usage.
 * Every release takes exactly one parameter: `level=`, `paths=` or `<logger>=`.
 */
const PATHS_SINCE_MINOR = 15;
const STATUS_ERRORS_SINCE_MINOR = 27;

function usage(envoyMinor: number): string {
  return (
    'usage: /logging?<name>=<level> (change single level)\n' +
    (envoyMinor >= PATHS_SINCE_MINOR ? 'usage: /logging?paths=name1:level1,name2:level2,... (change multiple levels)\n' : '') +
    'usage: /logging?level=<level> (change all levels)\n' +
    `levels: ${ENVOY_LOG_LEVELS.map((l) => `${l} `).join('')}\n`
  );
}

/** The changes one request asks for, or the reason Envoy refuses it (its own wording, without a name). */
function changesOf(proxy: EnvoyProxy, query: URLSearchParams): { changes: [string, string][] } | { error: string } {
  const params = [...query];
  if (params.length !== 1) return { error: 'invalid number of parameters' };
  const [key, value] = params[0];
  const changes: [string, string][] = [];
  if (key === 'level') for (const name of proxy.levels.keys()) changes.push([name, value]);
  else if (key === 'paths' && proxy.envoyMinor >= PATHS_SINCE_MINOR) {
    for (const pair of value.split(',')) {
      const parts = pair.split(':');
      if (parts.length !== 2) return { error: 'invalid paths= value' };
      changes.push([parts[0], parts[1]]);
    }
  } else changes.push([key, value]);
  for (const [name, level] of changes) {
    if (!isEnvoyLogLevel(level)) return { error: 'unknown logger level' };
    if (!proxy.levels.has(name)) return { error: 'unknown logger name' };
  }
  return { changes };
}

/**
 * `POST /logging`: no query lists the loggers; otherwise one change. A refused request changes
 * nothing and answers in the form of the proxy's Envoy release (see above), then the listing.
 */
export function handleLogging(proxy: EnvoyProxy, query: URLSearchParams): { status: number; body: string } {
  if ([...query].length === 0) return { status: 200, body: formatActiveLoggers(proxy.levels) };
  const r = changesOf(proxy, query);
  if ('error' in r) {
    const modern = proxy.envoyMinor >= STATUS_ERRORS_SINCE_MINOR;
    const head = modern ? `error: ${r.error}\n\n` : '';
    return { status: modern ? 400 : 404, body: `${head}${usage(proxy.envoyMinor)}${formatActiveLoggers(proxy.levels)}` };
  }
  for (const [name, level] of r.changes) if (isEnvoyLogLevel(level)) proxy.levels.set(name, level);
  return { status: 200, body: formatActiveLoggers(proxy.levels) };
}
