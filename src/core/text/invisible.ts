/**
 * One rule for untrusted text that is about to be *looked at* — in the annotator's webview, in a
 * terminal, anywhere: characters that change how the surrounding text is displayed without being
 * visible themselves are replaced by visible escapes such as `\u202E`. Pure; no DOM, no Node.
 */

/**
 * Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), directional marks,
 * zero-width characters, line/paragraph separators, and C0/C1 controls other than tab (ESC among
 * them, so no escape sequence reaches a terminal). A log line or file name holding U+202E could
 * otherwise show `exe.txt` while saying `txt.exe`; one holding ESC could retitle the terminal.
 */
const INVISIBLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function marker(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Replaces every invisible or direction-changing character by a visible escape such as `\u202E`. */
export function revealInvisible(s: string): string {
  return s.replace(INVISIBLE, marker);
}
