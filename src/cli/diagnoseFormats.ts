/**
 * `mesh-doctor diagnose` output: text for a terminal, JSON for tools, and Markdown for a
 * postmortem (those two built in src/core/diagnose/report.ts, which the editor shares).
 * Everything from the cluster is untrusted: text output reveals control and bidi characters.
 */

import { diagnosisJson, diagnosisMarkdown, windowText } from '../core/diagnose/report';
import type { Diagnosis, EvidenceItem, ManifestSite } from '../core/diagnose/types';
import { revealInvisible } from '../core/text/invisible';

export type DiagnoseFormat = 'text' | 'json' | 'markdown';

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
  if (d.unexplainedResets > 0) out.push(`${d.unexplainedResets} application reset(s) no cause explains.`);
  // The editor offers its debug window on the same count: resets a rising counter explains only loosely count too.
  if (d.untiedResets > 0) out.push(`${d.untiedResets} application reset(s) no Envoy log line ties: Envoy debug logging (--debug-minutes N) can tie them to Envoy events.`);
  for (const n of d.notes) out.push(`note: ${n}`);
  return out.map(revealInvisible).join('\n') + '\n';
}

export function formatDiagnosis(d: Diagnosis, format: DiagnoseFormat): string {
  if (format === 'json') return `${JSON.stringify(diagnosisJson(d), null, 2)}\n`;
  return format === 'markdown' ? diagnosisMarkdown(d) : formatDiagnosisText(d);
}
