import * as assert from 'node:assert/strict';
import { unframeLine } from '../../../../src/core/logs/framing';

describe('unframeLine (kubectl logs prefixes)', () => {
  it('leaves an unframed line alone', () => {
    assert.deepEqual(unframeLine('2024-01-01 12:00:00.123 INFO x'), { pod: null, container: null, streamTimeMs: null, body: '2024-01-01 12:00:00.123 INFO x', partial: false });
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

describe('unframeLine (collectors other than kubectl)', () => {
  it("reads container-runtime (CRI) log lines and marks partial ones", () => {
    const full = unframeLine('2024-11-19T21:07:02.003200400Z stdout F 2024-11-19 21:07:02,003 - geoclient - INFO - GET /x');
    assert.equal(full.body, '2024-11-19 21:07:02,003 - geoclient - INFO - GET /x');
    assert.equal(full.streamTimeMs, Date.parse('2024-11-19T21:07:02.003Z') + 0.2004);
    assert.equal(full.partial, false);
    const partial = unframeLine('2024-11-19T21:07:12.008300100Z stderr P {"authority":"geo');
    assert.equal(partial.body, '{"authority":"geo');
    assert.equal(partial.partial, true);
  });

  it("reads Docker json-file lines: the log text without its newline, and Docker's time", () => {
    const r = unframeLine('{"log":"java.net.SocketException: Connection reset\\n","stream":"stdout","time":"2021-06-04T14:35:50.471500500Z"}');
    assert.equal(r.body, 'java.net.SocketException: Connection reset');
    assert.equal(Math.floor(r.streamTimeMs!), Date.parse('2021-06-04T14:35:50.471Z'));
  });

  it("reads stern's `pod container` prefix, with or without its timestamp", () => {
    const plain = unframeLine('reserver-5f6d7c8b9-kk2lm app {"level":"error","msg":"x"}');
    assert.deepEqual([plain.pod, plain.container, plain.body], ['reserver-5f6d7c8b9-kk2lm', 'app', '{"level":"error","msg":"x"}']);
    const timed = unframeLine('shipping-worker-7b6c5d4-n2m1 istio-proxy 2025-01-20T07:55:41.010000000Z 2025-01-20T07:55:41.010000Z     info    Agent draining Proxy for termination');
    assert.deepEqual([timed.pod, timed.container], ['shipping-worker-7b6c5d4-n2m1', 'istio-proxy']);
    assert.equal(timed.body, '2025-01-20T07:55:41.010000Z     info    Agent draining Proxy for termination');
    // Not a pod name: a date, or a word without a dash and a digit.
    for (const line of ['2024-03-05 10:15:10.412  INFO 1 --- [main] x', 'posting batch 8812 (14 entries)']) assert.equal(unframeLine(line).pod, null, line);
  });

  it("never takes Spring Boot 3's or Istio's own time (a level after padding) for kubectl's, even once kubectl times were seen", () => {
    for (const line of ['2024-04-22T16:30:11.842Z  WARN 1 --- [storefront] [ctor-http-nio-3] c.e.S : failed', '2023-10-12T08:08:14.870118Z     debug   envoy pool x.cc:291 [C9001] connect timeout thread=25']) {
      assert.equal(unframeLine(line).body, line);
      assert.equal(unframeLine(line, true).body, line);
    }
  });
});

describe('unframeLine (other collectors)', () => {
  it("strips kail's `NAMESPACE/POD[CONTAINER]: ` prefix (istio/istio#25575)", () => {
    const r = unframeLine('istio-system/istio-ingressgateway-785f4c8f5d-xnrnn[istio-proxy]: 2020-07-15T21:11:44.605749Z\twarning\tenvoy main\t[external/envoy/source/server/server.cc:527] caught SIGTERM');
    assert.equal(r.pod, 'istio-ingressgateway-785f4c8f5d-xnrnn');
    assert.equal(r.container, 'istio-proxy');
    assert.equal(r.body, '2020-07-15T21:11:44.605749Z\twarning\tenvoy main\t[external/envoy/source/server/server.cc:527] caught SIGTERM');
  });

  it('strips the box k9s draws around a copied log line (istio/istio#51982)', () => {
    const r = unframeLine('\u2502 [2024-07-10T08:45:32.045Z] "- - -" 0 NR filter_chain_not_found - "-" 0 0 2 - "-" "-" "-" "-" "-" - - 10.10.123.120:27017 10.12.129.6:51244 - -          \u2502                     \u2502');
    assert.equal(r.body, '[2024-07-10T08:45:32.045Z] "- - -" 0 NR filter_chain_not_found - "-" 0 0 2 - "-" "-" "-" "-" "-" - - 10.10.123.120:27017 10.12.129.6:51244 - -');
  });

  it("removes terminal colours (stern's coloured prefix, a console logger's coloured level) before reading the frame, and keeps other control sequences to be shown escaped", () => {
    const r = unframeLine('\u001b[32minventory-5c6d7-abcde\u001b[0m \u001b[34mapp\u001b[0m \u001b[31m2022-02-08 11:59:00.120 ERROR\u001b[0m \u001b]0;title\u0007java.net.SocketException: Connection reset');
    assert.equal(r.pod, 'inventory-5c6d7-abcde');
    assert.equal(r.container, 'app');
    assert.equal(r.body, '2022-02-08 11:59:00.120 ERROR \u001b]0;title\u0007java.net.SocketException: Connection reset');
  });
});
