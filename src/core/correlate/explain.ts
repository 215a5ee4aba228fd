/** One-line, plain explanations of a verdict: the mechanism, what showed it, and when. */

import type { ResetCause } from './types';
import { mechanismOf } from './causes';

export interface VerdictFacts {
  readonly cause: ResetCause;
  readonly cluster: string | null;
  readonly address: string | null;
  readonly connectionId: string | null;
  readonly connectTimeoutSeconds: number | null;
  /** Record time minus the deciding Envoy event's time. */
  readonly leadMs: number;
  /** Response flags or the Envoy message that decided it, e.g. `UF,URX`. */
  readonly evidence: string;
  /** No Envoy line decided it: the application's own error named the reason. */
  readonly hintOnly?: boolean;
}

function formatSeconds(seconds: number): string {
  return `${Number(seconds.toFixed(3))} s`;
}

function formatLead(leadMs: number): string {
  const size = Math.abs(leadMs);
  const amount = size >= 1000 ? formatSeconds(size / 1000) : `${Math.round(size)} ms`;
  return `${amount} ${leadMs >= 0 ? 'before' : 'after'} this failure`;
}

function target(facts: VerdictFacts): string {
  const cluster = facts.cluster ? `\`${facts.cluster}\`` : 'the upstream';
  return facts.address ? `${cluster} (${facts.address})` : cluster;
}

export function explainVerdict(facts: VerdictFacts): string {
  if (facts.cause === 'unexplained') return 'unexplained';
  const mechanism = mechanismOf(facts.cause);
  if (facts.hintOnly) return `The application's error names Envoy's reset reason: ${mechanism}; no Envoy line in the window confirms it.`;
  const when = formatLead(facts.leadMs);
  const limit = facts.cause === 'connect-timeout' && facts.connectTimeoutSeconds !== null ? ` (connect timeout ${formatSeconds(facts.connectTimeoutSeconds)})` : '';
  const which = facts.connectionId ? ` on [C${facts.connectionId}]` : '';
  return `${mechanism.charAt(0).toUpperCase()}${mechanism.slice(1)}${limit}: Envoy logged ${facts.evidence}${which} for ${target(facts)} ${when}.`;
}

export function explainUnmatched(windowSeconds: number, podKnown: boolean, nearbyEvents: number): string {
  const scope = podKnown ? 'for this pod' : 'for this failure';
  if (nearbyEvents > 0) {
    return `unexplained: ${nearbyEvents} Envoy event(s) ${scope} within ±${windowSeconds} s, none of them a connection failure of this call`;
  }
  return `unexplained: no Envoy event ${scope} within ±${windowSeconds} s`;
}
