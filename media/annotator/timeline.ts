/**
 * App and Envoy events on one time axis, drawn as SVG (no chart library: the CSP allows none and
 * two lanes of dots need none). Labels are SVG text nodes, so log text stays text.
 */
import { svg } from './dom';

export interface TimelinePoint {
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly lane: 'app' | 'envoy';
  readonly label: string;
  readonly emphasis?: boolean;
}

const WIDTH = 640;
const LANE_Y = { app: 28, envoy: 62 } as const;
const LEFT = 56;
const RIGHT = 16;
const HEIGHT = 96;

function formatOffset(ms: number): string {
  if (Math.abs(ms) >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms)} ms`;
}

/**
 * Draws `points` between their earliest and latest time. Tick labels are relative to
 * `reference` (the reset) when given, else wall-clock times.
 */
export function renderTimeline(points: readonly TimelinePoint[], label: string, reference: number | null): SVGSVGElement {
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'timeline', role: 'img', 'aria-label': label });
  const times = points.map((p) => p.time).filter(Number.isFinite);
  if (times.length === 0) {
    root.appendChild(svg('text', { x: LEFT, y: HEIGHT / 2, class: 'axis-label' }, 'No timed events'));
    return root;
  }
  let min = Math.min(...times);
  let max = Math.max(...times);
  if (max - min < 10) {
    min -= 5;
    max += 5;
  }
  const x = (t: number) => LEFT + ((t - min) / (max - min)) * (WIDTH - LEFT - RIGHT);

  for (const lane of ['app', 'envoy'] as const) {
    root.appendChild(svg('text', { x: 4, y: LANE_Y[lane] + 4, class: 'lane-label' }, lane === 'app' ? 'App' : 'Envoy'));
    root.appendChild(svg('line', { x1: LEFT, x2: WIDTH - RIGHT, y1: LANE_Y[lane], y2: LANE_Y[lane], class: 'lane' }));
  }
  const ticks = 4;
  for (let i = 0; i <= ticks; i++) {
    const t = min + ((max - min) * i) / ticks;
    const tx = x(t);
    root.appendChild(svg('line', { x1: tx, x2: tx, y1: 12, y2: HEIGHT - 18, class: 'tick' }));
    const text = reference === null ? new Date(t).toISOString().slice(11, 23) : formatOffset(t - reference);
    const anchor = i === 0 ? 'start' : i === ticks ? 'end' : 'middle';
    root.appendChild(svg('text', { x: tx, y: HEIGHT - 4, class: 'axis-label', 'text-anchor': anchor }, text));
  }
  for (const p of points) {
    if (!Number.isFinite(p.time)) continue;
    const dot = svg('circle', {
      cx: x(p.time),
      cy: LANE_Y[p.lane],
      r: p.emphasis ? 6 : 4,
      class: `dot ${p.lane}${p.emphasis ? ' emphasis' : ''}`,
    });
    dot.appendChild(svg('title', {}, p.label));
    root.appendChild(dot);
  }
  return root;
}
