import type * as vscode from 'vscode';
import { LineRing } from '../core/envoyLogging/lineRing';
import { type TailHighlightKind, classifyTailText } from '../core/envoyLogging/tailHighlight';
import { escapeLogText, tailPrefix } from '../core/envoyLogging/tailFormat';
import { type TailLine } from '../core/envoyLogging/tailSession';

export const TAIL_SCHEME = 'mesh-doctor-tail';

/** A highlight in document coordinates (what the decorations show; integration tests read these). */
export interface TailDocumentHighlight {
  readonly kind: TailHighlightKind;
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

interface RenderedLine {
  readonly text: string;
  readonly highlights: readonly { kind: TailHighlightKind; start: number; end: number }[];
}

/**
 * The content of one tail editor: the last `maxLines` lines, prefixed with pod and container,
 * escaped, with their highlights computed once when the line arrives (not on every render).
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
    this.ring.push({ text: prefix + body, highlights });
  }

  /** A line from Mesh Doctor itself (stream resumed, pod gone), set apart from log lines. */
  addNotice(message: string): void {
    this.ring.push({ text: `── mesh-doctor: ${escapeLogText(message)}`, highlights: [] });
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
}
