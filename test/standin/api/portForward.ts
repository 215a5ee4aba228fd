import type * as http from 'node:http';
import type { WebSocket } from 'ws';
import { type PodRecord } from '../model/podRecord';
import { ChannelSocket } from './channelSocket';
import { frame } from './channels';

export const ENVOY_ADMIN_PORT = 15000;

function portBytes(port: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(port, 0);
  return b;
}

/**
 * One WebSocket port-forward session, kubelet style: for the i-th requested port, data on
 * channel 2i and errors on 2i+1, each channel's first frame the port (uint16 little-endian).
 * Port 15000 of a pod with a sidecar reaches its Envoy admin server; any other port gets the
 * kubelet's "connection refused" text on the error channel.
 */
export function runPortForwardSession(
  ws: WebSocket,
  pod: PodRecord,
  ports: readonly number[],
  adminServer: (() => http.Server) | null,
  dropAfterMs: number | null,
): void {
  ws.on('error', () => ws.terminate());
  const sockets = new Map<number, ChannelSocket>();
  ports.forEach((port, i) => {
    const data = 2 * i;
    const error = data + 1;
    ws.send(frame(data, portBytes(port)));
    ws.send(frame(error, portBytes(port)));
    if (port === ENVOY_ADMIN_PORT && adminServer) {
      const socket = new ChannelSocket(
        (chunk) => ws.readyState === ws.OPEN && ws.send(frame(data, chunk)),
        // Envoy closed the connection: the kubelet then closes the stream.
        () => ws.close(1000),
        port,
      );
      sockets.set(data, socket);
      adminServer().emit('connection', socket);
    } else {
      ws.send(
        frame(
          error,
          `error forwarding port ${port} to pod ${pod.uid}, uid : failed to execute portforward in network namespace "/var/run/netns/cni-${pod.uid}": ` +
            `failed to connect to localhost:${port} inside namespace "${pod.uid}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `,
        ),
      );
      ws.close(1000);
    }
  });
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    const buf = isBinary ? raw : Buffer.from(raw.toString('utf8'), 'utf8');
    if (buf.length === 0) return;
    sockets.get(buf[0])?.deliver(buf.subarray(1));
  });
  ws.on('close', () => {
    for (const s of sockets.values()) {
      s.deliverEnd();
      s.destroy();
    }
  });
  if (dropAfterMs !== null) setTimeout(() => ws.terminate(), dropAfterMs);
}
