/** A command option that must be a positive number: the value, capped at `max`, or `fallback` when absent or not one. */
export function positiveOr(value: unknown, fallback: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.min(value, max) : fallback;
}
