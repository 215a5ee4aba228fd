import * as assert from 'node:assert/strict';
import { correlateText } from '../../../../src/core/correlate/index';

/**
 * Hostile volume: thousands of resets and failing requests within three seconds, each request on
 * a client port of its own, and more client addresses than the correlator remembers. The run must
 * stay linear (the window is searched, not walked, and a reset weighs a bounded number of events)
 * and say what it bounded. Lines are Istio's default access-log format and Spring Boot 3's layout.
 */
function flood(count: number): { app: string; envoy: string } {
  const app: string[] = [];
  const envoy: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = `22:00:0${Math.floor(i / 1000) % 3}.${String(i % 1000).padStart(3, '0')}`;
    app.push(`2020-05-29 ${at}  WARN 1 --- [nio-8080-exec-1] c.e.Api : call failed: java.net.SocketException: Connection reset`);
    envoy.push(`[2020-05-29T${at}Z] "GET /x HTTP/1.1" 503 UC upstream_reset_before_response_started{connection_termination} - "-" 0 95 2 - "-" "Java" "id" "orders:8080" "10.44.3.9:8080" outbound|8080||orders.shop.svc.cluster.local 10.44.0.13:39514 10.96.12.7:8080 10.44.0.13:${10000 + (i % 50000)} - default`);
  }
  return { app: app.join('\n'), envoy: envoy.join('\n') };
}

describe('correlate under a flood', () => {
  it('explains every reset of a flood, weighing the nearest events, and says it did', () => {
    const { app, envoy } = flood(6000);
    const result = correlateText([{ file: 'app.log', text: app }, { file: 'istio-proxy.log', text: envoy }], { windowSeconds: 5 });
    assert.equal(result.resets.length, 6000);
    assert.equal(result.accessLogLines, 6000);
    assert.ok(result.resets.every((r) => r.cause === 'idle-timeout'), 'each 503 UC {connection_termination} within 2 ms is the keep-alive race');
    assert.ok(result.warnings.some((w) => /6000 resets had more than 1024 Envoy events within their window and were weighed against the 1024 nearest/.test(w)), result.warnings.join('\n'));
  });

  it('weighs every event of a window that is not a flood, and warns of nothing', () => {
    const { app, envoy } = flood(500);
    const result = correlateText([{ file: 'app.log', text: app }, { file: 'istio-proxy.log', text: envoy }], { windowSeconds: 5 });
    assert.equal(result.resets.length, 500);
    assert.ok(!result.warnings.some((w) => /weighed against/.test(w)));
  });
});
