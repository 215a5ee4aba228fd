/** The right-hand pane: one reset, the Envoy events that explain it, its timeline and the fixes. */
import { chronologicalRows, type EventRow } from '../../src/annotator/eventTiming';
import type { WebviewToHost, WireMatch, WireReset } from '../../src/annotator/protocol';
import { button, h } from './dom';
import { formatTime, kindLabel, logText, verdict } from './format';
import { renderTimeline, type TimelinePoint } from './timeline';

type Post = (message: WebviewToHost) => void;

function openLine(post: Post, file: string, line: number): () => void {
  return () => post({ type: 'openSource', file, line });
}

/** The other times of a line, for its tooltip: its own is in its text, the list shows only that one. */
function timesTooltip(m: WireMatch): string {
  const times = [`Envoy logged it at ${formatTime(m.time)}`];
  if (m.endTime) times[0] = `The request started at ${formatTime(m.time)} and ended at ${formatTime(m.endTime)} (${m.durationMs} ms)`;
  if (m.collectedAt) times.push(`collected at ${formatTime(m.collectedAt)}`);
  return times.join('; ');
}

function durationText(m: WireMatch): string {
  return `${m.durationMs} ms, until ${formatTime(m.endTime)}`;
}

/**
 * One row of the event list. A line shows one timestamp, its own (in its text); an access-log
 * entry is shown whole at its start, with its duration and end, and marked again at its end.
 */
function eventItem(row: EventRow, m: WireMatch, post: Post): HTMLElement {
  const open = openLine(post, m.file, m.line);
  const link = button(`line ${m.line}`, open, { className: 'link', attrs: { 'aria-label': `Open line ${m.line} of the Envoy log` } });
  const kind = row.at === 'point' ? kindLabel(m.kind) : `${kindLabel(m.kind)} ${row.at === 'start' ? 'starts' : 'ends'}`;
  const item = h(
    'li',
    { className: `event kind-${m.kind} at-${row.at}`, attrs: { title: timesTooltip(m) } },
    h('span', { className: 'event-kind', text: kind }),
    m.connectionId ? h('span', { className: 'event-conn', text: `C${m.connectionId}` }) : null,
    row.at === 'start' ? h('span', { className: 'event-span', text: durationText(m) }) : null,
    row.at === 'end' ? h('span', { className: 'event-span', text: `${m.durationMs} ms after it started` }) : null,
    link,
  );
  if (row.at !== 'end') item.appendChild(logText(m.text, open, m.textLength));
  return item;
}

function timelineFor(reset: WireReset): SVGSVGElement {
  const points: TimelinePoint[] = chronologicalRows(reset.matches).map((row) => {
    const m = reset.matches[row.match]!;
    const at = row.at === 'point' ? '' : row.at === 'start' ? ' starts' : ' ends';
    return { time: row.timeMs, lane: 'envoy', label: `${kindLabel(m.kind)}${at} (line ${m.line})` };
  });
  const resetTime = reset.time ? Date.parse(reset.time) : NaN;
  if (Number.isFinite(resetTime)) points.push({ time: resetTime, lane: 'app', label: 'Connection reset seen by the application', emphasis: true });
  return renderTimeline(points, 'Timeline of this reset: application above, Envoy below', Number.isFinite(resetTime) ? resetTime : null);
}

function actions(reset: WireReset, post: Post): HTMLElement {
  const bar = h('div', { className: 'actions' });
  const cluster = reset.cluster;
  if (cluster) {
    bar.appendChild(button('Show cluster in Mesh tree', () => post({ type: 'revealCluster', cluster, pod: reset.pod })));
    bar.appendChild(button('Find where this is set', () => post({ type: 'findSetting', cluster, pod: reset.pod })));
  }
  // Only access-log lines (no debug sequence): Envoy's debug log would show connecting → connect
  // timeout and turn a likely cause into a confirmed one.
  const onlyAccessLog = reset.matches.length > 0 && reset.matches.every((m) => m.kind === 'access-log');
  if (onlyAccessLog || reset.matches.length === 0) {
    bar.appendChild(button('Enable debug logging', () => post({ type: 'enableDebugLogging', pod: reset.pod })));
  }
  return bar;
}

export function renderDetails(reset: WireReset, index: number, post: Post): HTMLElement {
  const explained = reset.matches.length > 0 && reset.cause !== 'unexplained';
  return h(
    'article',
    { className: 'details', attrs: { 'aria-label': `Reset ${index + 1}` } },
    h('h2', { text: `Reset at ${formatTime(reset.time)}${reset.pod ? ` in ${reset.pod}` : ''}` }),
    verdict(reset, `verdict-line ${explained ? 'explained' : 'unexplained'}`),
    h(
      'section',
      { className: 'chain' },
      h('h3', { text: 'Exception chain' }),
      h('div', { className: 'outermost' }, logText(reset.exception.outermost, null)),
      h('div', { className: 'caused-by' }, h('span', { className: 'caused-label', text: 'Caused by ' }), logText(reset.exception.resetCause, null)),
      button(`Open line ${reset.line}`, openLine(post, reset.file, reset.line), { className: 'link' }),
    ),
    h(
      'section',
      { className: 'envoy' },
      h('h3', { text: explained ? 'Envoy events that explain it' : 'Envoy events' }),
      reset.matches.length > 0
        ? h('ol', { className: 'events' }, ...chronologicalRows(reset.matches).map((row) => eventItem(row, reset.matches[row.match]!, post)))
        : h('p', { className: 'none', text: 'No Envoy event in the window around this reset. If you only have access logs, enable Envoy debug logging and reproduce.' }),
    ),
    h('section', { className: 'timeline-section' }, h('h3', { text: 'Timeline' }), timelineFor(reset)),
    actions(reset, post),
  );
}
