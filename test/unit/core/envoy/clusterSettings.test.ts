import * as assert from 'node:assert/strict';
import { collectClusterConfigs } from '../../../../src/core/envoy/configDump';
import { extractClusterSettings } from '../../../../src/core/envoy/clusterSettings';
import { readRealIstio } from './fixtures';

function realCluster(file: string, name: string): unknown {
  const config = collectClusterConfigs(JSON.parse(readRealIstio(file))).get(name);
  assert.ok(config, `${name} in ${file}`);
  return config.raw;
}

describe('cluster settings behind the causes', () => {
  it('reads circuit breakers and auto mTLS from a real sidecar cluster (istioctl describe testdata)', () => {
    const s = extractClusterSettings(realCluster('istioctl-describe-http_config.json', 'outbound|9080|v1|productpage.default.svc.cluster.local'));
    assert.deepEqual(s, {
      idleTimeoutSeconds: null,
      maxConnectionDurationSeconds: null,
      circuitBreakers: { maxConnections: 4294967295, maxPendingRequests: 4294967295, maxRequests: 4294967295, maxRetries: 4294967295 },
      outlierDetection: null,
      tls: 'auto-istio-mutual',
    });
  });

  it('looks through internal_upstream to the raw socket of a real waypoint cluster, and reads a static bootstrap cluster', () => {
    const vip = extractClusterSettings(realCluster('istioctl-proxyconfig-config_dump.json', 'inbound-vip|8000|http|httpbin.default.svc.cluster.local'));
    assert.equal(vip?.tls, 'plaintext');
    assert.equal(vip?.circuitBreakers, null, 'no circuit_breakers: Envoy defaults');
    const agent = extractClusterSettings(realCluster('istioctl-proxyconfig-config_dump.json', 'agent'));
    assert.deepEqual(agent, { idleTimeoutSeconds: null, maxConnectionDurationSeconds: null, circuitBreakers: null, outlierDetection: null, tls: 'plaintext' });
  });

  it('reads idle timeout, max connection duration, outlier detection and SIMPLE TLS as Istio writes them (envoy cluster.proto field names)', () => {
    const s = extractClusterSettings({
      name: 'outbound|443||api.example.com',
      typed_extension_protocol_options: {
        'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
          '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
          common_http_protocol_options: { idle_timeout: '300s', max_connection_duration: '3600s' },
        },
      },
      circuit_breakers: { thresholds: [{ priority: 'HIGH', max_connections: 5 }, { max_pending_requests: 1, max_retries: { value: 2 } }] },
      outlier_detection: { consecutive_5xx: 3, interval: '5s', base_ejection_time: '1m', max_ejection_percent: 100 },
      transport_socket: { name: 'envoy.transport_sockets.tls', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', sni: 'api.example.com' } },
    });
    assert.deepEqual(s, {
      idleTimeoutSeconds: 300,
      maxConnectionDurationSeconds: 3600,
      circuitBreakers: { maxConnections: null, maxPendingRequests: 1, maxRequests: null, maxRetries: 2 },
      outlierDetection: { consecutive5xx: 3, intervalSeconds: 5, baseEjectionSeconds: 60, maxEjectionPercent: 100 },
      tls: 'tls',
    });
  });

  it('says nothing about what is not an object, and reads unparseable durations as unknown', () => {
    assert.equal(extractClusterSettings('cluster'), null);
    assert.equal(extractClusterSettings({ common_http_protocol_options: { idle_timeout: 'soon' } })?.idleTimeoutSeconds, null);
  });
});
