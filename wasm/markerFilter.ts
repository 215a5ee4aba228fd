// AssemblyScript, compiled by scripts/buildWasm.mjs into src/core/logs/markerFilterWasm.ts.
//
// Finds the first of many short markers in a buffer: the relevance test the correlator runs over
// every byte of a log, where a regex alternation ran at a third of grep's speed. Each marker is
// entered under one of its byte pairs (the rarest, chosen by the caller); a bitmap of all 65,536
// pairs rejects almost every position with one load, and the few positions it passes are verified
// against the markers entered under that pair.
//
// Memory, laid out here and read by the caller through the exported offsets:
//   PAIR_BITS    65,536 bits, set for the pairs markers are entered under
//   PAIR_HEADS   per pair, the 1-based index of its first entry (0: none)
//   ENTRIES      8 bytes each: u32 marker bytes' address (bit 31: a status word, see below),
//                u8 length, u8 offset of the pair in the marker, u16 next entry of the same pair
//   MARKER_BYTES the markers' bytes
//   DATA_START   the buffer searched, growing memory as the caller needs

export const PAIR_BITS: u32 = 0;
export const PAIR_HEADS: u32 = 8192;
export const ENTRIES: u32 = 139264;
export const MAX_ENTRIES: u32 = 4096;
export const MARKER_BYTES: u32 = 172032;
export const MAX_MARKER_BYTES: u32 = 24576;
export const DATA_START: u32 = 196608;

const WORD_BIT: u32 = 0x80000000;

/** A byte that continues a number (a digit, `.`, `:` or `-`): a status code beside one is no word. */
function extendsNumber(c: u32): bool {
  return (c >= 48 && c <= 57) || c == 46 || c == 58 || c == 45;
}

/** Whether the marker of entry `e` occurs at `s`, within [from, end). */
function matchesAt(e: u32, s: i64, from: u32, end: u32): bool {
  const head = load<u32>(e);
  const bytes = head & ~WORD_BIT;
  const length: u32 = load<u8>(e + 4);
  if (s < <i64>from || <u64>s + <u64>length > <u64>end) return false;
  const at = <u32>s;
  for (let j: u32 = 0; j < length; j++) {
    if (load<u8>(at + j) != load<u8>(bytes + j)) return false;
  }
  if ((head & WORD_BIT) == 0) return true;
  // A status word: the byte before and the byte after must not extend a number (the buffer's
  // ends count as boundaries, as the caller passes whole lines).
  if (at > from && extendsNumber(load<u8>(at - 1))) return false;
  return at + length >= end || !extendsNumber(load<u8>(at + length));
}

/** Where the first marker occurs in [from, end), or -1. */
export function find(from: u32, end: u32): i32 {
  if (end < from + 2) return -1;
  let previous: u32 = load<u8>(from);
  for (let i: u32 = from + 1; i < end; i++) {
    const c: u32 = load<u8>(i);
    const pair: u32 = previous | (c << 8);
    previous = c;
    if ((load<u32>(PAIR_BITS + ((pair >> 5) << 2)) & (1 << (pair & 31))) == 0) continue;
    // Entries under one pair are verified in turn; the earliest start among them wins.
    let best: i64 = -1;
    for (let index: u32 = load<u16>(PAIR_HEADS + (pair << 1)); index != 0; ) {
      const e = ENTRIES + ((index - 1) << 3);
      const s: i64 = <i64>i - 1 - <i64>load<u8>(e + 5);
      if ((best < 0 || s < best) && matchesAt(e, s, from, end)) best = s;
      index = load<u16>(e + 6);
    }
    if (best >= 0) return <i32>best;
  }
  return -1;
}
