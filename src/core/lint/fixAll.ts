import type { LintFinding, SourceRange } from './types';

/** One edit of a fix-all: `range` holds `expected` (the value as linted, quotes included) and becomes `replacement`. */
export interface FixEdit {
  readonly range: SourceRange;
  readonly expected: string;
  readonly replacement: string;
}

const before = (a: SourceRange['start'], b: SourceRange['start']): boolean => a.line < b.line || (a.line === b.line && a.character < b.character);

/**
 * Every safe fix among one file's findings, in document order: only the fixes the rules offer
 * (a value a Helm template renders has none), only in the linted file itself (a finding placed in
 * the chart's values.yaml is not), one per range, and none overlapping another, so the edits can be
 * applied together as one change.
 */
export function fixAllEdits(findings: readonly LintFinding[]): FixEdit[] {
  const edits = findings
    .flatMap((f) => (f.fix !== null && f.file === undefined ? [{ range: f.range, expected: f.value, replacement: f.fix.replacement }] : []))
    .sort((a, b) => (before(a.range.start, b.range.start) ? -1 : before(b.range.start, a.range.start) ? 1 : 0));
  const kept: FixEdit[] = [];
  for (const edit of edits) {
    const last = kept[kept.length - 1];
    if (last !== undefined && before(edit.range.start, last.range.end)) continue;
    kept.push(edit);
  }
  return kept;
}
