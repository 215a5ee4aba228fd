import type { WebSocket } from 'ws';
import { type MeshModel } from '../model/meshModel';
import { type PodRecord } from '../model/podRecord';
import { STATUS, STDERR, STDOUT, frame } from './channels';
import { runContainerCommand } from './commands';

/**
 * Runs one exec session on an accepted WebSocket, as the kubelet does: an empty frame on the
 * lowest output channel first, then stdout/stderr, then the Status on channel 3, then a normal
 * close. Never a `255` frame: client-node would throw "Unknown stream: 255" on it. A v5 client's own
`[255, 0]` (stdin closed) needs no answer: no command here reads stdin.
 */
export function runExecSession(
  ws: WebSocket,
  model: MeshModel,
  pod: PodRecord,
  container: string,
  command: readonly string[],
  options: { stdout: boolean; stderr: boolean; protocol: string; dropAfterMs: number | null },
): void {
  ws.on('error', () => ws.terminate());
  ws.send(frame(options.stdout ? STDOUT : options.stderr ? STDERR : STATUS));
  if (options.dropAfterMs !== null) {
    // The dropped-connection fault: the TCP connection dies without a close frame or status.
    setTimeout(() => ws.terminate(), options.dropAfterMs);
    return;
  }
  let result;
  try {
    result = runContainerCommand(model, pod, container, command);
  } catch (err) {
    result = { stdout: '', stderr: `stand-in failure: ${(err as Error).message}\n`, exitCode: 1 };
  }
  if (options.stdout && result.stdout) ws.send(frame(STDOUT, result.stdout));
  if (options.stderr && result.stderr) ws.send(frame(STDERR, result.stderr));
  ws.send(frame(STATUS, statusPayload(result.exitCode, command, options.protocol)));
  ws.close(1000);
}

/** v4/v5: a Status JSON; the original channel.k8s.io protocol: a plain error text, empty on success. */
function statusPayload(exitCode: number, command: readonly string[], protocol: string): string {
  const legacy = protocol === 'channel.k8s.io';
  if (exitCode === 0) return legacy ? '' : JSON.stringify({ metadata: {}, status: 'Success' });
  const message = `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`;
  if (legacy) return message;
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  });
}
