/**
 * Sentences with code in them, as structured parts. Explanations mark cluster names, settings and
 * values with Markdown backtick spans (`outbound|443||idp`); a front end that can show code (the
 * annotator's <code> elements) splits them here instead of showing the backticks, and one that
 * cannot keeps the text as it is. Pure: the parts are text, never markup.
 */

export interface TextPart {
  readonly text: string;
  /** Shown as code (a cluster name, a setting, a value). */
  readonly code: boolean;
}

/** Length of the run of backticks that starts at `i`. */
function runLength(s: string, i: number): number {
  let j = i;
  while (j < s.length && s.charCodeAt(j) === 96 /* ` */) j++;
  return j - i;
}

/** Where the next run of exactly `n` backticks at or after `from` starts, or -1. */
function closingRun(s: string, from: number, n: number): number {
  let i = s.indexOf('`', from);
  while (i !== -1) {
    const len = runLength(s, i);
    if (len === n) return i;
    i = s.indexOf('`', i + len);
  }
  return -1;
}

function pushText(parts: TextPart[], text: string): void {
  if (text.length === 0) return;
  const last = parts[parts.length - 1];
  if (last && !last.code) parts[parts.length - 1] = { text: last.text + text, code: false };
  else parts.push({ text, code: false });
}

/**
 * Splits `s` on code spans as CommonMark reads them: a run of N backticks opens a span that the
 * next run of exactly N closes, so a span of two backticks may hold single ones (``a `b` c``); one
 * space just inside both ends is dropped. A run that nothing closes stays literal text. A failed
 * search is remembered per run length, so the work stays near-linear: at most one full scan per
 * distinct run length (fewer than √(2·length) of them).
 */
export function splitCodeSpans(s: string): TextPart[] {
  const parts: TextPart[] = [];
  let textStart = 0;
  let i = s.indexOf('`');
  /** Opening run lengths known to have no closing run after the current position: stay literal. */
  const unclosed = new Set<number>();
  while (i !== -1) {
    const n = runLength(s, i);
    const close = unclosed.has(n) ? -1 : closingRun(s, i + n, n);
    if (close === -1) {
      unclosed.add(n);
      i = s.indexOf('`', i + n);
      continue;
    }
    let inner = s.slice(i + n, close);
    if (inner.length >= 2 && inner.startsWith(' ') && inner.endsWith(' ') && inner.trim().length > 0) inner = inner.slice(1, -1);
    pushText(parts, s.slice(textStart, i));
    parts.push({ text: inner, code: true });
    textStart = close + n;
    i = s.indexOf('`', textStart);
  }
  pushText(parts, s.slice(textStart));
  return parts;
}

/** The parts as plain text again, e.g. for a tooltip or a screen reader: code without its marks. */
export function plainText(parts: readonly TextPart[]): string {
  return parts.map((p) => p.text).join('');
}
