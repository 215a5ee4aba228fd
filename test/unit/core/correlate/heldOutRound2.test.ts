import * as assert from 'node:assert/strict';
import { parseJsonAppRecord, recordTimeOfLine } from '../../../../src/core/appTrace/record';
import { correlateText } from '../../../../src/core/correlate/index';
import { appEnvoyVerdicts } from './fixtures';

/**
 * Real-format lines from the second held-out round (test/fixtures/realistic/logs, cases tls-06 …
 * un-07): each was wrong before, and each source thread is named in the corpus manifest.
 */


describe('held-out real formats, second round', () => {
  it("reads the time of Ruby's Logger / Rails records (`E, [time #pid] ERROR -- :`)", () => {
    const t = recordTimeOfLine('E, [2020-08-11T04:09:52.230418 #7] ERROR -- : [3f1c9a7e] Faraday::ServerError: the server responded with status 503');
    assert.equal(Math.floor(t.timeMs!), Date.parse('2020-08-11T04:09:52.230Z'));
    assert.equal(t.precisionMs, 1);
    assert.equal(Math.floor(recordTimeOfLine('I, [2024-09-12T16:05:30.001230 #1]  INFO -- : started').timeMs!), Date.parse('2024-09-12T16:05:30.001Z'));
    assert.equal(recordTimeOfLine('E, something else').timeMs, null);
  });

  it("reads log4j2 JsonLayout's `instant` and `timeMillis`, and OpenTelemetry's `timeUnixNano`", () => {
    const log4j2 = '{"instant":{"epochSecond":1704962281,"nanoOfSecond":471904000},"thread":"main","level":"ERROR","loggerName":"com.example.Startup","message":"partner catalogue fetch failed","thrown":{"message":"503 Service Unavailable: \\"no healthy upstream\\""}}';
    const r = parseJsonAppRecord(log4j2);
    assert.equal(r?.timeMs, 1704962281471);
    assert.equal(r?.precisionMs, 1);
    assert.ok(r?.lines.includes('503 Service Unavailable: "no healthy upstream"'));
    assert.equal(parseJsonAppRecord('{"timeMillis":1704962281471,"message":"x"}')?.timeMs, 1704962281471);
    assert.equal(parseJsonAppRecord('{"timeUnixNano":"1712667731230771000","severityText":"ERROR","body":"x"}')?.timeMs, 1712667731230);
    assert.equal(parseJsonAppRecord('{"instant":{"epochSecond":"soon"},"message":"x"}')?.timeMs, null);
    assert.equal(parseJsonAppRecord('{"timeUnixNano":"12","body":"x"}')?.timeMs, null);
  });

  it('takes a refused connect the application logs for a finding: behind a sidecar only a missing Envoy refuses (istio/istio#16067)', () => {
    const app = '{"timestamp":"2024-04-09T13:02:11.230771Z","severity_text":"ERROR","body":"load config: Get \\"http://config-server.platform.svc.cluster.local:8888/orders/default\\": dial tcp 10.96.41.10:8888: connect: connection refused"}';
    const agent = '2024-04-09T13:02:12.403118Z\twarn\tEnvoy proxy is NOT ready: config not received from XDS server (is Istiod running?): cds updates: 0 successful, 0 rejected; lds updates: 0 successful, 0 rejected';
    assert.deepEqual(appEnvoyVerdicts(app, agent), [{ line: 1, kind: 'reset', cause: 'connection-refused' }]);
    const [report] = correlateText([{ file: 'app.log', text: app }], { windowSeconds: 5 }).resets;
    assert.match(report!.explanation, /holdApplicationUntilProxyStarts/);
    assert.doesNotMatch(report!.explanation, /Envoy's reset reason/);
  });

  it('explains a Rails ECONNREFUSED right after pilot-agent aborted Envoy as proxy-shutdown', () => {
    const app = 'E, [2024-09-12T16:05:31.884512 #1] ERROR -- : [9c0d] Errno::ECONNREFUSED (Failed to open TCP connection to ledger.finance.svc.cluster.local:8080 (Connection refused - connect(2) for "ledger.finance.svc.cluster.local" port 8080)):';
    const agent = ['2024-09-12T16:05:26.410300Z\tinfo\tAgent draining Proxy for termination', '2024-09-12T16:05:31.412600Z\twarn\tAborting proxy', '2024-09-12T16:05:31.413000Z\tinfo\tEnvoy aborted normally'].join('\n');
    assert.deepEqual(appEnvoyVerdicts(app, agent), [{ line: 1, kind: 'reset', cause: 'proxy-shutdown' }]);
  });

  it("keeps the TLS evidence of an Istio 1.6 debug chain when the body only says `reset reason: connection failure` (istio/istio#26349)", () => {
    const app = 'E, [2020-08-11T04:09:52.230418 #7] ERROR -- : [3f1c9a7e] Faraday::ServerError: the server responded with status 503 (upstream connect error or disconnect/reset before headers. reset reason: connection failure)';
    const envoy = [
      "2020-08-11T04:09:52.228101Z\tdebug\tenvoy router\t[external/envoy/source/common/router/router.cc:426] [C320][S14338943080449337677] cluster 'outbound|8080||payments.shop.svc.cluster.local' match for URL '/v1/charges'",
      '2020-08-11T04:09:52.228430Z\tdebug\tenvoy connection\t[external/envoy/source/common/network/connection_impl.cc:718] [C321] connecting to 10.12.3.41:8080',
      '2020-08-11T04:09:52.229257Z\tdebug\tenvoy connection\t[external/envoy/source/extensions/transport_sockets/tls/ssl_socket.cc:226] [C321] TLS error: 268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED',
      '2020-08-11T04:09:52.229336Z\tdebug\tenvoy router\t[external/envoy/source/common/router/router.cc:1018] [C320][S14338943080449337677] upstream reset: reset reason connection failure',
    ].join('\n');
    assert.deepEqual(appEnvoyVerdicts(app, envoy), [{ line: 1, kind: 'http-error', cause: 'tls-failure' }]);
  });

  it("takes the application's own TLS handshake failure for a finding, explained as such when no Envoy line records it (istio/istio#9844)", () => {
    const app = [
      '2018-11-09 08:41:17,233 - token_client - ERROR - token request failed',
      'Traceback (most recent call last):',
      '  File "/app/token_client.py", line 31, in fetch',
      "requests.exceptions.SSLError: HTTPSConnectionPool(host='uaa.auth.example.net', port=443): Max retries exceeded with url: /oauth/token (Caused by SSLError(SSLError(1, '[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:833)'),))",
    ].join('\n');
    const [report, ...rest] = correlateText([{ file: 'app.log', text: app }], { windowSeconds: 5 }).resets;
    assert.deepEqual(rest, []);
    assert.equal(report!.cause, 'tls-failure');
    assert.match(report!.explanation, /own TLS handshake failed/);
    assert.equal(appEnvoyVerdicts('2024-01-01 10:00:00,000 - x - ERROR - javax.net.ssl.SSLHandshakeException: PKIX path building failed', '')[0]?.cause, 'tls-failure');
  });

  it("calls a single TCP UF that lasted Istio's default 10 s connect timeout a connect timeout (istio/istio#17139), and a short one not", () => {
    const app = '{"instant":{"epochSecond":1568712112,"nanoOfSecond":874000000},"level":"WARN","loggerName":"org.jgroups.protocols.TCP","message":"failure sending message to keycloak-1: java.net.SocketException: Connection reset"}';
    const access = (duration: string): string =>
      `{"upstream_cluster":"outbound|7600||keycloak-headless.auth.svc.cluster.local","downstream_remote_address":"10.150.17.130:45621","duration":"${duration}","downstream_local_address":"10.150.17.131:7600","response_code":"0","response_flags":"UF,URX","start_time":"2019-09-17T09:21:${duration === '10002' ? '42.869' : '52.860'}Z","upstream_host":"10.150.17.131:7600"}`;
    assert.deepEqual(appEnvoyVerdicts(app, access('10002')), [{ line: 1, kind: 'reset', cause: 'connect-timeout' }]);
    assert.deepEqual(appEnvoyVerdicts(app, access('11')), [{ line: 1, kind: 'reset', cause: 'upstream-connect-failure' }]);
  });

  it("explains a client's fast `503 UC` by the server sidecar's `NR filter_chain_not_found` on the endpoint it called, not as the keep-alive race (istio/istio#36963)", () => {
    const app = '2022-01-25 08:18:00,412 - productpage - ERROR - details call failed: 503 Server Error: Service Unavailable for url: http://details:9080/details/0 - upstream connect error or disconnect/reset before headers. reset reason: connection termination';
    const client =
      '[2022-01-25T08:18:00.409Z] "GET /details/0 HTTP/1.1" 503 UC upstream_reset_before_response_started{connection_termination} - "-" 0 95 2 - "-" "python-requests/2.26.0" "b5b1f0e2-77c4-4d0c-9a61-2e8d7c5f3a10" "details:9080" "172.20.3.57:9080" outbound|9080||details.default.svc.cluster.local 172.20.1.23:51544 172.20.124.225:9080 172.20.1.23:40212 - default';
    const server = (endpoint: string): string => `[2022-01-25T08:18:00.410Z] "- - -" 0 NR filter_chain_not_found - "-" 0 0 0 - "-" "-" "-" "-" "-" - - ${endpoint} 172.20.1.23:51544 - -`;
    assert.deepEqual(appEnvoyVerdicts(app, [client, server('172.20.3.57:9080')].join('\n')), [{ line: 1, kind: 'http-error', cause: 'tls-failure' }]);
    // The rejection of another endpoint is no evidence for this call.
    assert.deepEqual(appEnvoyVerdicts(app, [client, server('172.20.9.9:9080')].join('\n')), [{ line: 1, kind: 'http-error', cause: 'idle-timeout' }]);
  });

  it("does not take pilot-agent's or Envoy's own xDS lines quoting `connection refused` or an x509 error for application findings", () => {
    const proxy = [
      '2024-04-09T13:02:12.403118Z\twarn\txdsproxy\tfailed to create upstream grpc client: rpc error: code = Unavailable desc = connection error: desc = "transport: authentication handshake failed: x509: certificate signed by unknown authority"',
      '2024-04-09T13:02:12.503118Z\twarn\tca\tca request failed, starting attempt 1 in 91ms: dial tcp 10.96.0.15:15012: connect: connection refused',
      '2024-04-09T13:02:12.603118Z\twarning\tenvoy config external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:152\tStreamAggregatedResources gRPC config stream to xds-grpc closed: 14, connection error: desc = "transport: Error while dialing: dial tcp 127.0.0.1:15012: connect: connection refused"\tthread=15',
    ].join('\n');
    assert.deepEqual(appEnvoyVerdicts('', proxy), []);
  });
});
