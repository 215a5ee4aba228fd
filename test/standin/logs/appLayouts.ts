/**
 * How applications in several runtimes log a failed call, each in its runtime's usual default
 * layout. Layouts follow the realistic corpus (test/fixtures/realistic/logs, MANIFEST.md names
 * the public threads each was rebuilt from); values are the caller's. One string per line.
 */

const iso = (ms: number): string => new Date(ms).toISOString();
/** `2024-06-11 08:42:13` plus a separator and milliseconds (Python `asctime`, logback's `%d`). */
const spaced = (ms: number, sep: string): string => `${iso(ms).slice(0, 10)} ${iso(ms).slice(11, 19)}${sep}${iso(ms).slice(20, 23)}`;

/**
 * What each runtime prints as it starts, so a pod's log opens as that runtime's does (Spring Boot
 * pods use the stand-in's usual Tomcat lines, logs/startupLines.ts).
 */
export const STARTUP: Readonly<Record<'go-log' | 'go-slog' | 'zap' | 'winston' | 'pino' | 'python-logging' | 'gunicorn' | 'logback', (ms: number, app: string) => string[]>> = {
  'go-log': (ms, app) => [goLogLine(ms, `${app}: listening on :8080`)],
  'go-slog': (ms, app) => [`time=${iso(ms)} level=INFO msg="server started" app=${app} addr=:8080`],
  zap: (ms) => [JSON.stringify({ level: 'info', ts: ms / 1000, caller: 'cmd/server/main.go:41', msg: 'serving', addr: ':8080' })],
  winston: (ms, app) => [JSON.stringify({ level: 'info', message: `${app} listening on 8080`, timestamp: iso(ms) })],
  pino: (ms, app) => [JSON.stringify({ level: 30, time: ms, pid: 1, hostname: app, msg: 'Server listening at http://0.0.0.0:8080' })],
  'python-logging': (ms, app) => [`${spaced(ms, ',')} - ${app} - INFO - started, serving on 0.0.0.0:8080`],
  gunicorn: (ms) => {
    const at = `${iso(ms).slice(0, 10)} ${iso(ms).slice(11, 19)} +0000`;
    return [`[${at}] [1] [INFO] Starting gunicorn 21.2.0`, `[${at}] [1] [INFO] Listening at: http://0.0.0.0:8080 (1)`, `[${at}] [9] [INFO] Booting worker with pid: 9`];
  },
  logback: (ms, app) => [`${spaced(ms, '.')} INFO  [main] c.e.Application - Started ${app} in 3.912 seconds`],
};

/** Spring Boot 3's default console line (`2024-04-22T16:30:11.842Z ERROR 1 --- [app] [thread] logger : message`). */
export function springBoot3Line(ms: number, level: 'ERROR' | 'WARN', app: string, thread: string, logger: string, message: string): string {
  return `${iso(ms)} ${level.padStart(5)} 1 --- [${app}] [${thread.padStart(15)}] ${logger.padEnd(40)} : ${message}`;
}

/** JDK 17 frames under a `java.net.SocketException: Connection reset` read by Apache HttpClient 5. */
export function javaConnectionResetTrace(): string[] {
  return [
    'java.net.SocketException: Connection reset',
    '\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:328)',
    '\tat java.base/sun.nio.ch.NioSocketImpl.read(NioSocketImpl.java:355)',
    '\tat java.base/java.net.Socket$SocketInputStream.read(Socket.java:976)',
    '\tat org.apache.hc.core5.http.impl.io.SessionInputBufferImpl.fillBuffer(SessionInputBufferImpl.java:149)',
    '\tat org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection.receiveResponseHeader(DefaultBHttpClientConnection.java:247)',
    '\t... 38 common frames omitted',
  ];
}

/** A gRPC-Java `StatusRuntimeException` logged by logback's default pattern (`%d %-5level [%thread] %logger{36} - %msg`). */
export function grpcJavaUnavailable(ms: number, logger: string, message: string, description: string): string[] {
  return [
    `${spaced(ms, '.')} WARN  [grpc-default-executor-2] ${logger} - ${message}`,
    `io.grpc.StatusRuntimeException: UNAVAILABLE: ${description}`,
    '\tat io.grpc.stub.ClientCalls.toStatusRuntimeException(ClientCalls.java:268)',
    '\tat io.grpc.stub.ClientCalls.getUnchecked(ClientCalls.java:249)',
    '\tat io.grpc.stub.ClientCalls.blockingUnaryCall(ClientCalls.java:167)',
  ];
}

/** Python `logging` with `%(asctime)s - %(name)s - %(levelname)s - %(message)s`. */
export function pythonLoggingLine(ms: number, logger: string, message: string): string {
  return `${spaced(ms, ',')} - ${logger} - ERROR - ${message}`;
}

/** gunicorn's error log and a chained urllib3 traceback: the body was cut off mid-response. */
export function gunicornChainedReset(ms: number, worker: number, path: string, appFile: string): string[] {
  const at = `${iso(ms).slice(0, 10)} ${iso(ms).slice(11, 19)} +0000`;
  return [
    `[${at}] [${worker}] [ERROR] Error handling request ${path}`,
    'Traceback (most recent call last):',
    '  File "/usr/local/lib/python3.11/site-packages/urllib3/response.py", line 737, in _error_catcher',
    '    yield',
    '  File "/usr/local/lib/python3.11/site-packages/urllib3/response.py", line 862, in _raw_read',
    '    data = self._fp_read(amt, read1=read1) if not fp_closed else b""',
    'ConnectionResetError: [Errno 104] Connection reset by peer',
    '',
    'The above exception was the direct cause of the following exception:',
    '',
    'Traceback (most recent call last):',
    `  File "${appFile}", line 33, in export`,
    '    for chunk in r.iter_content(65536):',
    "urllib3.exceptions.ProtocolError: (\"Connection broken: ConnectionResetError(104, 'Connection reset by peer')\", ConnectionResetError(104, 'Connection reset by peer'))",
  ];
}

/** gunicorn's error log with a `requests` HTTPError traceback (`raise_for_status`). */
export function gunicornHttpError(ms: number, worker: number, path: string, appFile: string, status: string, url: string): string[] {
  const at = `${iso(ms).slice(0, 10)} ${iso(ms).slice(11, 19)} +0000`;
  return [
    `[${at}] [${worker}] [ERROR] Error handling request ${path}`,
    'Traceback (most recent call last):',
    '  File "/usr/local/lib/python3.11/site-packages/gunicorn/workers/sync.py", line 136, in handle',
    '    self.handle_request(listener, req, client, addr)',
    `  File "${appFile}", line 19, in refresh`,
    '    r.raise_for_status()',
    '  File "/usr/local/lib/python3.11/site-packages/requests/models.py", line 1021, in raise_for_status',
    '    raise HTTPError(http_error_msg, response=self)',
    `requests.exceptions.HTTPError: ${status} for url: ${url}`,
  ];
}

/** Go's standard `log` package (`2006/01/02 15:04:05 message`). */
export function goLogLine(ms: number, message: string): string {
  return `${iso(ms).slice(0, 10).replace(/-/g, '/')} ${iso(ms).slice(11, 19)} ${message}`;
}

/** Go's `log/slog` text handler. */
export function goSlogLine(ms: number, msg: string, err: string): string {
  return `time=${iso(ms)} level=ERROR msg="${msg}" err=${JSON.stringify(err)}`;
}

/** zap's production JSON encoder (`ts` in epoch seconds). */
export function zapJsonLine(ms: number, caller: string, msg: string, error: string): string {
  return JSON.stringify({ level: 'error', ts: ms / 1000, caller, msg, error });
}

/** winston's JSON format with a timestamp. */
export function winstonJsonLine(ms: number, service: string, message: string): string {
  return JSON.stringify({ level: 'error', message, service, timestamp: iso(ms) });
}

/** pino's JSON line for an axios error whose response body Envoy wrote. */
export function pinoAxiosError(ms: number, hostname: string, msg: string, status: number, body: string): string {
  return JSON.stringify({
    level: 50,
    time: ms,
    pid: 1,
    hostname,
    err: {
      type: 'AxiosError',
      message: `Request failed with status code ${status}`,
      stack: `AxiosError: Request failed with status code ${status}\n    at settle (/app/node_modules/axios/dist/node/axios.cjs:1966:12)`,
      code: 'ERR_BAD_RESPONSE',
      status,
      response: body,
    },
    msg,
  });
}

/** The body Envoy answers a failed upstream request with (`upstream connect error or disconnect/reset before headers. …`). */
export function envoyResetBody(reason: string, retried: boolean): string {
  return `upstream connect error or disconnect/reset before headers. ${retried ? 'retried and the latest reset reason' : 'reset reason'}: ${reason}`;
}
