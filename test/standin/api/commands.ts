import { handleEnvoyAdmin } from '../envoy/admin';
import { MeshModel } from '../model/meshModel';
import { PROXY_CONTAINER, PodRecord } from '../model/podRecord';

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

const PILOT_AGENT_USAGE = 'Error: requires at least 2 arg(s), only received 0\nUsage:\n  pilot-agent request <method> <path> [<body>] [flags]\n';

/**
 * What a container's (distroless) image can run: in istio-proxy, `pilot-agent request METHOD
 * PATH`, which relays to Envoy's admin API on localhost:15000 and prints the body; anything else
 * fails the way a missing binary does (exit 127).
 */
export function runContainerCommand(model: MeshModel, pod: PodRecord, container: string, argv: readonly string[]): CommandResult {
  const [program = '', sub, method, path] = argv;
  if (container === PROXY_CONTAINER && program === 'pilot-agent' && sub === 'request') {
    if (!method || path === undefined) return { stdout: '', stderr: PILOT_AGENT_USAGE, exitCode: 1 };
    if (method !== 'GET' && method !== 'POST') {
      return { stdout: '', stderr: `Error: unsupported method ${JSON.stringify(method)}: use GET or POST\n`, exitCode: 1 };
    }
    const proxy = model.runtime(pod).proxy;
    if (!proxy) return { stdout: '', stderr: 'Error: Get "http://localhost:15000": dial tcp 127.0.0.1:15000: connect: connection refused\n', exitCode: 1 };
    const r = handleEnvoyAdmin(proxy, method, path.replace(/^\/+/, ''), model.clock.now());
    // pilot-agent prints the body with Println on 200 and returns an error otherwise.
    if (r.status !== 200) return { stdout: '', stderr: `Error: received unsuccessful status code ${r.status}: ${r.body}\n`, exitCode: 1 };
    return { stdout: r.body + '\n', stderr: '', exitCode: 0 };
  }
  return { stdout: '', stderr: `exec: "${program}": executable file not found in $PATH\n`, exitCode: 127 };
}
