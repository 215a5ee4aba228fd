/**
 * Helm (Go template) text inside YAML. A chart's templates are YAML only after rendering, so before
 * parsing, every `{{ … }}` action is blanked out in place (same length, newlines kept): a line that
 * holds nothing but actions (`{{- if }}`, `{{- include … | nindent 4 }}`, `{{- end }}`) becomes
 * blank, and an action inside a line becomes a run of `_`, a plain scalar. Offsets do not move, so
 * every position found in the blanked text is the position in the file.
 */

/** One template action: its `[start, end)` offsets and its text as written. */
export interface TemplateSpan {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface BlankedTemplate {
  readonly text: string;
  readonly spans: readonly TemplateSpan[];
}

const ACTION = /\{\{[\s\S]*?\}\}/g;

/** True when the text has template actions to blank (an unclosed `{{` alone is left to the parser). */
export function hasTemplateActions(text: string): boolean {
  return text.includes('{{') && text.includes('}}');
}

export function blankTemplates(text: string): BlankedTemplate {
  const spans: TemplateSpan[] = [];
  ACTION.lastIndex = 0;
  for (let m = ACTION.exec(text); m !== null; m = ACTION.exec(text)) spans.push({ start: m.index, end: m.index + m[0].length, text: m[0] });
  if (spans.length === 0) return { text, spans };
  const out = text.split('');
  // Whether a line holds only actions, decided once per line: a long line of many actions stays linear.
  let lineStart = 0;
  let nextNewline = text.indexOf('\n');
  let lineAlone = false;
  let judgedLine = -1;
  for (const span of spans) {
    // Spans come in order, so the line moves forward only: each newline is found once.
    while (nextNewline !== -1 && nextNewline < span.start) {
      lineStart = nextNewline + 1;
      nextNewline = text.indexOf('\n', lineStart);
    }
    if (judgedLine !== lineStart) {
      judgedLine = lineStart;
      const lineEnd = text.indexOf('\n', span.end);
      // Only actions and blanks on the line: it renders as control or whole blocks, never as a scalar here.
      lineAlone = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd).replace(ACTION, '').trim() === '';
    }
    const blank = lineAlone || span.text.includes('\n') ? ' ' : '_';
    for (let i = span.start; i < span.end; i++) if (out[i] !== '\n' && out[i] !== '\r') out[i] = blank;
  }
  return { text: out.join(''), spans };
}

/** The action overlapping `[start, end)`, if any. */
export function templateAt(spans: readonly TemplateSpan[], start: number, end: number): TemplateSpan | null {
  for (const span of spans) if (span.start < Math.max(end, start + 1) && start < span.end) return span;
  return null;
}

/** `default "1s"` (or `default 1s`) written in the action's pipeline: the value it renders when nothing is set. */
export function defaultLiteral(action: string): string | null {
  const piped = /\|\s*default\s+(?:"([^"]*)"|'([^']*)'|`([^`]*)`|([0-9][^\s|}]*))/.exec(action);
  const leading = /\{\{-?\s*default\s+(?:"([^"]*)"|'([^']*)'|`([^`]*)`|([0-9][^\s|}]*))/.exec(action);
  const m = piped ?? leading;
  if (m === null) return null;
  return m[1] ?? m[2] ?? m[3] ?? m[4] ?? null;
}

/** The `.Values.a.b` path an action reads, when it reads exactly one (else null). */
export function valuesPath(action: string): string[] | null {
  const paths = [...action.matchAll(/(?:^|[\s(|{])\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_-]*)+)/g)];
  if (paths.length !== 1) return null;
  return paths[0][1].slice(1).split('.');
}
