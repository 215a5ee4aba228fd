/**
 * An incremental HTTP/1.1 response reader for a byte stream that never ends by itself (a
 * port-forward WebSocket stays open after Envoy answers), so completion must be decided from
 * Content-Length or the chunked encoding's last chunk. Body bytes are kept as received chunks
 * and joined once, so a 50 MB config dump is not re-copied on every frame.
 */
export interface Http1Response {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEAD = 64 * 1024;

type Framing = { kind: 'length'; remaining: number } | { kind: 'chunked'; decoder: ChunkedDecoder } | { kind: 'close' };

export class Http1ResponseReader {
  private headBuffer: Buffer = Buffer.alloc(0);
  private status = 0;
  private headers = new Map<string, string>();
  private framing: Framing | null = null;
  private readonly body: Buffer[] = [];
  private complete = false;

  /** Adds bytes; returns the response once it is complete, else null. Throws on a malformed response. */
  push(chunk: Buffer): Http1Response | null {
    if (this.complete) return null;
    if (!this.framing) {
      this.headBuffer = Buffer.concat([this.headBuffer, chunk]);
      const end = this.headBuffer.indexOf(HEADER_END);
      if (end === -1) {
        if (this.headBuffer.length > MAX_HEAD) throw new Error('HTTP response head larger than 64 KiB');
        return null;
      }
      this.parseHead(this.headBuffer.subarray(0, end).toString('latin1'));
      chunk = this.headBuffer.subarray(end + HEADER_END.length);
      this.headBuffer = Buffer.alloc(0);
    }
    const framing = this.framing!;
    if (framing.kind === 'length') {
      const take = chunk.subarray(0, framing.remaining);
      if (take.length > 0) this.body.push(take);
      framing.remaining -= take.length;
      if (framing.remaining === 0) return this.finish();
    } else if (framing.kind === 'chunked') {
      if (framing.decoder.push(chunk, this.body)) return this.finish();
    } else if (chunk.length > 0) {
      this.body.push(chunk);
    }
    return null;
  }

  /** The stream ended: a response framed by the close is complete now; a partial one is an error. */
  end(): Http1Response {
    if (this.complete) throw new Error('response already complete');
    if (this.framing?.kind !== 'close') throw new Error('the connection closed before the HTTP response was complete');
    return this.finish();
  }

  private finish(): Http1Response {
    this.complete = true;
    return { status: this.status, headers: this.headers, body: Buffer.concat(this.body).toString('utf8') };
  }

  private parseHead(text: string): void {
    const lines = text.split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
    if (!m) throw new Error(`not an HTTP response: ${JSON.stringify(lines[0].slice(0, 80))}`);
    this.status = Number(m[1]);
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) this.headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const length = this.headers.get('content-length');
    if ((this.headers.get('transfer-encoding') ?? '').toLowerCase().includes('chunked')) {
      this.framing = { kind: 'chunked', decoder: new ChunkedDecoder() };
    } else if (length !== undefined && /^\d+$/.test(length)) {
      this.framing = { kind: 'length', remaining: Number(length) };
    } else {
      this.framing = { kind: 'close' };
    }
  }
}

/** Decodes `Transfer-Encoding: chunked` across arbitrary frame boundaries. */
class ChunkedDecoder {
  private sizeLine = '';
  private remaining = 0;
  /** Bytes of the CRLF after a chunk's data still to skip. */
  private crlf = 0;
  private state: 'size' | 'data' | 'trailer' = 'size';

  /** Appends decoded bytes to `out`; true once the last (zero-size) chunk has been read. */
  push(chunk: Buffer, out: Buffer[]): boolean {
    let at = 0;
    while (at < chunk.length) {
      if (this.state === 'trailer') return true;
      if (this.crlf > 0) {
        const skip = Math.min(this.crlf, chunk.length - at);
        this.crlf -= skip;
        at += skip;
        continue;
      }
      if (this.state === 'data') {
        const take = Math.min(this.remaining, chunk.length - at);
        out.push(chunk.subarray(at, at + take));
        this.remaining -= take;
        at += take;
        if (this.remaining === 0) {
          this.state = 'size';
          this.crlf = 2;
        }
        continue;
      }
      const nl = chunk.indexOf(10, at);
      if (nl === -1) {
        this.sizeLine += chunk.subarray(at).toString('latin1');
        if (this.sizeLine.length > 1024) throw new Error('malformed chunked encoding');
        return false;
      }
      this.sizeLine += chunk.subarray(at, nl).toString('latin1');
      at = nl + 1;
      const size = parseInt(this.sizeLine.trim().split(';')[0], 16);
      this.sizeLine = '';
      if (Number.isNaN(size)) throw new Error('malformed chunked encoding');
      if (size === 0) {
        // Trailers after the last chunk carry nothing Mesh Doctor needs.
        this.state = 'trailer';
        return true;
      }
      this.remaining = size;
      this.state = 'data';
    }
    return this.state === 'trailer';
  }
}
