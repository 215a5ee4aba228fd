/**
 * `mesh-doctor verify`: after the user applied a fix (through their pipeline or kubectl), waits
 * until the affected pods' Envoys have the fixed value on the given clusters and their connect
 * failures stay flat for a window; says when it was verified and how long it took, or what still
 * fails. A command of its own rather than `diagnose --verify`: it runs after the change, often long
 * after the diagnosis, waits for minutes, and its exit status answers one question (verified or not).
 */

import { DEFAULT_CONNECT_TIMEOUT_MINIMUM } from '../core/connectTimeoutMinimum';
import { timeoutChangeText } from '../core/diagnose/report';
import { revealInvisible } from '../core/text/invisible';
import type { DiagnoseTarget } from '../kube/diagnoseEvidence';
import { DEFAULT_REQUEST_TIMEOUT_SECONDS } from '../kube/deadline';
import { openClusterAccess } from '../kube/transport';
import { KubeAccessError } from '../kube/types';
import { verifyFix, type VerifyResult } from '../kube/verifyFix';
import { EXIT_FINDINGS, EXIT_OK, minimumOption, oneOf, parseCommandArgs, podOption, runCommand, UsageError, type CliIo } from './args';
import { cliHint } from './clusterHints';
import { CLUSTER_OPTIONS_WITH_REQUEST_TIMEOUT, clusterAccessSettings, readClusterFlags } from './clusterFlags';
import { numberOption, workloadOption } from './diagnose';

const MAX_WAIT_SECONDS = 24 * 3600;

export const VERIFY_USAGE = `mesh-doctor verify --pod NAMESPACE/POD | --workload NAMESPACE/KIND/NAME --cluster NAME...
    [--window SECONDS] [--timeout SECONDS] [--interval SECONDS] [--minimum 10s] [--format text|json]
    [--context C] [--kubeconfig F] [--transport api|kubectl] [--kubectl PATH] [--request-timeout SECONDS]

After you applied a fix, waits until every running pod of the target (a pod is followed through its
workload, so restarted and new replicas count) has a connect timeout of at least --minimum on each
--cluster and its connect failures stayed flat for --window seconds since.

  --cluster          an affected cluster, e.g. 'outbound|443||idp.example.com' (repeat for more)
  --window           seconds the failure counters must stay flat (default 60)
  --timeout          seconds to wait at most (default 600, at most ${MAX_WAIT_SECONDS})
  --interval         seconds between looks (default 5)
  --minimum          connect timeouts below this are still the problem (default 10s)
  --request-timeout  seconds each call to the cluster may take (default ${DEFAULT_REQUEST_TIMEOUT_SECONDS})

Exit status: 0 verified, 1 not verified in time (what still fails is printed), or the cluster
could not be read, 2 bad usage.`;

function formatText(r: VerifyResult): string {
  const lines = r.verified
    ? [`Verified after ${r.tookSeconds} s (${r.requests} requests):`]
    : [`Not verified after ${r.tookSeconds} s (${r.requests} requests). Still failing:`, ...r.stillFailing.map((s) => `  ${s}`), 'Checked:'];
  for (const c of r.checks) lines.push(`  ${c.pod}  ${c.cluster}  connect timeout ${timeoutChangeText(c, '->')}  failures since the fix: ${c.failuresSinceFix}  flat for ${c.flatSeconds} s`);
  return lines.map(revealInvisible).join('\n') + '\n';
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  return runCommand('verify', VERIFY_USAGE, argv, io, async () => {
    const { values, positionals } = parseCommandArgs({
      args: argv,
      options: {
        pod: { type: 'string' },
        workload: { type: 'string' },
        cluster: { type: 'string', multiple: true },
        window: { type: 'string', default: '60' },
        timeout: { type: 'string', default: '600' },
        interval: { type: 'string', default: '5' },
        minimum: { type: 'string', default: DEFAULT_CONNECT_TIMEOUT_MINIMUM.text },
        format: { type: 'string', default: 'text' },
        ...CLUSTER_OPTIONS_WITH_REQUEST_TIMEOUT,
      },
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    if ((values.pod === undefined) === (values.workload === undefined)) throw new UsageError('give one of --pod NAMESPACE/POD and --workload NAMESPACE/KIND/NAME');
    const clusters = values.cluster ?? [];
    if (clusters.length === 0) throw new UsageError("give the affected cluster(s) with --cluster, e.g. --cluster 'outbound|443||idp.example.com'");
    const format = oneOf('format', values.format ?? 'text', ['text', 'json'] as const);
    const options = {
      clusters,
      minimumSeconds: minimumOption(values.minimum ?? DEFAULT_CONNECT_TIMEOUT_MINIMUM.text),
      windowSeconds: numberOption('window', values.window ?? '60', MAX_WAIT_SECONDS),
      timeoutSeconds: numberOption('timeout', values.timeout ?? '600', MAX_WAIT_SECONDS),
      intervalSeconds: numberOption('interval', values.interval ?? '5', MAX_WAIT_SECONDS),
      onProgress: (status: string) => io.stderr(`waiting: ${revealInvisible(status)}\n`),
    };
    const flags = readClusterFlags({ ...values, timeout: values['request-timeout'] }, 'request-timeout');
    const settings = clusterAccessSettings(flags, io.cwd);
    const pod = values.pod !== undefined ? podOption(values.pod) : null;
    const workload = values.workload !== undefined ? workloadOption(values.workload) : null;
    try {
      const access = openClusterAccess(settings, flags.context);
      const context = access.clients.context;
      const target: DiagnoseTarget = pod ? { kind: 'pod', pod: { context, ...pod } } : { kind: 'workload', workload: { context, ...workload! } };
      const result = await verifyFix(access, target, options);
      io.stdout(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatText(result));
      return result.verified ? EXIT_OK : EXIT_FINDINGS;
    } catch (err) {
      if (!(err instanceof KubeAccessError)) throw err;
      const hint = err.reason === 'Timeout' ? 'the cluster did not answer in time: check the API server and the pod, then retry, or allow longer with --request-timeout SECONDS' : cliHint(err);
      io.stderr(`mesh-doctor verify: ${err.message}\nWhat to do: ${hint}\n`);
      return EXIT_FINDINGS;
    }
  });
}
