/**
 * Recognises the line of an application log that reports a connection reset, in Java (including
 * wrapped and SSL forms), Go, Python and Node, and summarises the exception chain around it.
 */

import type { ExceptionSummary } from '../correlate/types';

const RESET = /[Cc]onnection reset|ECONNRESET|ConnectionResetError/;
const JAVA_THROWABLE = /(?:[a-zA-Z_$][\w$]*\.)+[A-Za-z_$][\w$]*(?:Exception|Error|Throwable)\b/g;
const GO_NET_ERROR = /(?:read|write|dial) (?:tcp|udp)\d? \S+: .*connection reset by peer/;
const RECORD_PREFIX = /^\s*(?:Caused by:\s*|Suppressed:\s*|stack_trace:\s*|"?stack_trace"?\s*[:=]\s*"?)/;

export function mentionsConnectionReset(text: string): boolean {
  return RESET.test(text);
}

function runtimeOf(line: string): ExceptionSummary['runtime'] {
  if (line.includes('ConnectionResetError') || line.includes('[Errno 104]')) return 'python';
  if (line.includes('ECONNRESET')) return 'node';
  JAVA_THROWABLE.lastIndex = 0;
  if (JAVA_THROWABLE.test(line)) return 'java';
  if (GO_NET_ERROR.test(line)) return 'go';
  return 'other';
}

/** The part of the reset line that names the reset, e.g. `java.net.SocketException: Connection reset`. */
function resetCauseOf(line: string, runtime: ExceptionSummary['runtime']): string {
  const text = line.replace(RECORD_PREFIX, '').trim();
  if (runtime === 'java') {
    // A wrapper such as `ClientTransportException: HTTP transport error: java.net.SocketException: Connection reset`
    // names the reset last: take the innermost throwable whose message mentions it.
    let start = 0;
    JAVA_THROWABLE.lastIndex = 0;
    for (let m = JAVA_THROWABLE.exec(text); m; m = JAVA_THROWABLE.exec(text)) {
      if (RESET.test(text.slice(m.index))) start = m.index;
    }
    return text.slice(start);
  }
  if (runtime === 'go') {
    const m = GO_NET_ERROR.exec(text);
    if (m) return m[0];
  }
  if (runtime === 'python') {
    const i = text.indexOf('ConnectionResetError');
    if (i >= 0) return text.slice(i);
  }
  return text;
}

/** The first throwable line of the record (the outermost exception), or null. */
function outermostOf(recordLines: readonly string[]): string | null {
  for (const line of recordLines) {
    const text = line.replace(RECORD_PREFIX, '').trim();
    JAVA_THROWABLE.lastIndex = 0;
    const m = JAVA_THROWABLE.exec(text);
    if (m && !/^at\s/.test(text)) return text.slice(m.index);
    if (/^\w*Error: /.test(text)) return text;
  }
  return null;
}

/**
 * Summarises a reset. `recordLines` are the record's lines from its first line up to and including
 * the reset line (JSON records pass the decoded stack trace's lines).
 */
export function summarizeReset(resetLine: string, recordLines: readonly string[]): ExceptionSummary {
  const runtime = runtimeOf(resetLine);
  const resetCause = resetCauseOf(resetLine, runtime);
  return { outermost: outermostOf(recordLines) ?? resetCause, resetCause, runtime };
}
