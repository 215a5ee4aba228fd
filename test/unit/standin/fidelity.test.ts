import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runContainerCommand } from '../../standin/api/commands';
import { handleEnvoyAdmin } from '../../standin/envoy/admin';
import { createEnvoyAdminServer } from '../../standin/envoy/adminServer';
import { type EnvoyProxy } from '../../standin/envoy/proxy';
import { defaultInclusionPatterns } from '../../standin/envoy/statsMatcher';
import { realFixture } from '../../standin/fixtures';
import { identityHttpAccessLogLine } from '../../standin/logs/accessLog';
import { envoyLineStyle, formatEnvoyLine } from '../../standin/logs/envoyLayout';
import { parseIstioVersion } from '../../standin/envoy/istioVersion';
import { formatRfc3339Nano } from '../../standin/logs/timestamps';
import { VirtualClock } from '../../standin/logs/clock';
import { type MeshProfileName, PROXY_CONFIG_ANNOTATION, meshConfigFor } from '../../standin/model/meshConfig';
import { MeshModel } from '../../standin/model/meshModel';
import { PROXY_CONTAINER } from '../../standin/model/podRecord';
import { type PodSpecInput } from '../../standin/model/types';

/*
 * Pins the stand-in to real data. Every answer that has a counterpart in ../shared/fixtures/real/
 * (see its MANIFEST.md) is compared by shape with it, and every behaviour of a default install is
 * asserted with its source named in the test.
 */

type Json = Record<string, unknown>;
const T0 = Date.parse('2026-11-26T15:52:33.000Z');

function real(relative: string): string {
  return readFileSync(realFixture(relative), 'utf8');
}

function mesh(profile: MeshProfileName = 'default'): MeshModel {
  return new MeshModel(new VirtualClock(T0, true), meshConfigFor(profile));
}

function incidentPod(model: MeshModel, input: Partial<PodSpecInput> = {}) {
  return model.addPod({
    namespace: 'shop',
    name: 'checkout-1',
    labels: { app: 'checkout' },
    containers: [{ name: 'checkout', image: 'registry.example.com/checkout:1.0', port: 8080 }],
    sidecar: { istioVersion: '1.22.3', identityConnectTimeout: '1s', incident: true },
    ...input,
  });
}

function proxyOf(model: MeshModel, pod = incidentPod(model)): EnvoyProxy {
  return model.runtime(pod).proxy!;
}

function proxyLog(model: MeshModel, podName = 'checkout-1'): string[] {
  return model.runtime(model.requirePod('shop', podName)).log(PROXY_CONTAINER).current.select(null, null).map((l) => l.text);
}

/** The shape of a JSON value: object keys (sorted) and element shapes, leaves as their type. */
function shape(v: unknown, depth = 3): unknown {
  if (Array.isArray(v)) return depth === 0 ? 'array' : [shape(v[0], depth - 1)];
  if (v && typeof v === 'object') {
    if (depth === 0) return 'object';
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape((v as Json)[k], depth - 1)]));
  }
  return typeof v;
}

/** Istio's default TEXT access-log format (pilot/pkg/model/telemetry_logging.go, EnvoyTextLogFormat), as a pattern. */
const ISTIO_TEXT_ACCESS_LOG =
  /^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] "[^"]*" (\d{3}|0) \S+ \S+ \S+ "[^"]*" \d+ \d+ \d+ \S+ "[^"]*" "[^"]*" "[^"]*" "[^"]*" "[^"]*" \S+ \S+ \S+ \S+ \S+ \S+$/;

describe('stand-in fidelity: shapes compared with the real fixtures', () => {
  it('config_dump has the real dump\'s configs, entries shaped like its entries (istioctl-proxyconfig-config_dump.json)', () => {
    const realDump = JSON.parse(real('istio/istioctl-proxyconfig-config_dump.json')) as { configs: Json[] };
    const ours = JSON.parse(handleEnvoyAdmin(proxyOf(mesh()), 'GET', '/config_dump', T0).body) as { configs: Json[] };
    const types = (d: { configs: Json[] }) => d.configs.map((c) => c['@type']);
    assert.deepEqual(types(ours), types(realDump).filter((t) => !String(t).endsWith('EndpointsConfigDump')));
    const clusters = (d: { configs: Json[] }) => d.configs.find((c) => String(c['@type']).endsWith('ClustersConfigDump'))!;
    // The recorded dynamic entry carries cluster and last_updated; a live Envoy adds version_info
    // (admin.v3.ClustersConfigDump.DynamicCluster), which the stand-in sets.
    const realDynamic = (clusters(realDump).dynamic_active_clusters as Json[])[0];
    for (const entry of clusters(ours).dynamic_active_clusters as Json[]) assert.deepEqual(Object.keys(entry).filter((k) => k !== 'version_info').sort(), Object.keys(realDynamic).sort());
    const realStatic = (clusters(realDump).static_clusters as Json[])[0];
    for (const entry of clusters(ours).static_clusters as Json[]) assert.deepEqual(Object.keys(entry).sort(), Object.keys(realStatic).sort());
  });

  it('the static clusters are the real bootstrap\'s, field for field (pkg/bootstrap/testdata/default_golden.json)', () => {
    const bootstrap = JSON.parse(real('istio/bootstrap-default_golden.json')) as { static_resources: { clusters: Json[] } };
    const ours = JSON.parse(handleEnvoyAdmin(proxyOf(mesh()), 'GET', '/config_dump?resource=static_clusters', T0).body) as { configs: { cluster: Json }[] };
    assert.deepEqual(
      ours.configs.map((c) => {
        const { '@type': _type, ...rest } = c.cluster;
        return rest;
      }),
      bootstrap.static_resources.clusters,
    );
  });

  it('the /logging listing has the recorded names, order and layout (istioctl-envoy-logging.txt), closing empty line included', () => {
    const recorded = real('istio/istioctl-envoy-logging.txt');
    const listing = handleEnvoyAdmin(proxyOf(mesh()), 'POST', '/logging', T0).body;
    const names = (text: string) => [...text.matchAll(/^ {2}([\w.]+): \w+$/gm)].map((m) => m[1]);
    assert.deepEqual(names(listing).slice(0, names(recorded).length), names(recorded));
    assert.match(recorded, /\n\n$/);
    assert.match(listing, /^active loggers:\n( {2}[\w.]+: (trace|debug|info|warning|error|critical|off)\n)+\n$/);
  });

  it('an Istio 1.6 sidecar writes Envoy lines in the layout of the real 1.6.3 log: microseconds, source in the message (bug-report-ingress.log)', () => {
    const layout = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\t(debug|info|warning|error)\tenvoy [a-z_]+\t\[[^\]]+:\d+\] /;
    const recorded = real('istio/bug-report-ingress.log').split('\n').filter((l) => /\tenvoy [a-z_]+\t/.test(l));
    assert.ok(recorded.length > 0 && recorded.every((l) => layout.test(l)), 'the pattern fits the real lines');
    const ours = formatEnvoyLine(envoyLineStyle(parseIstioVersion('1.6.3'), false, 20), { ms: T0, subNs: 0 }, { level: 'debug', logger: 'pool', source: 'external/envoy/source/common/tcp/conn_pool.cc:364', connectionId: 332, message: 'connecting' });
    assert.match(ours, layout);
  });

  it('pilot-agent JSON lines have the real JSON log\'s fields and time precision (bug-report-format_json.log)', () => {
    const recorded = real('istio/bug-report-format_json.log').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json);
    const model = mesh();
    incidentPod(model, { sidecar: { istioVersion: '1.22.3', logAsJson: true } });
    const agent = proxyLog(model).map((l) => JSON.parse(l) as Json);
    assert.deepEqual(shape(agent[0]), shape(recorded[0]));
    for (const line of [...recorded, ...agent]) assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('the kubelet prefix and the access-log line match the real `kubectl logs --timestamps` capture (kiali waypoint.log)', () => {
    const recorded = real('kiali/waypoint.log').split('\n').filter(Boolean);
    const prefix = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /;
    assert.ok(recorded.every((l) => prefix.test(l)));
    assert.match(`${formatRfc3339Nano({ ms: T0, subNs: 0 })} x`, prefix);
    const realAccess = recorded.map((l) => l.replace(prefix, '')).filter((l) => l.startsWith('['));
    assert.ok(realAccess.length > 0 && realAccess.every((l) => ISTIO_TEXT_ACCESS_LOG.test(l)), 'the pattern fits the real lines');
    assert.match(identityHttpAccessLogLine(T0, 1000, '10.1.2.3', 45000, '0000-1'), ISTIO_TEXT_ACCESS_LOG);
  });

  it('exports only the real bootstrap\'s stats inclusion list on a default install (default_golden.json stats_matcher)', () => {
    const patterns = defaultInclusionPatterns();
    assert.ok(patterns.some((p) => p.prefix === 'cluster.xds-grpc'));
    const stats = handleEnvoyAdmin(proxyOf(mesh()), 'GET', '/stats', T0).body.trimEnd().split('\n').map((l) => l.split(': ')[0]);
    const included = (n: string) => patterns.some((p) => (p.prefix !== undefined && n.startsWith(p.prefix)) || (p.suffix !== undefined && n.endsWith(p.suffix)));
    assert.ok(stats.length > 0 && stats.every(included), stats.filter((n) => !included(n)).join(', '));
    assert.ok(stats.includes('cluster.xds-grpc.upstream_cx_total'));
    assert.ok(!stats.some((n) => n.includes('idp.example.com')), 'no per-cluster stat of the identity cluster');
  });
});

describe('stand-in fidelity: a default install\'s behaviour, with its source', () => {
  // Istio's ProxyConfig.proxyStatsMatcher (mesh config defaultConfig, or the proxy.istio.io/config annotation) adds to the inclusion list.
  it('exports cluster stats once proxyStatsMatcher asks for them, on the pod or mesh-wide (demo profile)', () => {
    const annotated = mesh();
    incidentPod(annotated, { annotations: { [PROXY_CONFIG_ANNOTATION]: JSON.stringify({ proxyStatsMatcher: { inclusionRegexps: ['.*upstream_cx_connect_.*'] } }) } });
    const body = handleEnvoyAdmin(proxyOf(annotated, annotated.requirePod('shop', 'checkout-1')), 'GET', '/stats', T0).body;
    assert.match(body, /^cluster\.outbound\|443\|\|idp\.example\.com\.upstream_cx_connect_timeout: \d+$/m);
    assert.doesNotMatch(body, /idp\.example\.com\.upstream_rq_total/);
    assert.match(handleEnvoyAdmin(proxyOf(mesh('demo')), 'GET', '/stats', T0).body, /idp\.example\.com\.upstream_rq_total/);
  });

  // Istio's default profile sets no meshConfig.accessLogFile; the demo profile sets /dev/stdout (manifests/profiles/demo.yaml).
  it('writes no access log unless accessLogFile or a Telemetry resource turns it on', () => {
    const plain = mesh();
    incidentPod(plain);
    plain.advance(20_000);
    assert.ok(!proxyLog(plain).some((l) => l.includes('UF,URX')));
    const telemetry = mesh();
    incidentPod(telemetry);
    telemetry.setAccessLogTelemetry('shop', true);
    telemetry.advance(20_000);
    assert.ok(proxyLog(telemetry).some((l) => l.includes('UF,URX')));
    const demo = mesh('demo');
    incidentPod(demo);
    demo.advance(20_000);
    assert.ok(proxyLog(demo).some((l) => l.includes('UF,URX')));
  });

  // The injector passes --proxyLogLevel=warning --proxyComponentLogLevel=misc:error (injection template; also the real 1.6.3 "Envoy command" line).
  it('starts Envoy at warning with misc at error, as the injector asks', () => {
    assert.match(real('istio/bug-report-ingress.log'), /-l warning --component-log-level misc:error/);
    const levels = proxyOf(mesh()).levels;
    assert.equal(levels.get('misc'), 'error');
    assert.ok([...levels].every(([n, l]) => n === 'misc' || l === 'warning'));
  });

  // A sidecar's clusters: bootstrap (default_golden.json) plus Istio's cluster builder (pilot/pkg/networking/core).
  it('has a sidecar\'s cluster set: xds-grpc and sds-grpc at 1s on pipes, BlackHole, Passthrough, InboundPassthrough, inbound|PORT||', () => {
    const statuses = JSON.parse(handleEnvoyAdmin(proxyOf(mesh()), 'GET', '/clusters?format=json', T0).body) as { cluster_statuses: { name: string; host_statuses?: { address: Json }[] }[] };
    const names = statuses.cluster_statuses.map((c) => c.name);
    for (const n of ['xds-grpc', 'sds-grpc', 'BlackHoleCluster', 'PassthroughCluster', 'InboundPassthroughCluster', 'inbound|8080||']) assert.ok(names.includes(n), n);
    assert.ok(!names.some((n) => n.startsWith('inbound-vip|')), 'no waypoint cluster in a sidecar');
    const xds = statuses.cluster_statuses.find((c) => c.name === 'xds-grpc')!;
    assert.ok('pipe' in xds.host_statuses![0].address);
  });

  // source/server/admin/admin_filter.cc streams the body: chunked, no Content-Length.
  it('frames admin answers with Transfer-Encoding: chunked', async () => {
    const model = mesh();
    const proxy = proxyOf(model);
    const admin = createEnvoyAdminServer(() => proxy, () => T0);
    await new Promise<void>((resolve) => admin.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = admin.address() as AddressInfo;
      const res = await new Promise<http.IncomingMessage>((resolve, reject) => http.get({ host: '127.0.0.1', port, path: '/server_info' }, resolve).on('error', reject));
      let body = '';
      for await (const chunk of res) body += String(chunk);
      assert.equal(res.headers['transfer-encoding'], 'chunked');
      assert.equal(res.headers['content-length'], undefined);
      assert.equal((JSON.parse(body) as { state: string }).state, 'LIVE');
    } finally {
      admin.close();
    }
  });

  // pilot/pkg/request/command.go: `StatusCode > 399 && != 404` is an error; pilot-agent then exits os.Exit(-1) = 255, the error on stdout.
  it('pilot-agent request prints a 404 and exits 0, and exits 255 with the error on stdout otherwise', () => {
    const model = mesh();
    const pod = incidentPod(model);
    const notFound = runContainerCommand(model, pod, PROXY_CONTAINER, ['pilot-agent', 'request', 'GET', 'nosuch']);
    assert.deepEqual([notFound.exitCode, notFound.stderr], [0, '']);
    assert.match(notFound.stdout, /^invalid path\. admin commands are:\n[\s\S]*\n\n$/);
    const refused = runContainerCommand(model, pod, PROXY_CONTAINER, ['pilot-agent', 'request', 'POST', 'logging?nosuch=debug']);
    assert.deepEqual([refused.exitCode, refused.stderr], [255, '']);
    assert.match(refused.stdout, /^\S+Z\terror\treceived unsuccessful status code 400: error: unknown logger name\n/);
  });

  // source/server/admin/logs_handler.cc (1.27+: absl::Status, 400 "error: ..."); earlier admin.cc / logs_handler.cc: 404 with the usage, paths= since 1.15.
  it('answers /logging refusals per Envoy release: 400 with the reason (Istio 1.22), 404 with the usage only (1.12), without paths= (1.5)', () => {
    const model = mesh();
    const at = (version: string, name: string) => proxyOf(model, incidentPod(model, { name, sidecar: { istioVersion: version } }));
    const modern = at('1.22.3', 'a');
    const unknown = handleEnvoyAdmin(modern, 'POST', '/logging?nosuch=debug', T0);
    assert.equal(unknown.status, 400);
    assert.match(unknown.body, /^error: unknown logger name\n\nusage: \/logging\?<name>=<level>/);
    const two = handleEnvoyAdmin(modern, 'POST', '/logging?pool=debug&http=debug', T0);
    assert.deepEqual([two.status, /^error: invalid number of parameters/.test(two.body)], [400, true]);
    assert.equal(modern.levels.get('pool'), 'warning', 'a refused request changes nothing');
    const older = handleEnvoyAdmin(at('1.12.6', 'b'), 'POST', '/logging?nosuch=debug', T0);
    assert.equal(older.status, 404);
    assert.match(older.body, /^usage: \/logging\?<name>=<level> \(change single level\)\nusage: \/logging\?paths=/);
    const oldest = handleEnvoyAdmin(at('1.5.10', 'c'), 'POST', '/logging?paths=pool:debug', T0);
    assert.equal(oldest.status, 404);
    assert.doesNotMatch(oldest.body, /paths=/);
    assert.match(oldest.body, /active loggers:\n/);
  });

  // Envoy's ServerInfo proto has no Istio field; Istio builds Envoy at `<sha>/<version>-dev/Clean/RELEASE/BoringSSL`; Istio 1.22 ships Envoy 1.30, 1.12 ships 1.20.
  it('server_info names the Envoy release of each Istio release, and nothing Envoy does not print', () => {
    const model = mesh();
    const info = (version: string, name: string) => JSON.parse(handleEnvoyAdmin(proxyOf(model, incidentPod(model, { name, sidecar: { istioVersion: version } })), 'GET', '/server_info', T0).body) as Json;
    const modern = info('1.22.3', 'a');
    assert.match(String(modern.version), /^[0-9a-f]{40}\/1\.30\.\d+-dev\/Clean\/RELEASE\/BoringSSL$/);
    assert.equal('istio_version' in modern, false);
    assert.match(String(info('1.12.6', 'b').version), /\/1\.20\.\d+-dev\//);
    assert.match(String(info('1.5.10', 'c').version), /\/1\.14\.\d+-dev\//);
  });

  // source/server/admin/config_dump_handler.cc: checkFieldMaskAndTrimMessage fails -> 400.
  it('refuses a config_dump mask that selects nothing with 400', () => {
    const proxy = proxyOf(mesh());
    const refused = handleEnvoyAdmin(proxy, 'GET', '/config_dump?resource=dynamic_active_clusters&mask=nosuch', T0);
    assert.equal(refused.status, 400);
    assert.match(refused.body, /^FieldMask paths: "nosuch"\n could not be successfully used\.$/);
    assert.equal(handleEnvoyAdmin(proxy, 'GET', '/config_dump?resource=dynamic_active_clusters&mask=cluster.name', T0).status, 200);
  });

  it('serves /stats/prometheus with the cluster as a label', () => {
    const body = handleEnvoyAdmin(proxyOf(mesh()), 'GET', '/stats/prometheus', T0);
    assert.equal(body.status, 200);
    assert.match(body.body, /^# TYPE envoy_cluster_upstream_cx_total counter\nenvoy_cluster_upstream_cx_total\{cluster_name="xds-grpc"\} \d+$/m);
  });

  // Istio 1.22's bootstrap JSON log format adds "caller":"%g:%#" and "thread":"%t" (pkg/bootstrap envoy_bootstrap.json).
  it('writes Istio 1.22+ JSON Envoy lines with caller and a string thread', () => {
    const event = { level: 'debug' as const, logger: 'pool', source: 'external/envoy/source/common/conn_pool/conn_pool_base.cc:364', connectionId: 332, message: 'connecting' };
    const modern = JSON.parse(formatEnvoyLine(envoyLineStyle(parseIstioVersion('1.22.3'), true, 27), { ms: T0, subNs: 0 }, event)) as Json;
    assert.deepEqual([modern.caller, modern.thread], ['external/envoy/source/common/conn_pool/conn_pool_base.cc:364', '27']);
    const older = JSON.parse(formatEnvoyLine(envoyLineStyle(parseIstioVersion('1.20.0'), true, 27), { ms: T0, subNs: 0 }, event)) as Json;
    assert.equal('caller' in older, false);
  });

  // source/common/router/router.cc onUpstreamReset; StreamInfo::ResponseCodeDetails::UpstreamResetBeforeResponseStarted.
  it('emits the HTTP (router) failure path: upstream reset with stream tags and a 503 UF,URX access line', () => {
    const model = mesh('demo');
    incidentPod(model, { sidecar: { istioVersion: '1.22.3', identityConnectTimeout: '1s', incident: true, incidentProtocol: 'http' } });
    model.runtime(model.requirePod('shop', 'checkout-1')).proxy!.levels.set('router', 'debug');
    model.advance(20_000);
    const lines = proxyLog(model);
    assert.ok(lines.some((l) => /\[Tags: "ConnectionId":"\d+","StreamId":"\d+"\] upstream reset: reset reason: connection timeout/.test(l)), lines.join('\n'));
    const access = lines.filter((l) => l.startsWith('['));
    assert.ok(access.length > 0 && access.every((l) => / 503 UF,URX upstream_reset_before_response_started\{connection_timeout\} /.test(l) && ISTIO_TEXT_ACCESS_LOG.test(l)));
  });
});
