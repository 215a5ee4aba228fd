import { callsStarted, callsTimedOut } from '../logs/identityCalls';
import { stableNumber } from '../model/ids';
import { IDENTITY_CLUSTER } from './clusters';
import { type EnvoyProxy } from './proxy';
import { renderPrometheus } from './stats';

/**
 * Istio's standard metrics as a sidecar's Envoy exports them (the stats filter, telemetry v2), in
 * the Prometheus text format. The label set and order follow real scraped text from Istio 1.5+
 * (openrca/orca issue #65: `istio_request_bytes_sum{response_code="200",reporter="destination",
 * source_workload=…,source_workload_namespace=…,source_principal=…,source_app=…,source_version=…,
 * destination_workload=…,…,destination_service=…,destination_service_name=…,
 * destination_service_namespace=…,request_protocol="http",response_flags="-",
 * grpc_response_status="",connection_security_policy=…,source_canonical_service=…,
 * destination_canonical_service=…,source_canonical_revision=…,destination_canonical_revision=…}`);
 * 1.8+ adds `source_cluster` / `destination_cluster`. TCP metrics carry the same labels without
 * `response_code` and `grpc_response_status`, with `request_protocol="tcp"`.
 */

type Labels = Readonly<Record<string, string>>;

/** A label value escaped as the text format requires (backslash, quote, newline). */
function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function sample(metric: string, labels: Labels, value: number): string {
  const body = Object.entries(labels)
    .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
    .join(',');
  return `${metric}{${body}} ${value}`;
}

interface Peer {
  readonly workload: string;
  readonly namespace: string;
  readonly app: string;
  readonly principal: string;
}

function peerOf(proxy: EnvoyProxy): Peer {
  const namespace = proxy.pod.namespace;
  const workload = proxy.pod.app ?? proxy.pod.name;
  return { workload, namespace, app: workload, principal: `spiffe://cluster.local/ns/${namespace}/sa/default` };
}

const UNKNOWN_PEER: Peer = { workload: 'unknown', namespace: 'unknown', app: 'unknown', principal: 'unknown' };
const INGRESS: Peer = { workload: 'istio-ingressgateway', namespace: 'istio-system', app: 'istio-ingressgateway', principal: 'spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account' };

function standardLabels(reporter: 'source' | 'destination', source: Peer, destination: Peer, service: { host: string; name: string; namespace: string }, protocol: 'http' | 'tcp', responseCode: string, flags: string, security: string): Labels {
  return {
    ...(protocol === 'http' ? { response_code: responseCode } : {}),
    reporter,
    source_workload: source.workload,
    source_workload_namespace: source.namespace,
    source_principal: source.principal,
    source_app: source.app,
    source_version: 'unknown',
    source_cluster: 'Kubernetes',
    destination_workload: destination.workload,
    destination_workload_namespace: destination.namespace,
    destination_principal: destination.principal,
    destination_app: destination.app,
    destination_version: 'unknown',
    destination_service: service.host,
    destination_service_name: service.name,
    destination_service_namespace: service.namespace,
    destination_cluster: 'Kubernetes',
    request_protocol: protocol,
    response_flags: flags,
    ...(protocol === 'http' ? { grpc_response_status: '' } : {}),
    connection_security_policy: security,
    source_canonical_service: source.app,
    destination_canonical_service: destination.app,
    source_canonical_revision: 'latest',
    destination_canonical_revision: 'latest',
  };
}

/** A counter that has been rising at `perSecond` since the proxy started, from a pod-specific base. */
function steady(proxy: EnvoyProxy, seed: string, perSecond: number, nowMs: number): number {
  return stableNumber(`${proxy.key}/${seed}`, 500) + Math.floor((perSecond * Math.max(0, nowMs - proxy.startedMs)) / 1000);
}

/**
 * The Istio series of one sidecar at `nowMs`: its inbound traffic from the ingress gateway (200s,
 * reporter destination) and, on an incident pod, the failing calls to the identity provider
 * (reporter source): over TCP (the default) `istio_tcp_connections_opened_total` per started call
 * and `istio_tcp_connections_closed_total{response_flags="UF,URX"}` per timed-out one; with
 * `incidentProtocol: 'http'` `istio_requests_total{response_code="503",response_flags="UF,URX"}`.
 */
export function istioSeries(proxy: EnvoyProxy, nowMs: number): Map<string, string[]> {
  const self = peerOf(proxy);
  const selfService = { host: `${self.app}.${self.namespace}.svc.cluster.local`, name: self.app, namespace: self.namespace };
  const metrics = new Map<string, string[]>([
    ['istio_requests_total', []],
    ['istio_tcp_connections_opened_total', []],
    ['istio_tcp_connections_closed_total', []],
  ]);
  const inboundRate = 1 + stableNumber(`${proxy.key}/inbound-rate`, 4);
  metrics.get('istio_requests_total')!.push(sample('istio_requests_total', standardLabels('destination', INGRESS, self, selfService, 'http', '200', '-', 'mutual_tls'), steady(proxy, 'inbound', inboundRate, nowMs)));

  const s = proxy.schedule;
  if (s) {
    const idp = { host: IDENTITY_CLUSTER.split('||')[1], name: IDENTITY_CLUSTER.split('||')[1], namespace: 'unknown' };
    const started = s.priorTimeouts + callsStarted(s, nowMs);
    const timedOut = s.priorTimeouts + callsTimedOut(s, nowMs);
    if (proxy.spec.incidentProtocol === 'http') {
      metrics.get('istio_requests_total')!.push(sample('istio_requests_total', standardLabels('source', self, UNKNOWN_PEER, idp, 'http', '503', 'UF,URX', 'unknown'), timedOut));
    } else {
      metrics.get('istio_tcp_connections_opened_total')!.push(sample('istio_tcp_connections_opened_total', standardLabels('source', self, UNKNOWN_PEER, idp, 'tcp', '', '-', 'unknown'), started));
      metrics.get('istio_tcp_connections_closed_total')!.push(sample('istio_tcp_connections_closed_total', standardLabels('source', self, UNKNOWN_PEER, idp, 'tcp', '', 'UF,URX', 'unknown'), timedOut));
    }
  }
  return metrics;
}

/**
 * pilot-agent's merged metrics endpoint (`:15020/stats/prometheus`): Istio's standard metrics
 * followed by Envoy's own stats, exactly what the admin port's `/stats/prometheus` gives (only
 * what the stats matcher keeps). pilot-agent would append its own `istio_agent_*` metrics too;
 * nothing here reads them.
 */
export function renderMergedMetrics(proxy: EnvoyProxy, nowMs: number): string {
  const istio = [...istioSeries(proxy, nowMs)]
    .filter(([, samples]) => samples.length > 0)
    .map(([metric, samples]) => `# TYPE ${metric} counter\n${samples.join('\n')}\n`)
    .join('');
  return istio + renderPrometheus(proxy, nowMs);
}
