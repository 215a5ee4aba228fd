import * as assert from 'node:assert/strict';
import { unframeLine } from '../../../src/core/logs/framing';

describe('unframeLine (kubectl logs prefixes)', () => {
  it('leaves an unframed line alone', () => {
    assert.deepEqual(unframeLine('2024-01-01 12:00:00.123 INFO x'), { pod: null, container: null, streamTimeMs: null, body: '2024-01-01 12:00:00.123 INFO x' });
  });

  it('strips --timestamps (RFC3339Nano)', () => {
    const r = unframeLine('2025-01-30T12:10:13.682034460Z [2025-01-30T12:10:13.279Z] "GET / HTTP/1.1" 200');
    assert.equal(r.streamTimeMs, Date.parse('2025-01-30T12:10:13.682Z') + 0.03446);
    assert.equal(r.body, '[2025-01-30T12:10:13.279Z] "GET / HTTP/1.1" 200');
  });

  it('strips --prefix and reads pod and container', () => {
    const r = unframeLine('[pod/idp-client-7d9f-a1/istio-proxy] 2021-02-10T13:33:36.447Z\tdebug\tenvoy pool\t[C56] connecting');
    assert.equal(r.pod, 'idp-client-7d9f-a1');
    assert.equal(r.container, 'istio-proxy');
    assert.equal(r.body, '2021-02-10T13:33:36.447Z\tdebug\tenvoy pool\t[C56] connecting');
  });

  it('strips both, in either order', () => {
    for (const line of ['[pod/a/app] 2024-01-01T00:00:00.123456789Z \tat x.Y(Y.java:1)', '2024-01-01T00:00:00.123456789Z [pod/a/app] \tat x.Y(Y.java:1)']) {
      const r = unframeLine(line);
      assert.equal(r.pod, 'a');
      assert.equal(r.container, 'app');
      assert.ok(r.streamTimeMs !== null);
      assert.equal(r.body, '\tat x.Y(Y.java:1)');
    }
  });

  it("keeps an application's own ISO time (short fraction) unless the input is known to carry kubectl times", () => {
    const line = '2024-01-01T12:00:00.123Z ERROR 1 --- [main] c.e.X : failed';
    assert.equal(unframeLine(line).body, line);
    assert.equal(unframeLine(line, true).body, 'ERROR 1 --- [main] c.e.X : failed');
  });

  it('drops a trailing carriage return', () => {
    assert.equal(unframeLine('abc\r').body, 'abc');
  });
});
