import * as http from 'node:http';
import * as https from 'node:https';
import { k8s, type ClientNode } from './clientNode';
import { ApiRequestTimeout, DEFAULT_REQUEST_TIMEOUT_SECONDS, deadline, timedHttpLibrary, timeoutError } from './deadline';
import { check, CREDENTIALS_REJECTED } from './remedy';
import { KubeAccessError, KubeTimeoutError } from './types';

/** The client-node objects for one kube context, made once and shared by every feature. */
export interface KubeClients {
  readonly context: string;
  readonly kubeConfig: ClientNode.KubeConfig;
  readonly core: ClientNode.CoreV1Api;
  readonly apps: ClientNode.AppsV1Api;
  /** The API server URL of this context, for messages. */
  readonly server: string;
  /** The time limit of each call to the cluster made through these clients (API, port-forward, exec, kubectl). */
  readonly requestTimeoutSeconds: number;
}

export interface KubeClientsOptions {
  /** Default DEFAULT_REQUEST_TIMEOUT_SECONDS. */
  readonly requestTimeoutSeconds?: number;
}

/**
 * Builds the clients for `context` (the kubeconfig's current context when omitted). The
 * KubeConfig is copied so switching contexts never mutates the caller's object.
 */
export function createKubeClients(base: ClientNode.KubeConfig, context?: string, options: KubeClientsOptions = {}): KubeClients {
  const name = context ?? base.getCurrentContext();
  if (!base.getContextObject(name)) {
    throw new KubeAccessError(
      `kube context "${name}" is not in the kubeconfig`,
      { kind: 'context', known: base.getContexts().map((c) => c.name) },
    );
  }
  const kubeConfig = new k8s.KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: base.clusters,
    users: base.users,
    contexts: base.contexts,
    currentContext: name,
  });
  const server = kubeConfig.getCurrentCluster()?.server ?? '(no server)';
  const requestTimeoutSeconds = options.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS;
  // makeApiClient's configuration, plus a time limit on every request.
  const configuration = k8s.createConfiguration({
    baseServer: new k8s.ServerConfiguration(server, {}),
    authMethods: { default: kubeConfig },
    httpApi: timedHttpLibrary(requestTimeoutSeconds),
  });
  return {
    context: name,
    kubeConfig,
    core: new k8s.CoreV1Api(configuration),
    apps: new k8s.AppsV1Api(configuration),
    server,
    requestTimeoutSeconds,
  };
}

interface StatusBody {
  message?: string;
  reason?: string;
  details?: { kind?: string; name?: string };
}

function parseStatusBody(body: unknown): StatusBody | null {
  if (typeof body === 'object' && body !== null) return body as StatusBody;
  if (typeof body !== 'string' || !body.startsWith('{')) return null;
  try {
    return JSON.parse(body) as StatusBody;
  } catch {
    return null;
  }
}

/** The HTTP status in an error from client-node: ApiException.code, or a WebSocket upgrade refusal. */
export function statusOf(err: unknown): number | null {
  if (typeof err !== 'object' || err === null) return null;
  const code = (err as { code?: unknown; statusCode?: unknown }).code ?? (err as { statusCode?: unknown }).statusCode;
  if (typeof code === 'number') return code;
  const message = (err as { message?: unknown }).message;
  // ws reports a refused upgrade (port-forward, exec) only in its message.
  const m = typeof message === 'string' ? /Unexpected server response: (\d{3})/.exec(message) : null;
  return m ? Number(m[1]) : null;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);

function networkCodeOf(err: unknown): string | null {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * Turns anything client-node throws into a KubeAccessError whose remedy says what to do next.
 * `action` names what was attempted in the words of RBAC ("list pods in namespace shop",
 * "create pods/portforward for shop/checkout-1") so a 403 message is directly actionable.
 */
export function toKubeAccessError(err: unknown, action: string, server?: string): KubeAccessError {
  if (err instanceof KubeAccessError) return err;
  if (err instanceof ApiRequestTimeout) {
    return new KubeTimeoutError(`cannot ${action}: timed out after ${err.seconds} s waiting for the API server${server ? ` at ${server}` : ''}`, err.seconds);
  }
  const status = statusOf(err);
  const body = parseStatusBody((err as { body?: unknown } | null)?.body);
  // ws reports failures as ErrorEvent objects, which are not Error instances but carry a message.
  const ownMessage = (err as { message?: unknown } | null)?.message;
  const detail = body?.message ?? (typeof ownMessage === 'string' ? ownMessage : String(err));
  const reason = body?.reason ?? null;
  if (status === 401) {
    return new KubeAccessError(`cannot ${action}: the API server rejected the credentials (401)`, CREDENTIALS_REJECTED, 401, reason ?? 'Unauthorized');
  }
  if (status === 403) {
    // A refused WebSocket upgrade (exec, port-forward) has no Status body: say "forbidden" plainly.
    const why = /Unexpected server response/.test(detail) ? 'forbidden (403)' : detail;
    return new KubeAccessError(`cannot ${action}: ${why}`, { kind: 'rbac', action }, 403, reason ?? 'Forbidden');
  }
  if (status === 404) {
    return new KubeAccessError(`cannot ${action}: not found (${detail})`, { kind: 'gone' }, 404, reason ?? 'NotFound');
  }
  if (status !== null) {
    return new KubeAccessError(`cannot ${action}: the API server answered ${status} (${detail})`, check('retry; if it persists, check the API server health'), status, reason);
  }
  const net = networkCodeOf(err);
  if (net) {
    return new KubeAccessError(`cannot ${action}: cannot reach the API server${server ? ` at ${server}` : ''} (${net})`, check('check the kubeconfig (server address, certificates) and your network or VPN'), null, null);
  }
  return new KubeAccessError(`cannot ${action}: ${detail}`, check('check the kubeconfig and that the cluster is reachable'), null, null);
}

/**
 * GETs an API path and resolves with the raw body text, authenticated exactly as client-node
 * would (certificates, tokens, exec plugins). Used where the typed clients' per-field
 * deserialization of thousands of objects would cost more than the request itself.
 */
export async function getRaw(clients: KubeClients, pathAndQuery: string, action: string, signal?: AbortSignal): Promise<string> {
  const url = new URL(clients.server + pathAndQuery);
  const options: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
  try {
    await clients.kubeConfig.applyToHTTPSOptions(options);
  } catch (err) {
    throw toKubeAccessError(err, action, clients.server);
  }
  const request = url.protocol === 'https:' ? https.request : http.request;
  const limit = deadline(clients.requestTimeoutSeconds, signal);
  const failure = (err: unknown): unknown => {
    if (limit.timedOut()) return timeoutError(clients.requestTimeoutSeconds, `the API server to ${action}`);
    return signal?.aborted ? err : toKubeAccessError(err, action, clients.server);
  };
  return new Promise<string>((resolve, reject) => {
    const req = request(url, { ...options, signal: limit.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => reject(failure(err)));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(body);
        else reject(toKubeAccessError({ code: status, body }, action, clients.server));
      });
    });
    req.on('error', (err) => reject(failure(err)));
    req.end();
  });
}
