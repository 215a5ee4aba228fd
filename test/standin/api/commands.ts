import { handleEnvoyAdmin } from '../envoy/admin';
import { formatMicros } from '../logs/timestamps';
import { type MeshModel } from '../model/meshModel';
import { PROXY_CONTAINER, type PodRecord } from '../model/podRecord';

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** `2026-11-26T15:52:33.123456Z\terror\t...`: Istio's log line (istio.io/pkg/log writes to stdout). */
function istioErrorLine(nowMs: number, message: string): string {
  return `${formatMicros({ ms: nowMs, subNs: 0 })}\terror\t${message}\n`;
}

/** pilot-agent exits with `os.Exit(-1)` when its command returns an error: 255 to the kubelet. */
const PILOT_AGENT_ERROR_EXIT = 255;

const PILOT_AGENT_USAGE = 'Error: requires at least 2 arg(s), only received 0\nUsage:\n  pilot-agent request <method> <path> [<body>] [flags]\n';

/**
 * What a container's (distroless) image can run: in istio-proxy, `pilot-agent request METHOD
 * PATH`, which relays to Envoy's admin API on localhost:15000 and prints the body; anything else
 * fails the way a missing binary does (exit 127).
 */
export function runContainerCommand(model: MeshModel, pod: PodRecord, container: string, argv: readonly string[]): CommandResult {
  const [program = '', sub, method, path] = argv;
  if (container === PROXY_CONTAINER && program === 'pilot-agent' && sub === 'request') {
    const now = model.clock.now();
    const fail = (message: string): CommandResult => ({ stdout: istioErrorLine(now, message), stderr: '', exitCode: PILOT_AGENT_ERROR_EXIT });
    if (!method || path === undefined) return { stdout: '', stderr: PILOT_AGENT_USAGE, exitCode: PILOT_AGENT_ERROR_EXIT };
    const proxy = model.runtime(pod).proxy;
    if (!proxy) return fail('Get "http://localhost:15000": dial tcp 127.0.0.1:15000: connect: connection refused');
    const r = handleEnvoyAdmin(proxy, method, path.replace(/^\/+/, ''), now);
    // pilot/pkg/request/command.go: a status above 399 other than 404 is an error (logged to
    // stdout, exit 255); anything else, 404 included, is printed with Println and exits 0.
    if (r.status > 399 && r.status !== 404) return fail(`received unsuccessful status code ${r.status}: ${r.body}`);
    return { stdout: r.body + '\n', stderr: '', exitCode: 0 };
  }
  return { stdout: '', stderr: `exec: "${program}": executable file not found in $PATH\n`, exitCode: 127 };
}
