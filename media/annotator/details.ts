/** The right-hand pane: one reset, the Envoy events that explain it, its timeline and the fixes. */
import type { WebviewToHost, WireMatch, WireReset } from '../../src/annotator/protocol';
import { button, h } from './dom';
import { formatTime, kindLabel, logText, verdictText } from './format';
import { renderTimeline, type TimelinePoint } from './timeline';

type Post = (message: WebviewToHost) => void;

function openLine(post: Post, file: string, line: number): () => void {
  return () => post({ type: 'openSource', file, line });
}

function eventItem(m: WireMatch, post: Post): HTMLElement {
  const open = openLine(post, m.file, m.line);
  return h(
    'li',
    { className: `event kind-${m.kind}` },
    h('span', { className: 'event-time', text: formatTime(m.time) }),
    h('span', { className: 'event-kind', text: kindLabel(m.kind) }),
    m.connectionId ? h('span', { className: 'event-conn', text: `C${m.connectionId}` }) : null,
    button(`line ${m.line}`, open, { className: 'link', attrs: { 'aria-label': `Open line ${m.line} of the Envoy log` } }),
    logText(m.text, open, m.textLength),
  );
}

function timelineFor(reset: WireReset): SVGSVGElement {
  const points: TimelinePoint[] = reset.matches.map((m) => ({ time: Date.parse(m.time), lane: 'envoy', label: `${kindLabel(m.kind)} (line ${m.line})` }));
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
    h('p', { className: `verdict-line ${explained ? 'explained' : 'unexplained'}`, text: verdictText(reset) }),
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
        ? h('ol', { className: 'events' }, ...reset.matches.map((m) => eventItem(m, post)))
        : h('p', { className: 'none', text: 'No Envoy event in the window around this reset. If you only have access logs, enable Envoy debug logging and reproduce.' }),
    ),
    h('section', { className: 'timeline-section' }, h('h3', { text: 'Timeline' }), timelineFor(reset)),
    actions(reset, post),
  );
}
