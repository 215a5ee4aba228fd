/**
 * `mesh-doctor diagnose` output: text for a terminal, JSON for tools, and Markdown for a
 * postmortem. Everything from the cluster is untrusted: text output reveals control and bidi
 * characters, Markdown escapes every character that could form markup, JSON keeps values exact.
 */

import type { Diagnosis, EvidenceItem, ManifestSite, RankedCause } from '../core/diagnose/types';
import { revealInvisible } from '../core/text/invisible';
import { markdownText } from '../core/text/markupEscape';

export type DiagnoseFormat = 'text' | 'json' | 'markdown';

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
    notes: d.notes,
    requests: d.requests,
  };
}

function evidenceText(e: EvidenceItem): string {
  switch (e.kind) {
    case 'counter':
      return `counter  ${e.pod}  ${e.cluster}  ${e.counter} ${e.before} -> ${e.after} (${e.perMinute >= 0 ? '+' : ''}${e.perMinute}/min)`;
    case 'config':
      return `config   ${e.pod}  ${e.cluster}  ${e.field} = ${e.value}`;
    case 'log':
      return `log      ${e.file}:${e.line}  ${e.time ?? 'time unknown'}  ${e.text}`;
  }
}

function siteText(m: ManifestSite): string {
  return `${m.file}:${m.startLine}${m.endLine !== m.startLine ? `-${m.endLine}` : ''}  ${m.resource}  ${m.field} = ${m.value}`;
}

function windowText(d: Diagnosis): string {
  const w = d.window;
  const debug = w.debugMinutes > 0 ? `, Envoy debug logging for ${w.debugMinutes} min` : '';
  return `logs from ${w.from} to ${w.to} (${w.minutes} min), stats ${w.sampleSeconds} s apart${debug}`;
}

export function formatDiagnosisText(d: Diagnosis): string {
  const out: string[] = [`Diagnosis of ${d.target}: ${windowText(d)}; ${d.requests} request(s) to the cluster`, ''];
  if (d.causes.length === 0) out.push('No cause found: no failure counter rose and no reset in the logs was explained.', '');
  d.causes.forEach((c, i) => {
    out.push(`${i + 1}. ${c.cause} (confidence ${c.confidence.toFixed(2)})  clusters: ${c.clusters.join(', ') || '-'}  pods: ${c.pods.join(', ')}`);
    for (const s of c.summary) out.push(`   ${s}`);
    out.push('   evidence:', ...c.evidence.map((e) => `     ${evidenceText(e)}`));
    out.push(`   setting: ${c.setting}`);
    out.push(c.manifest.length > 0 ? `   set in the workspace: ${c.manifest.map(siteText).join('; ')}` : '   set in the workspace: nowhere found (the default, or outside the workspace)');
    out.push(`   fix: ${c.fix.advice} (default ${c.fix.default}; ${c.fix.docs})`, '');
  });
  if (d.unexplainedResets > 0) out.push(`${d.unexplainedResets} application reset(s) no cause explains: raise Envoy debug logging with --debug-minutes to tie them to Envoy events.`);
  for (const n of d.notes) out.push(`note: ${n}`);
  return out.map(revealInvisible).join('\n') + '\n';
}

const md = markdownText;

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
    ...(c.manifest.length > 0 ? c.manifest.map((m) => `- Set in ${md(m.file)}, lines ${m.startLine}–${m.endLine}: ${md(m.resource)} ${md(m.field)} = ${md(m.value)}`) : ['- Not set in the workspace (the default applies, or it is set elsewhere)']),
    `- ${md(c.fix.advice)}`,
    `- Documentation: <${c.fix.docs}>`,
    '',
  ];
}

export function formatDiagnosisMarkdown(d: Diagnosis): string {
  const top = d.causes[0];
  const rows = timeline(d);
  return [
    `# Diagnosis: ${md(d.target)}`,
    '',
    `- Target: ${md(d.target)}`,
    `- Window: ${md(windowText(d))}`,
    `- Requests to the cluster: ${d.requests}`,
    `- Cause: ${top ? `${md(top.cause)} on ${top.clusters.map(md).join(', ') || 'the pod'} (confidence ${top.confidence.toFixed(2)})` : 'none found'}`,
    '',
    '## Timeline',
    '',
    ...(rows.length > 0 ? ['| time | cause | where | line |', '| --- | --- | --- | --- |', ...rows] : ['No log line in the window was tied to a cause.']),
    '',
    '## Causes',
    '',
    ...(d.causes.length > 0 ? d.causes.flatMap(causeMarkdown) : ['No cause found: no failure counter rose and no reset in the logs was explained.', '']),
    ...(d.unexplainedResets > 0 ? [`${d.unexplainedResets} application reset(s) no cause explains.`, ''] : []),
    ...(d.notes.length > 0 ? ['## Notes', '', ...d.notes.map((n) => `- ${md(n)}`), ''] : []),
  ].join('\n');
}

export function formatDiagnosis(d: Diagnosis, format: DiagnoseFormat): string {
  if (format === 'json') return `${JSON.stringify(diagnosisJson(d), null, 2)}\n`;
  return format === 'markdown' ? formatDiagnosisMarkdown(d) : formatDiagnosisText(d);
}
