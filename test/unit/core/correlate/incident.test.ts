import * as assert from 'node:assert/strict';
import { correlateText } from '../../../../src/core/correlate/index';
import { INCIDENT_APP, INCIDENT_CLOCK_OFFSET_SECONDS, INCIDENT_ENVOY, readSharedFixture } from './fixtures';

/**
 * The motivating incident must always be explained as a connect timeout. Its two files were
 * captured on different reproductions (19:05 and 22:04), so the test passes the clock offset
 * between them (or a window wide enough to span it), as the README tells users to.
 */
describe('the real incident (fixtures/incident)', () => {
  const inputs = [
    { file: 'app-error.txt', text: readSharedFixture(...INCIDENT_APP) },
    { file: 'envoy-debug.log', text: readSharedFixture(...INCIDENT_ENVOY) },
  ];

  it('explains the Connection reset with the 1 s connect timeout when given the clock offset', () => {
    const result = correlateText(inputs, { windowSeconds: 5, clockOffsetSeconds: INCIDENT_CLOCK_OFFSET_SECONDS });
    assert.equal(result.resets.length, 1);
    const [reset] = result.resets;
    assert.equal(reset!.file, 'app-error.txt');
    assert.equal(reset!.line, 1, 'the record starts at its @timestamp line');
    assert.equal(reset!.time, '2020-05-29T22:04:06.067Z');
    assert.equal(reset!.cause, 'connect-timeout');
    assert.equal(reset!.cluster, 'outbound|443||cc-api-xxx-xxx.xxx.io');
    assert.equal(reset!.connectTimeoutSeconds, 1);
    assert.equal(reset!.exception.resetCause, 'java.net.SocketException: Connection reset');
    assert.ok(reset!.confidence >= 0.85, `confidence ${reset!.confidence}`);
    assert.match(reset!.explanation, /^Envoy's connect timeout \(1 s\) to `outbound\|443\|\|cc-api-xxx-xxx\.xxx\.io`/);
    assert.match(reset!.explanation, /Raise it \(DestinationRule or meshConfig\)\.$/);
    const byLine = new Map(reset!.matches.map((m) => [m.line, m]));
    assert.equal(byLine.get(5)?.kind, 'creating-connection', '[C331] Creating connection to cluster');
    assert.equal(byLine.get(7)?.connectionId, '332', '[C332] connecting');
    assert.equal(byLine.get(12)?.kind, 'connect-timeout', '[C332] connect timeout');
    assert.equal(byLine.get(16)?.kind, 'connect-timeout', '[C331] connect timeout');
    assert.equal(byLine.get(18)?.kind, 'downstream-closed', 'Envoy closes the application connection C331');
    assert.equal(byLine.get(22)?.kind, 'access-log', 'the UF,URX access-log line');
    assert.ok(!byLine.has(6) && !byLine.has(10), 'lines that record nothing are not matches');
    assert.ok(reset!.matches.every((m) => m.file === 'envoy-debug.log' && m.cluster === 'outbound|443||cc-api-xxx-xxx.xxx.io'));
  });

  it('explains it the same way with a window wide enough to span the two reproductions', () => {
    const result = correlateText(inputs, { windowSeconds: 11_000 });
    assert.equal(result.resets[0]!.cause, 'connect-timeout');
    // Without the offset the Envoy event is logged about 2 h 58 min after the application's record.
    assert.match(result.resets[0]!.explanation, /fired 10701\.45\d* s after this reset/);
  });

  it('leaves it unexplained, and says why, without the offset', () => {
    const result = correlateText(inputs, { windowSeconds: 5 });
    assert.equal(result.resets[0]!.cause, 'unexplained');
    assert.equal(result.resets[0]!.explanation, 'unexplained: no Envoy event for this reset within ±5 s');
    assert.deepEqual(result.resets[0]!.matches, []);
  });
});
