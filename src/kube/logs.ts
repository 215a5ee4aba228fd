import { StringDecoder } from 'node:string_decoder';
import { Writable, type Readable } from 'node:stream';
import { k8s } from './clientNode';
import { type KubeClients, toKubeAccessError } from './clients';
import { type LogStreamOptions, type PodLogSource, type PodRef } from './types';

/**
 * The longest line delivered whole; the rest of a longer line is dropped up to its newline. A log
 * line can be any length (the runtime's 16 KiB partial records arrive rejoined), and one that never
 * ends would otherwise be kept, and re-copied on every chunk, until the tail runs out of memory.
 */
export const MAX_LINE_CHARS = 16_384;

/**
 * Cuts a byte stream into lines (UTF-8 safe across chunk boundaries, `\n` or `\r\n`, at most
 * MAX_LINE_CHARS each), shared by the API and kubectl log sources.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  /** Inside a line already delivered cut: what follows is dropped up to the next newline. */
  private cutting = false;

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    const text = this.rest + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (this.cutting) this.cutting = false;
      else this.deliver(text.slice(start, end));
      start = nl + 1;
    }
    this.rest = this.cutting ? '' : text.slice(start);
    // One more than the limit may be a line of exactly the limit still waiting for its `\r\n`.
    if (this.rest.length > MAX_LINE_CHARS + 1) {
      this.deliver(this.rest);
      this.rest = '';
      this.cutting = true;
    }
  }

  /** Delivers a last line without a newline (a stream cut mid-line still shows what arrived). */
  flush(): void {
    const text = this.rest + this.decoder.end();
    this.rest = '';
    if (this.cutting) this.cutting = false;
    else if (text.length > 0) this.deliver(text.endsWith('\r') ? text.slice(0, -1) : text);
  }

  private deliver(line: string): void {
    if (line.length <= MAX_LINE_CHARS) return this.onLine(line);
    // Never end on half a surrogate pair.
    const keep = isHighSurrogate(line.charCodeAt(MAX_LINE_CHARS - 1)) ? MAX_LINE_CHARS - 1 : MAX_LINE_CHARS;
    // A slice keeps its whole parent string alive in V8, here the chunk the line was cut from; a copy does not.
    const cut = Buffer.from(line.slice(0, keep), 'utf16le').toString('utf16le');
    this.onLine(`${cut} … [line cut at ${MAX_LINE_CHARS} characters]`);
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * PodLogSource over client-node's `Log` (GET pods/log). `Log.log` pipes the HTTP body into our
 * Writable but does not forward the body's errors, so a dropped connection would never end the
 * promise; the Writable therefore listens to its source through the `pipe` event.
 */
export function createApiLogSource(clients: KubeClients): PodLogSource {
  return {
    streamLogs(pod, options, onLine, signal) {
      assertContext(clients, pod);
      return streamWithLog(clients, pod, options, onLine, signal);
    },
  };
}

function streamWithLog(clients: KubeClients, pod: PodRef, options: LogStreamOptions, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
  const action = `get pods/log for ${pod.namespace}/${pod.name} (container ${options.container})`;
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let controller: AbortController | undefined;
    const splitter = new LineSplitter(onLine);
    const settle = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      controller?.abort();
      if (err && !signal.aborted) reject(err);
      else resolve();
    };
    const onAbort = (): void => settle();
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        if (!settled) splitter.push(chunk);
        cb();
      },
      final(cb) {
        if (!settled) splitter.flush();
        cb();
      },
    });
    sink.on('finish', () => settle());
    sink.on('pipe', (src: Readable) => {
      src.on('error', (err) => {
        splitter.flush();
        settle(toKubeAccessError(err, `${action}: the log stream broke`, clients.server));
      });
      src.on('close', () => {
        if (!src.readableEnded) {
          splitter.flush();
          settle(new Error(`the log stream of ${pod.name}/${options.container} closed before its end`));
        }
      });
    });
    if (signal.aborted) return settle();
    signal.addEventListener('abort', onAbort, { once: true });
    new k8s.Log(clients.kubeConfig)
      .log(pod.namespace, pod.name, options.container, sink, {
        follow: options.follow,
        timestamps: options.timestamps,
        ...(options.sinceTime ? { sinceTime: options.sinceTime } : {}),
        ...(options.tailLines !== undefined ? { tailLines: options.tailLines } : {}),
      })
      .then(
        (c) => {
          controller = c;
          if (settled) c.abort();
        },
        (err: unknown) => settle(toKubeAccessError(err, action, clients.server)),
      );
  });
}

export function assertContext(clients: KubeClients, pod: PodRef): void {
  if (pod.context !== clients.context) {
    throw new Error(`internal: pod ${pod.namespace}/${pod.name} is in context ${pod.context}, but these clients are for ${clients.context}`);
  }
}
