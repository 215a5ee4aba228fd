import type { Node, YAMLError } from 'yaml';
import { chunkSource, PARSE_OPTIONS, parseProblem, TEMPLATE_PARSE_OPTIONS, type DocumentSource } from './documentSource';
import { blankTemplates, hasTemplateActions } from './helmTemplate';
import { readsKindOf, visitDocument } from './layouts';
import { SERVER_FIRST_PORTS } from './crossFile';
import { LintContext } from './lintContext';
import { noFacts, ROLLED_WORKLOAD_KINDS, type MeshFacts } from './meshFacts';
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
   * Also parse plain workloads and Services (a Deployment or Service with no Istio text), for the
   * facts the cross-file rules judge against (a mesh-wide drain, ISTIO_MUTUAL to a host). Off by
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
/** A Service matters only for the protocol rule, on a server-first protocol's port: other Services cost a substring scan. */
const SERVER_FIRST_PORT_TEXTS = Object.keys(SERVER_FIRST_PORTS);

/** A key a rule reads, written as a key: only a file holding one is worth an "unreadable" report. */
const RULE_KEY = /^[ \t-]*["']?(?:connectTimeout|connect_timeout|maxConnections|http1MaxPendingRequests|http2MaxRequests|maxRequestsPerConnection|maxEjectionPercent|terminationDrainDuration|meshConfig|holdApplicationUntilProxyStarts)["']?[ \t]*:|^[ \t]*kind:[ \t]*["']?(?:DestinationRule|PeerAuthentication|Sidecar|IstioOperator)\b/m;

export function mayHoldRuleSettings(text: string): boolean {
  return RULE_FRAGMENTS.some((fragment) => text.includes(fragment)) || NAMESPACE_KIND.test(text)
    || (SERVICE_KIND.test(text) && SERVER_FIRST_PORT_TEXTS.some((port) => text.includes(port)));
}

const ROLLED_WORKLOAD = new RegExp(`^[ \\t]*kind:[ \\t]*["']?(?:${ROLLED_WORKLOAD_KINDS.join('|')})\\b`, 'm');

/**
 * A text the rules skip but whose workloads or Services a cross-file rule may judge against (a
 * mesh-wide terminationDrainDuration, an ISTIO_MUTUAL DestinationRule): lint it again with
 * `readWorkloads` once such a setting is in the run.
 */
export function holdsOnlyWorkloads(text: string): boolean {
  return !mayHoldRuleSettings(text) && (ROLLED_WORKLOAD.test(text) || SERVICE_KIND.test(text));
}

/** Whether some file's facts make plain workloads and Services worth a second read (see holdsOnlyWorkloads). */
export function needsWorkloadFacts(facts: readonly MeshFacts[]): boolean {
  return facts.some((f) => f.meshConfigs.some((m) => m.drain !== null) || f.tlsModes.some((t) => t.mode === 'ISTIO_MUTUAL'));
}

/**
 * Lints a YAML file of any mix of documents and layouts (see layouts.ts): connect timeouts and the
 * other settings behind connection failures. Helm template actions are blanked out in place first,
 * so control lines do not stop the rest of the file from being linted; a value a template renders
 * is judged only when it can be known. A value reached through several aliases is reported once.
 */
export function lintManifest(written: string, options: LintOptions): ManifestLintResult {
  const text = withBareCrAsNewline(written);
  const result: ManifestLintResult = { findings: [], settings: [], problems: [], facts: noFacts(), isIstio: false, cancelled: false };
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
  const worthParsing = (t: string): boolean => mayHoldRuleSettings(t) || (options.readWorkloads === true && (ROLLED_WORKLOAD.test(t) || SERVICE_KIND.test(t)));
  // A Service beside Istio config in one file (an app's bundle) is a fact for the mTLS rules, whatever its ports.
  const withIstio = mayHoldRuleSettings(text);
  const worthParsingChunk = (t: string): boolean => (worthParsing(t) || (withIstio && SERVICE_KIND.test(t))) && readsKindOf(t);
  if (!worthParsing(text)) {
    result.isIstio = ISTIO_HINT.test(text);
    return result;
  }
  const blanked = hasTemplateActions(text) ? blankTemplates(text) : { text, spans: [] };
  let unreadable: { error: YAMLError; source: DocumentSource } | null = null;
  for (const chunk of splitDocuments(blanked.text)) {
    if (options.isCancelled?.()) {
      result.cancelled = true;
      break;
    }
    if (!worthParsingChunk(chunk.text)) {
      result.isIstio ||= ISTIO_HINT.test(chunk.text);
      continue;
    }
    const source = chunkSource(chunk.text, chunk.offset, blanked.spans);
    for (const doc of parseYamlDocuments(chunk.text, blanked.spans.length > 0 ? TEMPLATE_PARSE_OPTIONS : PARSE_OPTIONS)) {
      if (doc.errors.length > 0) {
        result.isIstio ||= ISTIO_HINT.test(chunk.text);
        if (unreadable === null && RULE_KEY.test(chunk.text)) unreadable = { error: doc.errors[0], source };
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
