import { stableNumber, stableUid } from '../model/ids';
import {
  STARTUP,
  envoyResetBody,
  goLogLine,
  goSlogLine,
  grpcJavaUnavailable,
  gunicornChainedReset,
  gunicornHttpError,
  javaConnectionResetTrace,
  pinoAxiosError,
  pythonLoggingLine,
  springBoot3Line,
  winstonJsonLine,
  zapJsonLine,
} from './appLayouts';
import { type EnvoyLogEvent } from './envoyLayout';
import { type CallEmission, type IdentityCallSchedule, SRC, callStart } from './identityCalls';
import { type AccessEntry, istioJsonAccessLine, istioTextAccessLine } from './istioAccessLog';

/**
 * The `causes` scenario's failures: one per cause the correlator names (src/core/correlate/types.ts
 * `ResetCause`, all but `unexplained`). Each pod calls one destination every `periodMs`, and each
 * call fails by its cause: the app logs its symptom in its runtime's layout, Envoy writes its
 * access-log line (Istio's text format, JSON for two pods) and, where its loggers are at debug,
 * its debug lines; pilot-agent writes its drain lines. Message texts are Envoy's and Istio's
 * (router.cc, conn_pool_base.cc, connection_impl.cc, conn_manager_impl.cc, filter_manager.cc;
 * pilot/pkg/model/telemetry_logging.go, pkg/envoy/agent.go) as the realistic corpus has them
 * (test/fixtures/realistic/logs/MANIFEST.md: the public threads each layout was rebuilt from);
 * hosts, addresses, ids and times are ours.
 */
export const STAND_IN_CAUSES = [
  'connect-timeout',
  'connection-refused',
  'tls-failure',
  'no-healthy-upstream',
  'circuit-breaker',
  'no-route',
  'idle-timeout',
  'max-duration',
  'upstream-reset',
  'proxy-shutdown',
  'upstream-connect-failure',
  'downstream-closed',
] as const;
export type StandInCause = (typeof STAND_IN_CAUSES)[number];

/** Where a cause pod's calls go: the Envoy cluster, its endpoint and the Service's address. */
export interface CauseTarget {
  readonly host: string;
  readonly port: number;
  /** The endpoint Envoy picks (`%UPSTREAM_HOST%`). */
  readonly endpoint: string;
  /** What the app dialled (`%DOWNSTREAM_LOCAL_ADDRESS%`): the Service's ClusterIP, or the external address. */
  readonly dialled: string;
  /** The Envoy cluster (`outbound|PORT||HOST`, or a subset's). */
  readonly cluster: string;
}

/** The pod a call is made from. */
export interface CallerPod {
  readonly name: string;
  readonly ip: string;
}

interface Call {
  readonly t: number;
  readonly k: number;
  /** The app's connection to its sidecar. */
  readonly downstream: number;
  /** Envoy's first upstream connection of the call (retries take the next ids). */
  readonly upstream: number;
  readonly stream: number;
  readonly sourcePort: number;
  readonly requestId: string;
  readonly pod: CallerPod;
}

interface CausePlan {
  readonly target: CauseTarget;
  /** Envoy loggers this pod's proxy starts at debug (the `sidecar.istio.io/componentLogLevel` annotation), where the cause's evidence is debug-only. */
  readonly debugLoggers?: readonly string[];
  /** The pod's Envoy logs as JSON (`--log_as_json`). */
  readonly envoyJson?: boolean;
  /** Happens once (the sidecar exits), not every period. */
  readonly once?: boolean;
  /** How the app's log starts; absent: a Spring Boot app's usual lines. */
  readonly startup?: (ms: number, app: string) => string[];
  calls(c: Call): CallEmission[];
}

const svc = (name: string, ns: string): string => `${name}.${ns}.svc.cluster.local`;
const target = (host: string, port: number, endpointIp: string, clusterIp: string, subset = ''): CauseTarget => ({
  host,
  port,
  endpoint: `${endpointIp}:${port}`,
  dialled: `${clusterIp}:${port}`,
  cluster: `outbound|${port}|${subset}|${host}`,
});

function envoy(at: number, logger: string, source: string, connectionId: number | null, message: string, streamId?: number): CallEmission {
  const event: EnvoyLogEvent = { level: 'debug', logger, source, connectionId, message, ...(streamId !== undefined ? { streamId } : {}) };
  return { atMs: at, kind: 'envoy', event };
}

const app = (at: number, lines: readonly string[]): CallEmission => ({ atMs: at, kind: 'app', lines });
const agent = (at: number, level: string, message: string): CallEmission => ({ atMs: at, kind: 'agent', level, message });

/** The access-log line of an HTTP call through `to`, ending at `startMs + durationMs`. */
function httpAccess(c: Call, to: CauseTarget, json: boolean, e: Partial<AccessEntry> & { method: string; path: string; protocol?: string; userAgent: string; responseCode: number; durationMs: number }): CallEmission {
  const entry: AccessEntry = {
    startMs: c.t,
    request: { method: e.method, path: e.path, protocol: e.protocol ?? 'HTTP/1.1', userAgent: e.userAgent, requestId: c.requestId, authority: `${to.host}:${to.port}` },
    responseCode: e.responseCode,
    flags: e.flags ?? [],
    details: e.details ?? null,
    terminationDetails: e.terminationDetails ?? null,
    transportFailureReason: e.transportFailureReason ?? null,
    bytesReceived: e.bytesReceived ?? 0,
    bytesSent: e.bytesSent ?? 0,
    durationMs: e.durationMs,
    upstreamServiceTimeMs: e.upstreamServiceTimeMs ?? null,
    upstreamHost: e.upstreamHost === undefined ? to.endpoint : e.upstreamHost,
    upstreamCluster: e.upstreamCluster === undefined ? to.cluster : e.upstreamCluster,
    upstreamLocal: e.upstreamLocal ?? null,
    downstreamLocal: to.dialled,
    downstreamRemote: `${c.pod.ip}:${c.sourcePort}`,
    serverName: null,
    routeName: e.routeName === undefined ? 'default' : e.routeName,
  };
  return { atMs: c.t + e.durationMs, kind: 'accessText', text: json ? istioJsonAccessLine(entry) : istioTextAccessLine(entry) };
}

/** Envoy's router picking the cluster for the request. */
const routeMatch = (c: Call, to: CauseTarget, path: string): CallEmission => envoy(c.t, 'router', `${SRC.router}:514`, c.downstream, `cluster '${to.cluster}' match for URL '${path}'`, c.stream);
const routerReset = (at: number, c: Call, reason: string, transport = ''): CallEmission =>
  envoy(at, 'router', `${SRC.router}:1277`, c.downstream, `upstream reset: reset reason: ${reason}, transport failure reason: ${transport}`, c.stream);
const localReply = (at: number, c: Call, details: string): CallEmission => envoy(at, 'http', `${SRC.http}:1044`, c.downstream, `Sending local reply with details ${details}`, c.stream);

/**
 * Istio's default retry policy (attempts 2, retryOn connect-failure,…): a failed connect is tried
 * three times, `spacingMs` apart; `attempt` gives attempt i's lines on connection `u`.
 */
function retried(c: Call, spacingMs: number, attempt: (at: number, u: number) => CallEmission[]): CallEmission[] {
  return [0, 1, 2].flatMap((i) => attempt(c.t + i * spacingMs, c.upstream + i));
}

function connecting(at: number, u: number, to: CauseTarget): CallEmission[] {
  return [
    envoy(at, 'pool', `${SRC.pool}:291`, null, 'creating a new connection (connecting=0)'),
    envoy(at, 'client', 'external/envoy/source/common/http/codec_client.cc:57', u, 'connecting'),
    envoy(at, 'connection', `${SRC.connection}:1009`, u, `connecting to ${to.endpoint}`),
    envoy(at, 'connection', `${SRC.connection}:1040`, u, 'connection in progress'),
  ];
}

const TLS_WRONG_VERSION = 'TLS_error:|268435703:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end';

const PLANS: Readonly<Record<StandInCause, CausePlan>> = {
  // Go net/http; DestinationRule connectTimeout 1s, three attempts: `UF,URX` after 3 s.
  'connect-timeout': {
    startup: STARTUP['go-log'],
    target: target(svc('ledger', 'finance'), 8443, '10.244.7.31', '10.96.118.40'),
    calls(c) {
      const to = this.target;
      const end = c.t + 3004;
      return [
        routeMatch(c, to, '/v1/postings'),
        ...retried(c, 1001, (at, u) => [
          ...connecting(at, u, to),
          envoy(at + 1000, 'pool', `${SRC.pool}:291`, u, 'connect timeout'),
          envoy(at + 1000, 'connection', `${SRC.connection}:146`, u, 'closing data_to_write=0 type=1'),
          routerReset(at + 1000, c, 'connection timeout'),
        ]),
        localReply(end, c, 'upstream_reset_before_response_started{connection_timeout}'),
        httpAccess(c, to, false, { method: 'POST', path: '/v1/postings', userAgent: 'Go-http-client/1.1', responseCode: 503, flags: ['UF', 'URX'], details: 'upstream_reset_before_response_started{connection_timeout}', bytesReceived: 412, bytesSent: 91, durationMs: 3004 }),
        app(end + 2, [goLogLine(end + 2, `ledger: POST http://${to.host}:${to.port}/v1/postings: unexpected status 503 Service Unavailable: ${envoyResetBody('connection timeout', true)}`)]),
      ];
    },
  },
  // Node (winston); nothing listens on the target port: ECONNREFUSED (111) on every attempt.
  'connection-refused': {
    startup: STARTUP.winston,
    target: target(svc('catalog', 'storefront'), 3000, '10.244.4.12', '10.96.44.21'),
    calls(c) {
      const to = this.target;
      const end = c.t + 53;
      const reason = 'delayed connect error: 111';
      return [
        routeMatch(c, to, '/graphql'),
        ...retried(c, 26, (at, u) => [
          ...connecting(at, u, to),
          envoy(at + 1, 'connection', `${SRC.connection}:771`, u, reason),
          envoy(at + 1, 'connection', `${SRC.connection}:276`, u, 'closing socket: 0'),
          envoy(at + 1, 'pool', `${SRC.pool}:291`, u, `client disconnected, failure reason: ${reason}`),
          routerReset(at + 1, c, 'remote connection failure', reason),
        ]),
        localReply(end, c, 'upstream_reset_before_response_started{remote_connection_failure,delayed_connect_error:_111}'),
        httpAccess(c, to, false, { method: 'POST', path: '/graphql', userAgent: 'node-fetch', responseCode: 503, flags: ['UF', 'URX'], details: 'upstream_reset_before_response_started{remote_connection_failure,delayed_connect_error:_111}', transportFailureReason: 'delayed_connect_error:_111', bytesReceived: 233, bytesSent: 145, durationMs: 53 }),
        app(end + 3, [winstonJsonLine(end + 3, 'storefront', `catalog request failed: 503 Service Unavailable - ${envoyResetBody(`remote connection failure, transport failure reason: ${reason}`, true)}`)]),
      ];
    },
  },
  // Python logging; a DestinationRule with tls.mode SIMPLE towards a port that speaks plain HTTP.
  'tls-failure': {
    startup: STARTUP['python-logging'],
    target: target(svc('vault', 'secrets'), 8200, '10.244.5.61', '10.96.77.2'),
    calls(c) {
      const to = this.target;
      const end = c.t + 10;
      return [
        routeMatch(c, to, '/v1/secret/data/app'),
        ...retried(c, 3, (at, u) => [
          ...connecting(at, u, to),
          envoy(at + 1, 'connection', `${SRC.connection}:746`, u, 'connected'),
          envoy(at + 2, 'connection', `${SRC.connection}:700`, u, `remote address:${to.endpoint},${TLS_WRONG_VERSION}`),
          envoy(at + 2, 'connection', `${SRC.connection}:276`, u, 'closing socket: 0'),
          routerReset(at + 2, c, 'connection failure', TLS_WRONG_VERSION),
        ]),
        localReply(end, c, `upstream_reset_before_response_started{connection_failure,${TLS_WRONG_VERSION.replace(/ /g, '_')}}`),
        httpAccess(c, to, false, { method: 'GET', path: '/v1/secret/data/app', userAgent: 'python-requests/2.31.0', responseCode: 503, flags: ['UF', 'URX'], details: `upstream_reset_before_response_started{connection_failure,${TLS_WRONG_VERSION.replace(/ /g, '_')}}`, transportFailureReason: TLS_WRONG_VERSION, bytesSent: 190, durationMs: 10 }),
        app(end + 2, [pythonLoggingLine(end + 2, 'secrets', `loading secrets failed: 503 Server Error: Service Unavailable for url: http://${to.host}:${to.port}/v1/secret/data/app (body: ${envoyResetBody(`connection failure, transport failure reason: ${TLS_WRONG_VERSION}`, true)})`)]),
      ];
    },
  },
  // Spring Boot 3 WebClient; outlier detection ejected both endpoints. JSON access log.
  'no-healthy-upstream': {
    target: target(svc('inventory', 'shop'), 8080, '10.244.3.71', '10.96.12.9'),
    calls(c) {
      const to = this.target;
      return [
        routeMatch(c, to, '/api/v1/stock/4471'),
        envoy(c.t, 'upstream', 'external/envoy/source/common/upstream/cluster_manager_impl.cc:2001', null, 'no healthy host for HTTP connection pool'),
        localReply(c.t, c, 'no_healthy_upstream'),
        httpAccess(c, to, true, { method: 'GET', path: '/api/v1/stock/4471', userAgent: 'ReactorNetty/1.1.18', responseCode: 503, flags: ['UH'], details: 'no_healthy_upstream', bytesSent: 19, durationMs: 0, upstreamHost: null }),
        app(c.t + 2, [springBoot3Line(c.t + 2, 'WARN', 'storefront', 'ctor-http-nio-3', 'c.e.s.inventory.StockClient', `stock lookup failed: 503 Service Unavailable from GET http://inventory.shop:8080/api/v1/stock/4471, body=no healthy upstream`)]),
      ];
    },
  },
  // Go gRPC (zap); connectionPool http2MaxRequests 1 and http1MaxPendingRequests 1: overflow. JSON access log.
  'circuit-breaker': {
    startup: STARTUP.zap,
    target: target(svc('quota', 'platform'), 9090, '10.244.8.14', '10.96.9.90'),
    calls(c) {
      const to = this.target;
      return [
        routeMatch(c, to, '/quota.v1.Quota/Reserve'),
        localReply(c.t, c, 'upstream_reset_before_response_started{overflow}'),
        httpAccess(c, to, true, { method: 'POST', path: '/quota.v1.Quota/Reserve', protocol: 'HTTP/2', userAgent: 'grpc-go/1.64.0', responseCode: 200, flags: ['UO'], details: 'upstream_reset_before_response_started{overflow}', durationMs: 0, upstreamHost: null }),
        app(c.t + 1, [zapJsonLine(c.t + 1, 'reserve/reserve.go:112', 'reserve failed', `rpc error: code = Unavailable desc = ${envoyResetBody('overflow', false)}`)]),
      ];
    },
  },
  // Python (gunicorn, requests) under outboundTrafficPolicy REGISTRY_ONLY: the `block_all` route's 502.
  'no-route': {
    startup: STARTUP.gunicorn,
    target: { host: 'rates.partner.example', port: 80, endpoint: '203.0.113.50:80', dialled: '203.0.113.50:80', cluster: 'BlackHoleCluster' },
    calls(c) {
      const to = this.target;
      return [
        httpAccess(c, to, false, { method: 'GET', path: '/v1/rates', userAgent: 'python-requests/2.31.0', responseCode: 502, details: 'direct_response', durationMs: 0, upstreamHost: null, upstreamCluster: null, routeName: 'block_all' }),
        app(c.t + 1, gunicornHttpError(c.t + 1, 9, '/refresh', '/app/rates/views.py', '502 Server Error: Bad Gateway', `http://${to.host}/v1/rates`)),
      ];
    },
  },
  // Node (pino, axios); the upstream's keep-alive timeout (5 s) is shorter than Envoy's idle
  // timeout (1 h): the upstream closes a pooled connection as Envoy reuses it (`UC`).
  'idle-timeout': {
    startup: STARTUP.pino,
    target: target(svc('billing', 'payments'), 8080, '10.244.6.30', '10.96.61.8'),
    debugLoggers: ['pool', 'router', 'connection', 'client', 'http'],
    envoyJson: true,
    calls(c) {
      const to = this.target;
      const u = c.upstream;
      return [
        routeMatch(c, to, '/v1/charges'),
        envoy(c.t, 'pool', `${SRC.pool}:291`, u, 'using existing fully connected connection'),
        envoy(c.t, 'pool', `${SRC.pool}:291`, u, 'creating stream'),
        envoy(c.t, 'router', `${SRC.router}:1369`, c.downstream, 'pool ready', c.stream),
        envoy(c.t + 1, 'connection', `${SRC.connection}:714`, u, 'remote close'),
        envoy(c.t + 1, 'connection', `${SRC.connection}:276`, u, 'closing socket: 0'),
        envoy(c.t + 1, 'client', 'external/envoy/source/common/http/codec_client.cc:57', u, 'disconnect. resetting 1 pending requests'),
        routerReset(c.t + 1, c, 'connection termination'),
        localReply(c.t + 1, c, 'upstream_reset_before_response_started{connection_termination}'),
        httpAccess(c, to, false, { method: 'POST', path: '/v1/charges', userAgent: 'axios/1.6.8', responseCode: 503, flags: ['UC'], details: 'upstream_reset_before_response_started{connection_termination}', bytesReceived: 138, bytesSent: 95, durationMs: 1 }),
        app(c.t + 3, [pinoAxiosError(c.t + 3, c.pod.name, 'charge failed', 503, envoyResetBody('connection termination', false))]),
      ];
    },
  },
  // Spring Boot 3; a DestinationRule maxConnectionDuration: Envoy drains the connection and closes it.
  'max-duration': {
    target: target(svc('customer-api', 'crm'), 8080, '10.244.2.90', '10.96.20.4'),
    debugLoggers: ['http', 'connection'],
    calls(c) {
      const to = this.target;
      const closeAt = c.t + 5000;
      return [
        envoy(c.t, 'http', 'external/envoy/source/common/http/conn_manager_impl.cc:391', c.downstream, 'max connection duration reached'),
        envoy(c.t, 'http', 'external/envoy/source/common/http/conn_manager_impl.cc:391', c.downstream, 'drain sequence started'),
        envoy(closeAt, 'connection', `${SRC.connection}:146`, c.downstream, 'closing data_to_write=0 type=2'),
        envoy(closeAt + 1000, 'connection', `${SRC.connection}:276`, c.downstream, 'closing socket: 1'),
        app(closeAt + 3, [
          springBoot3Line(closeAt + 3, 'ERROR', 'crm-web', 'nio-8080-exec-2', 'c.e.c.CustomerController', `Servlet.service() failed: I/O error on POST request for "http://${to.host}:${to.port}/customers": Connection reset`),
          ...javaConnectionResetTrace(),
        ]),
      ];
    },
  },
  // Python (gunicorn, urllib3); the upstream resets the stream after the response started.
  'upstream-reset': {
    startup: STARTUP.gunicorn,
    target: target(svc('exports', 'reports'), 8000, '10.244.4.50', '10.96.80.8'),
    calls(c) {
      const to = this.target;
      const end = c.t + 2210;
      return [
        routeMatch(c, to, '/exports/2024-11.csv'),
        envoy(end, 'connection', `${SRC.connection}:714`, c.upstream, 'remote close'),
        httpAccess(c, to, false, { method: 'GET', path: '/exports/2024-11.csv', userAgent: 'python-requests/2.31.0', responseCode: 200, flags: ['UR'], details: 'upstream_reset_after_response_started{remote_reset}', bytesSent: 1048576, durationMs: 2210, upstreamServiceTimeMs: 12 }),
        app(end + 2, gunicornChainedReset(end + 2, 12, '/monthly', '/app/reports/monthly.py')),
      ];
    },
  },
  // Go (slog); the pod is terminating: pilot-agent drains, then kills Envoy with the upload in flight.
  'proxy-shutdown': {
    startup: STARTUP['go-slog'],
    target: target(svc('blob', 'storage'), 80, '10.244.9.12', '10.96.71.2'),
    once: true,
    calls(c) {
      const to = this.target;
      const end = c.t + 5000;
      return [
        agent(c.t, 'info', 'Status server has successfully terminated'),
        agent(c.t + 1, 'info', 'Agent draining Proxy for termination'),
        agent(c.t + 2, 'info', 'Graceful termination period is 5s, starting...'),
        agent(c.t + 1200, 'warn', `xdsproxy\tupstream terminated with unexpected error rpc error: code = Unavailable desc = error reading from server: read tcp ${c.pod.ip}:47712->10.96.0.15:15012: read: connection reset by peer\tid=7`),
        agent(end, 'info', 'Graceful termination period complete, terminating remaining proxies.'),
        agent(end, 'warn', 'Aborting proxy'),
        agent(end + 3, 'info', 'Envoy aborted normally'),
        agent(end + 3, 'warn', 'Aborted proxy instance'),
        app(end + 4, [goSlogLine(end + 4, 'upload chunk failed', `Put "http://${to.host}/chunks/88": read tcp ${c.pod.ip}:${c.sourcePort}->${to.dialled}: read: connection reset by peer`)]),
        agent(end + 7, 'info', 'Agent has successfully terminated'),
      ];
    },
  },
  // gRPC-Java (logback); the connect fails with no more detail than `connection failure`.
  'upstream-connect-failure': {
    startup: STARTUP.logback,
    target: target(svc('stock', 'warehouse'), 9090, '10.244.10.7', '10.96.90.3'),
    calls(c) {
      const to = this.target;
      const end = c.t + 57;
      return [
        routeMatch(c, to, '/inventory.v1.Stock/Reserve'),
        ...retried(c, 27, (at, u) => [
          ...connecting(at, u, to),
          envoy(at + 2, 'pool', `${SRC.pool}:291`, u, 'client disconnected, failure reason: '),
          routerReset(at + 2, c, 'connection failure'),
        ]),
        httpAccess(c, to, false, { method: 'POST', path: '/inventory.v1.Stock/Reserve', protocol: 'HTTP/2', userAgent: 'grpc-java-netty/1.63.0', responseCode: 200, flags: ['UF', 'URX'], details: 'upstream_reset_before_response_started{connection_failure}', durationMs: 57 }),
        app(end + 2, grpcJavaUnavailable(end + 2, 'c.e.o.StockClient', 'reserve failed', envoyResetBody('connection failure', true))),
      ];
    },
  },
  // Spring Boot 3; Envoy closes the app's connection itself (`DC downstream_local_disconnect`).
  'downstream-closed': {
    target: target(svc('reports', 'bi'), 8000, '10.244.4.51', '10.96.80.9'),
    calls(c) {
      const to = this.target;
      const end = c.t + 18;
      return [
        envoy(end, 'connection', `${SRC.connection}:146`, c.downstream, 'closing data_to_write=0 type=1'),
        envoy(end, 'connection', `${SRC.connection}:276`, c.downstream, 'closing socket: 1'),
        httpAccess(c, to, false, { method: 'GET', path: '/reports/weekly', userAgent: 'Apache-HttpClient/5.2.1 (Java/17.0.9)', responseCode: 0, flags: ['DC'], details: 'downstream_local_disconnect', durationMs: 18 }),
        app(end + 2, [
          springBoot3Line(end + 2, 'ERROR', 'weekly', 'scheduling-1', 'c.e.w.WeeklyReportJob', `weekly report failed: I/O error on GET request for "http://${to.host}:${to.port}/reports/weekly": Connection reset`),
          ...javaConnectionResetTrace(),
        ]),
      ];
    },
  },
};

export function isStandInCause(text: string): text is StandInCause {
  return (STAND_IN_CAUSES as readonly string[]).includes(text);
}

export function causeTarget(cause: StandInCause): CauseTarget {
  return PLANS[cause].target;
}

/** The sidecar settings a cause's evidence needs: loggers at debug, JSON Envoy logs. */
export function causeSidecar(cause: StandInCause): { readonly debugLoggers: readonly string[]; readonly envoyJson: boolean } {
  return { debugLoggers: PLANS[cause].debugLoggers ?? [], envoyJson: !!PLANS[cause].envoyJson };
}

/** The app's first lines, or null for the stand-in's usual Spring Boot start. */
export function causeAppStartup(cause: StandInCause, ms: number, app: string): string[] | null {
  return PLANS[cause].startup?.(ms, app) ?? null;
}

/** When a cause pod's calls happen: every 10 s from a pod-specific moment after start. */
export function causeSchedule(podKey: string, startMs: number): IdentityCallSchedule {
  return {
    firstMs: startMs + 2000 + stableNumber(podKey, 3000),
    periodMs: 10_000,
    timeoutMs: 1000,
    firstConnectionId: 400 + stableNumber(podKey, 300) * 8,
    priorTimeouts: 20 + stableNumber(`${podKey}/prior`, 40),
  };
}

/** Calls of `cause` that ended at or before `nowMs` (a once-only cause: at most one). */
export function causeCallsDone(cause: StandInCause, s: IdentityCallSchedule, nowMs: number): number {
  const settle = 6000;
  const done = nowMs < s.firstMs + settle ? 0 : Math.floor((nowMs - s.firstMs - settle) / s.periodMs) + 1;
  return PLANS[cause].once ? Math.min(done, 1) : done;
}

/** The lines of call k of a cause pod, in time order of their emission. */
export function causeCallEmissions(cause: StandInCause, s: IdentityCallSchedule, k: number, pod: CallerPod): CallEmission[] {
  const plan = PLANS[cause];
  if (plan.once && k > 0) return [];
  const downstream = s.firstConnectionId + 8 * k;
  const uid = stableUid(`${pod.name}/${k}`);
  const call: Call = {
    t: callStart(s, k),
    k,
    downstream,
    upstream: downstream + 1,
    stream: 1_534_097_723_361_240 + s.firstConnectionId * 1000 + k,
    sourcePort: 32768 + ((k * 7919 + stableNumber(pod.name, 1000)) % 28000),
    requestId: uid,
    pod,
  };
  return plan.calls(call).sort((a, b) => a.atMs - b.atMs);
}
