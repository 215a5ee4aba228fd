/**
 * Resets grouped by what caused them and where they went: sixty identical resets are one problem
 * with one fix ("60 resets → connect timeout 1 s to `outbound|443||idp.example.com`"), not sixty
 * cards. Pure; the annotator shows the groups, each with its resets inside.
 */

import type { TextPart } from '../text/codeSpans';
import { fixFor } from './causes';
import type { CauseFix, FindingKind, ResetCause } from './types';

/** What grouping reads of a reset (a ResetReport, or the annotator's cut copy of one). */
export interface GroupableReset {
  readonly kind: FindingKind;
  readonly time: string | null;
  readonly cause: ResetCause;
  readonly cluster: string | null;
  readonly connectTimeoutSeconds: number | null;
}

export interface ResetGroup {
  readonly cause: ResetCause;
  readonly cluster: string | null;
  /** The cluster's connect timeout shared by every reset of the group (a different value is another group). */
  readonly connectTimeoutSeconds: number | null;
  /** Indices of the group's resets in the list given to `groupResets`, earliest first. */
  readonly members: readonly number[];
  readonly resets: number;
  readonly httpErrors: number;
  /** The one fix for the whole group; null when unexplained. */
  readonly fix: CauseFix | null;
  /** Earliest and latest time of its resets (ISO 8601), null when none had a time. */
  readonly first: string | null;
  readonly last: string | null;
}

/** How a group's headline names its cause, and the word that leads to its destination ('' names none). */
const CAUSE_PHRASES: Readonly<Record<ResetCause, { readonly label: string; readonly to: string }>> = {
  'connect-timeout': { label: 'connect timeout', to: 'to' },
  'connection-refused': { label: 'connection refused', to: 'by' },
  'tls-failure': { label: 'TLS handshake failure', to: 'with' },
  'no-healthy-upstream': { label: 'no healthy upstream', to: 'in' },
  'circuit-breaker': { label: 'connection pool overflow', to: 'on' },
  'no-route': { label: 'no route', to: 'to' },
  'idle-timeout': { label: 'idle connection closed', to: 'to' },
  'max-duration': { label: 'maximum connection duration reached', to: 'to' },
  'upstream-reset': { label: 'upstream reset', to: 'by' },
  'proxy-shutdown': { label: 'sidecar shutting down', to: 'during a call to' },
  'upstream-connect-failure': { label: 'connect failure', to: 'to' },
  'downstream-closed': { label: "Envoy closed the application's connection", to: 'to' },
  unexplained: { label: 'no Envoy event explains them', to: '' },
};

function groupKey(r: GroupableReset): string {
  return JSON.stringify([r.cause, r.cluster, r.connectTimeoutSeconds]);
}

function timeOf(r: GroupableReset): number {
  const t = r.time === null ? NaN : Date.parse(r.time);
  return Number.isFinite(t) ? t : Number.POSITIVE_INFINITY;
}

/**
 * Groups `resets` by cause, cluster and connect timeout. Groups come largest first (ties: the
 * earliest first), unexplained resets last, as they need another step (debug logging) rather
 * than a fix; the members of each group are in time order, resets without a time at the end.
 */
export function groupResets(resets: readonly GroupableReset[]): ResetGroup[] {
  const byKey = new Map<string, number[]>();
  resets.forEach((r, i) => {
    const key = groupKey(r);
    const members = byKey.get(key);
    if (members) members.push(i);
    else byKey.set(key, [i]);
  });
  const groups: ResetGroup[] = [];
  for (const members of byKey.values()) {
    members.sort((a, b) => timeOf(resets[a]!) - timeOf(resets[b]!) || a - b);
    const head = resets[members[0]!]!;
    const timed = members.map((i) => resets[i]!).filter((r) => Number.isFinite(timeOf(r)));
    const httpErrors = members.filter((i) => resets[i]!.kind === 'http-error').length;
    groups.push({
      cause: head.cause,
      cluster: head.cluster,
      connectTimeoutSeconds: head.connectTimeoutSeconds,
      members,
      resets: members.length - httpErrors,
      httpErrors,
      fix: fixFor(head.cause),
      first: timed[0]?.time ?? null,
      last: timed[timed.length - 1]?.time ?? null,
    });
  }
  const rank = (g: ResetGroup) => (g.cause === 'unexplained' ? 1 : 0);
  const start = (g: ResetGroup) => timeOf(resets[g.members[0]!]!);
  return groups.sort((a, b) => rank(a) - rank(b) || b.members.length - a.members.length || start(a) - start(b) || a.members[0]! - b.members[0]!);
}

function seconds(value: number): string {
  return `${Number(value.toFixed(3))} s`;
}

function countText(group: ResetGroup): string {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (group.httpErrors === 0) return plural(group.resets, 'reset', 'resets');
  if (group.resets === 0) return plural(group.httpErrors, 'HTTP error', 'HTTP errors');
  return `${plural(group.resets, 'reset', 'resets')} and ${plural(group.httpErrors, 'HTTP error', 'HTTP errors')}`;
}

/** `60 resets → connect timeout 1 s to ` + the cluster as code. */
export function groupHeadline(group: ResetGroup): TextPart[] {
  const phrase = CAUSE_PHRASES[group.cause];
  const limit = group.cause === 'connect-timeout' && group.connectTimeoutSeconds !== null ? ` ${seconds(group.connectTimeoutSeconds)}` : '';
  const lead = `${countText(group)} → ${phrase.label}${limit}`;
  if (group.cluster === null || phrase.to === '') return [{ text: lead, code: false }];
  return [
    { text: `${lead} ${phrase.to} `, code: false },
    { text: group.cluster, code: true },
  ];
}
