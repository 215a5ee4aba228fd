/**
 * How tail lines are laid out. Log text is untrusted: `escapeLogText` shows terminal escapes,
 * carriage returns that would rewrite a line and bidi overrides as visible escapes (`\x1B`,
 * `\u202E`), by the one rule in core/text/invisible; tabs stay.
 */
import { revealInvisible } from '../text/invisible';
import { SIDECAR_CONTAINER } from '../pods';

export const escapeLogText = revealInvisible;

/** Pod names up to this length are shown whole in the prefix. */
const POD_SHOWN = 16;
/** A longer name keeps its start (the workload) and its end (what tells replicas apart). */
const POD_HEAD = 10;
const POD_TAIL = 4;
const CONTAINER_SHOWN = 12;

function shortened(name: string, head: number, tail: number): string {
  return `${name.slice(0, head)}…${tail > 0 ? name.slice(-tail) : ''}`;
}

/**
 * The pod as the prefix names it: `checkout-7…2k4q` for `checkout-7d9f8c6b5-x2k4q`, so the log
 * text starts within a few columns; the full name is in the prefix's hover.
 */
export function shortPodName(pod: string): string {
  return pod.length <= POD_SHOWN ? pod : shortened(pod, POD_HEAD, POD_TAIL);
}

/** `proxy` for the sidecar (every tail has it), other containers up to 12 characters. */
export function shortContainerName(container: string): string {
  if (container === SIDECAR_CONTAINER) return 'proxy';
  return container.length <= CONTAINER_SHOWN ? container : shortened(container, CONTAINER_SHOWN - 1, 0);
}

/** `checkout-7…2k4q/proxy │ ` in front of every tail line; the highlight offsets are shifted by its length. */
export function tailPrefix(pod: string, container: string): string {
  return `${shortPodName(pod)}/${shortContainerName(container)} │ `;
}
