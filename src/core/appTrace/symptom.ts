/**
 * What an application record says about a failed call: a reset of its connection, or the HTTP
 * error Envoy answered with (whose body often names the reset reason, itself strong evidence), and
 * where the call went (host, port, the application's own address), for matching Envoy's lines.
 */

import type { FindingKind, ResetCause } from '../correlate/types';
import { causeOfFailureText } from '../logs/failureText';

export interface Symptom {
  readonly kind: FindingKind;
  /** The cause the application's own text names (`reset reason: overflow`), or null. */
  readonly hint: ResetCause | null;
  /**
   * Only an HTTP status (`502 Bad Gateway`, `404`): a finding only when Envoy answered it itself,
   * since the upstream may have sent it.
   */
  readonly statusOnly: boolean;
}

/** Texts only Envoy writes into the bodies of its local replies (and gRPC carries into UNAVAILABLE). */
const ENVOY_BODY = /upstream connect error or disconnect\/reset before headers|no healthy upstream|upstream request timeout|reset reason: [a-z]/i;
/**
 * A connection the application was using went away under it. Besides the common texts, each
 * runtime's own words: undici `SocketError: other side closed` (`UND_ERR_SOCKET`), .NET's
 * `The HTTP/2 server reset the stream` and `The response ended prematurely`, httpx/httpcore's and
 * aiohttp's `Server disconnected`, Go's `http2: client connection lost`, hyper's `connection closed
 * before message completed`, grpc-go's `transport is closing` and `stream error: … received from
 * peer`; and the words of a connection that closed before any response: Apache HttpClient's
 * `NoHttpResponseException … failed to respond`, the JDK client's `header parser received no
 * bytes`, Ruby's `EOFError: end of file reached`, curl's `Empty reply from server`, OkHttp's
 * `unexpected end of stream`.
 */
const RESET = new RegExp(
  [
    '[Cc]onnection reset|ECONNRESET|ConnectionResetError|socket hang up|GOAWAY|[Rr]eceived (?:prior )?goaway',
    '[Cc]onnection closed prematurely|[Pp]rematurely (?:closed|reached end of stream)|ended prematurely|": EOF\\b|unexpected EOF',
    '[Bb]roken pipe|EPIPE|RST_STREAM|[Cc]onnection aborted|RemoteDisconnected|[Ss]erver ?[Dd]isconnected|forcibly closed',
    '[Cc]onnection was closed|[Cc]onnection closed by (?:peer|remote)|connection closed before message completed|terminated during authentication',
    '[Ss]tream (?:was )?reset|stream closed with error|reset the stream|other side closed|UND_ERR_SOCKET|http2: client connection lost|transport is closing',
    'NoHttpResponseException|failed to respond|header parser received no bytes|EOFError|end of file reached|Empty reply from server|unexpected end of stream',
    'stream error: stream ID \\d+; \\w+; received from peer',
  ].join('|'),
);
/**
 * A refused connect. Behind a sidecar the application's connects reach Envoy, which accepts them,
 * so the application itself is refused only when Envoy is not listening: not started yet, exiting,
 * or the traffic is not intercepted.
 */
const REFUSED = /ECONNREFUSED|[Cc]onnection refused/;
/**
 * The application's own TLS handshake failing: OpenSSL's `WRONG_VERSION_NUMBER` (plain text where TLS
 * was expected, e.g. a sidecar listener treating the port as HTTP), a certificate it cannot verify.
 */
const TLS_HANDSHAKE = /WRONG_VERSION_NUMBER|[Ww]rong version number|CERTIFICATE_VERIFY_FAILED|[Cc]ertificate verify failed|SSLHandshakeException|x509: certificate (?:signed by unknown authority|is valid for|has expired)/;
const STATUS = /\b(?:502|503|504)\b|Bad Gateway|Service Unavailable|Gateway Timeout|\b404\b/;

/** The symptom one line of a record shows, or null. */
export function symptomOf(text: string): Symptom | null {
  if (ENVOY_BODY.test(text)) {
    const reason = /reset reason: (.*)$/i.exec(text)?.[1];
    let hint = reason ? causeOfFailureText(reason) : null;
    if (hint === null) {
      if (/no healthy upstream/i.test(text)) hint = 'no-healthy-upstream';
      else if (/upstream request timeout/i.test(text)) hint = 'max-duration';
      else if (/transport failure reason: .*\S/i.test(text)) hint = causeOfFailureText(text);
    }
    return { kind: 'http-error', hint, statusOnly: false };
  }
  if (RESET.test(text)) return { kind: 'reset', hint: /goaway/i.test(text) ? 'max-duration' : null, statusOnly: false };
  if (REFUSED.test(text)) return { kind: 'reset', hint: 'connection-refused', statusOnly: false };
  if (TLS_HANDSHAKE.test(text)) return { kind: 'reset', hint: 'tls-failure', statusOnly: false };
  if (STATUS.test(text)) return { kind: 'http-error', hint: null, statusOnly: true };
  return null;
}

/** How much a symptom says: Envoy's reply text over a reset over a bare status, a named reason over none. */
export function symptomRank(s: Symptom): number {
  return (s.statusOnly ? 1 : s.kind === 'http-error' ? 3 : 2) + (s.hint ? 0.5 : 0);
}

/** The strongest symptom among a record's lines and the index of the line that shows it. */
export function recordSymptom(lines: readonly string[]): { symptom: Symptom; index: number } | null {
  let best: { symptom: Symptom; index: number } | null = null;
  const rank = symptomRank;
  for (let i = 0; i < lines.length; i++) {
    const s = symptomOf(lines[i]!);
    if (s && (best === null || rank(s) > rank(best.symptom))) best = { symptom: s, index: i };
  }
  return best;
}

/** Where the failed call went, as far as the record says. */
export interface Destination {
  /** Host names' first labels (`ledger` for `ledger.finance.svc.cluster.local`), lower case. */
  readonly names: readonly string[];
  readonly ips: readonly string[];
  /** The application's own end of the connection (`10.0.0.5:51234`), from Go's `read tcp A->B`. */
  readonly local: string | null;
}

const URL_HOST = /\b[a-z][a-z0-9+.-]*:\/\/([A-Za-z0-9._-]+)(?::\d+)?/g;
const HOST_PORT = /(?:^|[\s("'/=,[])([A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)+|\d{1,3}(?:\.\d{1,3}){3}):\d{2,5}\b/g;
const GO_NET = /(?:read|write) (?:tcp|udp)[46]? (\S+?)->(\S+?):\s/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '0.0.0.0', 'www']);

function addHost(host: string, names: Set<string>, ips: Set<string>): void {
  const h = host.toLowerCase();
  if (LOOPBACK.has(h)) return;
  if (IPV4.test(h)) ips.add(h);
  else if (!/\.(?:java|js|cjs|mjs|jsx|tsx|py|go|cs|ts|cc|cpp|c|h|kt|scala|rb|rs|php|swift|dart|ex|exs|erl|jar|class|dll|so)$/.test(h)) names.add(h.split('.')[0]!);
}

export function destinationOf(lines: readonly string[]): Destination {
  const names = new Set<string>();
  const ips = new Set<string>();
  let local: string | null = null;
  for (const line of lines) {
    if (!line.includes(':')) continue;
    for (const m of line.matchAll(URL_HOST)) addHost(m[1]!, names, ips);
    for (const m of line.matchAll(HOST_PORT)) addHost(m[1]!, names, ips);
    const go = GO_NET.exec(line);
    if (go && local === null) {
      local = go[1]!;
      ips.delete(go[1]!.replace(/:\d+$/, ''));
    }
  }
  return { names: [...names], ips: [...ips], local };
}
