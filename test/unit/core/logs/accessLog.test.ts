import * as assert from 'node:assert/strict';
import { parseEnvoyAccessLog } from '../../../../src/core/logs/accessLog';
import { unframeLine } from '../../../../src/core/logs/framing';
import { readSharedFixture } from '../correlate/fixtures';

describe('parseEnvoyAccessLog', () => {
  it("reads the incident's TCP access-log line: UF,URX after 1000 ms", () => {
    const line = readSharedFixture('incident', 'envoy-debug.log').trim().split('\n').pop()!;
    const r = parseEnvoyAccessLog(line);
    assert.deepEqual(r, {
      startMs: Date.parse('2020-05-29T22:04:05.066Z'),
      durationMs: 1000,
      responseCode: 0,
      flags: ['UF', 'URX'],
      details: null,
      failureReason: null,
      terminationDetails: null,
      cluster: 'outbound|443||cc-api-xxx-xxx.xxx.io',
      upstreamHost: '52.xx.xx.xx:443',
      authority: null,
      downstreamLocal: '52.xx.xx.xx:443',
      downstreamRemote: '172.17.0.13:45202',
    });
  });

  it("reads Kiali's real waypoint log behind kubectl timestamps (HTTP variant, response-code details)", () => {
    const lines = readSharedFixture('real', 'kiali', 'waypoint.log').split('\n').filter((l) => l.trim() !== '');
    const parsed = lines.map((l) => parseEnvoyAccessLog(unframeLine(l).body));
    assert.ok(parsed.every((p) => p !== null), 'every line parses');
    const first = parsed[0]!;
    assert.equal(first.responseCode, 200);
    assert.deepEqual(first.flags, []);
    assert.equal(first.details, 'via_upstream');
    assert.equal(first.durationMs, 0);
    assert.equal(first.cluster, 'inbound-vip|9080|http|details.bookinfo.svc.cluster.local');
    assert.equal(first.upstreamHost, 'envoy://connect_originate/10.244.0.32:9080');
    assert.equal(first.startMs, Date.parse('2025-01-30T12:10:13.279Z'));
    assert.ok(parsed.some((p) => p!.durationMs === 13), 'durations are read per line');
  });

  it("reads Istio's JSON access-log format", () => {
    const r = parseEnvoyAccessLog(
      '{"start_time":"2024-03-01T10:00:00.000Z","response_code":0,"response_flags":"UF,URX","response_code_details":"-","duration":1000,"upstream_cluster":"outbound|443||idp.example.com","upstream_host":"10.0.0.2:443"}',
    );
    assert.equal(r?.durationMs, 1000);
    assert.deepEqual(r?.flags, ['UF', 'URX']);
    assert.equal(r?.details, null);
    assert.equal(r?.cluster, 'outbound|443||idp.example.com');
  });

  it('reads the HTTP variant with a failure reason between flags and byte counts', () => {
    const r = parseEnvoyAccessLog(
      '[2024-03-01T10:00:00.000Z] "GET /token HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_failure} - "delayed connect error: 111" 0 91 2 - "-" "curl" "id" "idp" "10.0.0.2:443" outbound|443||idp - 10.96.0.1:443 10.0.0.1:4000 - default',
    );
    assert.equal(r?.responseCode, 503);
    assert.deepEqual(r?.flags, ['UF']);
    assert.equal(r?.details, 'upstream_reset_before_response_started{connection_failure}');
    assert.equal(r?.durationMs, 2);
    assert.equal(r?.upstreamHost, '10.0.0.2:443');
  });

  it('splits fields at any whitespace, keeps quoted fields whole and reads an unclosed quote as a plain field', () => {
    const r = parseEnvoyAccessLog(
      '[2024-03-01T10:00:00.000Z] "GET / HTTP/1.1" 503 UF "-"\t"a b" 0\u00a01 7 - "-" "ua" "id" "auth:80" "10.0.0.2:443" "quoted|cluster" - 10.96.0.1:443 "10.0.0.1:4000',
    );
    assert.equal(r?.failureReason, 'a b');
    assert.equal(r?.durationMs, 7);
    assert.equal(r?.authority, 'auth:80');
    assert.equal(r?.cluster, null, 'a quoted cluster field is no cluster');
    assert.equal(r?.downstreamRemote, '"10.0.0.1:4000');
  });

  it('returns null for Envoy debug lines, app lines and malformed access logs', () => {
    for (const line of [
      '[2021-02-10 13:33:36.447][14][debug][pool] [source/x.cc:1] [C1] connecting',
      '2024-01-01 12:00:00.123 INFO started',
      '[2020-05-29T22:04:05.066Z] "- - -" 0 UF',
      '{"start_time":"not a time","response_flags":"UF"}',
      '{"start_time":',
    ]) {
      assert.equal(parseEnvoyAccessLog(line), null, line);
    }
  });
});
