/**
 * How untrusted log text is made safe to *look at* (the DOM code makes it safe to render by using
 * textContent only). Shared by the webview script and its unit tests; no DOM, no `vscode`.
 */

import { revealInvisible } from '../core/text/invisible';

export { revealInvisible };

/** Default number of UTF-16 code units of one log line the webview shows before truncating. */
export const DISPLAY_LIMIT = 2000;

export interface DisplayText {
  /** The text to put in textContent. */
  readonly text: string;
  /** Characters of the original left out (0 when nothing was truncated). */
  readonly omitted: number;
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
