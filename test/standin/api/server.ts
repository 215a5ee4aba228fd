import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { type StandInCertificates } from '../tls/certs';
import { type MeshModel } from '../model/meshModel';
import { type StandInControl } from '../control';
import { handleControl } from './control';
import { type ApiRequest } from './request';
import { findRoute, notFound } from './routes';
import { kubeStatus, sendStatus, statusResponseBytes } from './status';
import { UNAUTHORIZED, applyFaults, denialWords } from './faultResponse';
import { handleStreamUpgrade } from './upgrade';
import { serveIstioResources } from './istioResources';

export interface ApiServerOptions {
  readonly model: MeshModel;
  readonly control: StandInControl;
  readonly certificates: StandInCertificates;
  /** Bearer token -> user name (as RBAC messages name it). */
  readonly tokens: ReadonlyMap<string, string>;
  readonly port: number;
}

export interface RunningApiServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export const CONTROL_PREFIX = '/standin/v1/';

function bearerUser(req: IncomingMessage, tokens: ReadonlyMap<string, string>): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m ? tokens.get(m[1]) ?? null : null;
}

/** Starts the HTTPS API server on 127.0.0.1 and wires requests and upgrades to the model. */
export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  const { model, tokens } = options;
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (_offered, req) => (req as IncomingMessage & { chosenProtocol?: string }).chosenProtocol ?? false });

  const server = https.createServer({ key: options.certificates.serverKeyPem, cert: options.certificates.serverCertPem }, (req: IncomingMessage, res: ServerResponse) => {
    void serve(req, res).catch((err: Error) => {
      if (!res.headersSent) sendStatus(res, kubeStatus(500, `stand-in error: ${err.message}`));
      else res.destroy(err);
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `https://${req.headers.host ?? '127.0.0.1'}`);
    const user = bearerUser(req, tokens);
    if (!user) return sendStatus(res, UNAUTHORIZED);
    const r: ApiRequest = { req, res, url, query: url.searchParams, user, model };
    if (url.pathname.startsWith(CONTROL_PREFIX)) return handleControl(r, url.pathname.slice(CONTROL_PREFIX.length), options.control);
    if (await serveIstioResources(r)) return;
    const found = findRoute(req.method ?? 'GET', url.pathname);
    if (found === null) {
      if (/\/pods\/[^/]+\/(exec|portforward|attach)$/.test(url.pathname)) return sendStatus(res, kubeStatus(400, 'Upgrade request required'));
      return notFound(r);
    }
    if (found === 'method') return sendStatus(res, kubeStatus(405, `the server does not allow this method on the requested resource`));
    const scope = found.route.scope(found.match, url.searchParams);
    const words = denialWords(scope.verb);
    const failure = await applyFaults(model, scope, user, words.resource, words.verb);
    if (failure) return sendStatus(res, failure);
    found.route.handle(r, found.match);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const user = bearerUser(req, tokens);
    if (!user) {
      socket.end(statusResponseBytes(UNAUTHORIZED));
      return;
    }
    void handleStreamUpgrade({ req, socket, head, user, model, wss }).catch((err: Error) => {
      socket.end(statusResponseBytes(kubeStatus(500, `stand-in error: ${err.message}`)));
    });
  });

  // Streams (watch, follow) stay open; keep-alive must not hold close() hostage.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
