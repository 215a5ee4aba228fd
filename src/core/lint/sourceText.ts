import type { SourcePosition, SourceRange } from './types';

/**
 * Converts string offsets (UTF-16 code units, as JavaScript and the `yaml` package count) to the
 * 0-based line/character positions VS Code uses. Line starts are indexed on first use only, so a
 * file with nothing to report pays nothing.
 */
export class LineIndex {
  private starts: number[] | null = null;

  /** The whole file's text (after line-end normalisation): some rules read what another document of the file says. */
  constructor(readonly text: string) {}

  position(offset: number): SourcePosition {
    const starts = this.lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - starts[lo] };
  }

  range(start: number, end: number): SourceRange {
    return { start: this.position(start), end: this.position(end) };
  }

  private lineStarts(): number[] {
    if (this.starts === null) {
      const starts = [0];
      // A CRLF pair ends one line: the '\r' stays on the line it ends, as in VS Code.
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    return this.starts;
  }
}

/** One YAML document's text and where it starts in the file. */
export interface DocumentChunk {
  readonly offset: number;
  readonly text: string;
}

const DOCUMENT_START = /^---(?=[ \t\r\n]|$)/gm;

/**
 * Splits a YAML stream at its `---` lines. YAML forbids `---` at the start of a line inside any
 * scalar or collection, so each chunk holds whole documents and can be parsed, skipped or
 * abandoned on its own. Directives (`%TAG`) would belong to the following document, so a stream
 * that uses them stays in one chunk.
 */
export function splitDocuments(text: string): DocumentChunk[] {
  if (/^%/m.test(text)) return [{ offset: 0, text }];
  const chunks: DocumentChunk[] = [];
  let from = 0;
  DOCUMENT_START.lastIndex = 0;
  for (let m = DOCUMENT_START.exec(text); m !== null; m = DOCUMENT_START.exec(text)) {
    if (m.index > from) chunks.push({ offset: from, text: text.slice(from, m.index) });
    from = m.index;
    DOCUMENT_START.lastIndex = m.index + 3;
  }
  chunks.push({ offset: from, text: text.slice(from) });
  return chunks;
}

/** True when the text cannot be a YAML manifest: NUL bytes appear only in binary files. */
export function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\u0000');
}

/**
 * The cheap test that decides whether a text is parsed at all: every connect timeout key
 * (`connectTimeout`, `connect_timeout`) contains both fragments.
 */
export function mayMentionConnectTimeout(text: string): boolean {
  return text.includes('onnect') && text.includes('imeout');
}
