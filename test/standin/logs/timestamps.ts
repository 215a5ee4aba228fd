/** A point in virtual time with nanosecond detail: whole epoch milliseconds plus 0..999999 ns. */
export interface NanoTime {
  readonly ms: number;
  readonly subNs: number;
}

export function compareNanoTime(a: NanoTime, b: NanoTime): number {
  return a.ms - b.ms || a.subNs - b.subNs;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `2026-11-26T15:52:33` (UTC, no fraction). */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

function nanosOfSecond(t: NanoTime): number {
  return (((t.ms % 1000) + 1000) % 1000) * 1_000_000 + t.subNs;
}

/**
 * The kubelet's `--timestamps` prefix: RFC3339NanoFixed (`2006-01-02T15:04:05.000000000Z07:00`,
 * k8s.io/kubernetes pkg/kubelet/kuberuntime/logs), always nine fraction digits, zeros kept.
 */
export function formatRfc3339Nano(t: NanoTime): string {
  return `${isoSeconds(t.ms)}.${pad(nanosOfSecond(t), 9)}Z`;
}

/** `2026-11-26T15:52:33.123456Z`: spdlog's `%Y-%m-%dT%T.%fZ` (microseconds). */
export function formatMicros(t: NanoTime): string {
  return `${isoSeconds(t.ms)}.${pad(Math.floor(nanosOfSecond(t) / 1000), 6)}Z`;
}

/** `2026-11-26T15:52:33.123Z`. */
export function formatMillisIso(t: NanoTime): string {
  return new Date(t.ms).toISOString();
}

/** `2026-11-26 15:52:33.123`: spdlog's `%Y-%m-%d %T.%e`, Envoy's layout before Istio 1.6. */
export function formatMillisSpaced(t: NanoTime): string {
  return new Date(t.ms).toISOString().slice(0, 23).replace('T', ' ');
}

/**
 * Parses an RFC 3339 time with up to nine fraction digits (`sinceTime`), or returns null.
 * Date.parse alone would drop everything below the millisecond.
 */
export function parseRfc3339(text: string): NanoTime | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(text.trim());
  if (!m) return null;
  const base = Date.parse(`${m[1]}${m[3].toUpperCase()}`);
  if (Number.isNaN(base)) return null;
  const fraction = (m[2] ?? '').padEnd(9, '0');
  const nanos = Number(fraction);
  return { ms: base + Math.floor(nanos / 1_000_000), subNs: nanos % 1_000_000 };
}
