import type { ProblemSummary } from '../core/envoy/clusterVerdict';
import type { NamespaceBadge, PodBadge } from './badgeScan';

/*
 * The badge words of namespace and pod rows, without VS Code. Badges lead the description so they
 * survive a narrow sidebar.
 */

function causes(summary: ProblemSummary): string {
  const shown = summary.causes.slice(0, 2).join(', ');
  return summary.causes.length > 2 ? `${shown}, …` : shown;
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/** `⚠ 3 pods: connect-timeout`, `scanning 2/7`, or null when the namespace is known to be fine. */
export function namespaceBadgeText(badge: NamespaceBadge | undefined): string | null {
  if (!badge || badge.meshed === 0) return null;
  const parts: string[] = [];
  if (badge.summary.problems > 0) parts.push(`⚠ ${plural(badge.summary.problems, 'pod')}: ${causes(badge.summary)}`);
  if (badge.scanning) parts.push(`scanning ${badge.scanned}/${badge.meshed}`);
  if (badge.unreachable > 0) parts.push(`${badge.unreachable} unreachable`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** `⚠ 1 cluster: connect-timeout`, or null. */
export function podBadgeText(badge: PodBadge | undefined): string | null {
  if (!badge) return null;
  if (badge.error) return 'Envoy unreachable';
  return badge.summary.problems > 0 ? `⚠ ${plural(badge.summary.problems, 'cluster')}: ${causes(badge.summary)}` : null;
}

/** The time left of a raised log level: `debug 14m left`, `debug until restored`. */
export function raisedText(revertAt: number | null, nowMs: number): string {
  if (revertAt === null) return 'debug logging until restored';
  const minutes = Math.max(0, Math.ceil((revertAt - nowMs) / 60_000));
  return `debug logging ${minutes}m left`;
}

/** Whether a badge says there is something to look at (the problems filter keeps these). */
export function hasProblems(summary: ProblemSummary | undefined): boolean {
  return (summary?.problems ?? 0) > 0;
}
