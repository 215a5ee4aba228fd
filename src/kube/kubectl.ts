import * as path from 'node:path';
import { type PilotAgentAnswer, envoyAnswerMessage, readPilotAgentAnswer } from '../core/envoy/pilotAgentOutput';
import type { PodLike } from '../core/pods';
import { DEFAULT_REQUEST_TIMEOUT_SECONDS, timeoutError } from './deadline';
import { type EnvoyAdminClient, KubeAccessError, type PodLogSource, type PodRef } from './types';
import { LineSplitter } from './logs';
import { check, CREDENTIALS_REJECTED, ENVOY_REJECTED } from './remedy';
import { assertValidPodRef, confirmedWithoutSidecar, noSidecarError } from './podChecks';
import { SIDECAR_CONTAINER } from '../core/pods';

/** How to run the user's kubectl: the binary and the kubeconfig files (passed as KUBECONFIG, as kubectl merges them). */
export interface KubectlOptions {
  readonly kubectlPath: string;
  readonly kubeconfigFiles?: readonly string[];
  /** The time limit of one `kubectl exec` (default DEFAULT_REQUEST_TIMEOUT_SECONDS); log streams have none. */
  readonly requestTimeoutSeconds?: number;
}

/**
 * Arguments that select the pod's context and namespace; always an array, never a shell string.
 * `--flag=value` keeps a value that starts with `-` (a context name can be anything) from being
 * read as a flag of its own.
 */
function scopeArgs(pod: PodRef): string[] {
  return [`--context=${pod.context}`, `--namespace=${pod.namespace}`];
}

/**
 * The pod as an operand: `pod/NAME` never starts with `-`, so even a name that slipped past
 * validation cannot turn into a flag. Options always come before operands.
 */
function podOperand(pod: PodRef): string {
  assertValidPodRef(pod);
  return `pod/${pod.name}`;
}

/**
 * `kubectl exec` takes the pod before `--` (what follows is the command), so the options go first.
 * `pilot-agent request` takes the admin path without its leading slash.
 */
export function pilotAgentRequestArgs(pod: PodRef, method: 'GET' | 'POST', pathAndQuery: string): string[] {
  return [...scopeArgs(pod), 'exec', `--container=${SIDECAR_CONTAINER}`, podOperand(pod), '--', 'pilot-agent', 'request', method, pathAndQuery.replace(/^\/+/, '')];
}

/** `kubectl logs` options, then `--`, then the pod: nothing after `--` is read as a flag. */
export function kubectlLogsArgs(pod: PodRef, o: { container: string; follow: boolean; timestamps: boolean; sinceTime?: string; tailLines?: number }): string[] {
  return [
    ...scopeArgs(pod),
    'logs',
    `--container=${o.container}`,
    ...(o.follow ? ['--follow'] : []),
    ...(o.timestamps ? ['--timestamps'] : []),
    ...(o.sinceTime ? [`--since-time=${o.sinceTime}`] : []),
    ...(o.tailLines !== undefined ? [`--tail=${o.tailLines}`] : []),
    '--',
    podOperand(pod),
  ];
}

function kubectlEnv(o: KubectlOptions): NodeJS.ProcessEnv {
  return o.kubeconfigFiles && o.kubeconfigFiles.length > 0 ? { KUBECONFIG: o.kubeconfigFiles.join(path.delimiter) } : {};
}

/** Turns kubectl's failure (exit code and `Error from server (Reason): ...`) into a KubeAccessError with a remedy. */
export function kubectlError(err: unknown, action: string, kubectlPath: string): KubeAccessError {
  const e = err as { code?: string; stderr?: unknown; shortMessage?: string; exitCode?: number };
  if (e?.code === 'ENOENT') {
    return new KubeAccessError(`cannot ${action}: kubectl was not found at "${kubectlPath}"`, { kind: 'kubectl-path' });
  }
  const stderr = typeof e?.stderr === 'string' ? e.stderr.trim() : '';
  const m = /Error from server \((\w+)\):\s*(.*)/.exec(stderr);
  const reason = m?.[1] ?? null;
  const detail = (m?.[2] ?? stderr.split('\n').filter(Boolean).pop() ?? e?.shortMessage ?? String(err)).slice(0, 500);
  if (reason === 'Forbidden' || /forbidden/i.test(stderr)) {
    return new KubeAccessError(`cannot ${action}: ${detail}`, { kind: 'rbac', action }, 403, 'Forbidden');
  }
  if (reason === 'NotFound' || /not found/i.test(stderr)) {
    return new KubeAccessError(`cannot ${action}: ${detail}`, { kind: 'gone' }, 404, 'NotFound');
  }
  if (reason === 'Unauthorized' || /Unauthorized|must be logged in/i.test(stderr)) {
    return new KubeAccessError(`cannot ${action}: ${detail}`, CREDENTIALS_REJECTED, 401, 'Unauthorized');
  }
  return new KubeAccessError(`cannot ${action}: kubectl failed${e?.exitCode !== undefined ? ` (exit ${e.exitCode})` : ''}: ${detail}`, check('run the same kubectl command in a terminal to see the full error'), null, reason);
}

/** The pod's JSON through `kubectl get`. */
async function kubectlGetPod(o: KubectlOptions, pod: PodRef, seconds: number): Promise<PodLike> {
  const { execa } = await import('execa');
  const result = await execa(o.kubectlPath, [...scopeArgs(pod), 'get', '--output=json', '--', podOperand(pod)], { env: kubectlEnv(o), stdin: 'ignore', timeout: seconds * 1000 });
  return JSON.parse(result.stdout) as PodLike;
}

/** EnvoyAdminClient through `kubectl exec -c istio-proxy POD -- pilot-agent request METHOD path`. */
export function createKubectlAdminClient(o: KubectlOptions): EnvoyAdminClient {
  return {
    async request(pod, method, pathAndQuery, signal) {
      const args = pilotAgentRequestArgs(pod, method, pathAndQuery);
      const { execa } = await import('execa');
      const action = `create pods/exec for ${pod.namespace}/${pod.name} (pilot-agent request ${method} ${pathAndQuery})`;
      const seconds = o.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS;
      let answer: PilotAgentAnswer;
      try {
        const result = await execa(o.kubectlPath, args, {
          env: kubectlEnv(o),
          stdin: 'ignore',
          ...(signal ? { cancelSignal: signal } : {}),
          timeout: seconds * 1000,
          forceKillAfterDelay: 2000,
          maxBuffer: 64 * 1024 * 1024,
        });
        answer = readPilotAgentAnswer(0, result.stdout, '');
      } catch (err) {
        if (signal?.aborted) throw new Error('Cancelled');
        if ((err as { timedOut?: boolean }).timedOut) throw timeoutError(seconds, `the Envoy admin answer of ${pod.namespace}/${pod.name} (kubectl exec)`);
        // kubectl passes pilot-agent's exit code on (255: Envoy answered an error, logged on stdout).
        const e = err as { exitCode?: unknown; stdout?: unknown; stderr?: unknown };
        if (typeof e.exitCode === 'number' && typeof e.stdout === 'string' && e.stdout !== '') {
          const failed = readPilotAgentAnswer(e.exitCode, e.stdout, typeof e.stderr === 'string' ? e.stderr : '');
          if (!failed.ok && failed.status !== null) throw new KubeAccessError(envoyAnswerMessage(method, pathAndQuery, failed.status, failed.body), ENVOY_REJECTED, failed.status);
        }
        const failure = kubectlError(err, action, o.kubectlPath);
        // An exec into a container the pod lacks fails with wording that varies by version; the pod spec says it plainly.
        if (failure.status !== 401 && failure.status !== 403 && (await confirmedWithoutSidecar(() => kubectlGetPod(o, pod, seconds)))) throw noSidecarError(pod);
        throw failure;
      }
      // A 404 comes back with exit 0 and Envoy's page as the output.
      if (answer.ok) return answer.body;
      throw new KubeAccessError(envoyAnswerMessage(method, pathAndQuery, answer.status ?? 404, answer.body), ENVOY_REJECTED, answer.status);
    },
  };
}

/** PodLogSource through `kubectl logs`, streaming stdout line by line. */
export function createKubectlLogSource(o: KubectlOptions): PodLogSource {
  return {
    async streamLogs(pod, options, onLine, signal) {
      const args = kubectlLogsArgs(pod, options);
      const { execa } = await import('execa');
      const splitter = new LineSplitter(onLine);
      const sub = execa(o.kubectlPath, args, {
        env: kubectlEnv(o),
        stdin: 'ignore',
        buffer: { stdout: false, stderr: true },
        cancelSignal: signal,
        forceKillAfterDelay: 2000,
      });
      sub.stdout.on('data', (chunk: Buffer) => splitter.push(chunk));
      try {
        await sub;
        splitter.flush();
      } catch (err) {
        splitter.flush();
        if (signal.aborted) return;
        throw kubectlError(err, `get pods/log for ${pod.namespace}/${pod.name} (container ${options.container})`, o.kubectlPath);
      }
    },
  };
}
