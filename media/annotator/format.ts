/** Turning correlator values into the words and elements the panel shows. */
import type { EnvoyEventKind } from '../../src/core/correlate/types';
import type { WireReset } from '../../src/annotator/protocol';
import { DISPLAY_LIMIT, omittedSuffix, toDisplayText } from '../../src/annotator/displayText';
import { button, h } from './dom';
import { richText } from './richText';

const KIND_LABELS: Record<EnvoyEventKind, string> = {
  'creating-connection': 'creating connection',
  connecting: 'connecting',
  'connection-in-progress': 'connection in progress',
  'connect-timeout': 'connect timeout',
  'connect-failure': 'connect failure',
  'upstream-reset': 'upstream reset',
  closing: 'closing',
  'downstream-closed': 'downstream closed',
  'access-log': 'access-log entry',
};

export function kindLabel(kind: string): string {
  return (KIND_LABELS as Record<string, string>)[kind] ?? kind;
}

/** `2020-05-29 22:04:06.068 UTC`, or the input as text when it is not a time. */
export function formatTime(iso: string | null): string {
  if (!iso) return 'time unknown';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return toDisplayText(iso, 64).text;
  return `${new Date(t).toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}

export function formatConfidence(confidence: number): string {
  const pct = Number.isFinite(confidence) ? Math.round(Math.min(1, Math.max(0, confidence)) * 100) : 0;
  return `${pct}%`;
}

/** The one-line verdict, its code spans (cluster names) shown as code, then the confidence. */
export function verdict(reset: WireReset, className: string): HTMLElement {
  const explanation = reset.cause === 'unexplained' || reset.matches.length === 0
    ? `No Envoy event explains this reset. ${reset.explanation}`.trim()
    : reset.explanation;
  const el = richText('p', className, explanation, 600);
  el.appendChild(document.createTextNode(` · ${formatConfidence(reset.confidence)}`));
  return el;
}

/**
 * A log line shown as text: invisible characters revealed, long lines cut with a count of what
 * was left out and a button to open the whole line in the editor.
 */
export function logText(text: string, openFull: (() => void) | null, fullLength = text.length): HTMLElement {
  const shown = toDisplayText(text, DISPLAY_LIMIT, fullLength);
  const el = h('span', { className: 'log-text' }, h('span', { text: shown.text }));
  if (shown.omitted > 0) {
    el.appendChild(h('span', { className: 'omitted', text: ` ${omittedSuffix(shown.omitted)} ` }));
    if (openFull) el.appendChild(button('Open full line', openFull, { className: 'link' }));
  }
  return el;
}
