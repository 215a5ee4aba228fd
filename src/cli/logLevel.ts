import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './args';
import { loadKubeConfig } from '../kube/kubeconfig';
import { createKubeClients, KubeClients, toKubeAccessError } from '../kube/clients';
import { createTransport } from '../kube/transport';
import { EnvoyAdminClient, KubeAccessError, PodRef, TransportKind } from '../kube/types';
import { formatLoggerLevels, LoggerLevels, toEnvoyLogLevel } from '../core/envoyLogging/levels';
import { LoggingChange, loggingRequests, parseLoggersSpec } from '../core/envoyLogging/change';
import { PartialRaiseError, readPodLevels, raisePodLevels, restorePodLevels } from '../core/envoyLogging/podLevels';
import { injectorDefaultChange } from '../core/envoyLogging/injectorLevel';
import { parseEnvoyLoggingListing } from '../core/envoyLogging/levels';
import { addRaised, defaultStateFile, removeRaised, updateStateFile } from '../core/envoyLogging/stateFile';
import { RaisedPod, raisedPodKey } from '../core/envoyLogging/raisedState';

export const LOG_LEVEL_USAGE = `mesh-doctor log-level --pod NAMESPACE/POD [--context C] [--kubeconfig F]
    [--level L | --loggers a:debug,b:debug | --restore] [--for MINUTES] [--format text|json]
    [--transport api|kubectl] [--kubectl PATH]

Prints a pod's Envoy log levels, or changes them and remembers the previous ones
(in $XDG_CACHE_HOME/mesh-doctor/log-levels.json) so --restore puts back exactly those.
  --level L        every logger to L (trace, debug, info, warning, error, critical, off)
  --loggers LIST   named loggers, e.g. connection:debug,pool:debug
  --restore        the levels saved by the last raise from this machine; with none saved,
                   the injector's level (sidecar.istio.io/logLevel, --proxyLogLevel) or warning
  --for MINUTES    keep the raise that long (fractions allowed), then restore; Ctrl-C restores too`;

/** The cluster could not be reached or changed, or a restore did not land exactly. */
const EXIT_FAILED = 1;

/** The CLI's I/O, plus what tests substitute: the environment and the signal source. */
export interface LogLevelIo extends CliIo {
  readonly env?: NodeJS.ProcessEnv;
  /** Where SIGINT/SIGTERM come from; the real process by default (tests pass an emitter). */
  readonly signals?: Pick<NodeJS.Process, 'once' | 'removeListener'>;
}

interface LogLevelArgs {
  pod: PodRef;
  kubeconfig?: string;
  change?: LoggingChange;
  restore: boolean;
  forMinutes?: number;
  format: 'text' | 'json';
  transport: TransportKind;
  kubectl: string;
}

/** Parses argv; throws a one-line message for the user on bad input. */
export function parseLogLevelArgs(argv: string[]): LogLevelArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      pod: { type: 'string' },
      context: { type: 'string' },
      kubeconfig: { type: 'string' },
      level: { type: 'string' },
      loggers: { type: 'string' },
      restore: { type: 'boolean', default: false },
      for: { type: 'string' },
      format: { type: 'string', default: 'text' },
      transport: { type: 'string', default: 'api' },
      kubectl: { type: 'string', default: 'kubectl' },
    },
    strict: true,
    allowPositionals: false,
  });
  const podArg = values.pod ?? '';
  const slash = podArg.indexOf('/');
  if (slash <= 0 || slash === podArg.length - 1) throw new Error('--pod NAMESPACE/POD is required (e.g. --pod shop/checkout-7d9f-abcde)');
  const modes = [values.level !== undefined, values.loggers !== undefined, values.restore].filter(Boolean).length;
  if (modes > 1) throw new Error('use only one of --level, --loggers and --restore');
  let change: LoggingChange | undefined;
  if (values.level !== undefined) {
    const level = toEnvoyLogLevel(values.level);
    if (!level) throw new Error(`--level ${values.level}: expected one of trace, debug, info, warning, error, critical, off`);
    change = { kind: 'all', level };
  } else if (values.loggers !== undefined) {
    change = parseLoggersSpec(values.loggers, toEnvoyLogLevel);
  }
  let forMinutes: number | undefined;
  if (values.for !== undefined) {
    forMinutes = Number(values.for);
    if (!Number.isFinite(forMinutes) || forMinutes <= 0) throw new Error(`--for ${values.for}: expected a positive number of minutes (fractions allowed, e.g. 0.5)`);
    if (!change) throw new Error('--for needs --level or --loggers');
  }
  if (values.format !== 'text' && values.format !== 'json') throw new Error(`--format ${values.format}: expected text or json`);
  if (values.transport !== 'api' && values.transport !== 'kubectl') throw new Error(`--transport ${values.transport}: expected api or kubectl`);
  return {
    pod: { context: values.context ?? '', namespace: podArg.slice(0, slash), name: podArg.slice(slash + 1) },
    ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
    ...(change ? { change } : {}),
    restore: values.restore ?? false,
    ...(forMinutes !== undefined ? { forMinutes } : {}),
    format: values.format,
    transport: values.transport,
    kubectl: values.kubectl ?? 'kubectl',
  };
}

/** `mesh-doctor log-level ...`: returns the process exit code. */
export async function run(argv: string[], io: LogLevelIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`${LOG_LEVEL_USAGE}\n`);
    return EXIT_OK;
  }
  let args: LogLevelArgs;
  try {
    args = parseLogLevelArgs(argv);
  } catch (err) {
    io.stderr(`mesh-doctor log-level: ${(err as Error).message}\n\n${LOG_LEVEL_USAGE}\n`);
    return EXIT_USAGE;
  }
  try {
    return await execute(args, io);
  } catch (err) {
    const hint = err instanceof KubeAccessError ? `\n  what to do: ${err.hint}` : '';
    io.stderr(`mesh-doctor log-level: ${(err as Error).message}${hint}\n`);
    return EXIT_FAILED;
  }
}

async function execute(args: LogLevelArgs, io: LogLevelIo): Promise<number> {
  const env = io.env ?? process.env;
  const kubeconfig = args.kubeconfig ? path.resolve(io.cwd, args.kubeconfig) : undefined;
  const kc = loadKubeConfig(kubeconfig ? { kubeconfigSetting: kubeconfig } : {}, env);
  const clients = createKubeClients(kc, args.pod.context || undefined);
  const pod: PodRef = { ...args.pod, context: clients.context };
  const kubeconfigFiles = kubeconfig ? [kubeconfig] : env.KUBECONFIG ? env.KUBECONFIG.split(path.delimiter) : [];
  const admin = createTransport(args.transport, clients, args.kubectl, kubeconfigFiles).admin;
  const stateFile = defaultStateFile(env);
  const print = (levels: LoggerLevels): void => io.stdout(args.format === 'json' ? JSON.stringify({ loggers: levels }, null, 2) + '\n' : formatLoggerLevels(levels) + '\n');

  if (args.restore) {
    const raw = await readPod(clients, pod);
    const key = raisedPodKey(pod, raw.metadata?.uid ?? '');
    const record = await updateStateFile(stateFile, (pods) => removeRaised(pods, key));
    if (record) {
      const outcome = await restorePodLevels(admin, pod, record.saved);
      if (outcome.mismatches.length > 0) io.stderr(`warning: still not at the saved level: ${outcome.mismatches.join(', ')}\n`);
      print(outcome.after);
      return outcome.mismatches.length > 0 ? EXIT_FAILED : EXIT_OK;
    }
    const fallback = injectorDefaultChange(raw);
    io.stderr(`No saved levels for ${pod.namespace}/${pod.name} from this machine; restoring the ${fallback.source}.\n`);
    print(await applyChanges(admin, pod, fallback.change));
    return EXIT_OK;
  }

  if (!args.change) {
    print(await readPodLevels(admin, pod));
    return EXIT_OK;
  }

  const raw = await readPod(clients, pod);
  const uid = raw.metadata?.uid ?? '';
  const now = Date.now();
  const save = (saved: LoggerLevels) =>
    updateStateFile(stateFile, (pods) =>
      addRaised(pods, {
        pod,
        uid,
        saved,
        raisedAt: now,
        revertAt: args.forMinutes !== undefined ? now + args.forMinutes * 60_000 : null,
        description: describeChange(args.change!),
      }),
    );
  // The levels are saved before the first change, so even a crash mid-raise leaves them restorable.
  let record: RaisedPod | undefined;
  let outcome;
  try {
    outcome = await raisePodLevels(admin, pod, args.change, undefined, async (before) => {
      record = await save(before);
    });
  } catch (err) {
    if (err instanceof PartialRaiseError) {
      throw new Error(`${err.message} (the pod may be partly raised; run with --restore to put the saved levels back)`);
    }
    throw err;
  }
  const saved = record!.saved;
  if (outcome.unknown.length > 0) io.stderr(`warning: this Envoy has no logger named ${outcome.unknown.join(', ')} (skipped)\n`);
  print(outcome.after);
  if (args.forMinutes === undefined) return EXIT_OK;

  io.stderr(`Keeping these levels for ${args.forMinutes} min, then restoring (Ctrl-C restores now).\n`);
  await waitOrSignal(args.forMinutes * 60_000, io.signals ?? process);
  await updateStateFile(stateFile, (pods) => removeRaised(pods, raisedPodKey(pod, uid)));
  const restored = await restorePodLevels(admin, pod, saved);
  io.stderr(`Restored ${pod.namespace}/${pod.name} with ${restored.requests} request(s).\n`);
  print(restored.after);
  return restored.mismatches.length > 0 ? EXIT_FAILED : EXIT_OK;
}

async function readPod(clients: KubeClients, pod: PodRef) {
  try {
    return await clients.core.readNamespacedPod({ name: pod.name, namespace: pod.namespace });
  } catch (err) {
    throw toKubeAccessError(err, `get pods in namespace ${pod.namespace}`, clients.server);
  }
}

async function applyChanges(admin: EnvoyAdminClient, pod: PodRef, changes: LoggingChange[]): Promise<LoggerLevels> {
  let after = await readPodLevels(admin, pod);
  for (const change of changes) {
    for (const req of loggingRequests(change)) after = parseEnvoyLoggingListing(await admin.request(pod, 'POST', req));
  }
  return after;
}

export function describeChange(change: LoggingChange): string {
  if (change.kind === 'all') return `all loggers at ${change.level}`;
  return Object.entries(change.levels).map(([n, l]) => `${n}:${l}`).join(',');
}

/** Resolves after `ms` or on the first SIGINT/SIGTERM, whichever comes first. */
function waitOrSignal(ms: number, signals: Pick<NodeJS.Process, 'once' | 'removeListener'>): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signals.removeListener('SIGINT', done);
      signals.removeListener('SIGTERM', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signals.once('SIGINT', done);
    signals.once('SIGTERM', done);
  });
}
