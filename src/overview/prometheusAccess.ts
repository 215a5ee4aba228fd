import * as path from 'node:path';
import type { MeshDoctorConfig } from '../config';
import { readCaBundle } from '../files/caFile';
import { createPrometheusClient, createServiceProxyPrometheusClient, isValidHeader, parsePrometheusService, type PrometheusAuth, type PrometheusClient, type PrometheusService } from '../kube/prometheus';
import type { ClusterAccessPool } from '../kube/transport';

/** A setting the overview cannot use as written: what is wrong, and which setting to change. */
export class PrometheusSetupError extends Error {
  override readonly name = 'PrometheusSetupError';
  constructor(
    message: string,
    readonly setting: string,
  ) {
    super(message);
  }
}

/** Where the overview asks: an explicit URL, or the in-cluster Service through the API server. */
export type PrometheusWhere = { readonly kind: 'url' } | { readonly kind: 'service'; readonly service: PrometheusService };

export function prometheusWhere(config: MeshDoctorConfig): PrometheusWhere {
  if (config.prometheusUrl) return { kind: 'url' };
  const service = parsePrometheusService(config.prometheusService);
  if (!service) throw new PrometheusSetupError(`meshDoctor.prometheus.service ${JSON.stringify(config.prometheusService)} is not NAMESPACE/NAME[:PORT] (e.g. monitoring/prometheus-operated:9090)`, 'meshDoctor.prometheus.service');
  return { kind: 'service', service };
}

function headersOf(config: MeshDoctorConfig): Record<string, string> {
  for (const [name, value] of Object.entries(config.prometheusHeaders)) {
    if (!isValidHeader(name, value)) throw new PrometheusSetupError(`meshDoctor.prometheus.headers: ${JSON.stringify(name)} cannot be sent as an HTTP header (a token name, a value on one line)`, 'meshDoctor.prometheus.headers');
  }
  return { ...config.prometheusHeaders };
}

function caOf(config: MeshDoctorConfig): string | undefined {
  if (!config.prometheusCaFile) return undefined;
  try {
    return readCaBundle(path.resolve(config.prometheusCaFile));
  } catch (err) {
    throw new PrometheusSetupError(`meshDoctor.prometheus.caFile ${JSON.stringify(config.prometheusCaFile)}: ${(err as Error).message}`, 'meshDoctor.prometheus.caFile');
  }
}

/**
 * The Prometheus client the settings choose for `context`: the URL with the stored credentials,
 * headers and CA; else the in-cluster Service through that context's API server (the kubeconfig's
 * credentials; the API server does not pass an Authorization header on, so the stored ones stay here).
 */
export async function openPrometheus(config: MeshDoctorConfig, auth: PrometheusAuth | undefined, clusters: ClusterAccessPool, context: string): Promise<PrometheusClient> {
  const where = prometheusWhere(config);
  const headers = headersOf(config);
  if (where.kind === 'url') return createPrometheusClient({ url: config.prometheusUrl, auth, headers, caPem: caOf(config), timeoutSeconds: config.requestTimeoutSeconds });
  return createServiceProxyPrometheusClient(clusters.accessFor(context).clients, where.service, headers);
}
