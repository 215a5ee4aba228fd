import type * as http from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { createEnvoyAdminServer } from '../envoy/adminServer';
import { type MeshModel } from '../model/meshModel';
import { type PodRecord } from '../model/podRecord';
import { EXEC_PROTOCOLS, PORT_FORWARD_PROTOCOLS, pickProtocol } from './channels';
import { chooseContainer } from './containerChoice';
import { runExecSession } from './exec';
import { runPortForwardSession } from './portForward';
import { applyFaults, denialWords } from './faultResponse';
import { kubeStatus, statusResponseBytes } from './status';

export interface UpgradeContext {
  readonly req: http.IncomingMessage;
  readonly socket: Duplex;
  readonly head: Buffer;
  readonly user: string;
  readonly model: MeshModel;
  readonly wss: WebSocketServer;
}

const STREAM_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|portforward)$/;

const adminServers = new WeakMap<PodRecord, http.Server>();

function adminServerFor(model: MeshModel, pod: PodRecord): http.Server {
  let server = adminServers.get(pod);
  if (!server) {
    server = createEnvoyAdminServer(
      () => (model.getPod(pod.namespace, pod.name) === pod ? model.runtime(pod).proxy : null),
      () => model.clock.now(),
    );
    adminServers.set(pod, server);
  }
  return server;
}

/** A stand-in bug in a session closes that WebSocket (1011) instead of the test process. */
function guarded(ws: WebSocket, session: () => void): void {
  try {
    session();
  } catch (err) {
    ws.close(1011, `stand-in error: ${(err as Error).message}`.slice(0, 120));
  }
}

function offeredProtocols(req: http.IncomingMessage): Set<string> {
  return new Set(String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean));
}

/**
 * An exec or port-forward upgrade: checks what the API server would (pod, container, faults,
 * subprotocol), answering failures as plain HTTP Status responses, then hands the accepted
 * WebSocket to the session.
 */
export async function handleStreamUpgrade(c: UpgradeContext): Promise<void> {
  const { req, socket, model } = c;
  const url = new URL(req.url ?? '/', 'https://standin.invalid');
  const refuse = (code: number, message: string): void => void socket.end(statusResponseBytes(kubeStatus(code, message)));
  const m = STREAM_PATH.exec(url.pathname);
  if (!m) return refuse(404, 'the server could not find the requested resource');
  const [, namespace, name, kind] = m;
  const verb = kind === 'exec' ? 'exec' : 'portforward';
  const scope = { verb, namespace, pod: name } as const;
  const words = denialWords(verb);
  // Faults first, as RBAC and the API server's errors come before the protocol: kubectl's SPDY
  // retry after a refused WebSocket then sees the same 403 or 500 a real server would give it.
  const failure = await applyFaults(model, scope, c.user, words.resource, words.verb);
  if (failure) return void socket.end(statusResponseBytes(failure));
  if (String(req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
    return refuse(400, `the stand-in speaks only WebSocket streams, not ${String(req.headers.upgrade)}`);
  }
  const pod = model.getPod(namespace, name);
  if (!pod) return refuse(404, `pods "${name}" not found`);
  const drop = model.faults.take('dropWebSocket', scope);
  const dropAfterMs = drop ? drop.afterMs ?? 200 : null;

  const offered = offeredProtocols(req);
  const protocol = pickProtocol(offered, kind === 'exec' ? EXEC_PROTOCOLS : PORT_FORWARD_PROTOCOLS);
  if (!protocol) return refuse(400, `unable to upgrade: no supported subprotocol in [${[...offered].join(', ')}]`);
  (req as http.IncomingMessage & { chosenProtocol?: string }).chosenProtocol = protocol;
  // The hung-kubelet fault: the upgrade succeeds, then the session stays silent until the client gives up.
  if (model.faults.take('stallWebSocket', scope)) return void c.wss.handleUpgrade(req, socket, c.head, () => undefined);

  if (kind === 'exec') {
    const q = url.searchParams;
    const choice = chooseContainer(pod, q.get('container'));
    if (!choice.ok) return refuse(400, choice.message);
    const command = q.getAll('command');
    if (command.length === 0) return refuse(400, 'you must specify at least 1 command');
    c.wss.handleUpgrade(req, socket, c.head, (ws) =>
      guarded(ws, () =>
        runExecSession(ws, model, pod, choice.name, command, {
          stdout: q.get('stdout') === 'true' || q.get('stdout') === '1',
          stderr: q.get('stderr') === 'true' || q.get('stderr') === '1',
          protocol,
          dropAfterMs,
        }),
      ),
    );
    return;
  }
  const ports = url.searchParams.getAll('ports').flatMap((p) => p.split(',')).map(Number);
  if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) return refuse(400, 'invalid port specification: ports must be 1-65535');
  const hasProxy = !!pod.input.sidecar;
  c.wss.handleUpgrade(req, socket, c.head, (ws) => guarded(ws, () => runPortForwardSession(ws, pod, ports, hasProxy ? () => adminServerFor(model, pod) : null, dropAfterMs)));
}
