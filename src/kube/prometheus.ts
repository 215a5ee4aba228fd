import * as http from 'node:http';
import * as https from 'node:https';
import type { PromSample, PromSeries } from '../core/overview/types';
import type { KubeClients } from './clients';
import { deadline } from './deadline';

/**
 * A client of Prometheus's HTTP API (`/api/v1/query`, `/api/v1/query_range`), which Thanos,
 * Mimir and VictoriaMetrics serve too. TLS verification is always on; credentials go in headers
 * and never into a message.
 */

export type PrometheusAuth = { readonly kind: 'bearer'; readonly token: string } | { readonly kind: 'basic'; readonly username: string; readonly password: string };

export interface PrometheusSettings {
  /** The base URL (`https://prometheus.example.com`, or a path prefix such as Mimir's `/prometheus`). */
  readonly url: string;
  readonly auth?: PrometheusAuth;
  /** Extra headers on every request (e.g. `X-Scope-OrgID` for multi-tenant Mimir). */
  readonly headers?: Readonly<Record<string, string>>;
  /** PEM of the CA(s) that sign the server's certificate; default Node's built-in roots. */
  readonly caPem?: string;
  /** Seconds each request may take. */
  readonly timeoutSeconds: number;
}

/** Where the in-cluster Prometheus is looked for (Kiali's default: istio-system/prometheus:9090). */
export interface PrometheusService {
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
}

export const DEFAULT_PROMETHEUS_SERVICE: PrometheusService = { namespace: 'istio-system', name: 'prometheus', port: 9090 };

/**
 * `NAMESPACE/NAME[:PORT]` (port default 9090) as the CLI flag and the setting write a Service;
 * null when it is not one (names are DNS-1123 labels).
 */
export function parsePrometheusService(text: string): PrometheusService | null {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)(?::(\d{1,5}))?$/.exec(text);
  const port = Number(m?.[5] ?? DEFAULT_PROMETHEUS_SERVICE.port);
  return m && port >= 1 && port <= 65535 ? { namespace: m[1], name: m[3], port } : null;
}

/** True when `name: value` can be sent as an HTTP header (an RFC 9110 token; no line break in the value). */
export function isValidHeader(name: string, value: string): boolean {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) && !/[\r\n\0]/.test(value);
}

/** Why a Prometheus call failed, without any secret: `unreachable`, `timeout`, `aborted`, `http` (a status without Prometheus's error JSON), `api` (Prometheus's `status: error`), `bad-response`. */
export type PrometheusErrorKind = 'unreachable' | 'timeout' | 'aborted' | 'http' | 'api' | 'bad-response';

export class PrometheusError extends Error {
  override readonly name = 'PrometheusError';
  constructor(
    message: string,
    readonly kind: PrometheusErrorKind,
    /** The HTTP status, when there was one. */
    readonly status: number | null = null,
    /** Prometheus's `errorType` (`bad_data`, `timeout`, `execution`, …), when it sent one. */
    readonly errorType: string | null = null,
  ) {
    super(message);
  }
}

export interface PrometheusAnswer<T> {
  readonly data: T;
  /** Prometheus's `warnings` (also how Thanos and Mimir say a result is partial). */
  readonly warnings: readonly string[];
}

export interface PrometheusClient {
  /** The server as messages name it: the URL without credentials, query or fragment. */
  readonly endpoint: string;
  /** How many HTTP requests this client has sent. */
  readonly requestCount: number;
  /** An instant query at `atSeconds` (unix seconds; default the server's now). */
  query(promql: string, options?: { readonly atSeconds?: number; readonly signal?: AbortSignal }): Promise<PrometheusAnswer<PromSample[]>>;
  queryRange(promql: string, range: { readonly startSeconds: number; readonly endSeconds: number; readonly stepSeconds: number }, signal?: AbortSignal): Promise<PrometheusAnswer<PromSeries[]>>;
}

/** Larger answers are refused rather than held in memory (topk keeps real ones far below). */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/** A URL for messages: no user info, query or fragment. */
export function describeEndpoint(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

interface Transport {
  readonly base: URL;
  readonly options: https.RequestOptions;
}

const NETWORK_WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS)',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
};

function networkError(err: unknown, endpoint: string): PrometheusError {
  const code = (err as { code?: unknown } | null)?.code;
  const words = typeof code === 'string' ? NETWORK_WORDS[code] ?? (code.startsWith('ERR_TLS') || /CERT|SELF_SIGNED|VERIFY/.test(code) ? `TLS verification failed (${code})` : code) : 'no connection';
  return new PrometheusError(`cannot reach Prometheus at ${endpoint}: ${words}`, 'unreachable');
}

/** Prometheus's error JSON (`{"status":"error","errorType":…,"error":…}`), or null. */
function apiError(body: string): { errorType: string; error: string } | null {
  try {
    const j = JSON.parse(body) as { status?: unknown; errorType?: unknown; error?: unknown };
    if (j?.status === 'error' && typeof j.error === 'string') return { errorType: typeof j.errorType === 'string' ? j.errorType : 'unknown', error: j.error };
  } catch {
    // not JSON: a proxy's or a gateway's page
  }
  return null;
}

/** The message of a Kubernetes Status (what the service proxy answers when the Service is missing). */
function statusMessage(body: string): string | null {
  try {
    const j = JSON.parse(body) as { kind?: unknown; message?: unknown };
    return j?.kind === 'Status' && typeof j.message === 'string' ? j.message : null;
  } catch {
    return null;
  }
}

function clip(text: string, max = 300): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

function toNumber(v: unknown): number {
  return typeof v === 'string' ? Number(v) : NaN;
}

function labelsOf(m: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof m !== 'object' || m === null) return out;
  for (const [k, v] of Object.entries(m)) if (typeof v === 'string') out[k] = v;
  return out;
}

function parseVector(data: unknown, endpoint: string): PromSample[] {
  const d = data as { resultType?: unknown; result?: unknown } | null;
  if (d?.resultType !== 'vector' || !Array.isArray(d.result)) throw new PrometheusError(`Prometheus at ${endpoint} answered an instant query without a vector`, 'bad-response');
  return d.result.map((r: { metric?: unknown; value?: unknown }) => ({ metric: labelsOf(r?.metric), value: Array.isArray(r?.value) ? toNumber(r.value[1]) : NaN }));
}

function parseMatrix(data: unknown, endpoint: string): PromSeries[] {
  const d = data as { resultType?: unknown; result?: unknown } | null;
  if (d?.resultType !== 'matrix' || !Array.isArray(d.result)) throw new PrometheusError(`Prometheus at ${endpoint} answered a range query without a matrix`, 'bad-response');
  return d.result.map((r: { metric?: unknown; values?: unknown }) => ({
    metric: labelsOf(r?.metric),
    points: (Array.isArray(r?.values) ? r.values : []).filter(Array.isArray).map((p: unknown[]) => [Number(p[0]), toNumber(p[1])] as const),
  }));
}

function createClient(transport: Transport, timeoutSeconds: number): PrometheusClient {
  const endpoint = describeEndpoint(transport.base);
  let requestCount = 0;

  async function get(apiPath: string, params: Record<string, string>, signal: AbortSignal | undefined): Promise<{ data: unknown; warnings: string[] }> {
    const url = new URL(transport.base.href.replace(/\/*$/, '/') + apiPath);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const limit = deadline(timeoutSeconds, signal);
    const request = url.protocol === 'https:' ? https.request : http.request;
    requestCount++;
    const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const failure = (err: unknown) => {
        if (limit.timedOut()) return new PrometheusError(`Prometheus at ${endpoint} did not answer within ${timeoutSeconds} s`, 'timeout');
        if (signal?.aborted) return new PrometheusError('cancelled', 'aborted');
        return err instanceof PrometheusError ? err : networkError(err, endpoint);
      };
      const req = request(url, { ...transport.options, method: 'GET', signal: limit.signal }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_ANSWER_BYTES) {
            req.destroy(new PrometheusError(`Prometheus at ${endpoint} answered more than ${MAX_ANSWER_BYTES / 1024 / 1024} MB; narrow the query`, 'bad-response'));
            return;
          }
          chunks.push(c);
        });
        res.on('error', (err) => reject(failure(err)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', (err) => reject(failure(err)));
      req.end();
    });
    const prometheusError = apiError(body.text);
    if (prometheusError) throw new PrometheusError(`Prometheus at ${endpoint} refused the query (${body.status} ${prometheusError.errorType}): ${clip(prometheusError.error)}`, 'api', body.status, prometheusError.errorType);
    if (body.status < 200 || body.status >= 300) {
      const what = body.status === 401 || body.status === 403 ? 'rejected the credentials' : 'answered';
      const detail = statusMessage(body.text) ?? body.text;
      throw new PrometheusError(`Prometheus at ${endpoint} ${what} (${body.status})${detail ? `: ${clip(detail, 200)}` : ''}`, 'http', body.status);
    }
    let parsed: { status?: unknown; data?: unknown; warnings?: unknown };
    try {
      parsed = JSON.parse(body.text) as typeof parsed;
    } catch {
      throw new PrometheusError(`${endpoint} is not a Prometheus API: the answer is not JSON (${clip(body.text, 120)})`, 'bad-response', body.status);
    }
    if (parsed?.status !== 'success') throw new PrometheusError(`${endpoint} is not a Prometheus API: no "status": "success"`, 'bad-response', body.status);
    const warnings = Array.isArray(parsed.warnings) ? parsed.warnings.filter((w): w is string => typeof w === 'string') : [];
    return { data: parsed.data, warnings };
  }

  return {
    endpoint,
    get requestCount() {
      return requestCount;
    },
    async query(promql, options = {}) {
      const r = await get('api/v1/query', { query: promql, ...(options.atSeconds === undefined ? {} : { time: String(options.atSeconds) }) }, options.signal);
      return { data: parseVector(r.data, endpoint), warnings: r.warnings };
    },
    async queryRange(promql, range, signal) {
      const r = await get('api/v1/query_range', { query: promql, start: String(range.startSeconds), end: String(range.endSeconds), step: String(range.stepSeconds) }, signal);
      return { data: parseMatrix(r.data, endpoint), warnings: r.warnings };
    },
  };
}

function authHeader(auth: PrometheusAuth): string {
  return auth.kind === 'bearer' ? `Bearer ${auth.token}` : `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
}

/**
 * A client for an explicit URL. Credentials in the URL (`https://user:pass@host`) are taken as
 * basic auth and dropped from it; `settings.auth` wins over them.
 */
export function createPrometheusClient(settings: PrometheusSettings): PrometheusClient {
  let base: URL;
  try {
    base = new URL(settings.url);
  } catch {
    throw new PrometheusError('the Prometheus URL is not a URL (expected e.g. http://prometheus.istio-system:9090)', 'bad-response');
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new PrometheusError(`the Prometheus URL must start with http:// or https:// (got ${base.protocol})`, 'bad-response');
  const fromUrl: PrometheusAuth | undefined = base.username ? { kind: 'basic', username: decodeURIComponent(base.username), password: decodeURIComponent(base.password) } : undefined;
  base.username = '';
  base.password = '';
  base.search = '';
  base.hash = '';
  const auth = settings.auth ?? fromUrl;
  const headers: Record<string, string> = { Accept: 'application/json', ...(settings.headers ?? {}) };
  if (auth) headers.Authorization = authHeader(auth);
  return createClient({ base, options: { headers, rejectUnauthorized: true, ...(settings.caPem ? { ca: settings.caPem } : {}) } }, settings.timeoutSeconds);
}

/**
 * A client for the in-cluster Prometheus through the API server's service proxy
 * (`/api/v1/namespaces/NS/services/NAME:PORT/proxy/`), authenticated with the kubeconfig's
 * credentials exactly as client-node is. The API server does not pass an Authorization header on,
 * so only custom headers reach Prometheus.
 */
export async function createServiceProxyPrometheusClient(clients: KubeClients, service: PrometheusService, headers: Readonly<Record<string, string>> = {}): Promise<PrometheusClient> {
  const options: https.RequestOptions = { headers: { Accept: 'application/json', ...headers } };
  await clients.kubeConfig.applyToHTTPSOptions(options);
  const base = new URL(`${clients.server.replace(/\/+$/, '')}/api/v1/namespaces/${encodeURIComponent(service.namespace)}/services/${encodeURIComponent(service.name)}:${service.port}/proxy/`);
  return createClient({ base, options }, clients.requestTimeoutSeconds);
}
