import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { handleEnvoyAdmin } from '../../standin/envoy/admin';
import { applyFieldMask } from '../../standin/envoy/fieldMask';
import { parseIstioVersion } from '../../standin/envoy/istioVersion';
import { EnvoyProxy } from '../../standin/envoy/proxy';
import { meshConfigFor } from '../../standin/model/meshConfig';
import { realFixture } from '../../standin/fixtures';
import { envoyLineStyle, formatEnvoyLine } from '../../standin/logs/envoyLayout';
import { callEmissions, callsTimedOut } from '../../standin/logs/identityCalls';
import { LogRing } from '../../standin/logs/ring';
import { formatRfc3339Nano, parseRfc3339 } from '../../standin/logs/timestamps';
import { LabelSelectorError, matchesLabels, parseLabelSelector } from '../../standin/model/labelSelector';
import { BadContinueError, type Page, paginate } from '../../standin/api/paging';

const T0 = Date.parse('2026-11-26T15:52:33.000Z');

function incidentProxy(version = '1.22.3', profile: 'default' | 'demo' = 'default'): EnvoyProxy {
  const schedule = { firstMs: T0 + 1000, periodMs: 5000, timeoutMs: 1000, firstConnectionId: 332, priorTimeouts: 10 };
  return new EnvoyProxy({ namespace: 'shop', name: 'checkout-1', ip: '10.1.2.3' }, { istioVersion: version, identityConnectTimeout: '1s', incident: true }, schedule, T0, meshConfigFor(profile));
}

describe('stand-in: label selectors', () => {
  const labels = { app: 'checkout', tier: 'web' };
  it('matches equality, inequality, set-based and existence requirements', () => {
    assert.equal(matchesLabels(parseLabelSelector('app=checkout,tier!=db'), labels), true);
    assert.equal(matchesLabels(parseLabelSelector('app==checkout,tier!=web'), labels), false);
    assert.equal(matchesLabels(parseLabelSelector('app in (cart, checkout)'), labels), true);
    assert.equal(matchesLabels(parseLabelSelector('app notin (checkout),tier'), labels), false);
    assert.equal(matchesLabels(parseLabelSelector('!version,tier'), labels), true);
  });
  it('rejects malformed selectors with the API server wording', () => {
    assert.throws(() => parseLabelSelector('app in (a,b'), LabelSelectorError);
    assert.throws(() => parseLabelSelector('-bad=x'), /invalid label key/);
  });
});

describe('stand-in: paging', () => {
  const keys = Array.from({ length: 7 }, (_, i) => `k${i}`);
  it('walks every item exactly once through continue tokens', () => {
    const seen: string[] = [];
    let token: string | null = null;
    do {
      const page: Page<string> = paginate(keys, (k) => k, 42, 3, token);
      seen.push(...page.items);
      token = page.continueToken ?? null;
      if (token) assert.equal(page.remainingItemCount, keys.length - seen.length);
    } while (token);
    assert.deepEqual(seen, keys);
  });
  it('refuses a forged continue token', () => {
    assert.throws(() => paginate(keys, (k) => k, 1, 3, 'not-a-token'), BadContinueError);
  });
});

describe('stand-in: timestamps and the log ring', () => {
  // The kubelet writes RFC3339NanoFixed (k8s.io/kubernetes pkg/kubelet/kuberuntime/logs/logs.go): nine digits, zeros kept.
  it('prints the kubelet prefix with nine fraction digits (RFC3339NanoFixed) and parses it back', () => {
    assert.equal(formatRfc3339Nano({ ms: T0 + 123, subNs: 456789 }), '2026-11-26T15:52:33.123456789Z');
    assert.equal(formatRfc3339Nano({ ms: T0 + 120, subNs: 0 }), '2026-11-26T15:52:33.120000000Z');
    assert.deepEqual(parseRfc3339('2026-11-26T15:52:33.123456789Z'), { ms: T0 + 123, subNs: 456789 });
    assert.equal(parseRfc3339('yesterday'), null);
  });
  it('keeps the newest lines and answers since/tail over them', () => {
    const ring = new LogRing(5);
    for (let i = 0; i < 12; i++) ring.append([{ time: { ms: T0 + i, subNs: 0 }, text: `l${i}` }]);
    assert.deepEqual(ring.select(null, null).map((l) => l.text), ['l7', 'l8', 'l9', 'l10', 'l11']);
    assert.deepEqual(ring.select({ ms: T0 + 9, subNs: 0 }, null).map((l) => l.text), ['l9', 'l10', 'l11']);
    assert.deepEqual(ring.select(null, 2).map((l) => l.text), ['l10', 'l11']);
  });
});

describe('stand-in: Envoy log layouts', () => {
  const time = { ms: Date.parse('2020-05-29T22:04:05.066Z'), subNs: 0 };
  const event = { level: 'debug' as const, logger: 'pool', source: 'external/envoy/source/common/tcp/conn_pool.cc:364', connectionId: 332, message: 'connecting' };
  it('writes the pre-1.6 layout exactly like the incident log', () => {
    const incidentLine = readFileSync(realFixture('../incident/envoy-debug.log'), 'utf8').split('\n').find((l) => l.endsWith('[C332] connecting'));
    assert.equal(formatEnvoyLine(envoyLineStyle(parseIstioVersion('1.5.10'), false, 27), time, event), incidentLine);
  });
  it('switches layout and connection tagging by Istio version', () => {
    const tab = formatEnvoyLine(envoyLineStyle(parseIstioVersion('1.12.6'), false, 27), time, event);
    assert.equal(tab, '2020-05-29T22:04:05.066000Z\tdebug\tenvoy pool\t[C332] connecting');
    const modern = formatEnvoyLine(envoyLineStyle(parseIstioVersion('1.22.3'), false, 27), time, event);
    assert.equal(modern, '2020-05-29T22:04:05.066000Z\tdebug\tenvoy pool external/envoy/source/common/tcp/conn_pool.cc:364\t[Tags: "ConnectionId":"332"] connecting\tthread=27');
    const json = JSON.parse(formatEnvoyLine(envoyLineStyle(parseIstioVersion('1.18.0'), true, 27), time, event)) as Record<string, string>;
    assert.deepEqual(json, { level: 'debug', time: '2020-05-29T22:04:05.066000Z', scope: 'envoy pool', msg: '[C332] connecting' });
  });
});

describe('stand-in: identity call schedule', () => {
  const schedule = { firstMs: T0, periodMs: 5000, timeoutMs: 1000, firstConnectionId: 332, priorTimeouts: 0 };
  it('times out exactly one second after connecting and the app resets right after', () => {
    const lines = callEmissions(schedule, 0);
    const connecting = lines.find((e) => e.kind === 'envoy' && e.event.message === 'connecting' && e.event.connectionId === 333);
    const timeout = lines.find((e) => e.kind === 'envoy' && e.event.message === 'connect timeout' && e.event.connectionId === 333);
    const reset = lines.find((e) => e.kind === 'appReset');
    assert.ok(connecting && timeout && reset);
    assert.equal(timeout.atMs - connecting.atMs, 1000);
    assert.ok(reset.atMs - timeout.atMs >= 1 && reset.atMs - timeout.atMs <= 2);
  });
  it('counts timeouts as a function of time', () => {
    assert.equal(callsTimedOut(schedule, T0 + 999), 0);
    assert.equal(callsTimedOut(schedule, T0 + 1000), 1);
    assert.equal(callsTimedOut(schedule, T0 + 16_000), 4);
  });
});

describe('stand-in: Envoy admin emulation', () => {
  it('lists loggers like Envoy, sets one or all, and refuses GET, unknown loggers and levels', () => {
    const proxy = incidentProxy();
    const list = handleEnvoyAdmin(proxy, 'POST', '/logging', T0);
    // The recorded listing word for word, except misc, which the injector starts at error
    // (--proxyComponentLogLevel=misc:error), then the newer loggers and Envoy's closing empty line.
    const fixture = readFileSync(realFixture('istio/istioctl-envoy-logging.txt'), 'utf8').replace('  misc: warning\n', '  misc: error\n');
    assert.ok(list.body.startsWith(fixture.trimEnd() + '\n'), 'the recorded listing, word for word, then newer loggers');
    assert.ok(list.body.endsWith('  conn_handler: warning\n\n'));
    assert.equal(handleEnvoyAdmin(proxy, 'POST', '/logging?pool=debug', T0).status, 200);
    assert.equal(proxy.levels.get('pool'), 'debug');
    assert.equal(proxy.levels.get('connection'), 'warning');
    handleEnvoyAdmin(proxy, 'POST', '/logging?level=trace', T0);
    assert.ok([...proxy.levels.values()].every((l) => l === 'trace'));
    const get = handleEnvoyAdmin(proxy, 'GET', '/logging?level=debug', T0);
    assert.deepEqual([get.status, get.body], [405, 'Method GET not allowed, POST required.']);
    // Envoy 1.27+ (Istio 1.22 ships 1.30): 400 and `error: unknown logger name`, no name (logs_handler.cc).
    const bad = handleEnvoyAdmin(proxy, 'POST', '/logging?nosuch=debug', T0);
    assert.equal(bad.status, 400);
    assert.match(bad.body, /^error: unknown logger name\n\nusage: /);
    assert.equal(handleEnvoyAdmin(proxy, 'POST', '/logging?pool=loud', T0).status, 400);
    assert.ok([...proxy.levels.values()].every((l) => l === 'trace'), 'a refused change leaves levels alone');
  });

  it('serves the identity cluster at 1s in config_dump with resource and mask, cloned from the real dump', () => {
    const proxy = incidentProxy();
    const r = handleEnvoyAdmin(proxy, 'GET', '/config_dump?resource=dynamic_active_clusters&mask=cluster.name,cluster.connect_timeout', T0);
    const configs = (JSON.parse(r.body) as { configs: Record<string, unknown>[] }).configs;
    assert.ok(configs.every((c) => c['@type'] === 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump.DynamicCluster'));
    assert.ok(configs.every((c) => Object.keys(c).sort().join() === '@type,cluster'));
    assert.deepEqual(configs.find((c) => (c.cluster as { name: string }).name === 'outbound|443||idp.example.com')?.cluster, {
      name: 'outbound|443||idp.example.com',
      connect_timeout: '1s',
    });
    const statics = JSON.parse(handleEnvoyAdmin(proxy, 'GET', '/config_dump?resource=static_clusters', T0).body) as { configs: { cluster: { connect_timeout: string } }[] };
    // The bootstrap's static clusters (default_golden.json): prometheus_stats, agent at 0.250s; sds-grpc, xds-grpc at 1s.
    assert.deepEqual(statics.configs.map((c) => c.cluster.connect_timeout), ['0.250s', '0.250s', '1s', '1s']);
    assert.equal(handleEnvoyAdmin(proxy, 'GET', '/config_dump?resource=nonsense', T0).status, 404);
  });

  it('reports rising connect timeouts on the identity cluster in /stats (demo profile) and /clusters (always)', () => {
    const proxy = incidentProxy('1.22.3', 'demo');
    const stat = (now: number) => {
      const body = handleEnvoyAdmin(proxy, 'GET', '/stats?filter=idp\\.example\\.com.*connect_timeout', now).body;
      return Number(/upstream_cx_connect_timeout: (\d+)/.exec(body)?.[1]);
    };
    assert.equal(stat(T0), 10);
    assert.equal(stat(T0 + 2000), 11);
    assert.equal(stat(T0 + 22_000), 15);
    const clusters = JSON.parse(handleEnvoyAdmin(proxy, 'GET', '/clusters?format=json', T0 + 22_000).body) as {
      cluster_statuses: { name: string; host_statuses: { address: { socket_address: { address: string } }; stats: { name: string; value?: string }[] }[] }[];
    };
    const idp = clusters.cluster_statuses.find((c) => c.name === 'outbound|443||idp.example.com');
    assert.equal(idp?.host_statuses[0].address.socket_address.address, '52.14.3.7');
    assert.equal(idp?.host_statuses[0].stats.find((s) => s.name === 'cx_connect_fail')?.value, '15');
    const json = JSON.parse(handleEnvoyAdmin(proxy, 'GET', '/stats?format=json&filter=^server', T0).body) as { stats: { name: string }[] };
    assert.ok(json.stats.length > 0 && json.stats.every((s) => s.name.startsWith('server')));
  });

  it('applies a field mask to nested repeated fields', () => {
    const masked = applyFieldMask({ '@type': 't', a: [{ b: 1, c: 2 }, { b: 3 }], d: 4 }, 'a.b');
    assert.deepEqual(masked, { '@type': 't', a: [{ b: 1 }, { b: 3 }] });
  });
});
