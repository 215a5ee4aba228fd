/**
 * What `pilot-agent request METHOD PATH` (istio-proxy's way to Envoy's admin API) means by its
 * exit code and output, per pilot/pkg/request/command.go:
 * - Envoy answered below 400, or exactly 404: the body is printed (fmt.Println: one `\n` more)
 *   and the exit code is 0. A 404 therefore looks like success.
 * - Envoy answered another status of 400 or more, or could not be reached: the error is logged
 *   through Istio's logger, which writes to stdout (`<time>\terror\treceived unsuccessful status
 *   code 400: <body>`), and pilot-agent exits with os.Exit(-1): 255.
 */
export type PilotAgentAnswer =
  | { readonly ok: true; readonly body: string }
  | { readonly ok: false; readonly status: number | null; readonly body: string };

/** Envoy's 404 bodies: unknown admin path, unknown config_dump resource, pre-1.27 /logging refusal. */
const ENVOY_NOT_FOUND_BODY = /^(invalid path\. admin commands are:|usage: \/logging\?|[\w.-]+ not found in config dump)/;

const UNSUCCESSFUL = /received unsuccessful status code (\d{3}): ?([\s\S]*)$/;

/** The message of Istio's log line(s) on stdout, without the time and level columns. */
function loggedError(stdout: string): string {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => /^\S+\t(error|fatal)\t/.test(l));
  if (start < 0) return stdout.trim();
  return [lines[start].replace(/^\S+\t\w+\t/, ''), ...lines.slice(start + 1)].join('\n').trim();
}

/** Reads one `pilot-agent request` run: its exit code (null: unknown) and its two output streams. */
export function readPilotAgentAnswer(exitCode: number | null, stdout: string, stderr: string): PilotAgentAnswer {
  if (exitCode === 0) {
    const body = stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout;
    if (ENVOY_NOT_FOUND_BODY.test(body)) return { ok: false, status: 404, body };
    return { ok: true, body };
  }
  const logged = loggedError(stdout) || stderr.trim();
  const m = UNSUCCESSFUL.exec(logged);
  if (m) return { ok: false, status: Number(m[1]), body: m[2] };
  // Envoy was not reached (or pilot-agent itself failed): `body` is what pilot-agent said.
  return { ok: false, status: null, body: logged || `exit code ${exitCode ?? 'unknown'}` };
}

/** The one wording of "Envoy answered an error status", whichever route carried the request. */
export function envoyAnswerMessage(method: string, pathAndQuery: string, status: number, body: string): string {
  return `Envoy admin ${method} ${pathAndQuery} answered ${status}${status === 404 ? ' (not found)' : ''}: ${body.trim().slice(0, 200)}`;
}
