import * as assert from 'node:assert/strict';
import { mentionsConnectionReset, summarizeReset } from '../../../../src/core/appTrace/resetLine';
import { parseJsonAppRecord, recordTimeOfLine, startsRecord } from '../../../../src/core/appTrace/record';
import { readSharedFixture } from './fixtures';

describe('application reset lines', () => {
  it('recognises the reset forms of Java, Go, Python and Node, and nothing else', () => {
    for (const line of [
      'Caused by: java.net.SocketException: Connection reset',
      '\tCaused by: java.net.SocketException: Connection reset by peer',
      'javax.net.ssl.SSLException: Connection reset',
      'com.sun.xml.ws.client.ClientTransportException: HTTP transport error: java.net.SocketException: Connection reset',
      'read tcp 10.0.0.1:1234->10.0.0.2:443: read: connection reset by peer',
      'ConnectionResetError: [Errno 104] Connection reset by peer',
      'Error: read ECONNRESET',
      "  code: 'ECONNRESET',",
    ]) {
      assert.ok(mentionsConnectionReset(line), line);
    }
    for (const line of ['password reset e-mail queued', 'Opened connection pool', 'upstream connect error or disconnect/reset before headers']) {
      assert.ok(!mentionsConnectionReset(line), line);
    }
  });

  it('names the innermost reset of a wrapped Java exception and the outermost exception of the record', () => {
    const record = ['2024-01-01 12:00:00.123 ERROR [main] c.e.X - call failed', 'com.sun.xml.ws.client.ClientTransportException: HTTP transport error: java.net.SocketException: Connection reset', '\tat com.sun.xml.ws.transport.http.client.HttpClientTransport.getOutput(HttpClientTransport.java:128)'];
    const s = summarizeReset(record[1]!, record);
    assert.equal(s.runtime, 'java');
    assert.equal(s.resetCause, 'java.net.SocketException: Connection reset');
    assert.equal(s.outermost, record[1]);
  });

  it('summarises the incident dashboard record (no indentation, lower-case class name)', () => {
    const lines = readSharedFixture('incident', 'app-error.txt').split('\n');
    const resetIndex = lines.findIndex(mentionsConnectionReset);
    const s = summarizeReset(lines[resetIndex]!, lines.slice(0, resetIndex + 1));
    assert.equal(s.resetCause, 'java.net.SocketException: Connection reset');
    assert.equal(s.outermost, 'com.xxx.xxx.xxx.xxx.exception.xxxConnectorRuntimeException: Problem processing validate xxx token response');
  });

  it('summarises JDK 11, BouncyCastle and IBM JSSE chains', () => {
    for (const frame of ['java.base/java.net.SocketInputStream.read(SocketInputStream.java:186)', 'org.bouncycastle.tls.RecordStream.readFullRecord(RecordStream.java:203)', 'com.ibm.jsse2.a.a(a.java:162)']) {
      const record = ['2024-01-01 12:00:00.123 ERROR x', 'com.example.IdpException: token failed', `    at ${frame}`, 'Caused by: javax.net.ssl.SSLException: Connection reset'];
      const s = summarizeReset(record[3]!, record);
      assert.equal(s.resetCause, 'javax.net.ssl.SSLException: Connection reset');
      assert.equal(s.outermost, 'com.example.IdpException: token failed');
    }
  });

  it('summarises Go, Python and Node resets', () => {
    const go = summarizeReset('2024/01/01 12:00:00 call failed: Post "https://idp/": read tcp 10.0.0.1:1234->10.0.0.2:443: read: connection reset by peer', []);
    assert.equal(go.runtime, 'go');
    assert.equal(go.resetCause, 'read tcp 10.0.0.1:1234->10.0.0.2:443: read: connection reset by peer');
    const py = summarizeReset('ConnectionResetError: [Errno 104] Connection reset by peer', ['2024-01-01 12:00:00,123 ERROR x', 'Traceback (most recent call last):']);
    assert.equal(py.runtime, 'python');
    assert.equal(py.resetCause, 'ConnectionResetError: [Errno 104] Connection reset by peer');
    const node = summarizeReset('Error: read ECONNRESET', []);
    assert.equal(node.runtime, 'node');
  });
});

describe('application records', () => {
  it('reads the time of logback, ISO-with-offset, time-only, logfmt and dashboard records', () => {
    assert.deepEqual(recordTimeOfLine('2024-01-01 12:00:00.123 ERROR [t] l - m'), { timeMs: Date.parse('2024-01-01T12:00:00.123Z'), timeOfDayMs: null, precisionMs: 1 });
    assert.deepEqual(recordTimeOfLine('2024-01-01T14:00:00.123+02:00 ERROR 1 --- x'), { timeMs: Date.parse('2024-01-01T12:00:00.123Z'), timeOfDayMs: null, precisionMs: 1 });
    assert.deepEqual(recordTimeOfLine('12:00:00.123 [main] ERROR x'), { timeMs: null, timeOfDayMs: 43_200_123, precisionMs: 1 });
    assert.deepEqual(recordTimeOfLine('time="2024-01-01T12:00:00Z" level=error msg=x'), { timeMs: Date.parse('2024-01-01T12:00:00Z'), timeOfDayMs: null, precisionMs: 1000 });
    assert.deepEqual(recordTimeOfLine('@timestamp: 2020-05-29T19:05:44.614+00:00'), { timeMs: Date.parse('2020-05-29T19:05:44.614Z'), timeOfDayMs: null, precisionMs: 1 });
    assert.deepEqual(recordTimeOfLine('[2024-01-01 12:00:00,123] ERROR x'), { timeMs: Date.parse('2024-01-01T12:00:00.123Z'), timeOfDayMs: null, precisionMs: 1 });
  });

  it('tells record starts from continuation lines', () => {
    for (const line of ['2024-01-01 12:00:00.123 ERROR x', '12:00:00.123 x', '{"@timestamp":"x"}', '@timestamp: 2020-05-29T19:05:44.614+00:00']) assert.ok(startsRecord(line), line);
    for (const line of ['\tat x.Y(Y.java:1)', 'at x.Y(Y.java:1)', 'Caused by: java.net.SocketException: Connection reset', '... 12 more', 'level: ERROR', '  File "/app/x.py", line 1']) assert.ok(!startsRecord(line), line);
  });

  it('reads logstash JSON records: time, message and stack trace lines', () => {
    const r = parseJsonAppRecord(JSON.stringify({ '@timestamp': '2024-01-01T12:00:00.123+00:00', message: 'failed', stack_trace: 'com.x.E: y\n\tat a.b(C.java:1)\nCaused by: java.net.SocketException: Connection reset' }));
    assert.equal(r?.timeMs, Date.parse('2024-01-01T12:00:00.123Z'));
    assert.deepEqual(r?.lines, ['failed', 'com.x.E: y', '\tat a.b(C.java:1)', 'Caused by: java.net.SocketException: Connection reset']);
    assert.equal(parseJsonAppRecord('{"ts": 1704110400.5, "msg": "x"}')?.timeMs, 1704110400500);
    assert.equal(parseJsonAppRecord('[1,2]'), null);
    assert.equal(parseJsonAppRecord('{broken'), null);
  });
});
