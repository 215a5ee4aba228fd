import type * as vscode from 'vscode';
import { LineRing } from '../core/envoyLogging/lineRing';
import { type TailHighlightKind, classifyTailText } from '../core/envoyLogging/tailHighlight';
import { escapeLogText, tailPrefix } from '../core/envoyLogging/tailFormat';
import { type TailLine } from '../core/envoyLogging/tailSession';

export const TAIL_SCHEME = 'mesh-doctor-tail';
/** The tail documents' own language (package.json): word wrap on by default, Envoy-log colours. */
export const TAIL_LANGUAGE = 'mesh-doctor-tail';

/** A highlight in document coordinates (what the decorations show; integration tests read these). */
export interface TailDocumentHighlight {
  readonly kind: TailHighlightKind;
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

/** The short pod/container prefix of a line, and the full names its hover shows. */
export interface TailDocumentPrefix {
  readonly line: number;
  /** The prefix ends here (it starts at column 0). */
  readonly end: number;
  readonly pod: string;
  readonly container: string;
}

interface RenderedLine {
  readonly text: string;
  readonly highlights: readonly { kind: TailHighlightKind; start: number; end: number }[];
  readonly source: { readonly pod: string; readonly container: string; readonly prefixLength: number } | null;
}

/**
 * The content of one tail editor: the last `maxLines` lines, prefixed with a short pod and
 * container (the full names are the prefix's hover), escaped, with their highlights computed once
 * when the line arrives (not on every render).
 */
export class TailDocument {
  private readonly ring: LineRing<RenderedLine>;

  constructor(
    readonly uri: vscode.Uri,
    readonly title: string,
    maxLines: number,
  ) {
    this.ring = new LineRing<RenderedLine>(maxLines);
  }

  addLine(l: TailLine): void {
    const prefix = tailPrefix(l.pod, l.container);
    const body = escapeLogText(l.text);
    const highlights = classifyTailText(body, l.fromEnvoy).map((h) => ({ kind: h.kind, start: h.start + prefix.length, end: h.end + prefix.length }));
    this.ring.push({ text: prefix + body, highlights, source: { pod: l.pod, container: l.container, prefixLength: prefix.length } });
  }

  /** A line from Mesh Doctor itself (stream resumed, pod gone), set apart from log lines. */
  addNotice(message: string): void {
    this.ring.push({ text: `── mesh-doctor: ${escapeLogText(message)}`, highlights: [], source: null });
  }

  get droppedLines(): number {
    return this.ring.dropped;
  }

  text(): string {
    const lines = this.ring.toArray().map((l) => l.text);
    const header = `# ${this.title}${this.ring.dropped ? ` (${this.ring.dropped} earlier lines dropped; meshDoctor.tail.maxLines)` : ''}`;
    return [header, ...lines].join('\n');
  }

  highlights(): TailDocumentHighlight[] {
    const out: TailDocumentHighlight[] = [];
    this.ring.toArray().forEach((l, i) => {
      for (const h of l.highlights) out.push({ kind: h.kind, line: i + 1, start: h.start, end: h.end });
    });
    return out;
  }

  prefixes(): TailDocumentPrefix[] {
    const out: TailDocumentPrefix[] = [];
    this.ring.toArray().forEach((l, i) => {
      if (l.source) out.push({ line: i + 1, end: l.source.prefixLength, pod: l.source.pod, container: l.source.container });
    });
    return out;
  }
}
