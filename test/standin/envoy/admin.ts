import { clusterStatusesJson, clusterStatusesText } from './clusterStatus';
import { bootstrapNode, selectConfigDump } from './configDump';
import { envoyVersionFor } from './istioVersion';
import { handleLogging } from './logging';
import { type EnvoyProxy } from './proxy';
import { renderPrometheus, renderStats } from './stats';

export interface AdminResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const TEXT = 'text/plain; charset=UTF-8';
const JSON_TYPE = 'application/json';

/** Admin endpoints that change state: Envoy refuses them unless the method is POST. */
const MUTATING = new Set(['/logging', '/quitquitquit', '/healthcheck/fail', '/healthcheck/ok', '/reset_counters', '/drain_listeners', '/runtime_modify']);

const HELP: Record<string, string> = {
  '/clusters': 'upstream cluster status',
  '/config_dump': 'dump current Envoy configs (experimental)',
  '/logging': 'query/change logging levels',
  '/ready': 'print server state, return 200 if LIVE, otherwise return 503',
  '/server_info': 'print server version/status information',
  '/stats': 'print server stats',
  '/stats/prometheus': 'print server stats in prometheus format',
};

function text(status: number, body: string): AdminResponse {
  return { status, contentType: TEXT, body };
}

function json(body: unknown): AdminResponse {
  return { status: 200, contentType: JSON_TYPE, body: JSON.stringify(body, null, 2) + '\n' };
}

function serverInfo(proxy: EnvoyProxy, nowMs: number): unknown {
  const uptime = `${Math.max(0, Math.floor((nowMs - proxy.startedMs) / 1000))}s`;
  const envoy = envoyVersionFor(proxy.version);
  // No Istio field here: Envoy's ServerInfo has none (Istio's version is in node.metadata.ISTIO_VERSION).
  return {
    version: `6d5b4f1a0c2e9b8d7f3a1c5e4b2d0f9a8c7e6b5d/${envoy}/Clean/RELEASE/BoringSSL`,
    state: 'LIVE',
    hot_restart_version: 'disabled',
    command_line_options: {
      base_id: '0',
      concurrency: 2,
      config_path: 'etc/istio/proxy/envoy-rev.json',
      log_level: proxy.spec.proxyLogLevel ?? 'warning',
      component_log_level: proxy.spec.componentLogLevel ?? 'misc:error',
      restart_epoch: 0,
      drain_time: '45s',
      parent_shutdown_time: '60s',
    },
    node: { ...bootstrapNode(proxy), user_agent_build_version: { version: { major_number: 1, minor_number: proxy.envoyMinor } } },
    uptime_current_epoch: uptime,
    uptime_all_epochs: uptime,
  };
}

/**
 * Answers one request to a pod's Envoy admin API (port 15000), the same whether it came through
 * port-forward (HTTP) or `pilot-agent request` (exec).
 */
export function handleEnvoyAdmin(proxy: EnvoyProxy, method: string, pathAndQuery: string, nowMs: number): AdminResponse {
  const url = new URL(pathAndQuery.startsWith('/') ? pathAndQuery : `/${pathAndQuery}`, 'http://envoy.invalid');
  const path = url.pathname;
  if (MUTATING.has(path) && method !== 'POST') return text(405, `Method ${method} not allowed, POST required.`);
  switch (path) {
    case '/server_info':
      return json(serverInfo(proxy, nowMs));
    case '/ready':
      return text(200, 'LIVE\n');
    case '/clusters':
      return url.searchParams.get('format') === 'json' ? json(clusterStatusesJson(proxy, nowMs)) : text(200, clusterStatusesText(proxy, nowMs));
    case '/config_dump': {
      const r = selectConfigDump(proxy, url.searchParams);
      return r.ok ? json(r.body) : text(r.status, r.message);
    }
    case '/stats': {
      const r = renderStats(proxy, url.searchParams, nowMs);
      return r.ok ? { status: 200, contentType: r.contentType, body: r.body } : text(400, r.message);
    }
    case '/stats/prometheus':
      return { status: 200, contentType: 'text/plain; charset=UTF-8', body: renderPrometheus(proxy, nowMs) };
    case '/logging': {
      const r = handleLogging(proxy, url.searchParams);
      return text(r.status, r.body);
    }
    default: {
      const help = Object.entries(HELP).map(([p, d]) => `  ${p}: ${d}\n`).join('');
      return text(404, `invalid path. admin commands are:\n${help}`);
    }
  }
}
