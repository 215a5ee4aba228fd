/**
 * How tail lines are laid out. Log text is untrusted: `escapeLogText` shows terminal escapes,
 * carriage returns that would rewrite a line and bidi overrides as visible escapes (`\x1B`,
 * `\u202E`), by the one rule in core/text/invisible; tabs stay.
 */
import { revealInvisible } from '../text/invisible';

export const escapeLogText = revealInvisible;

/** `[pod/container] ` in front of every tail line; the highlight offsets are shifted by its length. */
export function tailPrefix(pod: string, container: string): string {
  return `[${pod}/${container}] `;
}
