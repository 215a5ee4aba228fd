/** Eight block heights, lowest first. */
const BLOCKS = '▁▂▃▄▅▆▇█';

/** `values` in at most `width` buckets, each its highest value (a short spike stays visible). */
function buckets(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  return Array.from({ length: width }, (_, i) => Math.max(...values.slice(Math.floor((i * values.length) / width), Math.floor(((i + 1) * values.length) / width))));
}

/**
 * A rate series as a one-line sparkline, scaled to its own maximum; empty for no points. With
 * `width`, at most that many characters (for a tree row read at 300 px).
 */
export function sparkline(values: readonly number[], width = values.length): string {
  const shown = buckets(values, Math.max(1, Math.floor(width)));
  const max = Math.max(0, ...shown.filter(Number.isFinite));
  return shown.map((v) => (max === 0 || !Number.isFinite(v) || v <= 0 ? BLOCKS[0] : BLOCKS[Math.min(7, Math.round((v / max) * 7))])).join('');
}
