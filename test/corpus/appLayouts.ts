/** Writes application log records (ordinary lines and connection-reset errors) in the layouts the correlator reads. */

import type { SeededRandom } from './random';

export type AppLayout = 'logback' | 'iso-offset' | 'time-only' | 'logstash-json' | 'dashboard' | 'go' | 'python' | 'node';
export const APP_LAYOUTS: readonly AppLayout[] = ['logback', 'iso-offset', 'time-only', 'logstash-json', 'dashboard', 'go', 'python', 'node'];

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function parts(ms: number): { date: string; time: string; millis: string } {
  const iso = new Date(ms).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19), millis: iso.slice(20, 23) };
}

/** The record's time as the layout writes it (ms is the application's clock, UTC). */
export function appTimestamp(layout: AppLayout, ms: number): string {
  const p = parts(ms);
  switch (layout) {
    case 'logback':
      return `${p.date} ${p.time}.${p.millis}`;
    case 'iso-offset': {
      const local = parts(ms + 2 * 3_600_000);
      return `${local.date}T${local.time}.${local.millis}+02:00`;
    }
    case 'time-only':
      return `${p.time}.${p.millis}`;
    case 'logstash-json':
    case 'dashboard':
      return `${p.date}T${p.time}.${p.millis}+00:00`;
    case 'go':
      return `${p.date.replace(/-/g, '/')} ${p.time}.${p.millis}${pad(Math.floor((ms % 1) * 1000), 3)}`;
    case 'python':
      return `${p.date} ${p.time},${p.millis}`;
    case 'node':
      return new Date(ms).toISOString();
  }
}

type JavaFlavour = 'jdk8' | 'jdk11' | 'bouncycastle' | 'ibm' | 'wrapped';
const JAVA_FLAVOURS: readonly JavaFlavour[] = ['jdk8', 'jdk11', 'bouncycastle', 'ibm', 'wrapped'];

function javaTrace(flavour: JavaFlavour, indent: string, rng: SeededRandom): string[] {
  const reset = rng.pick(['java.net.SocketException: Connection reset', 'java.net.SocketException: Connection reset by peer', 'javax.net.ssl.SSLException: Connection reset']);
  const outer =
    flavour === 'wrapped'
      ? `com.sun.xml.ws.client.ClientTransportException: HTTP transport error: ${reset}`
      : 'com.example.idp.IdpConnectorRuntimeException: Problem processing validate token response';
  const frames: Record<JavaFlavour, string[]> = {
    jdk8: ['java.net.SocketInputStream.read(SocketInputStream.java:210)', 'sun.security.ssl.InputRecord.readFully(InputRecord.java:465)', 'sun.security.ssl.SSLSocketImpl.startHandshake(SSLSocketImpl.java:1395)'],
    jdk11: ['java.base/java.net.SocketInputStream.read(SocketInputStream.java:186)', 'java.base/sun.security.ssl.SSLSocketInputRecord.read(SSLSocketInputRecord.java:478)', 'java.base/sun.security.ssl.SSLSocketImpl.startHandshake(SSLSocketImpl.java:427)'],
    bouncycastle: ['org.bouncycastle.tls.RecordStream.readFullRecord(RecordStream.java:203)', 'org.bouncycastle.tls.TlsProtocol.safeReadRecord(TlsProtocol.java:896)', 'org.bouncycastle.jsse.provider.ProvSSLSocketDirect.startHandshake(ProvSSLSocketDirect.java:446)'],
    ibm: ['com.ibm.jsse2.a.a(a.java:162)', 'com.ibm.jsse2.as.a(as.java:811)', 'com.ibm.jsse2.as.startHandshake(as.java:980)'],
    wrapped: ['com.sun.xml.ws.transport.http.client.HttpClientTransport.getOutput(HttpClientTransport.java:128)', 'com.sun.xml.ws.transport.http.client.HttpTransportPipe.process(HttpTransportPipe.java:196)'],
  };
  const at = (f: string): string => `${indent}at ${f}`;
  const lines = [outer, at('com.example.idp.IdpConnector.validateToken(IdpConnector.java:535)'), at('com.example.idp.IdpConnector.validateAccessToken(IdpConnector.java:321)')];
  if (flavour === 'wrapped') return [...lines, ...frames.wrapped.map(at), `${indent}... ${rng.int(3, 40)} more`];
  lines.push(`Caused by: ${reset}`, ...frames[flavour].map(at));
  lines.push(rng.chance(0.5) ? `${indent}... ${rng.int(3, 40)} more` : `${indent}... ${rng.int(3, 40)} common frames omitted`);
  return lines;
}

/** A connection-reset error record, first line first; `clientPort` is the application's end of the connection (Go names it). */
export function appResetRecord(layout: AppLayout, ms: number, rng: SeededRandom, clientPort?: number): string[] {
  const ts = appTimestamp(layout, ms);
  const flavour = rng.pick(JAVA_FLAVOURS);
  switch (layout) {
    case 'logback':
      return [`${ts} ERROR [http-nio-8080-exec-${rng.int(1, 9)}] c.e.idp.IdpServiceAuthenticationHelper - Problem validating service token`, ...javaTrace(flavour, '\t', rng)];
    case 'iso-offset':
      return [`${ts} ERROR 1 --- [nio-8080-exec-2] c.e.idp.IdpClient : token call failed`, ...javaTrace(flavour, '    ', rng)];
    case 'time-only':
      return [`${ts} [main] ERROR c.e.idp.IdpClient - token call failed`, ...javaTrace(flavour, '', rng)];
    case 'logstash-json':
      return [JSON.stringify({ '@timestamp': ts, '@version': '1', message: 'Problem validating service token', logger_name: 'c.e.idp.IdpClient', level: 'ERROR', stack_trace: javaTrace(flavour, '\t', rng).join('\n') })];
    case 'dashboard': {
      const [first, ...rest] = javaTrace(flavour, '', rng);
      return [`@timestamp: ${ts}`, '@version: 1', 'level: ERROR', 'level_value: 40000', 'logger_name: c.e.idp.IdpServiceAuthenticationHelper', 'message: Problem validating service token', `stack_trace: ${first}`, ...rest];
    }
    case 'go':
      return [`${ts} token call failed: Post "https://idp.example.com/oauth/token": read tcp 10.44.0.13:${clientPort ?? rng.int(30000, 60000)}->10.96.12.7:443: read: connection reset by peer`];
    case 'python':
      return [
        `${ts} ERROR idp.client: token call failed`,
        'Traceback (most recent call last):',
        '  File "/app/idp/client.py", line 41, in fetch_token',
        '    response = self.session.post(url, data=form)',
        'ConnectionResetError: [Errno 104] Connection reset by peer',
      ];
    case 'node':
      return [`${ts} ERROR token call failed Error: read ECONNRESET`, '    at TLSWrap.onStreamRead (node:internal/stream_base_commons:217:20) {', '  errno: -104,', "  code: 'ECONNRESET',", "  syscall: 'read'", '}'];
  }
}

const INFO_MESSAGES = ['handled GET /api/orders in 12 ms', 'user 4711 logged in', 'cache refreshed: 1289 entries'];
/** Ordinary records that mention connections or resets without being one. */
const NEAR_MISS_MESSAGES = ['Opened connection pool to db.example.com (size 10)', 'password reset e-mail queued for user 4711'];

/** An ordinary informational record (noise), in the layout's own form; `nearMiss` ones mention connections or resets. */
export function appInfoLine(layout: AppLayout, ms: number, rng: SeededRandom, nearMiss: boolean): string {
  const ts = appTimestamp(layout, ms);
  const message = rng.pick(nearMiss ? NEAR_MISS_MESSAGES : INFO_MESSAGES);
  switch (layout) {
    case 'logstash-json':
      return JSON.stringify({ '@timestamp': ts, message, level: 'INFO', logger_name: 'c.e.Api' });
    case 'dashboard':
      return `@timestamp: ${ts}`;
    default:
      return `${ts} INFO c.e.Api - ${message}`;
  }
}
