import * as assert from 'node:assert/strict';
import type { ResetReport } from '../../../src/core/correlate/types';
import { parsePersistedState, parseWebviewMessage, RESET_CHUNK_SIZE, runMessages, TIMELINE_LIMIT, toWireReset, WIRE_TEXT_LIMIT, type ResetGroup, type RunSummary, type TimelineEvent, type WireReset } from '../../../src/annotator/protocol';

describe('annotator protocol: messages from the webview', () => {
  it('accepts each known message with exactly its fields', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready', restoredRunId: null }), { type: 'ready', restoredRunId: null });
    assert.deepEqual(parseWebviewMessage({ type: 'openSource', file: 'file:///a.log', line: 12, extra: 'dropped' }), {
      type: 'openSource',
      file: 'file:///a.log',
      line: 12,
    });
    assert.deepEqual(parseWebviewMessage({ type: 'revealCluster', cluster: 'outbound|443||idp.example.com' }), {
      type: 'revealCluster',
      cluster: 'outbound|443||idp.example.com',
      pod: null,
    });
    assert.deepEqual(parseWebviewMessage({ type: 'enableDebugLogging', pod: 'checkout-1' }), { type: 'enableDebugLogging', pod: 'checkout-1' });
  });

  it('rejects junk, unknown types and wrongly typed or out-of-range fields', () => {
    const bad: unknown[] = [
      null,
      'openSource',
      [],
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'openSource', file: 'file:///a.log', line: 0 },
      { type: 'openSource', file: 'file:///a.log', line: 1.5 },
      { type: 'openSource', file: 'file:///a.log', line: '3' },
      { type: 'openSource', file: '', line: 3 },
      { type: 'openSource', file: 'x'.repeat(5000), line: 3 },
      { type: 'revealCluster', cluster: 42 },
      { type: 'findSetting' },
      { type: 'enableDebugLogging', pod: { name: 'x' } },
      // The webview reports nothing about what it drew: no message reads the DOM back.
      { type: 'rendered', runId: 1, shown: 1, total: 1, verdicts: ['v'], fromState: false },
      { type: 'ready', restoredRunId: 'x' },
    ];
    for (const message of bad) assert.equal(parseWebviewMessage(message), null, JSON.stringify(message)?.slice(0, 80));
  });
});

describe('annotator protocol: restored panel state', () => {
  const run = {
    runId: 5,
    title: 'incident.log',
    sources: [{ file: 'file:///w/incident.log', label: 'incident.log', firstLine: 1 }],
    pods: [{ context: 'standin', namespace: 'shop', name: 'checkout-1' }],
    totalResets: 0,
    linesRead: 3,
    envoyEvents: 0,
    appRecords: 0,
    warnings: [],
    windowSeconds: 5,
    clockOffsetSeconds: 0,
    totalTimelineEvents: 0,
  };

  it('reads back a state the webview saved', () => {
    const state = parsePersistedState({ version: 2, run, resets: [], groups: [], timeline: [], selected: 3 });
    assert.ok(state);
    assert.deepEqual(state.run.sources, run.sources);
    assert.deepEqual(state.run.pods, run.pods);
    assert.equal(state.selected, 3);
  });

  it('drops the fields it does not know, and does not restore a state saved before resets were grouped', () => {
    const state = parsePersistedState({ version: 2, run, capabilities: { revealCluster: true }, resets: [], groups: [], timeline: [], selected: 0 });
    assert.ok(state, 'a state with an unknown capabilities record was refused');
    assert.deepEqual(state.run.pods, run.pods);
    assert.equal('capabilities' in state, false);
    assert.equal(parsePersistedState({ version: 1, run, resets: [], timeline: [], selected: 0 }), null, 'a version 1 state has no groups to show');
    assert.equal(parsePersistedState({ version: 2, run, resets: [], groups: 'x', timeline: [], selected: 0 }), null);
  });

  it('refuses a state whose sources or pods the extension would act on are malformed', () => {
    const withSources = (sources: unknown) => ({ version: 2, run: { ...run, sources }, resets: [], groups: [], timeline: [], selected: 0 });
    assert.equal(parsePersistedState(withSources([{ file: 7, label: 'x', firstLine: 1 }])), null);
    assert.equal(parsePersistedState(withSources('file:///etc/passwd')), null);
    assert.equal(parsePersistedState({ ...withSources(run.sources), run: { ...run, pods: [{ name: 'x' }] } }), null);
    assert.equal(parsePersistedState({ version: 3, run, resets: [], groups: [], timeline: [] }), null);
    assert.equal(parsePersistedState(undefined), null);
  });
});

describe('annotator protocol: resets on the wire', () => {
  it('cuts megabyte log lines to a bounded prefix and keeps their real length', () => {
    const huge = `[2020-05-29T22:04:05.066Z] "- - " 0 UF,URX ${'x'.repeat(1_000_000)}`;
    const reset: ResetReport = {
      kind: 'reset',
      fix: null,
      file: 'file:///w/a.log',
      line: 23,
      time: '2020-05-29T22:04:06.068Z',
      pod: null,
      exception: { outermost: 'E: '.padEnd(20_000, 'e'), resetCause: 'java.net.SocketException: Connection reset', runtime: 'java' },
      cause: 'connect-timeout',
      confidence: 0.9,
      explanation: 'x',
      matches: [
        { file: 'file:///w/a.log', line: 22, kind: 'access-log', connectionId: null, cluster: 'outbound|443||idp', time: '2020-05-29T22:04:05.066Z', text: huge },
        { file: 'file:///w/a.log', line: 12, kind: 'connect-timeout', connectionId: '332', cluster: 'outbound|443||idp', time: '2020-05-29T22:04:06.066Z', text: '[C332] connect timeout' },
      ],
      connectTimeoutSeconds: 1,
      cluster: 'outbound|443||idp',
    };
    const wire = toWireReset(reset);
    assert.equal(wire.matches[0].text, huge.slice(0, WIRE_TEXT_LIMIT));
    assert.equal(wire.matches[0].textLength, huge.length);
    assert.equal(wire.matches[1].text, '[C332] connect timeout');
    assert.equal(wire.matches[1].textLength, 22);
    assert.equal(wire.exception.outermost.length, WIRE_TEXT_LIMIT);
    assert.equal(wire.exception.resetCause, reset.exception.resetCause);
    assert.ok(JSON.stringify(wire).length < 3 * WIRE_TEXT_LIMIT, 'the reset still carries a huge line');
  });
});

describe('annotator protocol: delivering a run', () => {
  const summary = (runId: number): RunSummary => ({
    runId, title: 't', sources: [], pods: [], totalResets: 0, linesRead: 0, envoyEvents: 0, appRecords: 0, warnings: [], windowSeconds: 5, clockOffsetSeconds: 0, totalTimelineEvents: 0,
  });

  it('sends a large run as its summary, resets in chunks that continue each other, their groups, the capped timeline, then the end', () => {
    const resets = Array.from({ length: 1200 }, (_, i) => ({ line: i + 1 }) as unknown as WireReset);
    const groups = [{ members: resets.map((_, i) => i) } as unknown as ResetGroup];
    const timeline = Array.from({ length: TIMELINE_LIMIT + 10 }, () => ({}) as TimelineEvent);
    const messages = runMessages(summary(9), resets, groups, timeline);
    assert.deepEqual(messages.map((m) => m.type).filter((t, i, all) => all[i - 1] !== t), ['runStarted', 'resets', 'groups', 'timeline', 'runFinished']);
    assert.deepEqual(messages.find((m) => m.type === 'groups'), { type: 'groups', runId: 9, groups });
    assert.deepEqual(messages[0], { type: 'runStarted', run: summary(9) });
    const chunks = messages.filter((m) => m.type === 'resets');
    assert.equal(chunks.length, 1200 / RESET_CHUNK_SIZE);
    assert.deepEqual(chunks.map((c) => c.type === 'resets' && c.offset), [0, 200, 400, 600, 800, 1000]);
    assert.deepEqual(chunks.flatMap((c) => (c.type === 'resets' ? c.resets : [])), resets);
    const events = messages.find((m) => m.type === 'timeline');
    assert.equal(events?.type === 'timeline' && events.events.length, TIMELINE_LIMIT);
    assert.deepEqual(messages[messages.length - 1], { type: 'runFinished', runId: 9 });
    assert.ok(messages.every((m) => m.type === 'runStarted' || m.runId === 9));
  });

  it('sends an empty run as its summary and its end, with no timeline message', () => {
    assert.deepEqual(runMessages(summary(3), [], [], []).map((m) => m.type), ['runStarted', 'runFinished']);
  });
});
