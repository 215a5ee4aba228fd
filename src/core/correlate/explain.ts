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
  /**
   * How long the record's written time spans: 1000 when the application logs whole seconds, so
   * the record happened somewhere in [time, time + 1 s) and the lead is an interval too.
   */
  readonly precisionMs?: number;
  /** Response flags or the Envoy message that decided it, e.g. `UF,URX`. */
  readonly evidence: string;
  readonly kind: 'reset' | 'http-error';
  /** No Envoy line decided it: the application's own error named the reason. */
  readonly hintOnly?: boolean;
}

function formatSeconds(seconds: number): string {
  return `${Number(seconds.toFixed(3))} s`;
}

function formatAmount(ms: number): string {
  return ms >= 1000 ? formatSeconds(ms / 1000) : `${Math.round(ms)} ms`;
}

/**
 * When the Envoy line came relative to the finding. A time logged to the second is an interval:
 * an event inside it is "in the same second", one before it "between L and L + 1 s before".
 */
function formatLead(leadMs: number, finding: string, precisionMs = 1): string {
  if (precisionMs < 1000) return `${formatAmount(Math.abs(leadMs))} ${leadMs >= 0 ? 'before' : 'after'} this ${finding}`;
  const logged = `(logged to the ${precisionMs === 1000 ? 'second' : formatSeconds(precisionMs / 1000)})`;
  if (leadMs <= 0 && leadMs > -precisionMs) return `in the same second as this ${finding} ${logged}`;
  if (leadMs > 0) return `${formatSeconds(leadMs / 1000)} to ${formatSeconds((leadMs + precisionMs) / 1000)} before this ${finding} ${logged}`;
  return `at least ${formatAmount(-leadMs - precisionMs)} after this ${finding} ${logged}`;
}

function target(facts: VerdictFacts): string {
  const cluster = facts.cluster ? `\`${facts.cluster}\`` : 'its destination';
  return facts.address ? `${cluster} (${facts.address})` : cluster;
}

/** One sentence: what Envoy logged, when, and the mechanism it shows. */
export function explainVerdict(facts: VerdictFacts): string {
  const cause = facts.cause;
  if (cause === 'unexplained') return 'unexplained';
  const finding = facts.kind === 'http-error' ? 'error' : 'reset';
  // Behind a sidecar Envoy accepts every intercepted connect, so the application itself is refused only when Envoy is not there.
  if (facts.hintOnly && cause === 'connection-refused' && facts.kind === 'reset') {
    return "The application's own connect was refused and no Envoy line in the window records the call: behind a sidecar Envoy accepts every intercepted connect, so Envoy was not listening yet (the application started before its sidecar was ready: set holdApplicationUntilProxyStarts), had already exited, or the traffic bypassed it and the destination itself refused.";
  }
  if (facts.hintOnly && cause === 'tls-failure' && facts.kind === 'reset') {
    return "The application's own TLS handshake failed and no Envoy line in the window records the call: `WRONG_VERSION_NUMBER` means it got plain text where it expected TLS (the sidecar treats the port as plain HTTP, or originates TLS itself, so the application should send plain HTTP), a certificate error that it does not trust the certificate it was shown.";
  }
  if (facts.hintOnly) return `The application's ${finding} carries Envoy's reset reason: ${mechanismOf(cause)}; no Envoy line in the window confirms it.`;
  const when = formatLead(facts.leadMs, finding, facts.precisionMs);
  const on = facts.connectionId ? ` [C${facts.connectionId}]` : '';
  switch (cause) {
    case 'connect-timeout': {
      const limit = facts.connectTimeoutSeconds !== null ? ` (${formatSeconds(facts.connectTimeoutSeconds)})` : '';
      return `Envoy's connect timeout${limit} to ${target(facts)} fired ${when}: the connection could not be set up within the cluster's connectTimeout. Raise it (DestinationRule or meshConfig).`;
    }
    case 'upstream-connect-failure':
      return `Envoy could not connect to ${target(facts)} ${when} (${facts.evidence}): the upstream refused or was unreachable. Check the destination's endpoints, port and TLS settings.`;
    case 'upstream-reset':
      return `The upstream ${target(facts)} closed or reset Envoy's connection ${when} (${facts.evidence}), and Envoy passed the reset on. Check the upstream's logs and idle timeouts.`;
    case 'proxy-shutdown':
      return `The sidecar was draining or exiting ${when} (${facts.evidence}): the call was still in flight when Envoy went away. Stop the application before the sidecar, or drain longer than its longest call.`;
    case 'max-duration':
      // `UT` is the route's request timeout, not a connection's age: say so (the same cause code).
      if (ROUTE_TIMEOUT.test(facts.evidence)) return `The route's request timeout to ${target(facts)} ran out ${when} (${facts.evidence}): Envoy answered 504 \`upstream request timeout\` and reset the upstream request. Raise the VirtualService's http.timeout, or find why the upstream answers so slowly.`;
      return defaultSentence(facts, when, on);
    case 'downstream-closed':
      return `Envoy closed the application's connection${on} ${when} with no upstream failure logged (${facts.evidence}). Check idle timeouts, drains and sidecar restarts.`;
    default:
      return defaultSentence(facts, when, on);
  }
}

const ROUTE_TIMEOUT = /\bUT\b|response_timeout/;

function defaultSentence(facts: VerdictFacts, when: string, on: string): string {
  const mechanism = mechanismOf(facts.cause as Exclude<ResetCause, 'unexplained'>);
  // The evidence may already name the connection (`connect-failure` on [C21]).
  const onConnection = facts.evidence.includes('[C') ? '' : on;
  return `${mechanism.charAt(0).toUpperCase()}${mechanism.slice(1)}: Envoy logged ${facts.evidence}${onConnection} for ${target(facts)} ${when}.`;
}

export function explainUnmatched(windowSeconds: number, podKnown: boolean, nearbyEvents: number, finding = 'reset'): string {
  const scope = podKnown ? 'for this pod' : `for this ${finding}`;
  if (nearbyEvents > 0) {
    return `unexplained: ${nearbyEvents} Envoy event(s) ${scope} within ±${windowSeconds} s, none of them a connection failure of this call`;
  }
  return `unexplained: no Envoy event ${scope} within ±${windowSeconds} s`;
}
