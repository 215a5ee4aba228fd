import * as path from 'node:path';
import { readCaBundle } from '../files/caFile';
import { revealInvisible } from '../core/text/invisible';
import { sparkline } from '../core/overview/sparkline';
import type { OverviewRow } from '../core/overview/types';
import { DEFAULT_REQUEST_TIMEOUT_SECONDS } from '../kube/deadline';
import { createPrometheusClient, createServiceProxyPrometheusClient, DEFAULT_PROMETHEUS_SERVICE, isValidHeader, parsePrometheusService, PrometheusError, type PrometheusAuth, type PrometheusClient, type PrometheusService } from '../kube/prometheus';
import { DEFAULT_OVERVIEW_LIMIT, fetchMeshOverview, type MeshOverview } from '../kube/prometheusOverview';
import { loadClusterConfig, openClusterAccess } from '../kube/transport';
import { KubeAccessError } from '../kube/types';
import { oneOf, parseCommandArgs, runCommand, timeoutOption, UsageError, EXIT_OK, type CliIo } from './args';
import { clusterAccessSettings } from './clusterFlags';
import { cliHint } from './clusterHints';

export const OVERVIEW_USAGE = `mesh-doctor overview [--prometheus URL] [--context C] [--kubeconfig F] [--minutes N] [--format text|json]
    [--service NAMESPACE/NAME:PORT] [--header 'Name: value']... [--ca FILE] [--limit N] [--timeout SECONDS]

Where connections fail across the mesh, from the Prometheus that scrapes Istio's standard metrics:
every source workload -> upstream with failed requests or connections in the last N minutes,
worst first, broken down by Envoy response flag, with the cause the dominant flag points to
(made specific by Envoy's cluster stats where proxyStatsMatcher exports them).

  --prometheus  the Prometheus (or Thanos, Mimir, VictoriaMetrics) base URL; without it, the
                in-cluster Service is reached through the API server's service proxy
  --service     that Service (default ${DEFAULT_PROMETHEUS_SERVICE.namespace}/${DEFAULT_PROMETHEUS_SERVICE.name}:${DEFAULT_PROMETHEUS_SERVICE.port})
  --context     kube context for the service proxy (default: the kubeconfig's current-context)
  --kubeconfig  kubeconfig file(s) (default: KUBECONFIG, else ~/.kube/config)
  --minutes     the window, whole minutes (default 5)
  --format      text (an aligned table, default) or json (the rows, worst first)
  --header      an extra request header, e.g. 'X-Scope-OrgID: tenant-1' (repeatable)
  --ca          PEM file of the CA that signs the Prometheus server certificate (TLS is always verified)
  --limit       at most this many series per query (default ${DEFAULT_OVERVIEW_LIMIT})
  --timeout     seconds each request may take (default ${DEFAULT_REQUEST_TIMEOUT_SECONDS})

Credentials come from the environment, never the command line: MESH_DOCTOR_PROMETHEUS_TOKEN (a
bearer token), or MESH_DOCTOR_PROMETHEUS_USERNAME and MESH_DOCTOR_PROMETHEUS_PASSWORD (basic auth).

Exit status: 0 listed (also when nothing failed), 1 no Prometheus could be reached or it refused
the queries, 2 bad usage.`;

const EXIT_UNREACHABLE = 1;
const MAX_MINUTES = 7 * 24 * 60;

const printable = revealInvisible;

function minutesOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_MINUTES) throw new UsageError(`--minutes ${JSON.stringify(value)}: expected whole minutes from 1 to ${MAX_MINUTES}`);
  return n;
}

function limitOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new UsageError(`--limit ${JSON.stringify(value)}: expected a whole number from 1 to 10000`);
  return n;
}

function serviceOption(value: string | undefined): PrometheusService {
  if (value === undefined) return DEFAULT_PROMETHEUS_SERVICE;
  const service = parsePrometheusService(value);
  if (!service) throw new UsageError(`--service ${JSON.stringify(value)}: expected NAMESPACE/NAME[:PORT], e.g. monitoring/prometheus-operated:9090`);
  return service;
}

function headersOption(values: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of values) {
    const m = /^([^:]*):\s*(.*)$/s.exec(h);
    if (!m || !isValidHeader(m[1], m[2])) throw new UsageError(`--header: expected 'Name: value' on one line (got ${JSON.stringify(h.split(':')[0])}…)`);
    headers[m[1]] = m[2];
  }
  return headers;
}

function authFromEnv(env: NodeJS.ProcessEnv): PrometheusAuth | undefined {
  if (env.MESH_DOCTOR_PROMETHEUS_TOKEN) return { kind: 'bearer', token: env.MESH_DOCTOR_PROMETHEUS_TOKEN };
  if (env.MESH_DOCTOR_PROMETHEUS_USERNAME) return { kind: 'basic', username: env.MESH_DOCTOR_PROMETHEUS_USERNAME, password: env.MESH_DOCTOR_PROMETHEUS_PASSWORD ?? '' };
  return undefined;
}

function readCa(file: string): string {
  try {
    return readCaBundle(file);
  } catch (err) {
    throw new UsageError(`--ca ${JSON.stringify(file)}: ${(err as Error).message}`);
  }
}

function flagsText(flags: Readonly<Record<string, number>>): string {
  return Object.entries(flags).map(([f, r]) => `${printable(f)} ${r.toFixed(3)}`).join(', ') || '-';
}

export function formatOverviewTable(o: MeshOverview): string {
  const title = `Connection failures in the last ${o.minutes} min, worst first (Prometheus ${printable(o.endpoint)}):\n`;
  if (o.rows.length === 0) return `${title}none: no source workload reports failed requests or connections.\n`;
  const header = ['SOURCE', 'DESTINATION', 'RATE/S', 'FLAGS (/s)', 'CAUSE', 'TREND'];
  const cells = o.rows.map((r: OverviewRow) => [
    `${printable(r.sourceNamespace)}/${printable(r.sourceWorkload)}`,
    printable(r.destination),
    r.ratePerSecond.toFixed(3),
    flagsText(r.responseFlags),
    r.cause ?? '?',
    sparkline(r.series.map(([, v]) => v)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  return title + [header, ...cells].map((line) => line.map((c, i) => (i === line.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}

/** How to point the overview at a Prometheus, under any failure to reach one. */
function unreachableHint(explicit: boolean, service: PrometheusService): string {
  const where = `${service.namespace}/${service.name}:${service.port}`;
  return explicit
    ? 'check the URL (--prometheus), the credentials (MESH_DOCTOR_PROMETHEUS_TOKEN, or _USERNAME and _PASSWORD), --header and --ca, then retry'
    : `no Prometheus answered as the Service ${where} through the API server: pass --prometheus URL (e.g. after kubectl port-forward -n istio-system svc/prometheus 9090), or name the Service with --service NAMESPACE/NAME:PORT`;
}

export async function run(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return runCommand('overview', OVERVIEW_USAGE, argv, io, async () => {
    const { values, positionals } = parseCommandArgs({
      args: argv,
      options: {
        prometheus: { type: 'string' },
        service: { type: 'string' },
        context: { type: 'string' },
        kubeconfig: { type: 'string' },
        minutes: { type: 'string', default: '5' },
        format: { type: 'string', default: 'text' },
        header: { type: 'string', multiple: true, default: [] },
        ca: { type: 'string' },
        limit: { type: 'string', default: String(DEFAULT_OVERVIEW_LIMIT) },
        timeout: { type: 'string', default: String(DEFAULT_REQUEST_TIMEOUT_SECONDS) },
      },
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const format = oneOf('format', values.format ?? 'text', ['text', 'json'] as const);
    const minutes = minutesOption(values.minutes ?? '5');
    const limit = limitOption(values.limit ?? String(DEFAULT_OVERVIEW_LIMIT));
    const timeoutSeconds = timeoutOption(values.timeout ?? String(DEFAULT_REQUEST_TIMEOUT_SECONDS));
    const service = serviceOption(values.service);
    const headers = headersOption(values.header ?? []);
    const caPem = values.ca ? readCa(path.resolve(io.cwd, values.ca)) : undefined;
    const explicit = values.prometheus !== undefined;
    let overview: MeshOverview;
    try {
      let client: PrometheusClient;
      if (explicit) {
        client = createPrometheusClient({ url: values.prometheus!, auth: authFromEnv(env), headers, caPem, timeoutSeconds });
      } else {
        // The service proxy is an API request: no kubectl transport here.
        const settings = clusterAccessSettings({ context: values.context, kubeconfig: values.kubeconfig || undefined, transport: 'api', kubectl: 'kubectl', requestTimeoutSeconds: timeoutSeconds }, io.cwd);
        const access = openClusterAccess(settings, values.context, loadClusterConfig(settings, env));
        client = await createServiceProxyPrometheusClient(access.clients, service, headers);
      }
      overview = await fetchMeshOverview(client, { minutes, limit });
    } catch (err) {
      if (err instanceof PrometheusError) {
        io.stderr(`mesh-doctor overview: ${printable(err.message)}\nWhat to do: ${err.kind === 'api' ? 'the server is a Prometheus API but refused the query: check --limit and --minutes, or its query limits' : unreachableHint(explicit, service)}\n`);
        return EXIT_UNREACHABLE;
      }
      if (err instanceof KubeAccessError) {
        io.stderr(`mesh-doctor overview: ${printable(err.message)}\nWhat to do: ${cliHint(err)}; or pass --prometheus URL\n`);
        return EXIT_UNREACHABLE;
      }
      throw err;
    }
    for (const w of overview.warnings) io.stderr(`mesh-doctor overview: warning from Prometheus (the result may be partial): ${printable(w)}\n`);
    io.stdout(format === 'json' ? `${JSON.stringify(overview.rows, null, 2)}\n` : formatOverviewTable(overview));
    return EXIT_OK;
  });
}
