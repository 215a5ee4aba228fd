import * as assert from 'node:assert/strict';
import { correlateText } from '../../../../src/core/correlate/index';
import { type GroupableReset, groupHeadline, groupResets } from '../../../../src/core/correlate/groups';
import { CAUSE_FIXES } from '../../../../src/core/correlate/causes';
import { INCIDENT_APP, INCIDENT_CLOCK_OFFSET_SECONDS, INCIDENT_ENVOY, readSharedFixture } from './fixtures';

const INCIDENT_CLUSTER = 'outbound|443||cc-api-xxx-xxx.xxx.io';

/** Moves every timestamp of the incident's files by `ms` (both layouts: `2020-05-29 22:04:05.063`, ISO). */
function shifted(text: string, ms: number): string {
  return text.replace(/2020-05-29([ T])(\d\d:\d\d:\d\d\.\d{3})/g, (_, sep: string, time: string) => {
    const iso = new Date(Date.parse(`2020-05-29T${time}Z`) + ms).toISOString();
    return `${iso.slice(0, 10)}${sep}${iso.slice(11, 23)}`;
  });
}

/**
 * The incident happening `n` times, 10 s apart, as the stand-in's checkout pod shows it (about 60
 * in the annotator's first minutes): each copy its own connections, the same 1 s timeout.
 */
function incidentRepeated(n: number): { file: string; text: string }[] {
  const app: string[] = [];
  const envoy: string[] = [];
  for (let k = 0; k < n; k++) {
    app.push(shifted(readSharedFixture(...INCIDENT_APP), k * 10_000));
    envoy.push(shifted(readSharedFixture(...INCIDENT_ENVOY), k * 10_000).replace(/\[C33([12])\]/g, (_, d: string) => `[C${1000 + 2 * k + Number(d)}]`));
  }
  return [{ file: 'app-error.txt', text: app.join('\n') }, { file: 'envoy-debug.log', text: envoy.join('\n') }];
}

const reset = (over: Partial<GroupableReset>): GroupableReset => ({ kind: 'reset', time: '2026-01-01T00:00:00.000Z', cause: 'connect-timeout', cluster: 'outbound|443||idp', connectTimeoutSeconds: 1, ...over });

describe('grouping resets by cause and destination', () => {
  it('makes the 60 resets of the repeated incident one group, with one fix and its resets in time order', () => {
    const result = correlateText(incidentRepeated(60), { windowSeconds: 5, clockOffsetSeconds: INCIDENT_CLOCK_OFFSET_SECONDS });
    assert.equal(result.resets.length, 60);
    const groups = groupResets(result.resets);
    assert.equal(groups.length, 1);
    const [group] = groups;
    assert.equal(group!.cause, 'connect-timeout');
    assert.equal(group!.cluster, INCIDENT_CLUSTER);
    assert.equal(group!.connectTimeoutSeconds, 1);
    assert.equal(group!.members.length, 60);
    assert.equal(group!.resets, 60);
    assert.deepEqual(group!.fix, CAUSE_FIXES['connect-timeout']);
    const times = group!.members.map((i) => result.resets[i]!.time!);
    assert.deepEqual(times, [...times].sort());
    assert.equal(group!.first, '2020-05-29T22:04:06.067Z');
    assert.equal(group!.last, times[59]);
    assert.deepEqual(groupHeadline(group!), [
      { text: '60 resets → connect timeout 1 s to ', code: false },
      { text: INCIDENT_CLUSTER, code: true },
    ]);
  });

  it('separates causes, destinations and connect timeouts; largest first, unexplained last', () => {
    const resets = [
      reset({ cause: 'unexplained', cluster: null, connectTimeoutSeconds: null }),
      reset({ cluster: 'outbound|80||a' }),
      reset({ cluster: 'outbound|80||a', time: '2025-12-31T23:59:00.000Z' }),
      reset({ cluster: 'outbound|80||a', connectTimeoutSeconds: 2 }),
      reset({ cause: 'connection-refused', cluster: 'outbound|80||a', connectTimeoutSeconds: null }),
      reset({ cluster: 'outbound|80||b' }),
      reset({ cause: 'unexplained', cluster: null, connectTimeoutSeconds: null, time: null }),
    ];
    const groups = groupResets(resets);
    assert.deepEqual(groups.map((g) => g.members), [[2, 1], [3], [4], [5], [0, 6]]);
    assert.deepEqual(groups.map((g) => [g.cause, g.cluster, g.connectTimeoutSeconds]), [
      ['connect-timeout', 'outbound|80||a', 1],
      ['connect-timeout', 'outbound|80||a', 2],
      ['connection-refused', 'outbound|80||a', null],
      ['connect-timeout', 'outbound|80||b', 1],
      ['unexplained', null, null],
    ]);
    assert.equal(groups[4]!.fix, null);
    assert.equal(groups[4]!.first, groups[4]!.last, 'a reset without a time does not count for the time range');
    assert.deepEqual(groupHeadline(groups[4]!), [{ text: '2 resets → no Envoy event explains them', code: false }]);
    assert.deepEqual(groupHeadline(groups[2]!), [{ text: '1 reset → connection refused by ', code: false }, { text: 'outbound|80||a', code: true }]);
  });

  it('counts HTTP errors as such, and names a destination only when one is known', () => {
    const groups = groupResets([reset({ kind: 'http-error', cluster: null, connectTimeoutSeconds: null }), reset({ cluster: null, connectTimeoutSeconds: null }), reset({ kind: 'http-error', cause: 'no-healthy-upstream', cluster: 'outbound|80||c' })]);
    assert.deepEqual(groups.map((g) => groupHeadline(g).map((p) => p.text).join('')), [
      '1 reset and 1 HTTP error → connect timeout',
      '1 HTTP error → no healthy upstream in outbound|80||c',
    ]);
  });
});
