import type { Node, YAMLError } from 'yaml';
import { chunkSource, PARSE_OPTIONS, parseProblem, TEMPLATE_PARSE_OPTIONS, type DocumentSource } from './documentSource';
import { blankTemplates, hasTemplateActions } from './helmTemplate';
import { documentYield, mayListServerFirstPort, visitDocument, WORKLOAD_OR_SERVICE_KIND } from './layouts';
import { LintContext } from './lintContext';
import { noFacts, type MeshFacts } from './meshFacts';
import { LineIndex, looksBinary, splitDocuments } from './sourceText';
import { parseYamlDocuments } from './yamlNodes';
import type { ConnectTimeoutSite, FindingCode, LintFinding, Severity, SourceRange } from './types';

/** The chart's own values.yaml, for a template's `.Values` reads: its display name (as the caller names files) and text. */
export interface ChartValues {
  readonly file: string;
  readonly text: string;
}

export interface LintOptions {
  minimumSeconds: number;
  isCancelled?: () => boolean;
  /** Texts longer than this (UTF-16 code units) are not parsed; default 10 MB. */
  maxLength?: number;
  /** Rule codes not to report. */
  disabled?: ReadonlySet<FindingCode>;
  /** For a Helm template: the values.yaml of its chart (found by walking up to Chart.yaml). */
  chartValues?: ChartValues | null;
  /**
   * Also parse workloads and Services that yield only facts (see documentYield), for the
   * cross-file rules that judge against them (a mesh-wide drain, ISTIO_MUTUAL to a host). Off by
   * default, so application YAML costs a substring scan and no parse.
   */
  readWorkloads?: boolean;
}

export interface ManifestProblem {
  message: string;
  range: SourceRange;
  severity: Severity;
}

/** A connect timeout found in a manifest, low or not. */
export interface ConnectTimeoutSetting {
  site: ConnectTimeoutSite;
  path: string;
  range: SourceRange;
  value: string;
  seconds: number | null;
  resource: { kind: string; name: string | null; namespace: string | null; exportTo?: readonly string[] };
  host: string | null;
  /** For a mesh-wide value: the mesh config's `rootNamespace`, when it sets one (else Istio's istio-system). */
  meshRootNamespace?: string;
}

export interface ManifestLintResult {
  /** The flagged settings, in document order. */
  findings: LintFinding[];
  /** Every setting, for precedence and for "Find where this is set". */
  settings: ConnectTimeoutSetting[];
  /** Parse errors and resource limits; these are not findings. */
  problems: ManifestProblem[];
  /** What the file says that other files' rules need (PeerAuthentication, Services, …). */
  facts: MeshFacts;
  /** False when the text holds no Istio configuration: the editor does nothing more. */
  isIstio: boolean;
  /** Workloads or Services were left unparsed (readWorkloads off): lint with readWorkloads for their facts. */
  skippedWorkloads: boolean;
  cancelled: boolean;
}

export const DEFAULT_MAX_LENGTH = 10 * 1024 * 1024;

/** Texts that skip parsing are still called Istio config when they plainly are. */
const ISTIO_HINT = /istio\.io\/|meshConfig|defaultConfig/;

/**
 * The cheap test that decides whether a text is parsed at all: a fragment of every key or kind a
 * rule reads. Application YAML without any of these costs this scan and nothing more.
 */
const RULE_FRAGMENTS = [
  'istio.io', 'onnectTimeout', 'onnect_timeout', 'maxConnections', 'MaxPendingRequests', 'MaxRequests', 'maxEjectionPercent', 'terminationDrainDuration', 'meshConfig', 'sailoperator',
];
const NAMESPACE_KIND = /kind:\s*["']?Namespace\b/;
const SERVICE_KIND = /kind:\s*["']?Service\b/;

/** A key a rule reads, written as a key: only a file holding one is worth an "unreadable" report. */
const RULE_KEY = /^[ \t-]*["']?(?:connectTimeout|connect_timeout|maxConnections|http1MaxPendingRequests|http2MaxRequests|maxRequestsPerConnection|maxEjectionPercent|terminationDrainDuration|meshConfig|holdApplicationUntilProxyStarts)["']?[ \t]*:|^[ \t]*kind:[ \t]*["']?(?:DestinationRule|PeerAuthentication|Sidecar|IstioOperator)\b/m;

export function mayHoldRuleSettings(text: string): boolean {
  return RULE_FRAGMENTS.some((fragment) => text.includes(fragment)) || NAMESPACE_KIND.test(text)
    || (SERVICE_KIND.test(text) && mayListServerFirstPort(text));
}

/**
 * Whether some file's facts make the workloads and Services left unparsed (skippedWorkloads) worth
 * a second read: a mesh-wide drain (judged against each workload's grace period), ISTIO_MUTUAL to a
 * host (its Service and workloads may run without a sidecar), or DISABLE where a PeerAuthentication
 * selects workloads (the Service's selector decides which policy governs the host).
 */
export function needsWorkloadFacts(facts: readonly MeshFacts[]): boolean {
  const selectingPeer = facts.some((f) => f.peerAuthentications.some((p) => p.selector !== null));
  return facts.some((f) => f.meshConfigs.some((m) => m.drain !== null)
    || f.tlsModes.some((t) => t.mode === 'ISTIO_MUTUAL' || (t.mode === 'DISABLE' && selectingPeer)));
}

/**
 * Lints a YAML file of any mix of documents and layouts (see layouts.ts): connect timeouts and the
 * other settings behind connection failures. Helm template actions are blanked out in place first,
 * so control lines do not stop the rest of the file from being linted; a value a template renders
 * is judged only when it can be known. A value reached through several aliases is reported once.
 */
export function lintManifest(written: string, options: LintOptions): ManifestLintResult {
  const text = withBareCrAsNewline(written);
  const result: ManifestLintResult = { findings: [], settings: [], problems: [], facts: noFacts(), isIstio: false, skippedWorkloads: false, cancelled: false };
  const lines = new LineIndex(text);
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (text.length > maxLength) {
    result.isIstio = ISTIO_HINT.test(text.slice(0, 65536));
    result.problems.push(sizeLimitProblem(text.length, maxLength));
    return result;
  }
  if (looksBinary(text)) {
    result.problems.push(fileProblem('File contains NUL bytes and looks binary, not YAML; it was not checked.', 'warning'));
    return result;
  }
  const readWorkloads = options.readWorkloads === true;
  if (!mayHoldRuleSettings(text) && !(readWorkloads && WORKLOAD_OR_SERVICE_KIND.test(text))) {
    result.isIstio = ISTIO_HINT.test(text);
    result.skippedWorkloads = !readWorkloads && WORKLOAD_OR_SERVICE_KIND.test(text);
    return result;
  }
  const blanked = hasTemplateActions(text) ? blankTemplates(text) : { text, spans: [] };
  let unreadable: { error: YAMLError; source: DocumentSource } | null = null;
  for (const chunk of splitDocuments(blanked.text)) {
    if (options.isCancelled?.()) {
      result.cancelled = true;
      break;
    }
    const yields = documentYield(chunk.text);
    const forFindings = yields === 'findings' && mayHoldRuleSettings(chunk.text);
    // A List of plain Deployments yields facts too.
    const forFacts = !forFindings && (yields === 'facts' || (yields === 'findings' && WORKLOAD_OR_SERVICE_KIND.test(chunk.text)));
    if (!forFindings && !(forFacts && readWorkloads)) {
      result.isIstio ||= ISTIO_HINT.test(chunk.text);
      result.skippedWorkloads ||= forFacts;
      continue;
    }
    const source = chunkSource(chunk.text, chunk.offset, blanked.spans);
    for (const doc of parseYamlDocuments(chunk.text, blanked.spans.length > 0 ? TEMPLATE_PARSE_OPTIONS : PARSE_OPTIONS)) {
      if (doc.errors.length > 0) {
        result.isIstio ||= ISTIO_HINT.test(chunk.text);
        // A workload or Service read only for its facts holds no key a rule reads (documentYield).
        if (unreadable === null && forFindings && RULE_KEY.test(chunk.text)) unreadable = { error: doc.errors[0], source };
        continue;
      }
      visitDocument(new LintContext(doc, source, lines, options, result), doc.contents as Node | null, null);
    }
  }
  if (unreadable !== null) reportUnreadable(unreadable.error, unreadable.source, lines, options, result);
  return result;
}

/**
 * A lone CR ends a line for YAML 1.2 and for editors, but the `yaml` package keeps it inside the
 * line, so a file saved with old Mac line ends would misparse and go unchecked. Replacing each
 * lone CR by LF keeps every offset, so positions still match the file.
 */
function withBareCrAsNewline(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/**
 * Once per file: a finding (information, so it reaches JSON and SARIF) at line 1 saying why, and
 * a problem (so the run still counts the file as not checked in whole).
 */
function reportUnreadable(error: YAMLError, source: DocumentSource, lines: LineIndex, options: LintOptions, result: ManifestLintResult): void {
  const problem = parseProblem(error, source, lines, 'YAML does not parse here');
  result.problems.push(problem);
  if (options.disabled?.has('unreadable-file') ?? false) return;
  const at = problem.range.start;
  const fileStart = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  result.findings.push({
    code: 'unreadable-file', severity: 'information',
    summary: 'the file does not parse as YAML: its settings were not checked',
    message: `This file holds settings Mesh Doctor checks, but it does not parse as YAML (even with Helm template lines blanked out) at line ${at.line + 1}, ` +
      `column ${at.character + 1}: ${problem.message} Render it (helm template) and lint the output, or fix the YAML.`,
    range: fileStart, value: '', seconds: null, site: 'File', path: '', resource: { kind: 'unknown', name: null, namespace: null }, host: null,
    fix: null, docs: ['https://yaml.org/spec/1.2.2/'], related: [{ file: null, range: problem.range, message: 'where parsing stopped' }],
  });
}

/** The problem reported instead of linting a text over the size limit (`size` in characters or bytes). */
export function sizeLimitProblem(size: number, maxLength = DEFAULT_MAX_LENGTH): ManifestProblem {
  return fileProblem(`File is ${megabytes(size)} MB; Mesh Doctor checks manifests up to ${megabytes(maxLength)} MB. Split it to lint it.`, 'warning');
}

function fileProblem(message: string, severity: Severity): ManifestProblem {
  return { message, severity, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

const megabytes = (length: number): string => (length / (1024 * 1024)).toFixed(1);
