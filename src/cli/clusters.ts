import { DEFAULT_CONNECT_TIMEOUT_MINIMUM } from '../core/connectTimeoutMinimum';
import { revealInvisible } from '../core/text/invisible';
import { formatDuration } from '../core/duration';
import { isLowConnectTimeout } from '../core/envoy/clusterRows';
import type { ClusterRow } from '../core/envoy/types';
import { fetchClusterRows, toClusterRowsError } from '../kube/envoyAdmin';
import { openClusterAccess } from '../kube/transport';
import { DEFAULT_REQUEST_TIMEOUT_SECONDS } from '../kube/deadline';
import { minimumOption, oneOf, parseCommandArgs, podOption, runCommand, UsageError, EXIT_OK, type CliIo } from './args';
import { CLUSTER_OPTIONS, clusterAccessSettings, readClusterFlags } from './clusterFlags';
import { cliHint } from './clusterHints';

export const CLUSTERS_USAGE = `mesh-doctor clusters --pod NAMESPACE/POD [--context C] [--kubeconfig F] [--format text|json] [--minimum 10s]
    [--timeout SECONDS] [--transport api|kubectl] [--kubectl PATH]

Lists the Envoy clusters of a pod's sidecar with their type, connect timeout and the
upstream_cx_connect_timeout / upstream_cx_connect_fail counters (port-forward to the Envoy admin
API, or exec of pilot-agent when port-forward is refused).

  --pod         the pod, as NAMESPACE/NAME
  --context     kube context (default: the kubeconfig's current-context)
  --kubeconfig  kubeconfig file(s) (default: KUBECONFIG, else ~/.kube/config)
  --format      text (an aligned table, default) or json
  --minimum     connect timeouts below this are flagged low (default 10s)
  --timeout     seconds each call to the cluster may take (default ${DEFAULT_REQUEST_TIMEOUT_SECONDS})
  --transport   api (client-node: port-forward, exec fallback; default) or kubectl (kubectl exec
                of pilot-agent request in istio-proxy)
  --kubectl     the kubectl binary for --transport kubectl (default: kubectl from PATH)

Exit status: 0 listed, 1 the pod could not be reached, 2 bad usage.`;

const EXIT_UNREACHABLE = 1;

/** The JSON row: the documented fields, without the raw config (use the explorer for that). */
function toJson(r: ClusterRow, minimumSeconds: number) {
  return {
    name: r.name,
    direction: r.direction,
    host: r.host,
    port: r.port,
    type: r.type,
    connectTimeoutSeconds: r.connectTimeoutSeconds,
    connectTimeoutDefaulted: r.connectTimeoutDefaulted,
    low: isLowConnectTimeout(r, minimumSeconds),
    connectTimeouts: r.connectTimeouts,
    connectFailures: r.connectFailures,
    connectFailuresSource: r.connectFailuresSource,
    hostCounters: r.hostCounters,
    endpoints: r.endpoints,
  };
}

/** Control and bidi characters made visible, so a hostile cluster name cannot rewrite the terminal. */
const printable = revealInvisible;

export function formatClusterTable(rows: readonly ClusterRow[], minimumSeconds: number): string {
  const header = ['DIRECTION', 'NAME', 'TYPE', 'CONNECT', 'CX_TIMEOUTS', 'CX_FAILS'];
  const cells = rows.map((r) => [
    r.direction,
    printable(r.name),
    printable(r.type),
    r.connectTimeoutSeconds === null ? '?' : `${r.connectTimeoutDefaulted ? 'default ' : ''}${formatDuration(r.connectTimeoutSeconds)}${isLowConnectTimeout(r, minimumSeconds) ? ' LOW' : ''}`,
    r.connectTimeouts === null ? 'n/a' : String(r.connectTimeouts),
    r.connectFailures === null ? 'n/a' : `${r.connectFailures}${r.connectFailuresSource === 'host-counters' ? ' (hosts)' : ''}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const table = [header, ...cells].map((line) => line.map((c, i) => (i === line.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
  return table + signalNote(rows);
}

/**
 * Which signal the counts come from, under the table: on a default install the cluster stats
 * are not exported, so CX_TIMEOUTS is n/a and CX_FAILS is the hosts' cx_connect_fail.
 */
function signalNote(rows: readonly ClusterRow[]): string {
  if (!rows.some((r) => r.connectFailuresSource !== 'cluster-stats')) return '';
  return (
    "\n(hosts): from the per-host counters of /clusters (cx_connect_fail, connect timeouts included): Istio's default stats matcher does not export cluster stats.\n" +
    'To export them, annotate the pod: proxy.istio.io/config: \'{"proxyStatsMatcher":{"inclusionRegexps":[".*upstream_cx_connect_.*"]}}\'\n'
  );
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  return runCommand('clusters', CLUSTERS_USAGE, argv, io, async () => {
    const { values, positionals } = parseCommandArgs({
      args: argv,
      options: {
        pod: { type: 'string' },
        format: { type: 'string', default: 'text' },
        minimum: { type: 'string', default: DEFAULT_CONNECT_TIMEOUT_MINIMUM.text },
        ...CLUSTER_OPTIONS,
      },
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const { namespace, name } = podOption(values.pod);
    const format = oneOf('format', values.format ?? 'text', ['text', 'json'] as const);
    const minimumSeconds = minimumOption(values.minimum ?? DEFAULT_CONNECT_TIMEOUT_MINIMUM.text);
    const flags = readClusterFlags(values);
    const settings = clusterAccessSettings(flags, io.cwd);
    let rows: ClusterRow[];
    try {
      const access = openClusterAccess(settings, flags.context);
      rows = await fetchClusterRows(access.transport.admin, { context: access.clients.context, namespace, name });
    } catch (err) {
      const e = toClusterRowsError(err, `read Envoy clusters of ${namespace}/${name}`);
      io.stderr(`mesh-doctor clusters: ${e.message}\nWhat to do: ${cliHint(e)}\n`);
      return EXIT_UNREACHABLE;
    }
    io.stdout(format === 'json' ? `${JSON.stringify(rows.map((r) => toJson(r, minimumSeconds)), null, 2)}\n` : formatClusterTable(rows, minimumSeconds));
    return EXIT_OK;
  });
}
