import { Duplex } from 'node:stream';

/**
 * One port-forwarded TCP connection as seen from inside the pod: bytes the client sends on the
 * data channel come out of `read`, and whatever the pod's server writes goes back as frames.
 * Carries the few net.Socket members Node's HTTP server touches, so an in-process http.Server
 * can serve it via `server.emit('connection', socket)`.
 */
export class ChannelSocket extends Duplex {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 0;
  readonly remoteFamily = 'IPv4';
  readonly localAddress = '127.0.0.1';
  readonly encrypted = false;

  constructor(
    private readonly sendBytes: (chunk: Buffer) => void,
    private readonly onFinish: () => void,
    readonly localPort: number,
  ) {
    super({ allowHalfOpen: true });
  }

  /** Bytes from the client's data channel. */
  deliver(chunk: Buffer): void {
    if (chunk.length) this.push(chunk);
  }

  /** The client went away (WebSocket closed): EOF for the pod's server. */
  deliverEnd(): void {
    this.push(null);
  }

  override _read(): void {
    // Data is pushed as WebSocket frames arrive; nothing to pull.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.sendBytes(chunk);
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.onFinish();
    callback();
  }

  setTimeout(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  address(): { address: string; family: string; port: number } {
    return { address: this.localAddress, family: 'IPv4', port: this.localPort };
  }
}
