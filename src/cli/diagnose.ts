/**
 * `mesh-doctor diagnose`: gathers a pod's or a workload's evidence (config, two stats samples,
 * logs), runs the correlator and the live checks, and prints one ranked list of causes with their
 * evidence, where the workspace sets the value and the fix. It never changes the cluster's
 * configuration.
 */

import * as path from 'node:path';
import { DEFAULT_CONNECT_TIMEOUT_MINIMUM } from '../core/connectTimeoutMinimum';
import { rankCauses } from '../core/diagnose/rank';
import { gatherEvidence, MAX_DEBUG_MINUTES, type DiagnoseTarget } from '../kube/diagnoseEvidence';
import { DEFAULT_REQUEST_TIMEOUT_SECONDS } from '../kube/deadline';
import { openClusterAccess } from '../kube/transport';
import { KubeAccessError } from '../kube/types';
import { type WorkloadKind } from '../kube/workloads';
import { parseNamespacedPod } from '../core/kubeNames';
import { EXIT_OK, minimumOption, oneOf, parseCommandArgs, podOption, runCommand, UsageError, type CliIo } from './args';
import { cliHint } from './clusterHints';
import { CLUSTER_OPTIONS, clusterAccessSettings, readClusterFlags } from './clusterFlags';
import { formatDiagnosis } from './diagnoseFormats';
import { workspaceSettingLocator } from './workspaceSettings';
import { checkProtectedContext, stateFileDebugRaiser } from './diagnoseDebug';
import { defaultStateFile } from '../files/stateFile';

const MAX_MINUTES = 24 * 60;
const MAX_SAMPLE_SECONDS = 600;
/** Contexts where raising log levels needs --confirm-protected (the editor's meshDoctor.protectedContexts default). */
const DEFAULT_PROTECTED = ['*prod*'];
/** The signals that end a diagnosis early; a raised debug window is restored first. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The CLI's I/O, plus what tests substitute: the environment (for the state file) and the signal source. */
export interface DiagnoseIo extends CliIo {
  readonly env?: NodeJS.ProcessEnv;
  readonly signals?: Pick<NodeJS.Process, 'once' | 'removeListener'>;
}

export const DIAGNOSE_USAGE = `mesh-doctor diagnose --pod NAMESPACE/POD | --workload NAMESPACE/KIND/NAME [--minutes N]
    [--sample-seconds S] [--debug-minutes N [--confirm-protected]] [--format text|json|markdown] [--workspace DIR] [--minimum 10s]
    [--context C] [--kubeconfig F] [--transport api|kubectl] [--kubectl PATH] [--timeout SECONDS]

Finds why connections fail: reads the pod's Envoy cluster config, two stats samples some seconds
apart (so counters give rates), and the last minutes of the app containers' and istio-proxy's
logs; runs the correlator on the logs and the live checks on config and stats; prints the causes
ranked first to last, each with its evidence, the manifest in the workspace that sets the value,
and the fix. Mesh Doctor never changes the cluster's configuration.

  --pod             the pod, as NAMESPACE/NAME
  --workload        a workload's pods, as NAMESPACE/KIND/NAME (KIND: deployment, statefulset, daemonset)
  --minutes         minutes of logs to read (default 5, at most ${MAX_MINUTES})
  --sample-seconds  seconds between the two stats samples (default 10, at most ${MAX_SAMPLE_SECONDS})
  --debug-minutes   raise Envoy debug logging (connection, pool, conn_handler, upstream, router, http,
                    filter) for N minutes (at most ${MAX_DEBUG_MINUTES}), then restore the saved levels exactly;
                    saved first in $XDG_CACHE_HOME/mesh-doctor/log-levels.json, so after a crash
                    \`mesh-doctor log-level --pod P --restore\` puts them back; Ctrl-C restores too
  --confirm-protected  allow --debug-minutes in a context matching --protected-context
  --protected-context  a context pattern (* and ?) where raising needs confirming (default *prod*; repeatable)
  --format          text (default), json, or markdown (a postmortem report)
  --workspace       the folder whose Istio manifests are searched for the settings (default: .)
  --minimum         connect timeouts below this are low (default 10s)
  --context         kube context (default: the kubeconfig's current-context)
  --kubeconfig      kubeconfig file(s) (default: KUBECONFIG, else ~/.kube/config)
  --transport       api (client-node, default) or kubectl
  --kubectl         the kubectl binary for --transport kubectl (default: kubectl from PATH)
  --timeout         seconds each call to the cluster may take (default ${DEFAULT_REQUEST_TIMEOUT_SECONDS})

Exit status: 0 diagnosed (with or without a cause), 1 the cluster or the pod could not be read
(or a signal stopped it), 2 bad usage (also: --debug-minutes in a protected context without
--confirm-protected).`;

const EXIT_UNREACHABLE = 1;

const WORKLOAD_KINDS: Readonly<Record<string, WorkloadKind>> = { deployment: 'Deployment', statefulset: 'StatefulSet', daemonset: 'DaemonSet' };

/** Reads `--workload NAMESPACE/KIND/NAME`. */
export function workloadOption(value: string): { namespace: string; kind: WorkloadKind; name: string } {
  const example = '(e.g. --workload shop/deployment/checkout)';
  const parts = value.split('/');
  const kind = parts.length === 3 ? WORKLOAD_KINDS[parts[1]!.toLowerCase()] : undefined;
  if (parts.length !== 3 || !kind) throw new UsageError(`--workload NAMESPACE/KIND/NAME with KIND deployment, statefulset or daemonset ${example}`);
  const parsed = parseNamespacedPod(`${parts[0]}/${parts[2]}`);
  if (typeof parsed === 'string') throw new UsageError(`--workload: the ${parsed} ${example}`);
  return { namespace: parsed.namespace, kind, name: parsed.name };
}

export function numberOption(name: string, value: string, max: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) throw new UsageError(`--${name} ${JSON.stringify(value)}: expected a number above 0, at most ${max}`);
  return n;
}

export async function run(argv: string[], io: DiagnoseIo): Promise<number> {
  return runCommand('diagnose', DIAGNOSE_USAGE, argv, io, async () => {
    const { values, positionals } = parseCommandArgs({
      args: argv,
      options: {
        pod: { type: 'string' },
        workload: { type: 'string' },
        minutes: { type: 'string', default: '5' },
        'sample-seconds': { type: 'string', default: '10' },
        'debug-minutes': { type: 'string' },
        'confirm-protected': { type: 'boolean', default: false },
        'protected-context': { type: 'string', multiple: true },
        format: { type: 'string', default: 'text' },
        workspace: { type: 'string', default: '.' },
        minimum: { type: 'string', default: DEFAULT_CONNECT_TIMEOUT_MINIMUM.text },
        ...CLUSTER_OPTIONS,
      },
      allowPositionals: true,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    if ((values.pod === undefined) === (values.workload === undefined)) throw new UsageError('give one of --pod NAMESPACE/POD and --workload NAMESPACE/KIND/NAME');
    const format = oneOf('format', values.format ?? 'text', ['text', 'json', 'markdown'] as const);
    const minutes = numberOption('minutes', values.minutes ?? '5', MAX_MINUTES);
    const sampleSeconds = numberOption('sample-seconds', values['sample-seconds'] ?? '10', MAX_SAMPLE_SECONDS);
    const debugMinutes = values['debug-minutes'] === undefined ? 0 : numberOption('debug-minutes', values['debug-minutes'], MAX_DEBUG_MINUTES);
    const minimumSeconds = minimumOption(values.minimum ?? DEFAULT_CONNECT_TIMEOUT_MINIMUM.text);
    const flags = readClusterFlags(values);
    const settings = clusterAccessSettings(flags, io.cwd);
    const pod = values.pod !== undefined ? podOption(values.pod) : null;
    const workload = values.workload !== undefined ? workloadOption(values.workload) : null;
    const workspace = path.resolve(io.cwd, values.workspace ?? '.');
    try {
      const access = openClusterAccess(settings, flags.context);
      const context = access.clients.context;
      const target: DiagnoseTarget = pod ? { kind: 'pod', pod: { context, ...pod } } : { kind: 'workload', workload: { context, ...workload! } };
      if (debugMinutes > 0) checkProtectedContext(context, values['protected-context'] ?? DEFAULT_PROTECTED, values['confirm-protected'] ?? false);
      const raiseDebug = debugMinutes > 0 ? stateFileDebugRaiser(defaultStateFile(io.env ?? process.env), debugMinutes) : undefined;
      if (debugMinutes > 0) io.stderr(`Raising Envoy debug logging for ${debugMinutes} min, then restoring it (Ctrl-C ends the wait and restores).\n`);
      const stop = new AbortController();
      const signals = io.signals ?? process;
      const onSignal = () => stop.abort();
      for (const s of STOP_SIGNALS) signals.once(s, onSignal);
      try {
        const [evidence, locate] = await Promise.all([
          gatherEvidence(access, target, { minutes, sampleSeconds, debugMinutes, ...(raiseDebug ? { raiseDebug } : {}), signal: stop.signal }),
          workspaceSettingLocator(workspace),
        ]);
        io.stdout(formatDiagnosis(rankCauses(evidence, { minimumSeconds, locate }), format));
        return EXIT_OK;
      } catch (err) {
        if (!stop.signal.aborted) throw err;
        io.stderr('mesh-doctor diagnose: stopped before the evidence was complete; raised log levels were restored.\n');
        return EXIT_UNREACHABLE;
      } finally {
        for (const s of STOP_SIGNALS) signals.removeListener(s, onSignal);
      }
    } catch (err) {
      if (!(err instanceof KubeAccessError)) throw err;
      io.stderr(`mesh-doctor diagnose: ${err.message}\nWhat to do: ${cliHint(err)}\n`);
      return EXIT_UNREACHABLE;
    }
  });
}
