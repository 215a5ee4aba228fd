import * as http from 'node:http';
import { handleEnvoyAdmin } from './admin';
import { type EnvoyProxy } from './proxy';

/**
 * Envoy's admin listener (port 15000) for one pod, as an HTTP server without a port: port-forward
 * hands it each forwarded connection with `emit('connection', socket)`. `proxy()` is asked per
 * request because a restarted Envoy is a new EnvoyProxy.
 */
export function createEnvoyAdminServer(proxy: () => EnvoyProxy | null, now: () => number): http.Server {
  return http.createServer((req, res) => {
    const p = proxy();
    if (!p) {
      res.writeHead(503, { 'Content-Type': 'text/plain' }).end('no Envoy in this pod\n');
      return;
    }
    const method = req.method ?? 'GET';
    // Drain any request body: admin endpoints take their input from the query string.
    req.resume();
    req.on('end', () => {
      const r = handleEnvoyAdmin(p, method, req.url ?? '/', now());
      // Envoy's admin streams its answers (admin_filter.cc encodes the body in chunks, no
      // Content-Length), so clients must decode Transfer-Encoding: chunked.
      res.writeHead(r.status, { 'Content-Type': r.contentType, 'Cache-Control': 'no-cache, max-age=0', 'X-Content-Type-Options': 'nosniff', 'Transfer-Encoding': 'chunked' });
      const half = Math.ceil(r.body.length / 2);
      res.write(r.body.slice(0, half));
      res.end(r.body.slice(half));
    });
  });
}
