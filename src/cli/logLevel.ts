import { EXIT_OK, oneOf, parseCommandArgs, podOption, runCommand, UsageError, type CliIo } from './args';
import { CLUSTER_OPTIONS, type ClusterFlags, clusterAccessSettings, readClusterFlags } from './clusterFlags';
import { cliHint } from './clusterHints';
import { type KubeClients } from '../kube/clients';
import { DEFAULT_REQUEST_TIMEOUT_SECONDS } from '../kube/deadline';
import { loadClusterConfig, openClusterAccess } from '../kube/transport';
import { type EnvoyAdminClient, KubeAccessError, type PodRef } from '../kube/types';
import { formatLoggerLevels, type LoggerLevels, toEnvoyLogLevel } from '../core/envoyLogging/levels';
import { type LoggingChange, loggingRequests, parseLoggersSpec } from '../core/envoyLogging/change';
import { PartialRaiseError, readPodLevels, raisePodLevels, restorePodLevels, type RestoreOutcome } from '../core/envoyLogging/podLevels';
import { injectorDefaultChange } from '../core/envoyLogging/injectorLevel';
import { parseEnvoyLoggingListing } from '../core/envoyLogging/levels';
import { defaultStateFile, readStateFile, updateStateFile } from '../files/stateFile';
import { addRaised, type RaisedPod, raisedPodKey, removeRaised } from '../core/envoyLogging/raisedState';
import { readPod } from '../kube/pods';

/** The cluster could not be reached or changed, or a restore did not land exactly. */
const EXIT_FAILED = 1;

/** The longest --for: 7 days (also well under setTimeout's 2^31 ms limit, past which it fires at once). */
const MAX_FOR_MINUTES = 7 * 24 * 60;

/** Waits before the 2nd, 3rd and 4th restore attempt: rides out a restarting API server or a dropped stream. */
const RESTORE_RETRY_DELAYS_MS = [500, 1500, 3000];

/** The signals that end a --for wait early (and restore): Ctrl-C, kill, the terminal closing. */
const RESTORE_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export const LOG_LEVEL_USAGE = `mesh-doctor log-level --pod NAMESPACE/POD [--context C] [--kubeconfig F]
    [--level L | --loggers a:debug,b:debug | --restore] [--for MINUTES] [--format text|json]
    [--transport api|kubectl] [--kubectl PATH] [--timeout SECONDS]

Prints a pod's Envoy log levels, or changes them and remembers the previous ones
(in $XDG_CACHE_HOME/mesh-doctor/log-levels.json) so --restore puts back exactly those.
  --level L        every logger to L (trace, debug, info, warning, error, critical, off)
  --loggers LIST   named loggers, e.g. connection:debug,pool:debug
  --restore        the levels saved by the last raise from this machine; with none saved,
                   the injector's level (sidecar.istio.io/logLevel, --proxyLogLevel) or warning
  --for MINUTES    keep the raise that long (fractions allowed, at most ${MAX_FOR_MINUTES} = 7 days), then
                   restore; Ctrl-C, SIGTERM and SIGHUP (terminal closed) restore too
  --timeout SECONDS  each call to the cluster may take (default ${DEFAULT_REQUEST_TIMEOUT_SECONDS})

A restore is retried a few times; the saved levels are forgotten only once Envoy reports them
back. When it still fails, they stay saved and the exit status is 1: run --restore again.`;

/** The CLI's I/O, plus what tests substitute: the environment and the signal source. */
export interface LogLevelIo extends CliIo {
  readonly env?: NodeJS.ProcessEnv;
  /** Where SIGINT/SIGTERM/SIGHUP come from; the real process by default (tests pass an emitter). */
  readonly signals?: Pick<NodeJS.Process, 'once' | 'removeListener'>;
}

interface LogLevelArgs {
  pod: PodRef;
  cluster: ClusterFlags;
  change?: LoggingChange;
  restore: boolean;
  forMinutes?: number;
  format: 'text' | 'json';
}

/** Parses argv; bad input is a UsageError with a one-line message. */
function parseLogLevelArgs(argv: string[]): LogLevelArgs {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      pod: { type: 'string' },
      level: { type: 'string' },
      loggers: { type: 'string' },
      restore: { type: 'boolean', default: false },
      for: { type: 'string' },
      format: { type: 'string', default: 'text' },
      ...CLUSTER_OPTIONS,
    },
    strict: true,
    allowPositionals: false,
  });
  const pod = podOption(values.pod);
  const modes = [values.level !== undefined, values.loggers !== undefined, values.restore].filter(Boolean).length;
  if (modes > 1) throw new UsageError('use only one of --level, --loggers and --restore');
  let change: LoggingChange | undefined;
  if (values.level !== undefined) {
    const level = toEnvoyLogLevel(values.level);
    if (!level) throw new UsageError(`--level ${values.level}: expected one of trace, debug, info, warning, error, critical, off`);
    change = { kind: 'all', level };
  } else if (values.loggers !== undefined) {
    try {
      change = parseLoggersSpec(values.loggers, toEnvoyLogLevel);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  let forMinutes: number | undefined;
  if (values.for !== undefined) {
    forMinutes = Number(values.for);
    if (!Number.isFinite(forMinutes) || forMinutes <= 0 || forMinutes > MAX_FOR_MINUTES) {
      throw new UsageError(`--for ${values.for}: expected minutes, more than 0 and at most ${MAX_FOR_MINUTES} (7 days; fractions allowed, e.g. 0.5)`);
    }
    if (!change) throw new UsageError('--for needs --level or --loggers');
  }
    const cluster = readClusterFlags(values);
  return {
    pod: { context: cluster.context ?? '', ...pod },
    cluster,
    ...(change ? { change } : {}),
    restore: values.restore ?? false,
    ...(forMinutes !== undefined ? { forMinutes } : {}),
    format: oneOf('format', values.format ?? 'text', ['text', 'json'] as const),
  };
}

/** `mesh-doctor log-level ...`: returns the process exit code. */
export async function run(argv: string[], io: LogLevelIo): Promise<number> {
  return runCommand('log-level', LOG_LEVEL_USAGE, argv, io, async () => {
    const args = parseLogLevelArgs(argv);
    try {
      return await execute(args, io);
    } catch (err) {
      const what = err instanceof RestoreFailedError ? err.hint : err instanceof KubeAccessError ? cliHint(err) : null;
      const hint = what !== null ? `\n  what to do: ${what}` : '';
      io.stderr(`mesh-doctor log-level: ${(err as Error).message}${hint}\n`);
      return EXIT_FAILED;
    }
  });
}

async function execute(args: LogLevelArgs, io: LogLevelIo): Promise<number> {
  const env = io.env ?? process.env;
  const settings = clusterAccessSettings(args.cluster, io.cwd);
  const { clients, transport } = openClusterAccess(settings, args.pod.context || undefined, loadClusterConfig(settings, env));
  const pod: PodRef = { ...args.pod, context: clients.context };
  const admin = transport.admin;
  const stateFile = defaultStateFile(env);
  const print = (levels: LoggerLevels): void => io.stdout(args.format === 'json' ? JSON.stringify({ loggers: levels }, null, 2) + '\n' : formatLoggerLevels(levels) + '\n');
  const restore = (record: RaisedPod): Promise<number> => restoreAndForget({ admin, clients, pod, record, stateFile, io, print, retryCommand: retryCommand(args, pod) });

  if (args.restore) {
    let raw;
    try {
      raw = await readPod(clients, pod);
    } catch (err) {
      if (err instanceof KubeAccessError && err.status === 404) await forgetPod(stateFile, pod, io);
      else if (readStateFile(stateFile).some((p) => samePod(p.pod, pod))) throw keptRecordError(err, pod, retryCommand(args, pod));
      throw err;
    }
    const key = raisedPodKey(pod, raw.metadata?.uid ?? '');
    const record = readStateFile(stateFile).find((p) => raisedPodKey(p.pod, p.uid) === key);
    if (record) return restore(record);
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
  if (outcome.unknown.length > 0) io.stderr(`warning: this Envoy has no logger named ${outcome.unknown.join(', ')} (skipped)\n`);
  print(outcome.after);
  if (args.forMinutes === undefined) return EXIT_OK;

  io.stderr(`Keeping these levels for ${args.forMinutes} min, then restoring (Ctrl-C restores now).\n`);
  await waitOrSignal(args.forMinutes * 60_000, io.signals ?? process);
  return restore(record!);
}

interface RestoreJob {
  readonly admin: EnvoyAdminClient;
  readonly clients: KubeClients;
  readonly pod: PodRef;
  readonly record: RaisedPod;
  readonly stateFile: string;
  readonly io: LogLevelIo;
  readonly print: (levels: LoggerLevels) => void;
  /** The command that retries this restore, for the message when it fails. */
  readonly retryCommand: string;
}

/**
 * Puts the saved levels back, retrying transient failures, and forgets the record only once Envoy
 * reports exactly those levels. A pod deleted or recreated since the raise has nothing left to
 * restore: its record is dropped. Any other failure keeps the record and says how to retry.
 */
async function restoreAndForget(job: RestoreJob): Promise<number> {
  const { pod, record, io } = job;
  const label = `${pod.namespace}/${pod.name}`;
  let outcome: RestoreOutcome;
  try {
    outcome = await restoreWithRetries(job);
  } catch (err) {
    if (await podReplaced(job)) {
      await forgetRecord(job.stateFile, record);
      io.stderr(`${label} was deleted or recreated since the raise: its Envoy is gone, nothing to restore (the saved levels were dropped).\n`);
      return EXIT_OK;
    }
    throw keptRecordError(err, pod, job.retryCommand);
  }
  if (outcome.mismatches.length > 0) {
    io.stderr(`warning: ${label} is still not at the saved level: ${outcome.mismatches.join(', ')}; the saved levels are kept; retry with: ${job.retryCommand}\n`);
    job.print(outcome.after);
    return EXIT_FAILED;
  }
  await forgetRecord(job.stateFile, record);
  io.stderr(`Restored ${label} with ${outcome.requests} request(s).\n`);
  job.print(outcome.after);
  return EXIT_OK;
}

/** restorePodLevels, again after a pause while it fails or leaves a logger off its saved level. */
async function restoreWithRetries(job: RestoreJob): Promise<RestoreOutcome> {
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= RESTORE_RETRY_DELAYS_MS.length;
    let why: string;
    try {
      const outcome = await restorePodLevels(job.admin, job.pod, job.record.saved);
      if (outcome.mismatches.length === 0 || last) return outcome;
      why = `still different: ${outcome.mismatches.join(', ')}`;
    } catch (err) {
      // Retrying cannot fix credentials, permissions, a deleted pod or a missing sidecar.
      const permanent = err instanceof KubeAccessError && (err.status === 401 || err.status === 403 || err.status === 404 || err.reason === 'NoSidecar' || err.reason === 'Invalid');
      if (last || permanent) throw err;
      why = err instanceof Error ? err.message : String(err);
    }
    const delay = RESTORE_RETRY_DELAYS_MS[attempt];
    job.io.stderr(`restore of ${job.pod.namespace}/${job.pod.name} failed (${why}); retrying in ${delay / 1000} s\n`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** True when the raised pod is gone or was recreated (another uid: a fresh Envoy); false when it is there or unknown. */
async function podReplaced(job: RestoreJob): Promise<boolean> {
  try {
    const raw = await readPod(job.clients, job.pod);
    return job.record.uid !== '' && raw.metadata?.uid !== job.record.uid;
  } catch (err) {
    return err instanceof KubeAccessError && err.status === 404;
  }
}

/** A failed restore whose hint already says what to do in the CLI's words (the levels are kept, how to retry). */
class RestoreFailedError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'RestoreFailedError';
  }
}

/** A failed restore, worded so the user knows the saved levels are still there and how to try again. */
function keptRecordError(err: unknown, pod: PodRef, retry: string): RestoreFailedError {
  const message = err instanceof Error ? err.message : String(err);
  const hint = err instanceof KubeAccessError ? `${cliHint(err)}; ` : '';
  return new RestoreFailedError(`could not restore ${pod.namespace}/${pod.name}: ${message}`, `${hint}the saved levels are kept; retry with: ${retry}`);
}

function samePod(a: PodRef, b: PodRef): boolean {
  return a.context === b.context && a.namespace === b.namespace && a.name === b.name;
}

async function forgetRecord(stateFile: string, record: RaisedPod): Promise<void> {
  await updateStateFile(stateFile, (pods) => removeRaised(pods, raisedPodKey(record.pod, record.uid)));
}

/** Drops every record of a pod that no longer exists (any uid: none of its Envoys is left). */
async function forgetPod(stateFile: string, pod: PodRef, io: LogLevelIo): Promise<void> {
  const same = (p: RaisedPod) => samePod(p.pod, pod);
  const dropped = await updateStateFile(stateFile, (pods) => ({ pods: pods.filter((p) => !same(p)), result: pods.filter(same).length }));
  if (dropped > 0) io.stderr(`${pod.namespace}/${pod.name} no longer exists; its saved levels were dropped.\n`);
}

/** The command line that retries a restore of `pod` with the same cluster settings, quoted for a POSIX shell. */
function retryCommand(args: LogLevelArgs, pod: PodRef): string {
  const quote = (v: string) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);
  const parts = ['mesh-doctor', 'log-level', '--pod', `${pod.namespace}/${pod.name}`, '--context', pod.context];
  const { kubeconfig, transport, kubectl } = args.cluster;
  if (kubeconfig) parts.push('--kubeconfig', kubeconfig);
  if (transport !== 'api') parts.push('--transport', transport, '--kubectl', kubectl);
  parts.push('--restore');
  return parts.map(quote).join(' ');
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

/** Resolves after `ms` or on the first of RESTORE_SIGNALS, whichever comes first. */
function waitOrSignal(ms: number, signals: Pick<NodeJS.Process, 'once' | 'removeListener'>): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      for (const s of RESTORE_SIGNALS) signals.removeListener(s, done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    for (const s of RESTORE_SIGNALS) signals.once(s, done);
  });
}
