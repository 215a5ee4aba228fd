/**
 * The annotator webview: receives a run in chunks, renders the reset list incrementally, keeps it
 * across reloads with setState, and posts typed requests (open a line, reveal a cluster) back.
 */
import type { HostToWebview, PersistedAnnotatorState, RunSummary, TimelineEvent, WebviewToHost, WireReset } from '../../src/annotator/protocol';
import { toDisplayText } from '../../src/annotator/displayText';
import { renderDetails } from './details';
import { button, h } from './dom';
import { formatTime, verdictText } from './format';
import { renderTimeline } from './timeline';

interface WebviewApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: PersistedAnnotatorState): void;
}
declare function acquireVsCodeApi(): WebviewApi;

const vscode = acquireVsCodeApi();
const post = (message: WebviewToHost) => vscode.postMessage(message);

/** Resets drawn per animation frame, and per "Show more". */
const BATCH = 50;
const PAGE = 500;

let run: RunSummary | null = null;
let resets: WireReset[] = [];
let timeline: TimelineEvent[] = [];
let selected = 0;
let finished = false;
let rendered = 0;
let limit = PAGE;
let frame: number | null = null;

const header = h('header', { className: 'run' });
const status = h('p', { className: 'status', attrs: { role: 'status' } });
const overview = h('section', { className: 'overview', attrs: { 'aria-label': 'All events' } });
const countLine = h('p', { className: 'count' });
const list = h('div', { className: 'resets', attrs: { role: 'listbox', tabindex: '0', 'aria-label': 'Connection resets' } });
const more = button('Show more', () => {
  limit += PAGE;
  scheduleRender();
}, { className: 'more' });
const detail = h('section', { className: 'detail-pane', attrs: { 'aria-live': 'polite' } });
document.body.append(
  header,
  status,
  overview,
  h('main', { className: 'layout' }, h('section', { className: 'list-pane' }, countLine, list, more), detail),
);

function renderHeader(r: RunSummary): void {
  const warnings = r.warnings.length > 0 ? [h('ul', { className: 'warnings' }, ...r.warnings.map((w) => h('li', { text: toDisplayText(w, 500).text })))] : [];
  header.replaceChildren(
    h('h1', { text: toDisplayText(r.title, 200).text }),
    h('p', {
      className: 'summary',
      text: `${r.totalResets} connection reset${r.totalResets === 1 ? '' : 's'} · ${r.linesRead.toLocaleString('en-US')} lines read from ${r.sources.length} source${r.sources.length === 1 ? '' : 's'} · ${r.envoyEvents} Envoy events · ${r.appRecords} app records · window ${r.windowSeconds} s · clock offset ${r.clockOffsetSeconds} s`,
    }),
    ...warnings,
  );
}

function renderOverview(): void {
  if (timeline.length === 0) {
    overview.replaceChildren();
    return;
  }
  const points = timeline.map((e) => ({ time: Date.parse(e.time), lane: e.side, label: `${e.kind}: ${toDisplayText(e.label, 200).text}` }));
  const note = run && run.totalTimelineEvents > timeline.length ? ` (first ${timeline.length} of ${run.totalTimelineEvents} events)` : '';
  overview.replaceChildren(h('h2', { text: `Timeline${note}` }), renderTimeline(points, 'All application and Envoy events on one time axis', null));
}

function optionId(i: number): string {
  return `reset-${i}`;
}

function resetOption(reset: WireReset, i: number): HTMLElement {
  const option = h(
    'div',
    { className: 'reset', attrs: { role: 'option', id: optionId(i), 'aria-selected': String(i === selected) } },
    h('div', { className: 'when', text: `${formatTime(reset.time)}${reset.pod ? ` · ${toDisplayText(reset.pod, 200).text}` : ''}` }),
    h('div', { className: 'verdict', text: verdictText(reset) }),
    h('div', { className: 'exception', text: toDisplayText(reset.exception.outermost, 300).text }),
    h('div', { className: 'exception cause', text: `Caused by ${toDisplayText(reset.exception.resetCause, 300).text}` }),
  );
  option.addEventListener('click', () => {
    select(i, false);
    list.focus();
  });
  option.addEventListener('dblclick', () => openReset(i));
  return option;
}

function updateCount(): void {
  const total = resets.length;
  countLine.textContent = `${rendered} of ${run?.totalResets ?? total} shown`;
  more.hidden = rendered >= total || rendered < limit;
}

function scheduleRender(): void {
  if (frame === null) frame = requestAnimationFrame(renderBatch);
}

function renderBatch(): void {
  frame = null;
  const end = Math.min(resets.length, limit, rendered + BATCH);
  const fragment = document.createDocumentFragment();
  for (let i = rendered; i < end; i++) fragment.appendChild(resetOption(resets[i], i));
  list.appendChild(fragment);
  rendered = end;
  // The selection (restored from state, possibly far down the list) is shown once its row exists.
  if (detail.childElementCount === 0 && selected < end) select(selected, true);
  updateCount();
  if (rendered < Math.min(resets.length, limit)) scheduleRender();
}

let persistTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Saves the run for a reload: at once when a run completes, debounced for selection changes
 * (arrow keys change it many times a second and each save copies every reset).
 */
function persist(now = false): void {
  clearTimeout(persistTimer);
  const save = () => {
    if (run && finished) vscode.setState({ version: 1, run, resets, timeline, selected });
  };
  if (now) save();
  else persistTimer = setTimeout(save, 250);
}

function select(i: number, scroll: boolean): void {
  if (i < 0 || i >= rendered) return;
  list.querySelector(`#${optionId(selected)}`)?.setAttribute('aria-selected', 'false');
  selected = i;
  const option = list.querySelector<HTMLElement>(`#${optionId(i)}`);
  option?.setAttribute('aria-selected', 'true');
  list.setAttribute('aria-activedescendant', optionId(i));
  if (scroll) option?.scrollIntoView({ block: 'nearest' });
  detail.replaceChildren(renderDetails(resets[i], i, post));
  persist();
}

function openReset(i: number): void {
  const reset = resets[i];
  if (reset) post({ type: 'openSource', file: reset.file, line: reset.line });
}

list.addEventListener('keydown', (e) => {
  const moves: Record<string, number> = { ArrowDown: selected + 1, ArrowUp: selected - 1, Home: 0, End: rendered - 1, PageDown: selected + 10, PageUp: selected - 10 };
  if (e.key in moves) {
    e.preventDefault();
    select(Math.max(0, Math.min(rendered - 1, moves[e.key])), true);
  } else if (e.key === 'Enter') {
    e.preventDefault();
    openReset(selected);
  }
});

function startRun(r: RunSummary): void {
  if (frame !== null) cancelAnimationFrame(frame);
  frame = null;
  run = r;
  resets = [];
  timeline = [];
  selected = 0;
  rendered = 0;
  limit = PAGE;
  finished = false;
  list.replaceChildren();
  detail.replaceChildren();
  renderHeader(r);
  renderOverview();
  updateCount();
}

function finishRun(): void {
  finished = true;
  if (resets.length === 0) detail.replaceChildren(h('p', { className: 'none', text: 'No connection resets found in these logs.' }));
  updateCount();
  persist(true);
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'runStarted':
      startRun(message.run);
      status.textContent = '';
      break;
    case 'resets':
      // Chunks arrive in order; one that does not continue the list belongs to an older delivery.
      if (message.runId !== run?.runId || message.offset !== resets.length) return;
      resets.push(...message.resets);
      scheduleRender();
      break;
    case 'timeline':
      if (message.runId !== run?.runId) return;
      timeline = [...message.events];
      renderOverview();
      break;
    case 'runFinished':
      if (message.runId === run?.runId) finishRun();
      break;
  }
});

/** Shows the run saved before a reload; returns its id, or null when there was none. */
function restore(): number | null {
  const state = vscode.getState() as PersistedAnnotatorState | undefined;
  if (!state || state.version !== 1 || !Array.isArray(state.resets)) return null;
  startRun(state.run);
  resets = [...state.resets];
  timeline = [...state.timeline];
  selected = state.selected;
  limit = Math.max(PAGE, Math.ceil((selected + 1) / PAGE) * PAGE);
  renderOverview();
  finished = true;
  if (resets.length === 0) finishRun();
  else scheduleRender();
  return state.run.runId;
}

const restoredRunId = restore();
if (restoredRunId === null) status.textContent = 'Waiting for a correlation run…';
post({ type: 'ready', restoredRunId });
