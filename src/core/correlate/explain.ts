/** One-line, plain explanations of a reset's verdict. */

import type { ResetCause } from './types';

export interface VerdictFacts {
  readonly cause: ResetCause;
  readonly cluster: string | null;
  readonly address: string | null;
  readonly connectionId: string | null;
  readonly connectTimeoutSeconds: number | null;
  /** Reset time minus the deciding Envoy event's time. */
  readonly leadMs: number;
  /** Response flags or the Envoy message that decided it, e.g. `UF,URX`. */
  readonly evidence: string;
}

function formatSeconds(seconds: number): string {
  return `${Number(seconds.toFixed(3))} s`;
}

function formatLead(leadMs: number): string {
  const size = Math.abs(leadMs);
  const amount = size >= 1000 ? formatSeconds(size / 1000) : `${Math.round(size)} ms`;
  return `${amount} ${leadMs >= 0 ? 'before' : 'after'} this reset`;
}

function target(facts: VerdictFacts): string {
  const cluster = facts.cluster ? `\`${facts.cluster}\`` : 'its upstream';
  return facts.address ? `${cluster} (${facts.address})` : cluster;
}

export function explainVerdict(facts: VerdictFacts): string {
  const when = formatLead(facts.leadMs);
  switch (facts.cause) {
    case 'connect-timeout': {
      const limit = facts.connectTimeoutSeconds !== null ? ` (${formatSeconds(facts.connectTimeoutSeconds)})` : '';
      return `Envoy's connect timeout${limit} to ${target(facts)} fired ${when}: the TLS connection could not be set up within the cluster's connectTimeout. Raise it (DestinationRule or meshConfig).`;
    }
    case 'upstream-connect-failure':
      return `Envoy could not connect to ${target(facts)} ${when} (${facts.evidence}): the upstream refused or was unreachable. Check the destination's endpoints, port and TLS settings.`;
    case 'upstream-reset':
      return `The upstream ${target(facts)} closed or reset Envoy's connection ${when} (${facts.evidence}), and Envoy passed the reset on. Check the upstream's logs and idle timeouts.`;
    case 'downstream-closed': {
      const which = facts.connectionId ? ` [C${facts.connectionId}]` : '';
      return `Envoy closed the application's connection${which} ${when} with no upstream failure logged (${facts.evidence}). Check idle timeouts, drains and sidecar restarts.`;
    }
    case 'unexplained':
      return 'unexplained';
  }
}

export function explainUnmatched(windowSeconds: number, podKnown: boolean, nearbyEvents: number): string {
  const scope = podKnown ? 'for this pod' : 'for this reset';
  if (nearbyEvents > 0) {
    return `unexplained: ${nearbyEvents} Envoy event(s) ${scope} within ±${windowSeconds} s, none of them a connection failure`;
  }
  return `unexplained: no Envoy event ${scope} within ±${windowSeconds} s`;
}
