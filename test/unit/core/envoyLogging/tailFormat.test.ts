import * as assert from 'node:assert/strict';
import { shortContainerName, shortPodName, tailPrefix } from '../../../../src/core/envoyLogging/tailFormat';
import { classifyLogFileText, classifyTailText } from '../../../../src/core/envoyLogging/tailHighlight';

describe('tail prefix', () => {
  it('shortens a Deployment pod to its workload start and the end that tells replicas apart, and the sidecar to proxy', () => {
    assert.equal(tailPrefix('checkout-7d9f8c6b5-x2k4q', 'istio-proxy'), 'checkout-7…2k4q/proxy │ ');
    assert.notEqual(shortPodName('checkout-7d9f8c6b5-x2k4q'), shortPodName('checkout-7d9f8c6b5-m8r2z'));
    assert.equal(tailPrefix('postgres-0', 'postgres'), 'postgres-0/postgres │ ');
    assert.equal(shortContainerName('payment-service-worker'), 'payment-ser…');
    assert.equal(shortPodName('a'.repeat(16)), 'a'.repeat(16));
  });

  it('leaves the incident line\'s `connect timeout` within 40 columns, where the old 40-character prefix pushed it', () => {
    const line = '[C332] connect timeout';
    const pod = 'checkout-7d9f8c6b5-x2k4q';
    const old = `[${pod}/istio-proxy] `;
    assert.ok(old.length >= 38, 'the prefix the issue measured');
    const prefix = tailPrefix(pod, 'istio-proxy');
    assert.ok(prefix.length <= 24, `the prefix is ${prefix.length} characters`);
    const at = (prefix + line).indexOf('connect timeout');
    assert.ok(at < 40, `connect timeout starts at column ${at}`);
  });

  it('marks in a log file both what Envoy and what the application logged', () => {
    const envoy = '[2020-05-29T22:04:05.066Z] "- - " 0 UF,URX "" "" 0 0 1000 - "" "" "" "-" "52.xx.xx.xx:443" outbound|443||cc-api-xxx-xxx.xxx.io -';
    assert.deepEqual(classifyLogFileText(envoy), classifyTailText(envoy, true));
    const both = '[C332] connect timeout after Caused by: java.net.SocketException: Connection reset';
    assert.deepEqual(classifyLogFileText(both).map((h) => [h.kind, both.slice(h.start, h.end)]), [
      ['connectTimeout', 'connect timeout'],
      ['connectionReset', 'Connection reset'],
    ]);
  });
});
