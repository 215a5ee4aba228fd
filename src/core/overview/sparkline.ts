/** Eight block heights, lowest first. */
const BLOCKS = '▁▂▃▄▅▆▇█';

/** A rate series as a one-line sparkline, scaled to its own maximum; empty for no points. */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values.filter(Number.isFinite));
  return values.map((v) => (max === 0 || !Number.isFinite(v) || v <= 0 ? BLOCKS[0] : BLOCKS[Math.min(7, Math.round((v / max) * 7))])).join('');
}
