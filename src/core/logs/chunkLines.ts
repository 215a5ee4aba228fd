/**
 * Finds the lines of a byte stream that contain any of a set of markers, without decoding the
 * rest. Searching each chunk for the markers (see MarkerSearch) and counting newlines only up to
 * each hit is what lets the correlator keep up with gigabyte logs.
 */

export interface PreviousLine {
  readonly raw: string;
  /** 1-based. */
  readonly line: number;
}

/**
 * Called for each line holding a marker; `lookBack` lists earlier lines, nearest first (valid only
 * during the call); `offset` is where the line starts in the stream, for readers that can seek back.
 */
export type CandidateHandler = (raw: string, line: number, lookBack: () => Iterable<PreviousLine>, offset: number) => void;

/**
 * Offered each line holding a marker before it is decoded: true when it took the line from its
 * bytes (`data[start, end)`, without the newline), which is then not decoded nor handed on.
 */
export type ByteLineReader = (data: Buffer, start: number, end: number, line: number) => boolean;

const NEWLINE = 10;
/** How much of the stream before the current chunk stays available for look-back. */
const HISTORY_BYTES = 256 * 1024;
/**
 * Lines longer than this are cut when they span chunks (no log line of interest is this long);
 * the scanner counts them, so that the result can say so.
 */
export const MAX_LINE_BYTES = 1024 * 1024;
/** History storage kept for reuse; a few cover the usual one or two live entries. */
const SPARE_STORAGE = 4;

function* linesBackward(buffer: Buffer, end: number, lastLine: number): Iterable<PreviousLine> {
  // `end` is the index of the newline that ends line `lastLine`.
  let line = lastLine;
  while (end >= 0) {
    const start = end === 0 ? 0 : buffer.lastIndexOf(NEWLINE, end - 1) + 1;
    yield { raw: buffer.toString('utf8', start, end), line };
    line--;
    end = start - 1;
  }
}

/**
 * Finds marker occurrences in one buffer at a time: what makes a line a candidate. A scanner calls
 * `begin` for each buffer it scans, then `next` with positions that only grow.
 */
export interface MarkerSearch {
  /** Starts on `data`, of which only the first `end` bytes are searched. */
  begin(data: Buffer, end: number): void;
  /** Where a marker occurs at or after `from` (before `end`), or -1. */
  next(from: number): number;
}

export class MarkedLineScanner {
  private carry: Buffer = Buffer.alloc(0);
  /** Complete lines of earlier chunks, newest last, for look-back across chunk boundaries. */
  private history: { buffer: Buffer; storage: Buffer; lastLine: number }[] = [];
  /**
   * Storage of history entries that fell out, reused for the next ones: a copy per chunk would
   * otherwise allocate a quarter of the stream again and keep the garbage collector busy.
   */
  private spare: Buffer[] = [];
  private historyBytes = 0;
  private nextLine = 1;
  /** Stream offset of the first byte not yet in a scanned line (where the carry starts). */
  private consumed = 0;
  /** Real length of the carried partial line, which may exceed what is kept of it. */
  private carryLength = 0;
  /** The next line is scanned whatever it holds (it continues the last one scanned). */
  private scanNext = false;
  /** Lines longer than MAX_LINE_BYTES, of which only the start was scanned. */
  cutLines = 0;

  /**
   * `historyBytes`: how much of earlier chunks look-back can reach; 0 for callers that read earlier
   * lines some other way (by offset), which spares copying them out of every chunk.
   */
  constructor(
    private readonly search: MarkerSearch,
    private readonly onCandidate: CandidateHandler,
    private readonly historyLimit = HISTORY_BYTES,
    /** True for a line whose next line must be scanned too (it continues it), marker or not. */
    private readonly continuesOnNextLine: (raw: string) => boolean = () => false,
    /** Takes the lines it can from their bytes; never offered a line that continues the last one. */
    private readonly readBytes: ByteLineReader | null = null,
  ) {}

  /** Lines completed so far. */
  get linesRead(): number {
    return this.nextLine - 1;
  }

  /**
   * Scans a chunk in place. Nothing refers to the chunk once this returns (look-back keeps copies),
   * so a reader may reuse one buffer for every chunk.
   */
  push(chunk: Uint8Array): void {
    const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const firstNewline = data.indexOf(NEWLINE);
    if (firstNewline === -1) {
      this.carryLength += data.length;
      // A line longer than the limit keeps only its start: enough to recognise it, and no
      // quadratic copying or unbounded memory for a log that is one enormous line.
      if (this.carry.length < MAX_LINE_BYTES) this.carry = Buffer.concat([this.carry, data.subarray(0, MAX_LINE_BYTES - this.carry.length)]);
      return;
    }
    let start = 0;
    if (this.carry.length > 0) {
      // The line split across chunks is scanned on its own small buffer.
      const full = this.carry.length >= MAX_LINE_BYTES;
      if (this.carryLength > this.carry.length || (full && firstNewline > 0)) this.cutLines++;
      const rest = full ? data.subarray(firstNewline, firstNewline + 1) : data.subarray(0, firstNewline + 1);
      const joined = Buffer.concat([this.carry, rest]);
      this.carry = Buffer.alloc(0);
      this.scan(joined, joined.length, this.consumed);
      if (this.historyLimit > 0) this.remember(joined, 0);
      this.consumed += this.carryLength + firstNewline + 1;
      start = firstNewline + 1;
    }
    const end = data.lastIndexOf(NEWLINE) + 1;
    if (end > start) {
      const complete = data.subarray(start, end);
      this.scan(complete, complete.length, this.consumed);
      if (this.historyLimit > 0) this.remember(complete, Math.max(0, complete.length - this.historyLimit));
      this.consumed += complete.length;
    }
    this.carry = Buffer.from(data.subarray(end));
    this.carryLength = this.carry.length;
  }

  /** Keeps a copy of the whole lines of `buffer` from about `from` on, for later look-back. */
  private remember(buffer: Buffer, from: number): void {
    const start = from === 0 ? 0 : buffer.indexOf(NEWLINE, from - 1) + 1;
    if (start === 0 && from > 0) return;
    const length = buffer.length - start;
    const storage = this.spare.find((b) => b.length >= length) ?? Buffer.allocUnsafe(Math.max(length, this.historyLimit));
    this.spare = this.spare.filter((b) => b !== storage);
    buffer.copy(storage, 0, start);
    this.history.push({ buffer: storage.subarray(0, length), storage, lastLine: this.nextLine - 1 });
    this.historyBytes += length;
    while (this.history.length > 1 && this.historyBytes - this.history[0]!.buffer.length >= this.historyLimit) {
      const dropped = this.history.shift()!;
      this.historyBytes -= dropped.buffer.length;
      // Only storage of the usual size is kept: a rare huge line's copy goes to the collector.
      if (dropped.storage.length <= 2 * this.historyLimit && this.spare.length < SPARE_STORAGE) this.spare.push(dropped.storage);
    }
  }

  /** Flushes a last line without a newline. */
  end(): void {
    if (this.carry.length === 0) return;
    if (this.carryLength > this.carry.length) this.cutLines++;
    const data = Buffer.concat([this.carry, Buffer.from([NEWLINE])]);
    this.carry = Buffer.alloc(0);
    this.scan(data, data.length, this.consumed);
  }

  /** `base`: the stream offset of `data[0]`. */
  private scan(data: Buffer, end: number, base: number): void {
    const search = this.search;
    search.begin(data, end);
    const firstLine = this.nextLine;
    const history = this.history;
    let pos = 0;
    let line = firstLine;
    for (let hit = this.scanNext ? pos : search.next(0); hit !== -1 && hit < end; hit = this.scanNext ? pos : search.next(pos)) {
      let newline = data.indexOf(NEWLINE, pos);
      while (newline < hit) {
        line++;
        pos = newline + 1;
        newline = data.indexOf(NEWLINE, pos);
      }
      const lineStart = pos;
      const lineNumber = line;
      if (this.readBytes !== null && !this.scanNext && this.readBytes(data, lineStart, newline, lineNumber)) {
        line++;
        pos = newline + 1;
        continue;
      }
      const lookBack = function* (): Iterable<PreviousLine> {
        yield* linesBackward(data, lineStart - 1, lineNumber - 1);
        for (let h = history.length - 1; h >= 0; h--) yield* linesBackward(history[h]!.buffer, history[h]!.buffer.length - 1, history[h]!.lastLine);
      };
      const raw = data.toString('utf8', lineStart, newline);
      this.scanNext = this.continuesOnNextLine(raw);
      this.onCandidate(raw, lineNumber, lookBack, base + lineStart);
      line++;
      pos = newline + 1;
    }
    for (let newline = data.indexOf(NEWLINE, pos); newline !== -1 && newline < end; newline = data.indexOf(NEWLINE, newline + 1)) line++;
    this.nextLine = line;
  }
}
