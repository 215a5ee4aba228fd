import * as assert from 'node:assert/strict';
import { parseEnvoyLogLine } from '../../../../src/core/logs/envoyLine';
import { unframeLine } from '../../../../src/core/logs/framing';
import { readSharedFixture } from '../correlate/fixtures';

describe('parseEnvoyLogLine', () => {
  it('reads an Istio 1.17+ line with a tab (not a space) before the source location', () => {
    const r = parseEnvoyLogLine('2023-03-10T12:00:05.767010Z\twarning\tenvoy main\texternal/envoy/source/server/server.cc:915\tcaught ENVOY_SIGTERM\tthread=14');
    assert.equal(r?.logger, 'main');
    assert.equal(r?.message, 'caught ENVOY_SIGTERM');
    assert.equal(r?.thread, '14');
  });

  it('reads the upstream Envoy layout', () => {
    const r = parseEnvoyLogLine('[2021-02-10 13:33:36.447][14][debug][pool] [source/common/conn_pool/conn_pool_base.cc:519] [C1] connect timeout');
    assert.deepEqual(r, { timeMs: Date.parse('2021-02-10T13:33:36.447Z'), level: 'debug', logger: 'pool', thread: '14', connectionId: '1', message: 'connect timeout' });
  });

  it('reads the 2018 layout without a bracket before the source path', () => {
    const r = parseEnvoyLogLine('[2018-05-23 02:39:37.012][15][debug][pool] source/common/http/http1/conn_pool.cc:83] [C7] connecting');
    assert.equal(r?.connectionId, '7');
    assert.equal(r?.message, 'connecting');
    assert.equal(r?.timeMs, Date.parse('2018-05-23T02:39:37.012Z'));
  });

  it("reads Istio < 1.6 lines behind `[Envoy (Epoch 0)]` (the incident's log) as UTC", () => {
    const r = parseEnvoyLogLine(
      '[Envoy (Epoch 0)] [2020-05-29 22:04:05.066][27][debug][pool] [external/envoy/source/common/tcp/conn_pool.cc:364] [C332] connecting',
    );
    assert.equal(r?.timeMs, Date.parse('2020-05-29T22:04:05.066Z'));
    assert.equal(r?.thread, '27');
    assert.equal(r?.connectionId, '332');
  });

  it('reads the Istio 1.6–1.16 tab layout, with and without a source location', () => {
    const plain = parseEnvoyLogLine('2021-02-10T13:33:36.447Z\tdebug\tenvoy pool\t[C56] connect timeout');
    assert.equal(plain?.logger, 'pool');
    assert.equal(plain?.connectionId, '56');
    assert.equal(plain?.message, 'connect timeout');
    const located = parseEnvoyLogLine('2020-06-29T23:37:27.523826Z\twarning\tenvoy config\t[bazel-out/k8-opt/bin/external/envoy/source/common/config/grpc_stream.h:92] StreamAggregatedResources gRPC config stream closed: 14, no healthy upstream');
    assert.equal(located?.level, 'warning');
    assert.equal(located?.message, 'StreamAggregatedResources gRPC config stream closed: 14, no healthy upstream');
  });

  it("reads every Envoy line of Istio's real 1.6 proxy log (bug-report ingress.log)", () => {
    const lines = readSharedFixture('real', 'istio', 'bug-report-ingress.log').split('\n').filter((l) => /^\S+\t\w+\tenvoy /.test(l));
    assert.ok(lines.length >= 8, 'the fixture has Envoy lines');
    for (const line of lines) {
      const r = parseEnvoyLogLine(unframeLine(line).body);
      assert.ok(r, `parsed: ${line}`);
      assert.equal(r.logger, 'config');
    }
  });

  it('reads the Istio 1.17+ layout with source path and thread', () => {
    const r = parseEnvoyLogLine('2024-01-01T00:00:00.000123Z\tdebug\tenvoy pool external/envoy/source/common/conn_pool/conn_pool_base.cc:153\t[C56] connecting\tthread=25');
    assert.deepEqual(r, { timeMs: Date.parse('2024-01-01T00:00:00.000Z') + 0.123, level: 'debug', logger: 'pool', thread: '25', connectionId: '56', message: 'connecting' });
  });

  it('reads connection ids written as Envoy 1.27+ tags', () => {
    const r = parseEnvoyLogLine('2024-01-01T00:00:00.000000Z\tdebug\tenvoy connection external/envoy/source/common/network/connection_impl.cc:698\t[Tags: "ConnectionId":"332"] connecting to 10.0.0.2:443\tthread=25');
    assert.equal(r?.connectionId, '332');
    assert.equal(r?.message, 'connecting to 10.0.0.2:443');
  });

  it("reads Istio's JSON encoding", () => {
    const r = parseEnvoyLogLine('{"level":"debug","time":"2024-01-01T00:00:01.500000Z","scope":"envoy pool","msg":"[C56] connect timeout"}');
    assert.equal(r?.logger, 'pool');
    assert.equal(r?.connectionId, '56');
    assert.equal(r?.timeMs, Date.parse('2024-01-01T00:00:01.500Z'));
  });

  it('returns null for application lines, access logs, non-Envoy JSON and broken lines', () => {
    for (const line of [
      '2024-01-01 12:00:00.123 ERROR [main] c.e.X - java.net.SocketException: Connection reset',
      '[2020-05-29T22:04:05.066Z] "- - -" 0 UF,URX - - "-" 0 0 1000 - "-" "-" "-" "-" "1.2.3.4:443" outbound|443||x - 1.2.3.4:443 1.1.1.1:1 - -',
      '{"level":"info","time":"2023-05-10T17:43:55.356626Z","msg":"FLAG: --keepaliveTimeout=\\"10s\\""}',
      '{"scope":"envoy pool","msg":',
      '[2021-02-10 13:33:36.447][14][debug]',
      '',
    ]) {
      assert.equal(parseEnvoyLogLine(line), null, line);
    }
  });
});
