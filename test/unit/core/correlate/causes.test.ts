import * as assert from 'node:assert/strict';
import { correlateText } from '../../../../src/core/correlate/index';
import type { ResetReport } from '../../../../src/core/correlate/types';

/**
 * One incident per cause, each written as Envoy, pilot-agent and the application write it (message
 * texts from envoyproxy/envoy and istio/istio sources; our own hosts, ids and times).
 */

const OPTIONS = { windowSeconds: 5 };

function only(app: string[], proxy: string[]): ResetReport {
  const { resets } = correlateText(
    [
      { file: 'app.log', text: app.join('\n') },
      { file: 'istio-proxy.log', text: proxy.join('\n') },
    ],
    OPTIONS,
  );
  assert.equal(resets.length, 1, JSON.stringify(resets.map((r) => [r.line, r.cause])));
  return resets[0]!;
}

const ISTIO = (time: string, logger: string, id: string, message: string): string => `${time}\tdebug\tenvoy ${logger} external/envoy/source/x.cc:1\t[Tags: "ConnectionId":"${id}"] ${message}\tthread=21`;

describe('causes', () => {
  it('connect-timeout: UF with connection_timeout details, though retries made the request 3 s long', () => {
    const r = only(
      ['2024/06/11 08:42:20 ledger: POST http://ledger.finance.svc.cluster.local:8443/v1/postings: unexpected status 503: upstream connect error or disconnect/reset before headers. retried and the latest reset reason: connection timeout'],
      ['[2024-06-11T08:42:17.100Z] "POST /v1/postings HTTP/1.1" 503 UF,URX upstream_reset_before_response_started{connection_timeout} - "-" 412 91 3005 - "-" "Go-http-client/1.1" "6f1c" "ledger.finance.svc.cluster.local:8443" "10.244.7.31:8443" outbound|8443||ledger.finance.svc.cluster.local - 10.96.118.40:8443 10.244.2.9:51736 - default'],
    );
    assert.deepEqual([r.kind, r.cause], ['http-error', 'connect-timeout']);
    assert.match(r.fix!.setting, /connectTimeout/);
    assert.equal(r.fix!.default, '10s');
  });

  it('connection-refused: delayed connect error 111 in the debug log and the access log', () => {
    const r = only(
      ['2023-12-08T07:39:50.409Z ERROR 1 --- [main] c.e.Catalog : catalog request failed: java.net.SocketException: Connection reset'],
      [ISTIO('2023-12-08T07:39:50.405840Z', 'connection', '902', 'connecting to 10.244.4.12:3000'), ISTIO('2023-12-08T07:39:50.406360Z', 'connection', '902', 'delayed connect error: 111'), ISTIO('2023-12-08T07:39:50.406410Z', 'connection', '902', 'closing socket: 0')],
    );
    assert.equal(r.cause, 'connection-refused');
  });

  it('tls-failure: NR filter_chain_not_found on the server side (mTLS mode mismatch)', () => {
    const r = only(['2023-02-21 19:45:06,562 - sockclient - ERROR - send failed: [Errno 104] Connection reset by peer'], ['[2023-02-21T19:45:06.559Z] "- - -" 0 NR filter_chain_not_found - "-" 0 0 2 - "-" "-" "-" "-" "-" - - 10.244.2.188:50000 10.244.2.182:50001 - -']);
    assert.equal(r.cause, 'tls-failure');
    assert.match(r.fix!.docs, /^https:\/\/istio\.io\//);
  });

  it('no-healthy-upstream: UH, and no-route when the cluster is BlackHoleCluster', () => {
    const uh = only(['2024-04-22T16:30:11.842Z  WARN 1 --- [shop] [nio-1] c.e.Stock : stock lookup failed: 503 Service Unavailable from GET http://inventory:8080/api, body=no healthy upstream'], ['[2024-04-22T16:30:11.840Z] "GET /api HTTP/1.1" 503 UH no_healthy_upstream - "-" 0 19 0 - "-" "x" "id" "inventory:8080" "-" outbound|8080|v2|inventory.shop.svc.cluster.local - 10.96.12.9:8080 10.244.3.40:60110 - default']);
    assert.deepEqual([uh.kind, uh.cause], ['http-error', 'no-healthy-upstream']);
    const blackhole = only(['2021-06-04 14:35:50.471 ERROR [main] c.e.Feed - poll failed: java.net.SocketException: Connection reset'], ['{"start_time":"2021-06-04T14:35:50.462Z","response_flags":"UH","response_code":0,"duration":8,"upstream_cluster":"BlackHoleCluster","downstream_remote_address":"172.17.3.28:35070"}']);
    assert.equal(blackhole.cause, 'no-route');
  });

  it('circuit-breaker: the reset reason overflow in the app error and UO in the access log', () => {
    const r = only(['time="2019-12-07T11:20:31Z" level=error msg="create order failed" error="unexpected status 503: upstream connect error or disconnect/reset before headers. reset reason: overflow"'], ['[2019-12-07T11:20:31.004Z] "POST /api/orders HTTP/1.1" 503 UO "-" "-" 312 81 0 - "-" "Go-http-client/1.1" "5d0f" "orders:8080" "-" - - 10.96.88.21:8080 10.244.1.77:52944 - -']);
    assert.equal(r.cause, 'circuit-breaker');
  });

  it('no-route: a 502 direct_response under REGISTRY_ONLY, the app logging only the status', () => {
    const r = only(['[2022-07-05 18:20:14 +0000] [9] [ERROR] Error handling request /refresh', 'requests.exceptions.HTTPError: 502 Server Error: Bad Gateway for url: http://rates.partner.example/v1/rates'], ['[2022-07-05T18:20:14.930Z] "GET /v1/rates HTTP/1.1" 502 - direct_response - "-" 0 0 0 - "-" "python-requests/2.28.1" "4c5d" "rates.partner.example" "-" - - 203.0.113.50:80 10.244.2.33:46610 - block_all']);
    assert.deepEqual([r.line, r.kind, r.cause], [1, 'http-error', 'no-route']);
  });

  it('an HTTP status the upstream itself sent (via_upstream) is no finding', () => {
    const { resets } = correlateText(
      [
        { file: 'app.log', text: '2024-07-01T05:02:41.906Z WARN quote service answered 503 Service Unavailable' },
        { file: 'istio-proxy.log', text: '[2024-07-01T05:02:41.901Z] "GET /v1/quote HTTP/1.1" 503 - via_upstream - "-" 0 57 4 3 "-" "Go" "id" "quotes:8080" "10.244.2.20:8080" outbound|8080||quotes.fx.svc.cluster.local - 10.96.2.2:8080 10.244.5.5:40406 - default' },
      ],
      OPTIONS,
    );
    assert.deepEqual(resets, []);
  });

  it('idle-timeout: tcp_proxy closed the idle session minutes before the next use of the same connection', () => {
    const r = only(
      ['2024/05/17 09:05:29 nightly report: query failed: read tcp 10.244.1.5:51234->10.96.50.5:5432: read: connection reset by peer'],
      ['[2024-05-17T08:01:11.999Z] "- - -" 0 - - - "-" 18220 90211 3600001 - "-" "-" "-" "-" "10.244.9.40:5432" outbound|5432||pg.db.svc.cluster.local 10.244.1.5:58816 10.96.50.5:5432 10.244.1.5:51234 - -', '2024-05-17T09:01:12.000411Z\tdebug\tenvoy filter external/envoy/source/common/tcp_proxy/tcp_proxy.cc:251\t[C4410] Session timed out\tthread=19'],
    );
    assert.equal(r.cause, 'idle-timeout');
  });

  it('idle-timeout: the keep-alive race, a reused connection closed by the upstream (UC connection_termination)', () => {
    const r = only(
      ['2021-07-19 00:58:06.923 ERROR 1 --- [nio-8080-exec-9] c.e.Accounting : top-up failed: 503 Service Unavailable: [upstream connect error or disconnect/reset before headers. reset reason: connection termination]'],
      [
        '[2021-07-19 00:58:06.919][54][debug][pool] [external/envoy/source/common/http/conn_pool_base.cc:78] [C45] using existing connection',
        '[2021-07-19 00:58:06.919][54][debug][connection] [external/envoy/source/common/network/connection_impl.cc:714] [C45] remote close',
        '[2021-07-19T00:58:06.919Z] "POST /topup HTTP/1.1" 503 UC upstream_reset_before_response_started{connection_termination} - "-" 138 95 1 - "-" "x" "id" "accounting:8080" "10.34.127.167:8080" outbound|8080||accounting.default.svc.cluster.local - 10.96.3.3:8080 10.34.126.119:57080 - default',
      ],
    );
    assert.equal(r.cause, 'idle-timeout');
  });

  it('upstream-reset: connection termination without a reused connection, and remote reset', () => {
    const r = only(['2023-10-12T08:08:15.273Z  WARN 1 --- [feed] [nio-1] c.e.Profile : profile unavailable: 503 upstream connect error or disconnect/reset before headers. reset reason: remote reset'], ['[2023-10-12T08:08:15.270Z] "GET /api/profile/81 HTTP/1.1" 503 UR upstream_reset_before_response_started{remote_reset} - "-" 0 81 1 - "-" "okhttp" "id" "profile:8080" "10.244.6.6:8080" outbound|8080||profile.users.svc.cluster.local - 10.96.61.6:8080 10.244.2.2:33000 - default']);
    assert.equal(r.cause, 'upstream-reset');
  });

  it('max-duration: max connection duration reached, the close five seconds later on the same connection', () => {
    const r = only(['2022-11-23T19:17:24.007Z ERROR 1 --- [crm] [nio-2] c.e.C : I/O error on POST request for "http://customer-api.crm/customers": Connection reset'], [ISTIO('2022-11-23T19:17:19.004000Z', 'http', '512', 'max connection duration reached'), ISTIO('2022-11-23T19:17:24.004200Z', 'connection', '512', 'closing data_to_write=0 type=2')]);
    assert.equal(r.cause, 'max-duration');
  });

  it("proxy-shutdown: pilot-agent's drain and abort lines; its own xdsproxy reset is no finding", () => {
    const { resets } = correlateText(
      [
        {
          file: 'pod.log',
          text: [
            '[pod/up-6d5f8-2kq9x/istio-proxy] 2024-09-10T14:22:03.091000Z\tinfo\tAgent draining Proxy for termination',
            '[pod/up-6d5f8-2kq9x/istio-proxy] 2024-09-10T14:22:04.300000Z\twarn\txdsproxy\tupstream terminated with unexpected error rpc error: code = Unavailable desc = error reading from server: read tcp 10.244.5.9:47712->10.96.0.15:15012: read: connection reset by peer\tid=7',
            '[pod/up-6d5f8-2kq9x/istio-proxy] 2024-09-10T14:22:08.092200Z\twarn\tAborting proxy',
            '[pod/up-6d5f8-2kq9x/app] time=2024-09-10T14:22:08.096Z level=ERROR msg="upload failed" err="read tcp 10.244.5.9:52210->10.96.71.2:80: read: connection reset by peer"',
          ].join('\n'),
        },
      ],
      OPTIONS,
    );
    assert.deepEqual(resets.map((r) => [r.line, r.cause]), [[4, 'proxy-shutdown']]);
  });

  it('upstream-connect-failure: UF with no more detail; downstream-closed: DC', () => {
    const uf = only(['2018/09/06 01:52:37 err:rpc error: code = Unavailable desc = upstream connect error or disconnect/reset before headers'], ['[2018-09-06T01:52:37.289Z] "POST /test.PingService/Ping HTTP/2" 200 UF 18 0 1 - "-" "grpc-go/1.15.0-dev" "328e" "server.test.svc.cluster.local:1443" "10.244.50.36:1443"']);
    assert.equal(uf.cause, 'upstream-connect-failure');
    const dc = only(['2024-11-05 20:40:12,224 ERROR weekly job failed: <urlopen error [Errno 104] Connection reset by peer>'], ['[2024-11-05T20:40:12.204Z] "GET /reports/weekly HTTP/1.1" 0 DC downstream_local_disconnect - "-" 0 0 18 - "-" "Python-urllib/3.12" "id" "reports:8000" "10.244.4.50:8000" outbound|8000||reports.bi.svc.cluster.local - 10.96.80.9:8000 10.244.1.70:48810 - default']);
    assert.equal(dc.cause, 'downstream-closed');
  });

  it('unexplained: a connect timeout 400 ms earlier with nothing linking it, and a failure on another connection', () => {
    const far = only(['2020-05-29 22:04:06.466 ERROR 1 --- [nio-2] c.e.Mail : SMTP send failed: java.net.SocketException: Connection reset'], ['2020-05-29T22:04:06.066000Z\tdebug\tenvoy pool\t[C700] connect timeout']);
    assert.equal(far.cause, 'unexplained');
    assert.equal(far.fix, null);
    const other = only(
      ['{"time":"2024-07-01T05:02:44.901Z","level":"ERROR","msg":"quote failed","err":"read tcp 10.244.5.5:40410->10.96.2.2:8080: read: connection reset by peer"}'],
      ['[2024-07-01T05:02:44.800Z] "GET /v1/quote HTTP/1.1" 503 UC upstream_reset_before_response_started{connection_termination} - "-" 0 91 99 - "-" "Go" "id" "quotes:8080" "10.244.2.20:8080" outbound|8080||quotes.fx.svc.cluster.local - 10.96.2.2:8080 10.244.5.5:40404 - default'],
    );
    assert.equal(other.cause, 'unexplained');
  });

  it("Envoy's warning about its own xDS stream is not a failure of the application's traffic", () => {
    const r = only(['{"level":"error","ts":1602711697.076032,"msg":"pull failed","error":"read tcp 10.244.0.31:55100->52.1.2.3:443: read: connection reset by peer"}'], ['2020-10-14T21:41:36.966032Z\twarning\tenvoy config\tStreamAggregatedResources gRPC config stream closed: 14, upstream connect error or disconnect/reset before headers. reset reason: local reset']);
    assert.equal(r.cause, 'unexplained');
  });

  it('reads Istio debug lines whose tabs were flattened to spaces', () => {
    const r = only(['2024-03-05T10:15:31.415Z ERROR 1 --- [main] c.e.Idp : java.net.SocketException: Connection reset'], ['2024-03-05T10:15:31.412445Z     debug   envoy pool external/envoy/source/common/conn_pool/conn_pool_base.cc:291 [C1842] connect timeout thread=25']);
    assert.equal(r.cause, 'connect-timeout');
  });
});
