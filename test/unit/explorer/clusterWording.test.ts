import * as assert from 'node:assert/strict';
import { DEFAULT_CONNECT_TIMEOUT_MINIMUM } from '../../../src/core/connectTimeoutMinimum';
import { buildClusterRows } from '../../../src/core/envoy/clusterRows';
import { markdownText } from '../../../src/core/text/markupEscape';
import { namespaceBadgeText, podBadgeText, raisedText } from '../../../src/explorer/badgeWording';
import { clusterLabel, clusterVerdict, connectTimeoutLine, counterLines, settingLines } from '../../../src/explorer/clusterWording';
import { readRealIstio } from '../core/envoy/fixtures';

const minimum = DEFAULT_CONNECT_TIMEOUT_MINIMUM;

describe('cluster row and tooltip wording', () => {
  const rows = buildClusterRows({ clusters: null, configDumps: [readRealIstio('istioctl-proxyconfig-config_dump.json')], stats: null });
  const vip = rows.find((r) => r.name === 'inbound-vip|8000|http|httpbin.default.svc.cluster.local')!;
  const productpage = buildClusterRows({ clusters: null, configDumps: [readRealIstio('istioctl-describe-http_config.json')], stats: null }).find((r) => r.name.startsWith('outbound|9080|v1|productpage'))!;

  it('labels Envoy\'s 5s default as such, and a cluster without traffic dimly (the real waypoint dump\'s inbound-vip)', () => {
    assert.equal(connectTimeoutLine(vip, minimum), 'Envoy default 5s, no DestinationRule or mesh value applies — below the minimum 10s: TLS handshakes slower than this are reset');
    const verdict = clusterVerdict(vip, null, minimum);
    assert.equal(verdict.severity, 'quiet', 'not the warning: nothing is known to use it');
    assert.equal(clusterLabel(vip, verdict), '5s default (low, traffic unknown) · inbound-vip|8000|http|httpbin.default.svc.cluster.local');
  });

  it('lists the settings behind the causes from a real sidecar cluster', () => {
    assert.deepEqual(settingLines(productpage, minimum), [
      'Connect timeout: 10s',
      'Idle timeout: not set (Envoy default 1h)',
      'Max connection duration: not set (no limit)',
      'Circuit breaker: max connections unlimited, pending unlimited, requests unlimited, retries unlimited',
      'Outlier detection: off',
      'TLS: Istio mutual TLS to sidecar endpoints (auto mTLS), plaintext to the others',
    ]);
  });

  it('lists every counter that proves a cause, unknown ones as n/a, with rates when known', () => {
    const row = { ...productpage, counters: { ...productpage.counters, connectTimeouts: 157, connectFailures: 160, pendingOverflows: 0 } };
    const lines = counterLines(row, { connectTimeouts: 12, connectFailures: 12, connections: null, remoteResets: null, pendingOverflows: 0, tlsErrors: null });
    assert.ok(lines.includes('upstream_cx_connect_timeout: 157 (+12/min)'));
    assert.ok(lines.includes('upstream_rq_pending_overflow: 0 (+0/min)'));
    for (const stat of ['upstream_cx_destroy_remote_with_active_rq: n/a', 'outlier_detection.ejections_active: n/a', 'membership_healthy: n/a', 'membership_total: n/a', 'ssl.connection_error: n/a']) assert.ok(lines.includes(stat), stat);
  });

  it('words badges and the time left of raised log levels', () => {
    assert.equal(namespaceBadgeText({ summary: { problems: 3, causes: ['connect-timeout'] }, scanned: 7, meshed: 7, unreachable: 0, scanning: false }), '⚠ 3 pods: connect-timeout');
    assert.equal(namespaceBadgeText({ summary: { problems: 1, causes: ['connect-timeout', 'tls-failure', 'no-route'] }, scanned: 3, meshed: 7, unreachable: 1, scanning: true }), '⚠ 1 pod: connect-timeout, tls-failure, … · scanning 3/7 · 1 unreachable');
    assert.equal(namespaceBadgeText({ summary: { problems: 0, causes: [] }, scanned: 2, meshed: 7, unreachable: 0, scanning: false }), null, 'paused: no "scanning"');
    assert.equal(podBadgeText({ summary: { problems: 2, causes: ['circuit-breaker'] }, atMs: 0, error: null }), '⚠ 2 clusters: circuit-breaker');
    assert.equal(podBadgeText({ summary: { problems: 0, causes: [] }, atMs: 0, error: 'forbidden' }), 'Envoy unreachable');
    assert.equal(raisedText(60_000 * 14.5, 0), 'debug logging 15m left');
    assert.equal(raisedText(null, 0), 'debug logging until restored');
  });

  it('escapes tooltip text without turning spaces into &nbsp;, so it wraps at word boundaries', () => {
    assert.equal(markdownText('a **b** [x](command:y) `c` <i> &amp; $(bug)'), 'a \\*\\*b\\*\\* \\[x\\]\\(command\\:y\\) \\`c\\` \\<i\\> \\&amp\\; \\$\\(bug\\)');
    assert.equal(markdownText('one\ntwo'), 'one two');
    assert.ok(!markdownText('many words in a row').includes('&nbsp;'));
  });
});
