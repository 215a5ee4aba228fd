import { PassThrough, Writable } from 'node:stream';
import { buildClusterRows, ENVOY_ADMIN_REQUESTS, EnvoyPayloadError } from '../core/envoy/clusterRows';
import { Http1ResponseReader } from '../core/envoy/http1Response';
import { isAbortError } from './cancellation';
import { envoyAnswerMessage, readPilotAgentAnswer } from '../core/envoy/pilotAgentOutput';
import type { ClusterRow } from '../core/envoy/types';
import { SIDECAR_CONTAINER } from '../core/pods';
import { k8s, type ClientNode } from './clientNode';
import { toKubeAccessError, type KubeClients } from './clients';
import { deadline, timeoutError } from './deadline';
import { assertValidPodRef, confirmedWithoutSidecar, noSidecarError } from './podChecks';
import { check, ENVOY_REJECTED, SIDECAR_NOT_RUNNING } from './remedy';
import { KubeAccessError, type EnvoyAdminClient, type PodRef } from './types';

export const ENVOY_ADMIN_PORT = 15000;

/** How a pod's admin API was reached the last time it worked. */
export type AdminRoute = 'portforward' | 'exec';

export interface ApiAdminClient extends EnvoyAdminClient {
  /** The route that last worked for this pod, or null before the first success. */
  routeFor(pod: PodRef): AdminRoute | null;
}

function podKey(pod: PodRef): string {
  return `${pod.context}/${pod.namespace}/${pod.name}`;
}

function abortError(): Error {
  const err = new Error('the request was cancelled');
  err.name = 'AbortError';
  return err;
}

function collector(onData: (chunk: Buffer) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      onData(chunk);
      done();
    },
  });
}

/**
 * The kubeconfig as client-node's WebSocket code sees it, with each connection's agent destroyed
 * on `signal`. client-node cannot cancel a pending exec or port-forward upgrade, and a stalled one
 * would keep the process alive until the server answers, long after the caller gave up.
 */
function cancellableConfig(kc: ClientNode.KubeConfig, signal?: AbortSignal): ClientNode.KubeConfig {
  if (!signal) return kc;
  return new Proxy(kc, {
    get(target, property) {
      if (property === 'applyToHTTPSOptions') {
        return async (opts: Parameters<ClientNode.KubeConfig['applyToHTTPSOptions']>[0]) => {
          await target.applyToHTTPSOptions(opts);
          const agent = (opts as { agent?: { destroy(): void } }).agent;
          if (!agent) return;
          if (signal.aborted) agent.destroy();
          else signal.addEventListener('abort', () => agent.destroy(), { once: true });
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

type Socket = Awaited<ReturnType<ClientNode.PortForward['portForward']>>;

function closeSocket(ws: Socket | null): void {
  const socket = typeof ws === 'function' ? ws() : ws;
  socket?.close();
}

/**
 * One HTTP/1.1 request over a port-forward WebSocket. client-node does not end the local stream
 * when Envoy is done (the WebSocket stays open), so the response's own framing decides when to
 * resolve and close.
 */
async function requestViaPortForward(kc: ClientNode.KubeConfig, pod: PodRef, method: string, pathAndQuery: string, signal?: AbortSignal): Promise<string> {
  const reader = new Http1ResponseReader();
  const input = new PassThrough();
  let ws: Socket | null = null;
  let settled = false;
  return new Promise<string>((resolve, reject) => {
    const finish = (err: unknown, body?: string) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      input.end();
      closeSocket(ws);
      if (err) reject(err);
      else resolve(body!);
    };
    const onAbort = () => finish(abortError());
    if (signal?.aborted) return finish(abortError());
    signal?.addEventListener('abort', onAbort);
    const output = collector((chunk) => {
      try {
        const response = reader.push(chunk);
        if (!response) return;
        if (response.status >= 200 && response.status < 300) finish(null, response.body);
        else finish(new KubeAccessError(envoyAnswerMessage(method, pathAndQuery, response.status, response.body), ENVOY_REJECTED, response.status));
      } catch (err) {
        finish(err);
      }
    });
    // Channel 1 carries the kubelet's error, e.g. "connection refused" when Envoy is not listening.
    const errors = collector((chunk) => chunk.length > 0 && finish(new KubeAccessError(`port-forward to ${pod.namespace}/${pod.name}:${ENVOY_ADMIN_PORT} failed: ${chunk.toString('utf8').trim()}`, SIDECAR_NOT_RUNNING, null)));
    input.write(`${method} ${pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:${ENVOY_ADMIN_PORT}\r\nAccept: */*\r\nConnection: close\r\n\r\n`);
    new k8s.PortForward(cancellableConfig(kc, signal), true)
      .portForward(pod.namespace, pod.name, [ENVOY_ADMIN_PORT], output, errors, input)
      .then((socket) => {
        ws = socket;
        if (settled) return closeSocket(ws);
        const raw = typeof socket === 'function' ? socket() : socket;
        raw?.on('close', () => {
          try {
            // A response framed by the connection close completes here; anything else was cut off.
            finish(null, reader.end().body);
          } catch (err) {
            finish(new KubeAccessError(`port-forward to ${pod.namespace}/${pod.name} closed early: ${(err as Error).message}`, check('retry; if it persists, check the pod and the API server'), null));
          }
        });
      })
      .catch((err: unknown) => finish(toKubeAccessError(err, `create pods/portforward for ${pod.namespace}/${pod.name}`)));
  });
}

function exitCodeOf(status: ClientNode.V1Status): number | null {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  return cause?.message ? Number(cause.message) : null;
}

/**
 * `pilot-agent request METHOD path` in the istio-proxy container, as istioctl does. client-node
 * offers the v5 channel protocol first, which carries the exit status on channel 3.
 */
async function requestViaExec(kc: ClientNode.KubeConfig, pod: PodRef, method: string, pathAndQuery: string, signal?: AbortSignal): Promise<string> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let status: ClientNode.V1Status | null = null;
  const action = `create pods/exec for ${pod.namespace}/${pod.name} (container ${SIDECAR_CONTAINER})`;
  if (signal?.aborted) throw abortError();
  // pilot-agent joins the path to the admin URL itself, without the leading slash.
  const command = ['pilot-agent', 'request', method, pathAndQuery.replace(/^\//, '')];
  let ws: Awaited<ReturnType<ClientNode.Exec['exec']>>;
  try {
    const connecting = new k8s.Exec(cancellableConfig(kc, signal)).exec(pod.namespace, pod.name, SIDECAR_CONTAINER, command, collector((c) => out.push(c)), collector((c) => err.push(c)), null, false, (s) => {
      status = s;
    });
    // client-node's exec cannot be cancelled while the upgrade is pending: stop waiting, close it when it lands.
    ws = await untilAborted(connecting, signal, (late) => late.close());
  } catch (e) {
    if (isAbortError(e)) throw e;
    throw toKubeAccessError(e, action);
  }
  return new Promise<string>((resolve, reject) => {
    const onAbort = () => {
      ws.close();
      reject(abortError());
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    ws.on('close', () => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) return;
      const final = status as ClientNode.V1Status | null;
      const code = final ? exitCodeOf(final) : null;
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8').trim();
      if (final) {
        // pilot-agent's own rules: a 404 exits 0 with the body, other errors exit 255 with the log on stdout.
        const answer = readPilotAgentAnswer(code, stdout, stderr);
        if (answer.ok) return resolve(answer.body);
        if (answer.status !== null) return reject(new KubeAccessError(envoyAnswerMessage(method, pathAndQuery, answer.status, answer.body), ENVOY_REJECTED, answer.status));
        const why = `${final.message ?? `exit code ${code}`}: ${answer.body.slice(0, 300)}`;
        return reject(new KubeAccessError(`pilot-agent request ${method} ${pathAndQuery} in ${pod.namespace}/${pod.name} failed: ${why}`, SIDECAR_NOT_RUNNING, null));
      }
      reject(new KubeAccessError(`pilot-agent request ${method} ${pathAndQuery} in ${pod.namespace}/${pod.name} failed: the exec stream closed without an exit status${stderr ? ` (${stderr.slice(0, 300)})` : ''}`, SIDECAR_NOT_RUNNING, null));
    });
  });
}

/** Envoy itself answered with an error status (see envoyAnswerMessage), whichever route carried it. */
function isEnvoyAnswer(err: unknown): boolean {
  return err instanceof KubeAccessError && err.message.startsWith('Envoy admin ');
}

/** `pending`, or an AbortError as soon as `signal` aborts; a value that lands after that goes to `onLate`. */
function untilAborted<T>(pending: Promise<T>, signal: AbortSignal | undefined, onLate: (value: T) => void): Promise<T> {
  if (!signal) return pending;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) onLate(value);
        else resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/**
 * Envoy admin access through the API server: port-forward first (as istioctl and Kiali do), and
 * the exec of pilot-agent when port-forward is refused or fails. The route that worked is
 * remembered per pod, so a pod whose port-forward is forbidden costs one refused attempt only.
 */
export function createApiAdminClient(clients: KubeClients): ApiAdminClient {
  const routes = new Map<string, AdminRoute>();
  const seconds = clients.requestTimeoutSeconds;
  /** One attempt on one route, under its own time limit. */
  const attempt = async (route: AdminRoute, pod: PodRef, method: string, pathAndQuery: string, signal?: AbortSignal): Promise<string> => {
    const limit = deadline(seconds, signal);
    try {
      return await (route === 'exec' ? requestViaExec : requestViaPortForward)(clients.kubeConfig, pod, method, pathAndQuery, limit.signal);
    } catch (err) {
      if (limit.timedOut()) throw timeoutError(seconds, `the Envoy admin answer of ${pod.namespace}/${pod.name} (${route === 'exec' ? 'exec' : 'port-forward'})`);
      throw err;
    }
  };
  return {
    routeFor: (pod) => routes.get(podKey(pod)) ?? null,
    async request(pod, method, pathAndQuery, signal) {
      if (pod.context !== clients.context) {
        throw new KubeAccessError(`pod ${pod.name} is in context ${pod.context}, not ${clients.context}`, check('use the clients of the pod\'s own context'));
      }
      assertValidPodRef(pod);
      const key = podKey(pod);
      if (routes.get(key) === 'exec') return attempt('exec', pod, method, pathAndQuery, signal);
      let forwardError: unknown;
      try {
        const body = await attempt('portforward', pod, method, pathAndQuery, signal);
        routes.set(key, 'portforward');
        return body;
      } catch (err) {
        if (isAbortError(err)) throw err;
        // Envoy answering with an error status is not a transport problem: exec would say the same.
        if (isEnvoyAnswer(err)) throw err;
        forwardError = err;
      }
      try {
        const body = await attempt('exec', pod, method, pathAndQuery, signal);
        routes.set(key, 'exec');
        return body;
      } catch (execError) {
        if (isAbortError(execError)) throw execError;
        // Envoy answered through exec (a 404 or 400 from pilot-agent): the route works, the request was refused.
        if (isEnvoyAnswer(execError)) {
          routes.set(key, 'exec');
          throw execError;
        }
        const first = forwardError instanceof KubeAccessError ? forwardError : toKubeAccessError(forwardError, `create pods/portforward for ${pod.namespace}/${pod.name}`);
        const second = execError instanceof KubeAccessError ? execError : toKubeAccessError(execError, `create pods/exec for ${pod.namespace}/${pod.name}`);
        if (first.status === 403 && second.status === 403) {
          const user = clients.kubeConfig.getCurrentUser()?.name ?? '?';
          throw new KubeAccessError(
            `pods/portforward and pods/exec are forbidden for user "${user}" in namespace ${pod.namespace}: Envoy admin of ${pod.name} cannot be reached`,
            { kind: 'rbac', action: `create pods/portforward in namespace ${pod.namespace} (pods/exec is the fallback)`, alternative: 'kubectl-transport' },
            403,
            'Forbidden',
          );
        }
        // Both routes fail on a pod without a sidecar; then that, not the API server, is the cause.
        if (second.reason !== 'Timeout' && (await confirmedWithoutSidecar(() => clients.core.readNamespacedPod({ name: pod.name, namespace: pod.namespace })))) {
          throw noSidecarError(pod);
        }
        throw new KubeAccessError(
          `cannot reach Envoy admin in ${pod.namespace}/${pod.name}: ${first.message}; the exec fallback failed too: ${second.message}`,
          second.remedy,
          second.status ?? first.status,
          second.reason ?? first.reason,
        );
      }
    },
  };
}

/**
 * A pod's cluster rows: the four admin requests of ENVOY_ADMIN_REQUESTS, sent together and all
 * cancelled by `signal`. Shared by the explorer and `mesh-doctor clusters`.
 */
export async function fetchClusterRows(admin: EnvoyAdminClient, pod: PodRef, signal?: AbortSignal): Promise<ClusterRow[]> {
  const get = (path: string) => admin.request(pod, 'GET', path, signal);
  const [clusters, dynamicClusters, staticClusters, stats] = await Promise.all([
    get(ENVOY_ADMIN_REQUESTS.clusters),
    get(ENVOY_ADMIN_REQUESTS.dynamicClusters),
    get(ENVOY_ADMIN_REQUESTS.staticClusters),
    get(ENVOY_ADMIN_REQUESTS.stats),
  ]);
  return buildClusterRows({ clusters, configDumps: [dynamicClusters, staticClusters], stats });
}

/** Any failure of fetchClusterRows as a KubeAccessError, including Envoy answering something that is not JSON. */
export function toClusterRowsError(err: unknown, action: string): KubeAccessError {
  if (err instanceof KubeAccessError) return err;
  if (err instanceof EnvoyPayloadError) return new KubeAccessError(err.message, check('the proxy answered something other than Envoy JSON: check the istio-proxy container, or retry'));
  return toKubeAccessError(err, action);
}
