/**
 * How untrusted log text is made safe to *look at* (the DOM code makes it safe to render by using
 * textContent only). Shared by the webview script and its unit tests; no DOM, no `vscode`.
 */

/**
 * Characters that change how surrounding text is displayed without being visible themselves:
 * bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), directional marks,
 * zero-width characters, line/paragraph separators, and C0/C1 controls other than tab. A log line
 * holding U+202E could otherwise show `exe.txt` while saying `txt.exe`.
 */
const INVISIBLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** Default number of UTF-16 code units of one log line the webview shows before truncating. */
export const DISPLAY_LIMIT = 2000;

export interface DisplayText {
  /** The text to put in textContent. */
  readonly text: string;
  /** Characters of the original left out (0 when nothing was truncated). */
  readonly omitted: number;
}

function marker(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Replaces every invisible or direction-changing character by a visible escape such as `\u202E`. */
export function revealInvisible(s: string): string {
  return s.replace(INVISIBLE, marker);
}

/**
 * Cuts `s` to `limit` code units (never inside a surrogate pair) and reveals invisible characters.
 * The count of omitted characters is reported separately so the caller can say
 * "… (N more characters)" and offer to open the full line; `fullLength` is the original line's
 * length when `s` is already a cut of it.
 */
export function toDisplayText(s: string, limit: number = DISPLAY_LIMIT, fullLength: number = s.length): DisplayText {
  let cut = Math.min(s.length, limit);
  if (cut < s.length) {
    const last = s.charCodeAt(cut - 1);
    if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  }
  return { text: revealInvisible(s.slice(0, cut)), omitted: Math.max(0, fullLength - cut) };
}

/** The suffix shown after a truncated line. */
export function omittedSuffix(omitted: number): string {
  return `… (${omitted.toLocaleString('en-US')} more characters)`;
}
