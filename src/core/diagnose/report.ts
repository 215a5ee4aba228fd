/**
 * The diagnosis as a postmortem report, shared by `mesh-doctor diagnose --format markdown|json`
 * and the editor's report and export: Markdown escapes every character of cluster and manifest
 * text that could form markup, JSON keeps values exact. The verification, once run, is part of it.
 */

import { markdownText } from '../text/markupEscape';
import type { ClusterVerification, Diagnosis, EvidenceItem, ManifestSite, RankedCause, VerifyResult } from './types';

const md = markdownText;

/**
 * Sites are named (file and lines), never linked: VS Code's Markdown preview renders no `file:` link
 * (it shows the Markdown source instead), and a path link from a report that lives in no folder
 * resolves nowhere. The editor opens a site with Open Manifest.
 */
export interface ReportOptions {
  readonly verification?: VerifyResult;
}

export function diagnosisJson(d: Diagnosis): unknown {
  return {
    target: d.target,
    window: d.window,
    causes: d.causes.map((c) => ({
      cause: c.cause,
      confidence: c.confidence,
      clusters: c.clusters,
      pods: c.pods,
      summary: c.summary,
      evidence: c.evidence,
      setting: c.setting,
      manifest: c.manifest,
      fix: c.fix,
    })),
    unexplainedResets: d.unexplainedResets,
    untiedResets: d.untiedResets,
    notes: d.notes,
    requests: d.requests,
  };
}

/** The diagnosis and, when run, its verification, as one JSON document. */
export function reportJson(d: Diagnosis, verification?: VerifyResult): unknown {
  return { diagnosis: diagnosisJson(d), verification: verification ?? null };
}

export function windowText(d: Diagnosis): string {
  const w = d.window;
  const debug = w.debugMinutes > 0 ? `, Envoy debug logging for ${w.debugMinutes} min` : '';
  return `logs from ${w.from} to ${w.to} (${w.minutes} min), stats ${w.sampleSeconds} s apart${debug}`;
}

/** How long something took, as a person says it: `45 s`, `1 m 12 s`, `2 h 3 m`. */
export function elapsedText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} m ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} m`;
}

function evidenceMarkdown(e: EvidenceItem): string {
  switch (e.kind) {
    case 'counter':
      return `- counter ${md(e.counter)} of ${md(e.cluster)} on ${md(e.pod)}: ${e.before} → ${e.after} (${e.perMinute >= 0 ? '+' : ''}${e.perMinute}/min)`;
    case 'config':
      return `- config ${md(e.field)} of ${md(e.cluster)} on ${md(e.pod)}: ${md(e.value)}`;
    case 'log':
      return `- log ${md(e.file)}:${e.line} at ${md(e.time ?? 'time unknown')}: ${md(e.text)}`;
  }
}

/** Log evidence of every cause in time order: what happened when. */
function timeline(d: Diagnosis): string[] {
  const events = d.causes.flatMap((c) => c.evidence.flatMap((e) => (e.kind === 'log' && e.time ? [{ time: e.time, cause: c.cause, e }] : [])));
  events.sort((a, b) => a.time.localeCompare(b.time));
  return events.map(({ time, cause, e }) => `| ${md(time)} | ${md(cause)} | ${md(e.kind === 'log' ? `${e.file}:${e.line}` : '')} | ${md(e.kind === 'log' ? e.text : '')} |`);
}

function siteMarkdown(m: ManifestSite): string {
  return `- Set in ${md(m.file)}, lines ${m.startLine}–${m.endLine}: ${md(m.resource)} ${md(m.field)} = ${md(m.value)}`;
}

function causeMarkdown(c: RankedCause, i: number): string[] {
  return [
    `### ${i + 1}. ${md(c.cause)} (confidence ${c.confidence.toFixed(2)})`,
    '',
    `Clusters: ${c.clusters.map(md).join(', ') || '–'}; pods: ${c.pods.map(md).join(', ')}`,
    '',
    ...c.summary.map((s) => `- ${md(s)}`),
    '',
    '#### Evidence',
    '',
    ...c.evidence.map(evidenceMarkdown),
    '',
    '#### Fix',
    '',
    `- Setting: ${md(c.setting)} (default ${md(c.fix.default)})`,
    ...(c.manifest.length > 0 ? c.manifest.map(siteMarkdown) : ['- Not set in the workspace (the default applies, or it is set elsewhere)']),
    `- ${md(c.fix.advice)}`,
    `- Documentation: <${c.fix.docs}>`,
    '',
  ];
}

/**
 * A checked cluster's connect timeout from its first check to its last. A replica first checked after
 * the push (it restarted, or the push was quick) never showed the old value: say so, rather than an
 * odd "10s → 10s".
 */
export function timeoutChangeText(c: ClusterVerification, arrow: string): string {
  return c.before === c.after ? `${c.after} (already at the first check)` : `${c.before} ${arrow} ${c.after}`;
}

export function verificationMarkdown(v: VerifyResult): string[] {
  const head = v.verified ? `Verified after ${elapsedText(v.tookSeconds)} (${v.requests} requests).` : `Not verified after ${elapsedText(v.tookSeconds)} (${v.requests} requests). Still failing:`;
  return [
    '## Verification',
    '',
    head,
    '',
    ...v.stillFailing.map((s) => `- ${md(s)}`),
    ...(v.stillFailing.length > 0 ? [''] : []),
    ...(v.checks.length > 0 ? ['| pod | cluster | connect timeout | failures since the fix | flat for |', '| --- | --- | --- | --- | --- |'] : []),
    ...v.checks.map((c) => `| ${md(c.pod)} | ${md(c.cluster)} | ${md(timeoutChangeText(c, '→'))} | ${c.failuresSinceFix} | ${c.flatSeconds} s |`),
    '',
  ];
}

export function diagnosisMarkdown(d: Diagnosis, options: ReportOptions = {}): string {
  const top = d.causes[0];
  const rows = timeline(d);
  return [
    `# Diagnosis: ${md(d.target)}`,
    '',
    `- Target: ${md(d.target)}`,
    `- Window: ${md(windowText(d))}`,
    `- Requests to the cluster: ${d.requests}`,
    `- Cause: ${top ? `${md(top.cause)} on ${top.clusters.map(md).join(', ') || 'the pod'} (confidence ${top.confidence.toFixed(2)})` : 'none found'}`,
    ...(options.verification ? [`- Verification: ${options.verification.verified ? `verified after ${elapsedText(options.verification.tookSeconds)}` : 'not verified'}`] : []),
    '',
    '## Timeline',
    '',
    ...(rows.length > 0 ? ['| time | cause | where | line |', '| --- | --- | --- | --- |', ...rows] : ['No log line in the window was tied to a cause.']),
    '',
    '## Causes',
    '',
    ...(d.causes.length > 0 ? d.causes.flatMap((c, i) => causeMarkdown(c, i)) : ['No cause found: no failure counter rose and no reset in the logs was explained.', '']),
    ...(d.unexplainedResets > 0 ? [`${d.unexplainedResets} application reset(s) no cause explains.`, ''] : []),
    ...(d.notes.length > 0 ? ['## Notes', '', ...d.notes.map((n) => `- ${md(n)}`), ''] : []),
    ...(options.verification ? verificationMarkdown(options.verification) : []),
  ].join('\n');
}
