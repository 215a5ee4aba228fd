/**
 * A {@link MarkerSearch} for many short markers, run in WebAssembly (wasm/markerFilter.ts): every
 * byte of a log passes through it, and a JavaScript regex alternation of the correlator's fifty
 * markers managed a third of grep's speed. The module rejects a position by its byte pair alone, so
 * how fast it runs depends on how rarely the pairs chosen here occur in logs.
 */

import type { MarkerSearch } from './chunkLines';
import { MARKER_FILTER_WASM } from './markerFilterWasm';

export interface FilterMarker {
  /** ASCII, at least two bytes. */
  readonly text: string;
  /** A status word: found only where the bytes beside it do not continue a number (digit, `.`, `:`, `-`). */
  readonly word?: boolean;
}

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

interface FilterExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  readonly find: (from: number, end: number) => number;
  readonly PAIR_BITS: WasmGlobal;
  readonly PAIR_HEADS: WasmGlobal;
  readonly ENTRIES: WasmGlobal;
  readonly MAX_ENTRIES: WasmGlobal;
  readonly MARKER_BYTES: WasmGlobal;
  readonly MAX_MARKER_BYTES: WasmGlobal;
  readonly DATA_START: WasmGlobal;
}

let compiled: WasmModule | null = null;

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

/** The offset of the marker's rarest byte pair, the one it is entered under. */
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

const PAGE_BYTES = 65536;
const WORD_BIT = 0x80000000;

export class WasmMarkerSearch implements MarkerSearch {
  private readonly exports: FilterExports;
  private readonly dataStart: number;
  private bytes: Uint8Array;
  private end = 0;

  constructor(markers: readonly FilterMarker[]) {
    compiled ??= new WebAssembly.Module(Buffer.from(MARKER_FILTER_WASM, 'base64'));
    this.exports = new WebAssembly.Instance(compiled, {}).exports as unknown as FilterExports;
    const e = this.exports;
    this.dataStart = e.DATA_START.value;
    const view = new DataView(e.memory.buffer);
    const heads = e.PAIR_HEADS.value;
    const entries = e.ENTRIES.value;
    let markerAt = e.MARKER_BYTES.value;
    const markerEnd = markerAt + (e.MAX_MARKER_BYTES.value);
    if (markers.length > (e.MAX_ENTRIES.value)) throw new Error(`at most ${e.MAX_ENTRIES.value} markers`);
    markers.forEach((marker, i) => {
      const bytes = Buffer.from(marker.text, 'latin1');
      if (bytes.length < 2 || bytes.length > 255 || /[^\x20-\x7e]/.test(marker.text)) throw new Error(`marker ${JSON.stringify(marker.text)}: expected 2 to 255 printable ASCII characters`);
      if (markerAt + bytes.length > markerEnd) throw new Error('the markers exceed the filter\'s storage');
      const offset = rarestPair(bytes);
      const pair = bytes[offset]! | (bytes[offset + 1]! << 8);
      const bitsWord = (e.PAIR_BITS.value) + (pair >>> 5) * 4;
      view.setUint32(bitsWord, view.getUint32(bitsWord, true) | (1 << (pair & 31)), true);
      new Uint8Array(e.memory.buffer, markerAt, bytes.length).set(bytes);
      const entry = entries + i * 8;
      view.setUint32(entry, (markerAt | (marker.word ? WORD_BIT : 0)) >>> 0, true);
      view.setUint8(entry + 4, bytes.length);
      view.setUint8(entry + 5, offset);
      // Pushed in front of the pair's list: order within a list does not matter, the earliest start wins.
      view.setUint16(entry + 6, view.getUint16(heads + pair * 2, true), true);
      view.setUint16(heads + pair * 2, i + 1, true);
      markerAt += bytes.length;
    });
    this.bytes = new Uint8Array(e.memory.buffer);
  }

  begin(data: Buffer, end: number): void {
    const needed = this.dataStart + end;
    const memory = this.exports.memory;
    if (needed > memory.buffer.byteLength) {
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE_BYTES));
      this.bytes = new Uint8Array(memory.buffer);
    }
    // A copy of a chunk costs a small fraction of searching it.
    this.bytes.set(data.subarray(0, end), this.dataStart);
    this.end = end;
  }

  next(from: number): number {
    if (from >= this.end) return -1;
    const at = this.exports.find(this.dataStart + from, this.dataStart + this.end);
    return at < 0 ? -1 : at - this.dataStart;
  }
}
