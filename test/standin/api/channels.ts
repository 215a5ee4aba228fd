/** Subprotocols of Kubernetes' channel WebSocket streams, in the server's order of preference. */
export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'channel.k8s.io'] as const;
/** The kubelet's WebSocket port-forward speaks only the v4 channel framing (or none named). */
export const PORT_FORWARD_PROTOCOLS = ['v4.channel.k8s.io', 'channel.k8s.io'] as const;

/** Picks the first protocol the server prefers that the client offered, or false. */
export function pickProtocol(offered: ReadonlySet<string>, supported: readonly string[]): string | false {
  return supported.find((p) => offered.has(p)) ?? false;
}

export const STDOUT = 1;
export const STDERR = 2;
export const STATUS = 3;

export function frame(channel: number, data: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = channel;
  body.copy(out, 1);
  return out;
}
