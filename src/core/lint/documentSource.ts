import type { Document, Scalar, YAMLError } from 'yaml';
import type { ManifestProblem } from './lintManifest';
import type { LineIndex } from './sourceText';
import { mapScalarValue } from './embeddedText';
import type { TemplateSpan } from './helmTemplate';
import { parseYamlDocuments } from './yamlNodes';

/** Where a parsed document's text sits in the file: directly, or inside a string (`data.mesh`, `helm.values`). */
export interface DocumentSource {
  /** The text the document was parsed from. */
  readonly text: string;
  /** Maps a `[start, end)` range of `text` into the file; `exact` is false when only an enclosing range is known. */
  locate(start: number, end: number): { start: number; end: number; exact: boolean };
  /** Helm template actions of the file (file offsets), blanked out of the text before parsing. */
  readonly templates: readonly TemplateSpan[];
}

export const PARSE_OPTIONS = { prettyErrors: false } as const;
/** With template actions blanked, both branches of an `if`/`else` remain, so their keys repeat: that is not an error. */
export const TEMPLATE_PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: false } as const;

/** A part of the file's text taken as is, from `offset`. */
export function chunkSource(text: string, offset: number, templates: readonly TemplateSpan[]): DocumentSource {
  return { text, templates, locate: (start, end) => ({ start: offset + start, end: offset + end, exact: true }) };
}

/**
 * YAML written as a string inside YAML (the `istio` ConfigMap's `data.mesh`, Argo CD `helm.values`,
 * a Kustomize patch, a `proxy.istio.io/config` annotation): its documents, and a source that maps
 * their positions back through the outer source into the file.
 */
export function embeddedDocuments(scalar: Scalar, outer: DocumentSource): { docs: Document[]; source: DocumentSource } {
  const innerText = String(scalar.value);
  const range = scalar.range ?? [0, 0, 0];
  const whole = outer.locate(range[0], range[1]);
  const map = mapScalarValue(scalar, outer.text, 0);
  const source: DocumentSource = {
    text: innerText,
    templates: outer.templates,
    locate: (start, end) => {
      if (map === null || start >= map.starts.length || end <= start) return { ...whole, exact: false };
      const outerStart = map.starts[start];
      const outerEnd = map.ends[Math.min(end, map.ends.length) - 1];
      const located = outer.locate(outerStart, outerEnd);
      return { ...located, exact: located.exact && outer.text.slice(outerStart, outerEnd) === innerText.slice(start, end) };
    },
  };
  return { docs: parseYamlDocuments(innerText, outer.templates.length > 0 ? TEMPLATE_PARSE_OPTIONS : PARSE_OPTIONS), source };
}

/** A parse error as a problem at the place it was found, in file positions. */
export function parseProblem(error: YAMLError, source: DocumentSource, lines: LineIndex, what: string): ManifestProblem {
  // An unclosed collection is reported where its document ends: point at the last written character instead.
  const last = Math.max(0, source.text.trimEnd().length - 1);
  const start = Math.min(error.pos[0], last);
  const where = source.locate(start, Math.max(Math.min(error.pos[1], last + 1), start + 1));
  // The parser reports its own stack overflow (deep nesting) this way; say what the file did.
  const reason = error.code === 'RESOURCE_EXHAUSTION' ? 'it is nested too deeply (or too large) to parse' : error.message;
  return {
    message: `${what}: ${reason}. Settings in this document are not checked until it parses.`,
    range: lines.range(where.start, where.end),
    severity: 'error',
  };
}
