/**
 * Which lines of a log editor to highlight: those on screen and a margin around them, never more
 * than a fixed number, so the cost of highlighting does not grow with the file. Pure (no `vscode`).
 */

export interface LineSpan {
  /** 0-based, inclusive. */
  readonly start: number;
  readonly end: number;
}

/** Lines above and below what is on screen that are highlighted too, so a short scroll shows marks at once. */
export const MARGIN_LINES = 50;
/** Lines highlighted per editor at most, however tall it is or however many ranges it shows (folding). */
export const MAX_HIGHLIGHTED_LINES = 2000;

/** The lines of `visible` (widened by `margin`, within `lineCount`) in order, at most `max` of them. */
export function linesToHighlight(visible: readonly LineSpan[], lineCount: number, margin = MARGIN_LINES, max = MAX_HIGHLIGHTED_LINES): LineSpan[] {
  const widened = visible
    .map((r) => ({ start: Math.max(0, Math.min(r.start, r.end) - margin), end: Math.min(lineCount - 1, Math.max(r.start, r.end) + margin) }))
    .filter((r) => r.start <= r.end)
    .sort((a, b) => a.start - b.start);
  const merged: LineSpan[] = [];
  let budget = max;
  for (const r of widened) {
    const last = merged[merged.length - 1];
    const start = last && r.start <= last.end + 1 ? last.end + 1 : r.start;
    if (start > r.end || budget <= 0) continue;
    const end = Math.min(r.end, start + budget - 1);
    budget -= end - start + 1;
    if (last && start === last.end + 1) merged[merged.length - 1] = { start: last.start, end };
    else merged.push({ start, end });
  }
  return merged;
}
