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
  readonly FIRST_BYTES: WasmGlobal;
  readonly SECOND_BYTES: WasmGlobal;
  readonly THIRD_BYTES: WasmGlobal;
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
  /** Printable ASCII, 3 to 255 bytes. */
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

/** A rough share of log bytes that are `byte`: a prior, falling along COMMON_BYTES. */
function frequency(byte: number): number {
  const i = COMMON_BYTES.indexOf(String.fromCharCode(byte));
  return i < 0 ? 0.002 : 0.12 * 0.9 ** i;
}

/** How many bytes in a row each marker is entered under. */
const TRIPLE = 3;

/**
 * Where in each marker the three bytes it is entered under start. The module passes a position
 * when its byte is among the triples' first bytes, the next among their second and the one after
 * among their third, so what matters is how common those three sets of bytes are together: each
 * marker's triple is chosen in turn to make the product of the sets' frequencies smallest, given
 * the others' (a few rounds settle it). Markers then share their rare bytes.
 */
function chooseTriples(markers: readonly Buffer[]): number[] {
  const offsets = markers.map(() => 0);
  const passRate = (): number => {
    const places = Array.from({ length: TRIPLE }, () => new Set<number>());
    markers.forEach((bytes, i) => places.forEach((place, j) => place.add(bytes[offsets[i]! + j]!)));
    return places.reduce((product, place) => product * [...place].reduce((sum, byte) => sum + frequency(byte), 0), 1);
  };
  for (let round = 0; round < 4; round++) {
    markers.forEach((bytes, i) => {
      let best = offsets[i]!;
      let bestRate = Infinity;
      for (let k = 0; k + TRIPLE <= bytes.length; k++) {
        offsets[i] = k;
        const rate = passRate();
        if (rate < bestRate) {
          bestRate = rate;
          best = k;
        }
      }
      offsets[i] = best;
    });
  }
  return offsets;
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
    for (const { text } of markers) {
      if (text.length < TRIPLE || text.length > 255 || /[^\x20-\x7e]/.test(text)) throw new Error(`marker ${JSON.stringify(text)}: expected 3 to 255 printable ASCII characters`);
    }
    const allBytes = markers.map((m) => Buffer.from(m.text, 'latin1'));
    const offsets = chooseTriples(allBytes);
    markers.forEach((marker, i) => {
      const bytes = allBytes[i]!;
      if (markerAt + bytes.length > markerEnd) throw new Error("the markers exceed the filter's storage");
      const offset = offsets[i]!;
      const pair = bytes[offset]! | (bytes[offset + 1]! << 8);
      const bitsWord = e.PAIR_BITS.value + (pair >>> 5) * 4;
      view.setUint32(bitsWord, view.getUint32(bitsWord, true) | (1 << (pair & 31)), true);
      const places = [e.FIRST_BYTES.value, e.SECOND_BYTES.value, e.THIRD_BYTES.value];
      places.forEach((table, j) => {
        const byte = bytes[offset + j]!;
        view.setUint8(table + (byte & 15), view.getUint8(table + (byte & 15)) | (1 << (byte >> 4)));
      });
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
