import * as assert from 'node:assert/strict';
import { correlateText } from '../../../../src/core/correlate/index';
import { appEnvoyVerdicts } from './fixtures';

/**
 * Real-format lines from the held-out check (test/fixtures/realistic/logs, cases it-05 … un-06): each
 * was wrong before, and each source thread is named in the corpus manifest.
 */

const OPTIONS = { windowSeconds: 5 };


const UC_ZERO_MS =
  '[2023-07-05T09:31:47.550Z] "GET /v1/status HTTP/1.1" 503 UC upstream_reset_before_response_started{connection_termination} - "-" 0 95 0 - "-" "Apache-HttpClient/5.2.1 (Java/17.0.7)" "3a7cbcc1-af72-47fb-bbac-a7672951f511" "health-api.production:80" "10.80.47.192:8181" outbound|80||health-api.production.svc.cluster.local 10.80.45.233:37132 10.96.14.20:80 10.80.45.233:59375 - default';
const SPRING3_503 = '2023-07-05T09:31:47.552Z ERROR 1 --- [nio-8080-exec-4] c.e.status.HealthPoller                  : health check failed: 503 Service Unavailable: "upstream connect error or disconnect/reset before headers. reset reason: connection termination"';

describe('held-out real formats', () => {
  it('reads a 503 UC connection_termination within 5 ms, with no debug lines, as the keep-alive race (istio/istio#45802)', () => {
    assert.deepEqual(appEnvoyVerdicts(SPRING3_503, UC_ZERO_MS), [{ line: 1, kind: 'http-error', cause: 'idle-timeout' }]);
  });

  it('keeps a UC that took 800 ms (the upstream closed mid-request) an upstream reset', () => {
    const slow = UC_ZERO_MS.replace('0 95 0 -', '0 95 800 -').replace('09:31:47.550Z', '09:31:46.750Z');
    assert.deepEqual(appEnvoyVerdicts(SPRING3_503, slow), [{ line: 1, kind: 'http-error', cause: 'upstream-reset' }]);
  });

  it("lets the body's TLS reason narrow a bare UF {connection_failure}, though the reason quotes `Connection reset by peer` (istio/istio#39940)", () => {
    const app =
      '2022-07-13 14:02:51.331 ERROR 7 --- [nio-8080-exec-2] c.e.rates.RatesClient                    : 503 Service Unavailable: [upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: TLS error: 33554536:system library:OPENSSL_internal:Connection reset by peer]';
    const envoy =
      '[2022-07-13T14:02:51.322Z] "GET /api/v1/rates HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_failure} - "-" 0 190 8 - "-" "Java/11.0.15" "c0a8e2d4-1111-4a4a-9b9b-0a1b2c3d4e5f" "rates.partner.example.com" "203.0.113.10:443" outbound|443||rates.partner.example.com 10.8.2.14:44810 203.0.113.10:443 10.8.2.14:38100 rates.partner.example.com -';
    assert.deepEqual(appEnvoyVerdicts(app, envoy), [{ line: 1, kind: 'http-error', cause: 'tls-failure' }]);
  });

  it("takes grpc-go's `received prior goaway` for a reset and explains it by Envoy's `sent goaway` (max-duration)", () => {
    const app =
      '{"level":"error","ts":1716543662.418,"caller":"client/orders.go:77","msg":"ListOrders failed","error":"rpc error: code = Unavailable desc = closing transport due to: connection error: desc = \\"error reading from server: EOF\\", received prior goaway: code: NO_ERROR, debug data: \\"max_age\\""}';
    const envoy = '2024-05-24T09:41:02.401301Z\tdebug\tenvoy http2 external/envoy/source/common/http/http2/codec_impl.cc:1901\t[Tags: "ConnectionId":"2211"] sent goaway code=0\tthread=22';
    assert.deepEqual(appEnvoyVerdicts(app, envoy), [{ line: 1, kind: 'reset', cause: 'max-duration' }]);
  });

  it("takes the Mongo driver's `Prematurely reached end of stream` and Go's bare `: EOF` for resets", () => {
    const mongo = ['2024-07-10 08:45:32.046  INFO 1 --- [.local:27017] org.mongodb.driver.cluster               : Exception in monitor thread', 'com.mongodb.MongoSocketReadException: Prematurely reached end of stream'].join('\n');
    const go = '2023/05/09 17:02:14 submit failed: Post "http://scheduler:8080/v1/jobs": EOF';
    for (const app of [mongo, go]) assert.deepEqual(appEnvoyVerdicts(app, '').map((v) => v.kind), ['reset'], app);
  });

  it('starts a bare Python traceback at its own line when the collector framed the line above over a second earlier (Docker json-file)', () => {
    const docker = (time: string, log: string): string => JSON.stringify({ log: log + '\n', stream: 'stderr', time });
    const app = [
      docker('2023-03-10T12:00:00.100200300Z', 'INFO:root:worker started'),
      docker('2023-03-10T12:00:05.771000100Z', 'Traceback (most recent call last):'),
      docker('2023-03-10T12:00:05.771001200Z', '  File "/app/client.py", line 40, in fetch'),
      docker('2023-03-10T12:00:05.771003400Z', 'ConnectionResetError: [Errno 104] Connection reset by peer'),
    ].join('\n');
    const envoy = docker('2023-03-10T12:00:05.767100Z', '2023-03-10T12:00:05.767010Z\twarning\tenvoy main\texternal/envoy/source/server/server.cc:915\tcaught ENVOY_SIGTERM\tthread=14');
    const [r] = correlateText([{ file: 'app.log', text: app }, { file: 'istio-proxy.log', text: envoy }], OPTIONS).resets;
    assert.equal(r!.line, 2);
    assert.equal(r!.time, '2023-03-10T12:00:05.771Z');
    assert.equal(r!.cause, 'proxy-shutdown');
  });

  it('keeps a Python logging record with its traceback when all its lines were framed at once', () => {
    const cri = (time: string, text: string): string => `${time} stderr F ${text}`;
    const app = [cri('2024-03-02T07:14:57.882144106Z', 'ERROR:worker:fetch failed'), cri('2024-03-02T07:14:57.882150000Z', 'Traceback (most recent call last):'), cri('2024-03-02T07:14:57.882160000Z', 'ConnectionResetError: [Errno 104] Connection reset by peer')].join('\n');
    assert.deepEqual(appEnvoyVerdicts(app, '').map((v) => v.line), [1]);
  });
});
