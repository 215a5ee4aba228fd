import { isMap, isScalar, isSeq, parseAllDocuments, parseDocument, Scalar, type Document, type Node, type YAMLError } from 'yaml';
import { formatDuration, parseDuration, type DurationParse } from '../duration';
import { describeFinding } from './describeFinding';
import { mapScalarValue, type ValueSourceMap } from './embeddedText';
import { scanDocument, scanMeshConfig, type ConnectTimeoutNode, type ResourceRef } from './istioSites';
import { LineIndex, looksBinary, mayMentionConnectTimeout, splitDocuments } from './sourceText';
import type { ConnectTimeoutFinding, ConnectTimeoutSite, Severity, SourceRange } from './types';
import { YamlWalker } from './yamlNodes';

export interface LintOptions {
  minimumSeconds: number;
  isCancelled?: () => boolean;
  /** Texts longer than this (UTF-16 code units) are not parsed; default 10 MB. */
  maxLength?: number;
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
  resource: { kind: string; name: string | null; namespace: string | null };
  host: string | null;
}

export interface ManifestLintResult {
  /** The flagged settings, in document order. */
  findings: ConnectTimeoutFinding[];
  /** Every setting, for precedence and for "Find where this is set". */
  settings: ConnectTimeoutSetting[];
  /** Parse errors and resource limits; these are not findings. */
  problems: ManifestProblem[];
  /** False when the text holds no Istio configuration: the editor does nothing more. */
  isIstio: boolean;
  cancelled: boolean;
}

export const DEFAULT_MAX_LENGTH = 10 * 1024 * 1024;

/** Texts that skip parsing are still called Istio config when they plainly are. */
const ISTIO_HINT = /istio\.io\/|meshConfig|defaultConfig/;

/** Where a scanned document's text sits in the file: directly, or inside a string (`data.mesh`). */
interface DocumentSource {
  /** The text the document was parsed from. */
  readonly text: string;
  /** Maps a `[start, end)` range of `text` into the file; `exact` is false when only an enclosing range is known. */
  locate(start: number, end: number): { start: number; end: number; exact: boolean };
}

/**
 * Finds every connect timeout in a YAML file holding Istio manifests (any mix of documents) and
 * flags those below `minimumSeconds`, unparseable, under 1ms, or in the reserved legacy field.
 * A value reached through several aliases is reported once, at its anchor, where a fix applies.
 */
export function lintManifest(written: string, options: LintOptions): ManifestLintResult {
  const text = withBareCrAsNewline(written);
  const result: ManifestLintResult = { findings: [], settings: [], problems: [], isIstio: false, cancelled: false };
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
  if (!mayMentionConnectTimeout(text)) {
    result.isIstio = ISTIO_HINT.test(text);
    return result;
  }
  for (const chunk of splitDocuments(text)) {
    if (options.isCancelled?.()) {
      result.cancelled = true;
      break;
    }
    if (!mayMentionConnectTimeout(chunk.text)) {
      result.isIstio ||= ISTIO_HINT.test(chunk.text);
      continue;
    }
    const source: DocumentSource = {
      text: chunk.text,
      locate: (start, end) => ({ start: chunk.offset + start, end: chunk.offset + end, exact: true }),
    };
    for (const doc of parseAllDocuments(chunk.text, { prettyErrors: false })) {
      if (doc.errors.length > 0) {
        result.isIstio ||= ISTIO_HINT.test(chunk.text);
        result.problems.push(parseProblem(doc.errors[0], source, lines, 'YAML does not parse here'));
        continue;
      }
      const scan = scanDocument(doc);
      result.isIstio ||= scan.isIstio;
      const linter = new DocumentLinter(doc, source, scan.resource, lines, options.minimumSeconds, result);
      linter.lintAll(scan.timeouts);
      if (scan.embeddedMesh !== null) lintEmbeddedMesh(scan.embeddedMesh, scan.resource, text, chunk.offset, lines, options, result);
    }
  }
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

/** The `istio` ConfigMap's `data.mesh` is a MeshConfig written as a string: parse it and map positions back. */
function lintEmbeddedMesh(
  mesh: Scalar, resource: ResourceRef, text: string, chunkOffset: number, lines: LineIndex, options: LintOptions, result: ManifestLintResult,
): void {
  const meshText = String(mesh.value);
  const range = mesh.range ?? [0, 0, 0];
  const whole = { start: chunkOffset + range[0], end: chunkOffset + range[1], exact: false };
  const map: ValueSourceMap | null = mapScalarValue(mesh, text, chunkOffset);
  const source: DocumentSource = {
    text: meshText,
    locate: (start, end) => {
      if (map === null || start >= map.starts.length || end <= start) return whole;
      const outerStart = map.starts[start];
      const outerEnd = map.ends[Math.min(end, map.ends.length) - 1];
      return { start: outerStart, end: outerEnd, exact: text.slice(outerStart, outerEnd) === meshText.slice(start, end) };
    },
  };
  const doc = parseDocument(meshText, { prettyErrors: false });
  if (doc.errors.length > 0) {
    result.problems.push(parseProblem(doc.errors[0], source, lines, 'data.mesh of this ConfigMap does not parse as YAML'));
    return;
  }
  const timeouts: ConnectTimeoutNode[] = [];
  scanMeshConfig(new YamlWalker(doc), doc.contents, 'data.mesh', 'MeshConfigMap', timeouts);
  new DocumentLinter(doc, source, resource, lines, options.minimumSeconds, result).lintAll(timeouts);
}

/** Turns the connect timeout nodes of one parsed document into settings and findings. */
class DocumentLinter {
  private readonly walker: YamlWalker;

  constructor(
    doc: Document,
    private readonly source: DocumentSource,
    private readonly resource: ResourceRef,
    private readonly lines: LineIndex,
    private readonly minimumSeconds: number,
    private readonly result: ManifestLintResult,
  ) {
    this.walker = new YamlWalker(doc);
  }

  lintAll(timeouts: readonly ConnectTimeoutNode[]): void {
    const seen = new Set<Node>();
    for (const timeout of timeouts) {
      if (seen.has(timeout.node)) continue;
      seen.add(timeout.node);
      this.lint(timeout);
    }
  }

  private lint(timeout: ConnectTimeoutNode): void {
    const [start, end] = timeout.node.range ?? [0, 0];
    const written = this.source.text.slice(start, end);
    const where = this.source.locate(start, end);
    const parsed = this.parseValue(timeout.node, written);
    const setting: ConnectTimeoutSetting = {
      site: timeout.site,
      path: timeout.path,
      range: this.lines.range(where.start, where.end),
      value: written,
      seconds: parsed.ok ? parsed.seconds : null,
      resource: this.resource,
      host: timeout.host,
    };
    this.result.settings.push(setting);
    const finding = describeFinding({
      setting,
      key: timeout.key,
      invalidReason: parsed.ok ? null : parsed.reason,
      raisedValue: where.exact ? this.raisedValue(timeout.node, written, start) : null,
      minimumSeconds: this.minimumSeconds,
    });
    if (finding !== null) this.result.findings.push(finding);
  }

  /**
   * Istio reads durations as protobuf JSON strings, so a plain YAML number (`10`) is judged by its
   * text ("missing unit"), not as nanoseconds; a `{seconds, nanos}` map is read field by field.
   */
  private parseValue(node: Node, written: string): DurationParse {
    if (isScalar(node)) {
      return parseDuration(node.type === Scalar.PLAIN && typeof node.value !== 'string' ? written : String(node.value));
    }
    if (isMap(node)) {
      const fields: Record<string, unknown> = {};
      for (const pair of node.items) {
        const value = this.walker.deref(pair.value);
        fields[String(isScalar(pair.key) ? pair.key.value : pair.key)] = isScalar(value) ? value.value : value;
      }
      return parseDuration(fields);
    }
    // Aliases are resolved by now, so this is a sequence: parseDuration explains that a list is not a
    // duration. Its items are not converted, so a list of aliases (an alias bomb) is never expanded.
    return parseDuration(isSeq(node) ? node.items : null);
  }

  /** The value's text raised to the minimum in the same style, or null when it cannot be rewritten in place. */
  private raisedValue(node: Node, written: string, start: number): string | null {
    const minimum = formatDuration(this.minimumSeconds);
    if (isScalar(node)) {
      if (node.type === Scalar.QUOTE_DOUBLE) return `"${minimum}"`;
      if (node.type === Scalar.QUOTE_SINGLE) return `'${minimum}'`;
      return node.type === Scalar.PLAIN ? minimum : null;
    }
    return isMap(node) ? this.raisedSecondsNanos(node, written, start) : null;
  }

  /** Rewrites `seconds` (and `nanos`, when the minimum needs it) inside a `{seconds, nanos}` map. */
  private raisedSecondsNanos(node: Node, written: string, start: number): string | null {
    const seconds = this.walker.get(node, 'seconds');
    const nanos = this.walker.get(node, 'nanos');
    const wholeSeconds = Math.floor(this.minimumSeconds);
    const minimumNanos = Math.round((this.minimumSeconds - wholeSeconds) * 1e9);
    const edits: { node: Node; text: string }[] = [];
    if (!isScalar(seconds) || seconds.range === null || seconds.range === undefined) return null;
    edits.push({ node: seconds, text: String(wholeSeconds) });
    if (isScalar(nanos) && nanos.range) edits.push({ node: nanos, text: String(minimumNanos) });
    else if (minimumNanos !== 0) return null;
    let out = written;
    for (const edit of edits.sort((a, b) => (b.node.range?.[0] ?? 0) - (a.node.range?.[0] ?? 0))) {
      const [s, e] = edit.node.range ?? [0, 0];
      // An alias points outside this map; such a value cannot be rewritten here.
      if (s < start || e > start + written.length) return null;
      const quote = isScalar(edit.node) && edit.node.type === Scalar.QUOTE_DOUBLE ? '"' : isScalar(edit.node) && edit.node.type === Scalar.QUOTE_SINGLE ? "'" : '';
      out = out.slice(0, s - start) + quote + edit.text + quote + out.slice(e - start);
    }
    return out;
  }
}

function parseProblem(error: YAMLError, source: DocumentSource, lines: LineIndex, what: string): ManifestProblem {
  // An unclosed collection is reported where its document ends: point at the last written character instead.
  const last = Math.max(0, source.text.trimEnd().length - 1);
  const start = Math.min(error.pos[0], last);
  const where = source.locate(start, Math.max(Math.min(error.pos[1], last + 1), start + 1));
  // The parser reports its own stack overflow (deep nesting) this way; say what the file did.
  const reason = error.code === 'RESOURCE_EXHAUSTION' ? 'it is nested too deeply (or too large) to parse' : error.message;
  return {
    message: `${what}: ${reason}. Connect timeouts in this document are not checked until it parses.`,
    range: lines.range(where.start, where.end),
    severity: 'error',
  };
}

/** The problem reported instead of linting a text over the size limit (`size` in characters or bytes). */
export function sizeLimitProblem(size: number, maxLength = DEFAULT_MAX_LENGTH): ManifestProblem {
  return fileProblem(`File is ${megabytes(size)} MB; Mesh Doctor checks manifests up to ${megabytes(maxLength)} MB. Split it to lint it.`, 'warning');
}

function fileProblem(message: string, severity: Severity): ManifestProblem {
  return { message, severity, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

const megabytes = (length: number): string => (length / (1024 * 1024)).toFixed(1);
