/**
 * The annotator webview: receives a run in chunks, renders the reset list incrementally, keeps it
 * across reloads with setState, and posts typed requests (open a line, reveal a cluster) back.
 */
import type { HostToWebview, PersistedAnnotatorState, ResetGroup, RunSummary, TimelineEvent, WebviewToHost, WireReset } from '../../src/annotator/protocol';
import { toDisplayText } from '../../src/annotator/displayText';
import { groupHeadline } from '../../src/core/correlate/groups';
import { renderDetails } from './details';
import { button, h } from './dom';
import { formatConfidence, formatTime } from './format';
import { appendParts, richText } from './richText';
import { renderTimeline } from './timeline';

interface WebviewApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: PersistedAnnotatorState): void;
}
declare function acquireVsCodeApi(): WebviewApi;

const vscode = acquireVsCodeApi();
const post = (message: WebviewToHost) => vscode.postMessage(message);

/** Groups drawn per "Show more", and resets drawn per expanded group and per its "Show more". */
const PAGE = 500;

let run: RunSummary | null = null;
let resets: WireReset[] = [];
let groups: readonly ResetGroup[] = [];
let timeline: TimelineEvent[] = [];
let selected = 0;
let finished = false;
let groupLimit = PAGE;

const header = h('header', { className: 'run' });
const status = h('p', { className: 'status', attrs: { role: 'status' } });
const overview = h('section', { className: 'overview', attrs: { 'aria-label': 'All events' } });
const countLine = h('p', { className: 'count' });
const list = h('div', { className: 'groups', attrs: { 'aria-label': 'Connection resets by cause and destination' } });
const more = button('Show more groups', () => {
  groupLimit += PAGE;
  renderGroups();
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

/** One reset inside its group: when, where, how sure, and the exception (the verdict is the group's). */
function resetOption(reset: WireReset, i: number, listbox: HTMLElement): HTMLElement {
  const where = reset.pod ? ` · ${toDisplayText(reset.pod, 200).text}` : '';
  const option = h(
    'div',
    { className: 'reset', attrs: { role: 'option', id: optionId(i), 'aria-selected': String(i === selected) } },
    h('div', { className: 'when', text: `${formatTime(reset.time)}${where} · ${formatConfidence(reset.confidence)}` }),
    h('div', { className: 'exception', text: toDisplayText(reset.exception.outermost, 300).text }),
    h('div', { className: 'exception cause', text: `Caused by ${toDisplayText(reset.exception.resetCause, 300).text}` }),
  );
  option.addEventListener('click', () => {
    select(i, false);
    listbox.focus();
  });
  option.addEventListener('dblclick', () => openReset(i));
  return option;
}

/** The group's resets as a listbox, drawn a page at a time when the group is first expanded. */
function memberList(group: ResetGroup, index: number): { listbox: HTMLElement; fill: () => void } {
  const listbox = h('div', { className: 'resets', attrs: { role: 'listbox', tabindex: '0', id: `group-${index}-resets`, 'aria-label': `The ${group.members.length} resets of this group` } });
  const members = group.members.filter((i) => i < resets.length);
  let shown = 0;
  const rest = button('Show more resets', () => fill(), { className: 'more' });
  const fill = () => {
    const end = Math.min(members.length, shown + PAGE);
    const fragment = document.createDocumentFragment();
    for (let k = shown; k < end; k++) fragment.appendChild(resetOption(resets[members[k]!]!, members[k]!, listbox));
    listbox.insertBefore(fragment, rest);
    shown = end;
    rest.hidden = shown >= members.length;
  };
  listbox.appendChild(rest);
  listbox.addEventListener('keydown', (e) => {
    const at = Math.max(0, members.indexOf(selected));
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: shown - 1, PageDown: at + 10, PageUp: at - 10 };
    if (e.key in moves) {
      e.preventDefault();
      select(members[Math.max(0, Math.min(shown - 1, moves[e.key]!))]!, true);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      openReset(selected);
    }
  });
  return { listbox, fill };
}

/** The fix for every reset of a group, once: advice, and the setting with its default, as code. */
function groupFix(group: ResetGroup): HTMLElement {
  if (!group.fix) {
    return h('p', { className: 'group-fix none', text: 'No Envoy event explains these. Enable Envoy debug logging (or the access log) and reproduce.' });
  }
  const fix = h('div', { className: 'group-fix' });
  const advice = richText('p', 'fix-advice', group.fix.advice, 600);
  advice.prepend(h('span', { className: 'fix-label', text: 'Fix: ' }));
  fix.appendChild(advice);
  fix.appendChild(appendParts(h('p', { className: 'fix-setting' }), [
    { text: 'Setting: ', code: false },
    { text: group.fix.setting, code: true },
    { text: ' (default ', code: false },
    { text: group.fix.default, code: true },
    { text: ')', code: false },
  ]));
  return fix;
}

function groupSection(group: ResetGroup, index: number): HTMLElement {
  const parts = groupHeadline(group).map((p) => ({ ...p, text: toDisplayText(p.text, 300).text }));
  const span = group.first && group.last && group.first !== group.last ? `${formatTime(group.first)} – ${formatTime(group.last)}` : formatTime(group.first);
  const { listbox, fill } = memberList(group, index);
  listbox.hidden = true;
  const label = (open: boolean) => `${open ? 'Hide' : 'Show'} the ${group.members.length} reset${group.members.length === 1 ? '' : 's'}`;
  const toggle = button(label(false), () => {
    const open = listbox.hidden;
    if (open && listbox.childElementCount === 1) fill();
    listbox.hidden = !open;
    toggle.textContent = label(open);
    toggle.setAttribute('aria-expanded', String(open));
    if (open && group.members[0] !== undefined && !group.members.includes(selected)) select(group.members[0], false);
  }, { className: 'group-toggle link', attrs: { 'aria-expanded': 'false', 'aria-controls': `group-${index}-resets` } });
  return h(
    'section',
    { className: `group cause-${group.cause}`, attrs: { 'data-group': String(index) } },
    appendParts(h('h2', { className: 'group-headline' }), parts),
    h('p', { className: 'group-when', text: span }),
    groupFix(group),
    toggle,
    listbox,
  );
}

function updateCount(): void {
  const total = run?.totalResets ?? resets.length;
  countLine.textContent = groups.length > 0 || finished
    ? `${total} reset${total === 1 ? '' : 's'} in ${groups.length} group${groups.length === 1 ? '' : 's'}`
    : `Receiving resets… ${resets.length} of ${total}`;
  more.hidden = groups.length <= groupLimit;
}

function renderGroups(): void {
  list.replaceChildren(...groups.slice(0, groupLimit).map(groupSection));
  if (detail.childElementCount === 0 && resets.length > 0) select(groups[0]?.members[0] ?? 0, false);
  updateCount();
}

let persistTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Saves the run for a reload: at once when a run completes, debounced for selection changes
 * (arrow keys change it many times a second and each save copies every reset).
 */
function persist(now = false): void {
  clearTimeout(persistTimer);
  const save = () => {
    if (run && finished) vscode.setState({ version: 2, run, resets, groups, timeline, selected });
  };
  if (now) save();
  else persistTimer = setTimeout(save, 250);
}

function select(i: number, scroll: boolean): void {
  if (i < 0 || i >= resets.length) return;
  list.querySelector(`#${optionId(selected)}`)?.setAttribute('aria-selected', 'false');
  selected = i;
  const option = list.querySelector<HTMLElement>(`#${optionId(i)}`);
  option?.setAttribute('aria-selected', 'true');
  option?.parentElement?.setAttribute('aria-activedescendant', optionId(i));
  if (scroll) option?.scrollIntoView({ block: 'nearest' });
  detail.replaceChildren(renderDetails(resets[i]!, i, post));
  persist();
}

function openReset(i: number): void {
  const reset = resets[i];
  if (reset) post({ type: 'openSource', file: reset.file, line: reset.line });
}

function startRun(r: RunSummary): void {
  run = r;
  resets = [];
  groups = [];
  timeline = [];
  selected = 0;
  groupLimit = PAGE;
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
      updateCount();
      break;
    case 'groups':
      if (message.runId !== run?.runId) return;
      groups = message.groups;
      renderGroups();
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
  if (!state || state.version !== 2 || !Array.isArray(state.resets) || !Array.isArray(state.groups)) return null;
  startRun(state.run);
  resets = [...state.resets];
  groups = state.groups;
  timeline = [...state.timeline];
  renderOverview();
  finished = true;
  if (resets.length === 0) finishRun();
  else {
    renderGroups();
    select(Math.min(state.selected, resets.length - 1), false);
  }
  return state.run.runId;
}

const restoredRunId = restore();
if (restoredRunId === null) status.textContent = 'Waiting for a correlation run…';
post({ type: 'ready', restoredRunId });
