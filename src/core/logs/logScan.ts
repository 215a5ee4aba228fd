/**
 * The WebAssembly module (wasm/logScan.ts) that runs the two loops seeing nearly every byte of a
 * log the correlator reads: the marker search (a JavaScript regex alternation of fifty markers
 * managed a third of grep's speed) and the reading of successful access-log lines. One instance
 * holds one buffer at a time, searched and read in place.
 */

import type { MarkerSearch } from './chunkLines';
import { LOG_SCAN_WASM } from './logScanWasm';

/** What this module uses of the WebAssembly API (the project's lib settings declare none of it). */
interface WasmModule {
  readonly kind?: 'wasm-module';
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: unknown };
};
interface WasmGlobal {
  readonly value: number;
}

interface LogScanExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  readonly find: (from: number, end: number) => number;
  readonly readSuccess: (start: number, end: number) => number;
  readonly PAIR_BITS: WasmGlobal;
  readonly PAIR_HEADS: WasmGlobal;
  readonly ENTRIES: WasmGlobal;
  readonly MAX_ENTRIES: WasmGlobal;
  readonly MARKER_BYTES: WasmGlobal;
  readonly MAX_MARKER_BYTES: WasmGlobal;
  readonly DATA_START: WasmGlobal;
  readonly RESULTS: WasmGlobal;
}

/** What readSuccess leaves at RESULTS, by index (see wasm/logScan.ts). */
export const SUCCESS_RESULTS = { podStart: 0, podEnd: 1, timeAt: 2, zoneAt: 3, durationStart: 4, durationEnd: 5, clientStart: 6, clientEnd: 7 } as const;

let compiled: WasmModule | null = null;
const PAGE_BYTES = 65536;

export class LogScanModule {
  readonly exports: LogScanExports;
  /** The module's memory; replaced when it grows. */
  bytes: Uint8Array;
  /** readSuccess's results (SUCCESS_RESULTS), a view replaced with `bytes`. */
  results: Int32Array;
  private readonly resultsAt: number;
  private readonly dataStart: number;
  /** The buffer last loaded, and how much of it. */
  private loaded: Uint8Array | null = null;
  private loadedEnd = 0;

  constructor() {
    compiled ??= new WebAssembly.Module(Buffer.from(LOG_SCAN_WASM, 'base64'));
    this.exports = new WebAssembly.Instance(compiled, {}).exports as LogScanExports;
    this.dataStart = this.exports.DATA_START.value;
    this.resultsAt = this.exports.RESULTS.value;
    this.bytes = new Uint8Array(this.exports.memory.buffer);
    this.results = new Int32Array(this.exports.memory.buffer, this.resultsAt, 8);
  }

  /** Copies `data[0, end)` into the module (a small fraction of the cost of searching it). */
  load(data: Uint8Array, end: number): void {
    this.reserve(this.dataStart + end);
    this.bytes.set(data.subarray(0, end), this.dataStart);
    this.loaded = data;
    this.loadedEnd = end;
  }

  /** Where `data[start]` is in the module's memory: in place when `data` is the buffer loaded, else copied after it. */
  place(data: Uint8Array, start: number, end: number): number {
    if (data === this.loaded && end <= this.loadedEnd) return this.dataStart + start;
    const at = this.dataStart + this.loadedEnd;
    this.reserve(at + (end - start) + 8);
    this.bytes.set(data.subarray(start, end), at);
    return at;
  }

  /** In the module's memory: where `data[0]` of the buffer loaded is. */
  get base(): number {
    return this.dataStart;
  }

  private reserve(bytes: number): void {
    const memory = this.exports.memory;
    if (bytes > memory.buffer.byteLength) {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE_BYTES));
      this.bytes = new Uint8Array(memory.buffer);
      this.results = new Int32Array(memory.buffer, this.resultsAt, 8);
    }
  }
}

export interface FilterMarker {
  /** Printable ASCII, 2 to 255 bytes. */
  readonly text: string;
  /** A status word: found only where the bytes beside it do not continue a number (digit, `.`, `:`, `-`). */
  readonly word?: boolean;
}

/**
 * Bytes in the order they grow common in logs: spaces, lower-case English letters by frequency,
 * digits and the punctuation of times and paths. A byte not listed (capitals, quotes, brackets) is
 * rarer than all of them.
 */
const COMMON_BYTES = ' etaoinsrhldcumfpgwybvkxjqz0123456789-:./,_=';

function commonness(byte: number): number {
  const i = COMMON_BYTES.indexOf(String.fromCharCode(byte));
  return i < 0 ? 0 : COMMON_BYTES.length - i;
}

/**
 * The offset of the marker's rarest byte pair, the one it is entered under: the module rejects a
 * position by its pair alone, so how fast it runs depends on how rarely the chosen pairs occur.
 */
function rarestPair(bytes: Buffer): number {
  let best = 0;
  let bestScore = Infinity;
  for (let k = 0; k + 1 < bytes.length; k++) {
    const score = commonness(bytes[k]!) + commonness(bytes[k + 1]!);
    if (score < bestScore) {
      bestScore = score;
      best = k;
    }
  }
  return best;
}

const WORD_BIT = 0x80000000;

/** A {@link MarkerSearch} for many short markers, run by the module. */
export class WasmMarkerSearch implements MarkerSearch {
  private end = 0;

  constructor(
    markers: readonly FilterMarker[],
    private readonly module = new LogScanModule(),
  ) {
    const e = module.exports;
    const view = new DataView(e.memory.buffer);
    const heads = e.PAIR_HEADS.value;
    let markerAt = e.MARKER_BYTES.value;
    const markerEnd = markerAt + e.MAX_MARKER_BYTES.value;
    if (markers.length > e.MAX_ENTRIES.value) throw new Error(`at most ${e.MAX_ENTRIES.value} markers`);
    markers.forEach((marker, i) => {
      const bytes = Buffer.from(marker.text, 'latin1');
      if (bytes.length < 2 || bytes.length > 255 || /[^\x20-\x7e]/.test(marker.text)) throw new Error(`marker ${JSON.stringify(marker.text)}: expected 2 to 255 printable ASCII characters`);
      if (markerAt + bytes.length > markerEnd) throw new Error("the markers exceed the filter's storage");
      const offset = rarestPair(bytes);
      const pair = bytes[offset]! | (bytes[offset + 1]! << 8);
      const bitsWord = e.PAIR_BITS.value + (pair >>> 5) * 4;
      view.setUint32(bitsWord, view.getUint32(bitsWord, true) | (1 << (pair & 31)), true);
      module.bytes.set(bytes, markerAt);
      const entry = e.ENTRIES.value + i * 8;
      view.setUint32(entry, (markerAt | (marker.word ? WORD_BIT : 0)) >>> 0, true);
      view.setUint8(entry + 4, bytes.length);
      view.setUint8(entry + 5, offset);
      // Pushed in front of the pair's list: order within a list does not matter, the earliest start wins.
      view.setUint16(entry + 6, view.getUint16(heads + pair * 2, true), true);
      view.setUint16(heads + pair * 2, i + 1, true);
      markerAt += bytes.length;
    });
  }

  begin(data: Buffer, end: number): void {
    this.module.load(data, end);
    this.end = end;
  }

  next(from: number): number {
    if (from >= this.end) return -1;
    const base = this.module.base;
    const at = this.module.exports.find(base + from, base + this.end);
    return at < 0 ? -1 : at - base;
  }
}
