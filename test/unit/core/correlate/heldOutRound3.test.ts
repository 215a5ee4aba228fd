import * as assert from 'node:assert/strict';
import { parseJsonAppRecord } from '../../../../src/core/appTrace/record';
import { symptomOf } from '../../../../src/core/appTrace/symptom';
import { appEnvoyVerdicts } from './fixtures';

/**
 * Real-format lines from the third held-out round (test/fixtures/realistic/logs, cases cr-08 …
 * ps-09): each was wrong before, and each source thread is named here and in the corpus manifest.
 */


describe('held-out real formats, third round', () => {
  it("takes undici's `SocketError: other side closed` (UND_ERR_SOCKET) for a reset, explained by the sidecar's idle timeout (nodejs/undici#583)", () => {
    const app =
      '{"level":50,"time":1716286202517,"pid":1,"hostname":"bff-7b9c6d5f4-k2m8n","err":{"type":"SocketError","message":"other side closed","stack":"SocketError: other side closed\\n    at Socket.onSocketEnd (/app/node_modules/undici/lib/client.js:1050:22)","code":"UND_ERR_SOCKET"},"msg":"catalog request failed"}';
    const envoy = [
      '2024-05-21T10:10:02.514230Z\tdebug\tenvoy http external/envoy/source/common/http/conn_manager_impl.cc:1416\t[C4817] idle timeout\tthread=21',
      '2024-05-21T10:10:02.514260Z\tdebug\tenvoy connection external/envoy/source/common/network/connection_impl.cc:146\t[C4817] closing data_to_write=0 type=1\tthread=21',
    ].join('\n');
    assert.deepEqual(appEnvoyVerdicts(app, envoy), [{ line: 1, kind: 'reset', cause: 'idle-timeout' }]);
    assert.equal(symptomOf('UND_ERR_SOCKET')?.kind, 'reset');
  });

  it("takes .NET's `The HTTP/2 server reset the stream` for a reset, explained by `200 UR ...{remote_reset}` (istio/istio#40639)", () => {
    const app = [
      '2022-08-30T07:14:09.331204117Z stdout F fail: Checkout.PricingClient[0]',
      '2022-08-30T07:14:09.331204117Z stdout F       quote stream for cart 88213 failed',
      "2022-08-30T07:14:09.331204117Z stdout F       Grpc.Core.RpcException: Status(StatusCode=\"Internal\", Detail=\"Error reading next message. IOException: The request was aborted. Http2StreamException: The HTTP/2 server reset the stream. HTTP/2 error code 'INTERNAL_ERROR' (0x2).\")",
    ].join('\n');
    const envoy =
      '[2022-08-30T07:13:52.004Z] "POST /pricing.v1.Pricing/StreamQuotes HTTP/2" 200 UR upstream_reset_after_response_started{remote_reset} - "-" 128 20480 17326 3 "-" "grpc-dotnet/2.47.0" "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e" "pricing.shop.svc.cluster.local:5001" "10.9.4.18:5001" outbound|5001||pricing.shop.svc.cluster.local 10.9.2.7:48812 10.104.3.9:5001 10.9.2.7:45502 - default';
    assert.deepEqual(appEnvoyVerdicts(app, envoy), [{ line: 1, kind: 'reset', cause: 'upstream-reset' }]);
  });

  it('knows the closed-connection words of httpx, .NET 8, hyper, grpc-go and Go http2 (encode/httpx#96, dotnet/runtime#122583)', () => {
    for (const line of [
      'httpx.RemoteProtocolError: Server disconnected without sending a response.',
      '       ---> System.Net.Http.HttpIOException: The response ended prematurely. (ResponseEnded)',
      ' ---> System.Net.Sockets.SocketException (10054): An existing connection was forcibly closed by the remote host.',
      '2024-02-14T10:57:03.301822Z ERROR sync: request failed: hyper::Error(IncompleteMessage): connection closed before message completed',
      'rpc error: code = Unavailable desc = transport is closing',
      '2024/03/01 09:12:44 fetch quotes: Get "http://quotes:8080/v1": http2: client connection lost',
    ]) {
      assert.equal(symptomOf(line)?.kind, 'reset', line);
      assert.equal(symptomOf(line)?.hint, null, line);
    }
    assert.equal(symptomOf('INFO:     127.0.0.6:51544 - "POST /v1/models/iris:predict HTTP/1.1" 200 OK'), null);
  });

  it("explains a server's `write: broken pipe` by its inbound sidecar's `DC` on the listener address it served (istio/istio#49484)", () => {
    const app = '2024/02/22 10:15:42 report: write response: write tcp 10.20.3.14:8080->127.0.0.6:43917: write: broken pipe';
    const inbound = (downstreamLocal: string): string =>
      `[2024-02-22T10:15:12.117Z] "GET /api/v1/report?month=2024-01 HTTP/1.1" 0 DC downstream_remote_disconnect - "-" 0 0 30001 - "203.0.113.41,10.0.4.7" "Mozilla/5.0" "4f5e6d7c-8b9a-4c0d-9e1f-2a3b4c5d6e7f" "reports.example.com" "10.20.3.14:8080" inbound|8080|| 127.0.0.6:43917 ${downstreamLocal} 10.0.4.7:0 outbound_.8080_._.reports.analytics.svc.cluster.local default`;
    assert.deepEqual(appEnvoyVerdicts(app, inbound('10.20.3.14:8080')), [{ line: 1, kind: 'reset', cause: 'downstream-closed' }]);
    // Another pod's listener is no evidence for this server's connection.
    assert.deepEqual(appEnvoyVerdicts(app, inbound('10.20.9.9:8080')), [{ line: 1, kind: 'reset', cause: 'unexplained' }]);
  });

  it("reads Monolog JsonFormatter's `datetime` and explains its Guzzle 503 `no healthy upstream` (istio/istio#29254)", () => {
    const app =
      '{"message":"admin console check failed","context":{"exception":{"class":"GuzzleHttp\\\\Exception\\\\ServerException","message":"Server error: `GET http://basic-domain-admin-server.basic-domain-namespace:7001/console` resulted in a `503 Service Unavailable` response:\\nno healthy upstream\\n","code":503}},"level":400,"level_name":"ERROR","channel":"production","datetime":"2020-11-30T14:22:07.418731+00:00","extra":{}}';
    const record = parseJsonAppRecord(app);
    assert.equal(record?.timeMs, Date.parse('2020-11-30T14:22:07.418Z') + 0.731);
    assert.ok(record?.lines.includes('no healthy upstream'));
    const envoy =
      '[2020-11-30T14:22:07.416Z] "GET /console HTTP/1.1" 503 UH "-" "-" 0 19 0 - "-" "GuzzleHttp/7" "5d6e7f8a-9b0c-4d1e-8f2a-3b4c5d6e7f8a" "basic-domain-admin-server.basic-domain-namespace:7001" "-" - - 10.96.112.40:7001 10.244.0.201:46210 - default';
    assert.deepEqual(appEnvoyVerdicts(app, envoy), [{ line: 1, kind: 'http-error', cause: 'no-healthy-upstream' }]);
    // An earlier key still wins: `datetime` is only the record's time when nothing else names one.
    assert.equal(parseJsonAppRecord('{"time":"2020-11-30T14:00:00Z","datetime":"2020-11-30T15:00:00Z","message":"x"}')?.timeMs, Date.parse('2020-11-30T14:00:00Z'));
  });
  it('takes the words of a connection closed before any response for resets, found by the scan too (the helper-suggested texts of Apache HttpClient, the JDK client, Ruby, curl, OkHttp and grpc-go)', () => {
    // Texts as each client writes them: HttpClient 4.5 NoHttpResponseException, java.net.http's
    // Http1Response, Ruby's Net::HTTP EOFError, curl exit 52, OkHttp's Http1ExchangeCodec, grpc-go's http2 client.
    const texts = [
      'org.apache.http.NoHttpResponseException: orders.shop.svc.cluster.local:8080 failed to respond',
      'java.io.IOException: HTTP/1.1 header parser received no bytes',
      'EOFError: end of file reached',
      'curl: (52) Empty reply from server',
      'java.io.IOException: unexpected end of stream on http://orders.shop.svc.cluster.local:8080/...',
      'rpc error: code = Internal desc = stream error: stream ID 3; INTERNAL_ERROR; received from peer',
    ];
    for (const text of texts) {
      assert.equal(symptomOf(text)?.kind, 'reset', text);
      const app = `2024-05-21T10:10:02.520Z ERROR 1 --- [main] c.e.Client : call failed: ${text}`;
      const envoy = '2024-05-21T10:10:02.514230Z\tdebug\tenvoy http external/envoy/source/common/http/conn_manager_impl.cc:1416\t[C4817] idle timeout\tthread=21';
      assert.deepEqual(appEnvoyVerdicts(app, envoy), [{ line: 1, kind: 'reset', cause: 'idle-timeout' }], text);
    }
    assert.equal(symptomOf('stream ID 3 received from peer'), null);
  });
});
