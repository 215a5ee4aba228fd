import { Scalar } from 'yaml';

/** Where each character of a scalar's parsed value was written: `[start, end)` offsets in the outer text. */
export interface ValueSourceMap {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

const SINGLE_CHAR_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};
const HEX_ESCAPE_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/**
 * Maps every character of a scalar's value back to the outer text, for YAML that is itself a
 * string (the `istio` ConfigMap's `data.mesh`). Works for block (`|`, `|-`, `|+`, `>`), plain and
 * quoted scalars by aligning the value with its source: non-blank characters must match exactly
 * (after escape decoding), while indentation and line folding are absorbed by whitespace runs.
 * Returns null when the value cannot be aligned, so callers fall back to the scalar's own range.
 */
export function mapScalarValue(scalar: Scalar, outer: string, outerOffset: number): ValueSourceMap | null {
  const value = scalar.value;
  const range = scalar.range;
  if (typeof value !== 'string' || !range) return null;
  const start = outerOffset + range[0];
  const end = outerOffset + range[1];
  let p = start;
  let to = end;
  switch (scalar.type) {
    case Scalar.BLOCK_LITERAL:
    case Scalar.BLOCK_FOLDED: {
      const headerEnd = outer.indexOf('\n', start);
      if (headerEnd === -1 || headerEnd >= end) return null;
      p = headerEnd + 1;
      break;
    }
    case Scalar.QUOTE_DOUBLE:
    case Scalar.QUOTE_SINGLE:
      p = start + 1;
      to = end - 1;
      break;
    default:
      break;
  }
  const doubleQuoted = scalar.type === Scalar.QUOTE_DOUBLE;
  const singleQuoted = scalar.type === Scalar.QUOTE_SINGLE;
  const starts: number[] = [];
  const ends: number[] = [];
  const put = (from: number, until: number): void => {
    starts.push(from);
    ends.push(until);
  };
  let i = 0;
  while (i < value.length) {
    const v = value[i];
    if (p >= to) {
      // Kept trailing line breaks (`|+`) may lie past the node's value range.
      put(to, to);
      i++;
      continue;
    }
    const c = outer[p];
    if (doubleQuoted && c === '\\') {
      const escape = decodeEscape(outer, p, to);
      if (escape === null) return null;
      if (escape.text === '') {
        p = escape.end;
        continue;
      }
      if (!value.startsWith(escape.text, i)) return null;
      for (let k = 0; k < escape.text.length; k++) put(p, escape.end);
      i += escape.text.length;
      p = escape.end;
      continue;
    }
    if (singleQuoted && c === "'" && outer[p + 1] === "'" && v === "'") {
      put(p, p + 2);
      i++;
      p += 2;
      continue;
    }
    if (c === v) {
      put(p, p + 1);
      i++;
      p++;
      continue;
    }
    if (!isSpace(c)) return null;
    // Indentation, folded line breaks and chomped blanks: map the value's blank run onto the source's.
    let q = p;
    while (q < to && isSpace(outer[q])) q++;
    while (i < value.length && isSpace(value[i])) {
      put(p, q);
      i++;
    }
    p = q;
  }
  return { starts, ends };
}

function decodeEscape(text: string, at: number, limit: number): { text: string; end: number } | null {
  const kind = text[at + 1];
  if (kind === undefined || at + 1 >= limit) return null;
  if (kind === '\n' || kind === '\r') {
    // An escaped line break joins the lines and drops the next line's indentation.
    let q = at + 1;
    while (q < limit && isSpace(text[q])) q++;
    return { text: '', end: q };
  }
  const single = SINGLE_CHAR_ESCAPES[kind];
  if (single !== undefined) return { text: single, end: at + 2 };
  const length = HEX_ESCAPE_LENGTH[kind];
  if (length === undefined) return null;
  const hex = text.slice(at + 2, at + 2 + length);
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) return null;
  return { text: String.fromCodePoint(parseInt(hex, 16)), end: at + 2 + length };
}
