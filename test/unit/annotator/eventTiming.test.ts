import * as assert from 'node:assert/strict';
import { chronologicalRows, matchTiming } from '../../../src/annotator/eventTiming';
import { correlateText } from '../../../src/core/correlate/index';
import { INCIDENT_APP, INCIDENT_CLOCK_OFFSET_SECONDS, INCIDENT_ENVOY, readSharedFixture } from '../core/correlate/fixtures';

describe('annotator event timing: events in the order they happened', () => {
  const incident = correlateText(
    [
      { file: 'app-error.txt', text: readSharedFixture(...INCIDENT_APP) },
      { file: 'envoy-debug.log', text: readSharedFixture(...INCIDENT_ENVOY) },
    ],
    { windowSeconds: 5, clockOffsetSeconds: INCIDENT_CLOCK_OFFSET_SECONDS },
  ).resets[0]!;
  const timed = incident.matches.map((m) => ({ ...m, ...matchTiming(m.text) }));

  it("reads the incident's access-log entry as the 1000 ms from its start to its end", () => {
    const access = timed.find((m) => m.kind === 'access-log')!;
    assert.equal(access.time, '2020-05-29T22:04:05.066Z');
    assert.equal(access.endTime, '2020-05-29T22:04:06.066Z');
    assert.equal(access.durationMs, 1000);
    assert.ok(timed.filter((m) => m.kind !== 'access-log').every((m) => m.endTime === null && m.durationMs === null));
  });

  it('lists the access-log entry at its start and again at its end, between the debug lines of those moments', () => {
    const rows = chronologicalRows(timed);
    const described = rows.map((r) => `${timed[r.match]!.line}:${r.at}`);
    // Line 22 (the access-log entry, written last) starts with the request at 05.066 and ends at
    // 06.066, after [C332] connect timeout and closing (lines 12-14) of that same millisecond and
    // before the 06.067 lines.
    assert.deepEqual(described, ['22:start', '5:point', '7:point', '8:point', '9:point', '12:point', '13:point', '14:point', '22:end', '16:point', '17:point', '18:point', '19:point']);
    const times = rows.map((r) => r.timeMs);
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
  });

  it('keeps rows with an unreadable time at the end, and one row for an entry without a duration', () => {
    const rows = chronologicalRows([
      { time: 'garbage', file: 'a', line: 1 },
      { time: '2020-05-29T22:04:05.000Z', endTime: null, file: 'a', line: 2 },
      { time: '2020-05-29T22:04:04.000Z', endTime: '2020-05-29T22:04:04.000Z', file: 'a', line: 3 },
    ]);
    assert.deepEqual(rows.map((r) => [r.match, r.at]), [[2, 'point'], [1, 'point'], [0, 'point']]);
  });

  it("moves a collector's time into its own field, so a line shows only its own timestamp", () => {
    const line = '[Envoy (Epoch 0)] [2020-05-29 22:04:06.066][27][debug][pool] [conn_pool.cc:403] [C332] connect timeout';
    const framed = matchTiming(`2020-05-29T22:04:06.070123456Z ${line}`);
    assert.equal(framed.body, line);
    assert.equal(framed.collectedAt, '2020-05-29T22:04:06.070Z');
    const plain = matchTiming(line);
    assert.equal(plain.body, line);
    assert.equal(plain.collectedAt, null);
    const prefixed = matchTiming(`[pod/checkout-7d9f/istio-proxy] 2020-05-29T22:04:06.070123456Z ${line}`);
    assert.equal(prefixed.body, line);
  });
});
