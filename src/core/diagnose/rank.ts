/**
 * One ranked list of causes from everything a diagnosis read: the correlator's verdicts on the
 * logs and the live checks on config and stats, grouped by cause, strongest first.
 */

import { CAUSE_FIXES, CAUSE_PRECEDENCE } from '../correlate/causes';
import { correlateText, DEFAULT_WINDOW_SECONDS } from '../correlate/index';
import type { ResetReport } from '../correlate/types';
import { collectClusterConfigs } from '../envoy/configDump';
import { liveFindings } from './liveChecks';
import type { CauseFinding, Diagnosis, DiagnoseEvidence, EvidenceItem, ManifestSite, PodEvidence, RankedCause } from './types';

/** Log lines kept as evidence per cause: the first ones tell the story, the count tells the rest. */
export const MAX_LOG_EVIDENCE = 12;

/** Where the workspace sets what governs `cause` for `cluster` (src/core/lint/settingSites.ts finds it). */
export type SettingLocator = (cause: RankedCause['cause'], clusters: readonly string[]) => readonly ManifestSite[];

export interface RankOptions {
  /** Connect timeouts below this are low (meshDoctor.connectTimeout.minimum / --minimum). */
  readonly minimumSeconds: number;
  readonly locate?: SettingLocator;
}

/** Each cluster's configured connect timeout, so the correlator need not infer it from the logs. */
function connectTimeoutsOf(pod: PodEvidence): Map<string, number> {
  const out = new Map<string, number>();
  const configs = new Map();
  for (const dump of pod.configDumps) {
    try {
      collectClusterConfigs(JSON.parse(dump), configs);
    } catch {
      // A dump that does not parse is reported by the live checks; the logs still count.
    }
  }
  for (const [name, config] of configs) if (config.connectTimeoutSeconds !== null) out.set(name, config.connectTimeoutSeconds);
  return out;
}

function logItem(pod: string, file: string, line: number, time: string | null, text: string): EvidenceItem {
  return { kind: 'log', pod, file, line, time, text };
}

function resetFinding(pod: string, r: ResetReport): CauseFinding | null {
  if (r.cause === 'unexplained') return null;
  return {
    cause: r.cause,
    confidence: r.confidence,
    pod,
    cluster: r.cluster,
    summary: r.explanation,
    evidence: [logItem(pod, r.file, r.line, r.time, r.exception.resetCause), ...r.matches.map((m) => logItem(pod, m.file, m.line, m.time, m.text))],
  };
}

interface PodVerdicts {
  readonly findings: CauseFinding[];
  readonly unexplained: ResetReport[];
  /** Resets no Envoy line ties: the unexplained ones, before a rising counter explains them loosely. */
  readonly untied: number;
}

function correlatePod(pod: PodEvidence, minimumSeconds: number): PodVerdicts {
  const result = correlateText(
    pod.logs.map((l) => ({ file: l.file, text: l.lines.join('\n'), pod: pod.pod })),
    { windowSeconds: DEFAULT_WINDOW_SECONDS, knownConnectTimeouts: connectTimeoutsOf(pod) },
  );
  const findings: CauseFinding[] = [];
  let live: CauseFinding[] = [];
  try {
    live = liveFindings(pod, minimumSeconds);
  } catch {
    // Envoy answered something that is not JSON: the logs still say what they say.
  }
  for (const r of result.resets) {
    const f = resetFinding(pod.pod, r);
    if (f) findings.push(f);
  }
  findings.push(...live);
  const unexplained = result.resets.filter((r) => r.cause === 'unexplained');
  // Resets no Envoy line explains (access and debug logs off) happened while a live check saw
  // failures rise on this pod: they are that cause's symptom, held more loosely.
  const risingCause = live.find((f) => f.confidence >= 0.8);
  if (risingCause && unexplained.length > 0) {
    findings.push({
      cause: risingCause.cause,
      confidence: 0.5,
      pod: pod.pod,
      cluster: risingCause.cluster,
      summary: `${unexplained.length} application reset(s) in the same pod while the failures rose (Envoy's debug log is off, so no Envoy line ties them one by one)`,
      evidence: unexplained.map((r) => logItem(pod.pod, r.file, r.line, r.time, r.exception.resetCause)),
    });
    return { findings, unexplained: [], untied: unexplained.length };
  }
  return { findings, unexplained, untied: unexplained.length };
}

/** Independent findings of one cause strengthen it: 1 - Π(1 - c), over the strongest per source. */
function combined(findings: readonly CauseFinding[]): number {
  let miss = 1;
  const best = new Map<string, number>();
  for (const f of findings) {
    const source = f.evidence.some((e) => e.kind === 'counter' || e.kind === 'config') ? 'live' : 'logs';
    best.set(source, Math.max(best.get(source) ?? 0, f.confidence));
  }
  for (const c of best.values()) miss *= 1 - c;
  return Math.round((1 - miss) * 100) / 100;
}

function rankGroup(cause: RankedCause['cause'], findings: readonly CauseFinding[], locate: SettingLocator | undefined): RankedCause {
  const clusters = [...new Set(findings.map((f) => f.cluster).filter((c): c is string => c !== null))].sort();
  const pods = [...new Set(findings.map((f) => f.pod))].sort();
  const nonLog = findings.flatMap((f) => f.evidence.filter((e) => e.kind !== 'log'));
  const logs = findings.flatMap((f) => f.evidence.filter((e) => e.kind === 'log'));
  const summary = [...new Set(findings.map((f) => f.summary))];
  if (logs.length > MAX_LOG_EVIDENCE) summary.push(`${logs.length - MAX_LOG_EVIDENCE} more log line(s) not listed`);
  const fix = CAUSE_FIXES[cause];
  return {
    cause,
    confidence: combined(findings),
    clusters,
    pods,
    summary,
    evidence: [...dedupe(nonLog), ...logs.slice(0, MAX_LOG_EVIDENCE)],
    setting: fix.setting,
    manifest: locate ? locate(cause, clusters) : [],
    fix,
  };
}

function dedupe(items: readonly EvidenceItem[]): EvidenceItem[] {
  const seen = new Set<string>();
  return items.filter((e) => {
    const key = JSON.stringify(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The diagnosis of the evidence: causes first to last by confidence, then breadth, then specificity. */
export function rankCauses(evidence: DiagnoseEvidence, options: RankOptions): Diagnosis {
  const byCause = new Map<RankedCause['cause'], CauseFinding[]>();
  let unexplainedResets = 0;
  let untiedResets = 0;
  for (const pod of evidence.pods) {
    const verdicts = correlatePod(pod, options.minimumSeconds);
    unexplainedResets += verdicts.unexplained.length;
    untiedResets += verdicts.untied;
    for (const f of verdicts.findings) {
      const list = byCause.get(f.cause);
      if (list) list.push(f);
      else byCause.set(f.cause, [f]);
    }
  }
  const causes = [...byCause].map(([cause, findings]) => ({ ranked: rankGroup(cause, findings, options.locate), findings: findings.length }));
  causes.sort((a, b) => b.ranked.confidence - a.ranked.confidence || b.findings - a.findings || CAUSE_PRECEDENCE.indexOf(a.ranked.cause) - CAUSE_PRECEDENCE.indexOf(b.ranked.cause));
  return { target: evidence.target, window: evidence.window, causes: causes.map((c) => c.ranked), requests: evidence.requests, unexplainedResets, untiedResets, notes: evidence.notes };
}
