import type { ResetCause } from '../correlate/types';
import { formatDuration } from '../duration';
import { isLowConnectTimeout } from './clusterRows';
import { type CounterReading, formatRate, ratePerMinute } from './counterRates';
import type { ClusterRow } from './types';

/** What the verdict needs of a cluster: a full row, or a background scan's lighter one. */
export type ClusterObservation = Pick<ClusterRow, 'name' | 'isStatic' | 'connectTimeoutSeconds' | 'connectTimeoutDefaulted' | 'counters' | 'hostCounters'>;

/**
 * The counters whose rise proves a cause, as totals since the sidecar started. Connect failures
 * and connections fall back to the hosts' counters of `/clusters` when the stats matcher does not
 * export the cluster stats (Istio's default).
 */
export interface ClusterTotals {
  readonly connectTimeouts: number | null;
  readonly connectFailures: number | null;
  readonly connections: number | null;
  readonly remoteResets: number | null;
  readonly pendingOverflows: number | null;
  readonly tlsErrors: number | null;
}

export type ClusterRates = { readonly [K in keyof ClusterTotals]: number | null };

/** When the totals were read. */
export interface TotalsReading {
  readonly atMs: number;
  readonly totals: ClusterTotals;
}

export function clusterTotals(c: ClusterObservation): ClusterTotals {
  return {
    connectTimeouts: c.counters.connectTimeouts,
    connectFailures: c.counters.connectFailures ?? c.hostCounters?.connectFailures ?? null,
    connections: c.counters.connections ?? c.hostCounters?.connections ?? null,
    remoteResets: c.counters.remoteResetsWithActiveRequests,
    pendingOverflows: c.counters.pendingOverflows,
    tlsErrors: c.counters.tlsConnectionErrors,
  };
}

const TOTAL_FIELDS: readonly (keyof ClusterTotals)[] = ['connectTimeouts', 'connectFailures', 'connections', 'remoteResets', 'pendingOverflows', 'tlsErrors'];

/** Per-minute rates between two readings of one cluster (see ratePerMinute: null when they say nothing). */
export function clusterRates(earlier: TotalsReading | null, later: TotalsReading): ClusterRates {
  const rates = {} as { -readonly [K in keyof ClusterTotals]: number | null };
  for (const f of TOTAL_FIELDS) {
    const before: CounterReading | null = earlier ? { atMs: earlier.atMs, value: earlier.totals[f] } : null;
    rates[f] = ratePerMinute(before, { atMs: later.atMs, value: later.totals[f] });
  }
  return rates;
}

/**
 * `problem`: the cause is happening (a warning); `quiet`: a setting or an old count worth knowing
 * but not failing now (no traffic, or the counter stopped rising: a dimmer info mark); `ok`.
 */
export type Severity = 'problem' | 'quiet' | 'ok';

export interface Finding {
  /** The cause code the correlator uses (src/core/correlate/types.ts). */
  readonly cause: ResetCause;
  readonly severity: Exclude<Severity, 'ok'>;
  /** `157 timeouts (+12/min)`, `low, no traffic`. */
  readonly text: string;
}

export interface ClusterVerdict {
  readonly severity: Severity;
  /** Problems first, then quiet ones. */
  readonly findings: readonly Finding[];
  /** What the row leads with: the connect timeout, then each problem's numbers: `1s ⚠ · 157 timeouts (+12/min)`. */
  readonly lead: string;
}

/**
 * A counter that counted something: a problem while it rises (or while no second reading tells
 * whether it still does), quiet once two readings show it stopped.
 */
function counterFinding(cause: ResetCause, total: number | null, rate: number | null, noun: string): Finding | null {
  if (total === null || total <= 0) return null;
  const text = `${total} ${noun}${rate === null ? '' : ` (${formatRate(rate)})`}`;
  return { cause, severity: rate === null || rate > 0 ? 'problem' : 'quiet', text };
}

/** Istio's "no route" sink: traffic there was refused for want of a route or a registry entry. */
const BLACK_HOLE = 'BlackHoleCluster';

/**
 * Judges one cluster from its settings and counters (and rates when two readings exist).
 * A low connect timeout is a problem only while the cluster has traffic; connect failures,
 * remote resets of busy connections, pending overflows, active outlier ejections, TLS errors and
 * traffic to BlackHoleCluster each name their cause.
 */
export function judgeCluster(c: ClusterObservation, minimumSeconds: number, rates: ClusterRates | null): ClusterVerdict {
  const t = clusterTotals(c);
  const r = (f: keyof ClusterTotals) => rates?.[f] ?? null;
  const findings: Finding[] = [];
  const push = (f: Finding | null) => f && findings.push(f);
  const low = isLowConnectTimeout(c, minimumSeconds);
  const busy = (t.connections ?? 0) > 0;
  if (low) push({ cause: 'connect-timeout', severity: busy ? 'problem' : 'quiet', text: busy ? 'low' : t.connections === null ? 'low, traffic unknown' : 'low, no traffic' });
  push(counterFinding('connect-timeout', t.connectTimeouts, r('connectTimeouts'), 'timeouts'));
  if (t.connectTimeouts === null) {
    // Without the timeout stat the hosts' failures include the timeouts: a low timeout explains them.
    push(counterFinding(low ? 'connect-timeout' : 'upstream-connect-failure', t.connectFailures, r('connectFailures'), 'connect fails'));
  } else if (t.connectFailures !== null) {
    // upstream_cx_connect_fail counts the timeouts too; the rest failed otherwise (refused, reset).
    const rate = r('connectFailures') === null || r('connectTimeouts') === null ? null : Math.max(0, r('connectFailures')! - r('connectTimeouts')!);
    push(counterFinding('upstream-connect-failure', t.connectFailures - t.connectTimeouts, rate, 'other connect fails'));
  }
  push(counterFinding('upstream-reset', t.remoteResets, r('remoteResets'), 'remote resets'));
  push(counterFinding('circuit-breaker', t.pendingOverflows, r('pendingOverflows'), 'pending overflows'));
  push(counterFinding('tls-failure', t.tlsErrors, r('tlsErrors'), 'TLS errors'));
  const ejected = c.counters.ejectionsActive ?? 0;
  if (ejected > 0) push({ cause: 'no-healthy-upstream', severity: 'problem', text: `${ejected} ejected` });
  const { membershipHealthy: healthy, membershipTotal: total } = c.counters;
  if (healthy === 0 && total !== null && total > 0) push({ cause: 'no-healthy-upstream', severity: 'problem', text: `0/${total} healthy` });
  if (c.name === BLACK_HOLE) push(counterFinding('no-route', t.connections, r('connections'), 'sent to BlackHole'));
  findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'problem' ? -1 : 1));
  const severity: Severity = findings.some((f) => f.severity === 'problem') ? 'problem' : findings.length > 0 ? 'quiet' : 'ok';
  return { severity, findings, lead: leadText(c, findings, low) };
}

function timeoutText(c: ClusterObservation): string {
  if (c.connectTimeoutSeconds === null) return '?';
  return `${formatDuration(c.connectTimeoutSeconds)}${c.connectTimeoutDefaulted ? ' default' : ''}`;
}

function leadText(c: ClusterObservation, findings: readonly Finding[], low: boolean): string {
  const lowFinding = low ? findings.find((f) => f.cause === 'connect-timeout' && f.text.startsWith('low')) : undefined;
  let head = timeoutText(c);
  if (lowFinding?.severity === 'problem') head += ' ⚠';
  else if (lowFinding) head += ` (${lowFinding.text})`;
  const numbers = findings.filter((f) => f.severity === 'problem' && f !== lowFinding).map((f) => f.text);
  return [head, ...numbers].join(' · ');
}

/** A pod's or a namespace's badge: how many problem clusters (or pods), and their causes by frequency. */
export interface ProblemSummary {
  readonly problems: number;
  readonly causes: readonly ResetCause[];
}

export const NO_PROBLEMS: ProblemSummary = { problems: 0, causes: [] };

function rankCauses(counts: Map<ResetCause, number>): ResetCause[] {
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([cause]) => cause);
}

/** A pod's badge from its clusters' verdicts: problem clusters only (quiet ones are not counted). */
export function summarizeVerdicts(verdicts: Iterable<ClusterVerdict>): ProblemSummary {
  const counts = new Map<ResetCause, number>();
  let problems = 0;
  for (const v of verdicts) {
    if (v.severity !== 'problem') continue;
    problems++;
    for (const f of v.findings) if (f.severity === 'problem') counts.set(f.cause, (counts.get(f.cause) ?? 0) + 1);
  }
  return { problems, causes: rankCauses(counts) };
}

/** A namespace's badge: `problems` counts the pods with problems. */
export function summarizePods(pods: Iterable<ProblemSummary>): ProblemSummary {
  const counts = new Map<ResetCause, number>();
  let problems = 0;
  for (const p of pods) {
    if (p.problems === 0) continue;
    problems++;
    for (const cause of p.causes) counts.set(cause, (counts.get(cause) ?? 0) + 1);
  }
  return { problems, causes: rankCauses(counts) };
}
