/**
 * Log text is untrusted: a line can carry terminal escapes, carriage returns that would rewrite a
 * line, or bidirectional overrides that make text read differently than it is. Such characters are
 * shown as visible escapes (`\x1b`, `\u202e`); tabs stay.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function escapeLogText(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** `[pod/container] ` in front of every tail line; the highlight offsets are shifted by its length. */
export function tailPrefix(pod: string, container: string): string {
  return `[${pod}/${container}] `;
}
