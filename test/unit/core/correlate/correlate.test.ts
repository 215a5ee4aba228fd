import * as assert from 'node:assert/strict';
import { correlate, correlateText, type CorrelateOptions } from '../../../../src/core/correlate/index';

const CLUSTER = 'outbound|443||idp.example.com';

/** Envoy debug lines (Istio 1.17 layout) of a connection attempt that times out after `timeoutMs`. */
function timeoutChain(startIso: string, timeoutMs: number, ids: [number, number], thread = 25): string[] {
  const t0 = Date.parse(startIso);
  const at = (dt: number): string => new Date(t0 + dt).toISOString().replace('Z', '000Z');
  const line = (dt: number, logger: string, id: number, msg: string): string => `${at(dt)}\tdebug\tenvoy ${logger} external/envoy/source/x.cc:1\t[C${id}] ${msg}\tthread=${thread}`;
  const [d, u] = ids;
  return [
    line(0, 'filter', d, `Creating connection to cluster ${CLUSTER}`),
    line(0, 'pool', u, 'connecting'),
    line(0, 'connection', u, 'connecting to 10.96.1.2:443'),
    line(1, 'connection', u, 'connection in progress'),
    line(timeoutMs, 'pool', u, 'connect timeout'),
    line(timeoutMs, 'connection', u, 'closing data_to_write=0 type=1'),
    line(timeoutMs + 1, 'filter', d, 'connect timeout'),
    line(timeoutMs + 1, 'connection', d, 'closing data_to_write=0 type=1'),
  ];
}

function accessLine(startIso: string, durationMs: number, flags: string, cluster = CLUSTER): string {
  return `[${startIso}] "- - -" 0 ${flags} - - "-" 0 0 ${durationMs} - "-" "-" "-" "-" "10.96.1.2:443" ${cluster} - 10.96.1.2:443 10.44.0.13:45202 - -`;
}

const OPTIONS: CorrelateOptions = { windowSeconds: 5 };

describe('correlate', () => {
  it('explains a reset with the debug chain and the access log of the same pod (confidence ~0.95)', () => {
    const pod = (line: string, container: string): string => `[pod/idp-client-a/${container}] ${line}`;
    const text = [
      ...timeoutChain('2024-03-01T10:00:00.000Z', 1000, [10, 11]).map((l) => pod(l, 'istio-proxy')),
      pod(accessLine('2024-03-01T10:00:00.000Z', 1001, 'UF,URX'), 'istio-proxy'),
      pod('2024-03-01 10:00:01.010 ERROR [main] c.e.Idp - failed', 'app'),
      pod('java.net.SocketException: Connection reset', 'app'),
    ].join('\n');
    const { resets } = correlateText([{ file: 'pods.log', text }], OPTIONS);
    assert.equal(resets.length, 1);
    assert.equal(resets[0]!.line, 10);
    assert.equal(resets[0]!.pod, 'idp-client-a');
    assert.equal(resets[0]!.cause, 'connect-timeout');
    assert.equal(resets[0]!.confidence, 0.95);
    assert.deepEqual(resets[0]!.matches.map((m) => m.line).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('matches only the reset pod’s own events when two pods interleave', () => {
    const a = timeoutChain('2024-03-01T10:00:00.000Z', 1000, [10, 11], 25).map((l) => `[pod/a/istio-proxy] ${l}`);
    const b = timeoutChain('2024-03-01T10:00:00.002Z', 1000, [20, 21], 25).map((l) => `[pod/b/istio-proxy] ${l}`);
    const interleaved = a.flatMap((line, i) => [line, b[i]!]);
    const text = [...interleaved, '[pod/b/app] 2024-03-01 10:00:01.020 ERROR x - java.net.SocketException: Connection reset', '[pod/c/app] 2024-03-01 10:00:01.020 ERROR x - java.net.SocketException: Connection reset'].join('\n');
    const { resets } = correlateText([{ file: 'pods.log', text }], OPTIONS);
    const byPod = new Map(resets.map((r) => [r.pod, r]));
    assert.equal(byPod.get('b')!.cause, 'connect-timeout');
    assert.ok(byPod.get('b')!.matches.every((m) => m.line % 2 === 0), 'only pod b lines (even line numbers)');
    assert.equal(byPod.get('b')!.matches.length, 8);
    assert.equal(byPod.get('c')!.cause, 'unexplained');
    assert.equal(byPod.get('c')!.explanation, 'unexplained: no Envoy event for this pod within ±5 s');
  });

  it('takes the date of time-only application records from the Envoy log, across midnight', () => {
    const envoy = timeoutChain('2024-03-01T23:59:59.500Z', 1000, [10, 11]).join('\n');
    const app = '00:00:00.520 [main] ERROR c.e.Idp - failed\njava.net.SocketException: Connection reset\n';
    const { resets } = correlateText([{ file: 'app.log', text: app }, { file: 'envoy.log', text: envoy }], OPTIONS);
    assert.equal(resets[0]!.time, '2024-03-02T00:00:00.520Z');
    assert.equal(resets[0]!.cause, 'connect-timeout');
  });

  it('reads +02:00 application times against UTC Envoy times', () => {
    const envoy = timeoutChain('2024-03-01T10:00:00.000Z', 1000, [10, 11]).join('\n');
    const app = '2024-03-01T12:00:01.010+02:00 ERROR 1 --- [main] c.e.Idp : failed\n    at x.Y(Y.java:1)\nCaused by: java.net.SocketException: Connection reset\n';
    const { resets } = correlateText([{ file: 'app.log', text: app }, { file: 'envoy.log', text: envoy }], OPTIONS);
    assert.equal(resets[0]!.time, '2024-03-01T10:00:01.010Z');
    assert.equal(resets[0]!.cause, 'connect-timeout');
    assert.equal(resets[0]!.line, 1);
  });

  it('applies a known clock offset to application times', () => {
    const envoy = timeoutChain('2024-03-01T10:00:00.000Z', 1000, [10, 11]).join('\n');
    const app = '2024-03-01 09:58:01.010 ERROR x - java.net.SocketException: Connection reset\n';
    const inputs = [{ file: 'app.log', text: app }, { file: 'envoy.log', text: envoy }];
    assert.equal(correlateText(inputs, OPTIONS).resets[0]!.cause, 'unexplained');
    const shifted = correlateText(inputs, { windowSeconds: 5, clockOffsetSeconds: 120 }).resets[0]!;
    assert.equal(shifted.cause, 'connect-timeout');
    assert.equal(shifted.time, '2024-03-01T10:00:01.010Z');
  });

  it('leaves a reset outside the window unexplained', () => {
    const envoy = timeoutChain('2024-03-01T10:00:00.000Z', 1000, [10, 11]).join('\n');
    const app = '2024-03-01 10:00:07.500 ERROR x - java.net.SocketException: Connection reset\n';
    const [reset] = correlateText([{ file: 'app.log', text: app }, { file: 'envoy.log', text: envoy }], OPTIONS).resets;
    assert.equal(reset!.cause, 'unexplained');
    assert.equal(reset!.explanation, 'unexplained: no Envoy event for this reset within ±5 s');
    assert.deepEqual(reset!.matches, []);
  });

  it('says so when Envoy events are near but none is a failure', () => {
    const envoy = '2024-03-01T10:00:06.000000Z\tdebug\tenvoy pool x.cc:1\t[C5] connecting\tthread=3';
    const app = '2024-03-01 10:00:07.500 ERROR x - java.net.SocketException: Connection reset\n';
    const [reset] = correlateText([{ file: 'app.log', text: app }, { file: 'envoy.log', text: envoy }], OPTIONS).resets;
    assert.equal(reset!.explanation, 'unexplained: 1 Envoy event(s) for this reset within ±5 s, none of them a connection failure of this call');
  });

  it('uses a known connect timeout for an access log alone (UF at 1000 ms), and says connect failure without it', () => {
    const text = [accessLine('2024-03-01T10:00:00.000Z', 1000, 'UF,URX'), '2024-03-01 10:00:01.005 ERROR x - java.net.SocketException: Connection reset'].join('\n');
    const unknown = correlateText([{ file: 'x.log', text }], OPTIONS).resets[0]!;
    assert.equal(unknown.cause, 'upstream-connect-failure');
    assert.equal(unknown.confidence, 0.7);
    const known = correlateText([{ file: 'x.log', text }], { windowSeconds: 5, knownConnectTimeouts: new Map([[CLUSTER, 1]]) }).resets[0]!;
    assert.equal(known.cause, 'connect-timeout');
    assert.equal(known.connectTimeoutSeconds, 1);
    assert.equal(known.confidence, 0.75);
  });

  it('infers the connect timeout from repeated attempts that all gave up after 1.000 s', () => {
    const lines: string[] = [];
    for (let i = 0; i < 3; i++) {
      const start = new Date(Date.parse('2024-03-01T10:00:00.000Z') + i * 20_000).toISOString();
      lines.push(accessLine(start, 1000 + i, 'UF,URX'));
    }
    lines.push('2024-03-01 10:00:41.010 ERROR x - java.net.SocketException: Connection reset');
    const [reset] = correlateText([{ file: 'x.log', text: lines.join('\n') }], OPTIONS).resets;
    assert.equal(reset!.cause, 'connect-timeout');
    assert.equal(reset!.connectTimeoutSeconds, 1);
  });

  it('calls an upstream remote close an upstream reset, and Envoy closing the application side downstream-closed', () => {
    const t = (ms: number): string => new Date(Date.parse('2024-03-01T10:00:00.000Z') + ms).toISOString();
    const line = (ms: number, id: number, msg: string): string => `[${t(ms).replace('T', ' ').replace('Z', '')}][25][debug][connection] [source/x.cc:1] [C${id}] ${msg}`;
    const upstream = [line(0, 1, `Creating connection to cluster ${CLUSTER}`), line(0, 2, 'connecting'), line(900, 2, 'remote close'), line(901, 1, 'closing data_to_write=0 type=1'), `${t(905).replace('T', ' ').replace('Z', '')} ERROR x - java.net.SocketException: Connection reset`];
    const reset = correlateText([{ file: 'x.log', text: upstream.join('\n') }], OPTIONS).resets[0]!;
    assert.equal(reset.cause, 'upstream-reset');
    assert.match(reset.explanation, /closed or reset Envoy's connection 5 ms before this reset/);
    const downstream = [line(0, 1, `Creating connection to cluster ${CLUSTER}`), line(50, 1, 'closing data_to_write=0 type=1'), `${t(60).replace('T', ' ').replace('Z', '')} ERROR x - java.net.SocketException: Connection reset`];
    assert.equal(correlateText([{ file: 'x.log', text: downstream.join('\n') }], OPTIONS).resets[0]!.cause, 'downstream-closed');
  });

  it('reports a record without any time as unexplained, and keeps going', () => {
    const [reset] = correlateText([{ file: 'x.log', text: 'java.net.SocketException: Connection reset\n' }], OPTIONS).resets;
    assert.equal(reset!.cause, 'unexplained');
    assert.equal(reset!.time, null);
    assert.match(reset!.explanation, /no time/);
  });

  it('counts one reset per stack trace, at the record’s first line', () => {
    const app = [
      '2024-03-01 10:00:01.010 ERROR [main] c.e.Idp - failed',
      'com.sun.xml.ws.client.ClientTransportException: HTTP transport error: java.net.SocketException: Connection reset',
      '\tat a.b(C.java:1)',
      'Caused by: java.net.SocketException: Connection reset',
      '\t... 12 more',
      '2024-03-01 10:00:02.010 INFO [main] c.e.Idp - next',
    ].join('\n');
    const { resets, appRecords } = correlateText([{ file: 'app.log', text: app }], OPTIONS);
    assert.equal(appRecords, 1);
    assert.equal(resets[0]!.line, 1);
  });

  it('survives binary junk, huge lines and broken JSON without inventing resets', () => {
    const junk = ['\u0000\u0001\u00ff connect reset', 'x'.repeat(200_000) + ' connect', '{"@timestamp": "2024-', '{"scope":"envoy pool","msg":"[C1] connect timeout"', '[2024-13-45 99:99:99.999][1][debug][pool] [x.cc:1] [C1] connect timeout'].join('\n');
    const result = correlateText([{ file: 'junk.log', text: junk }], OPTIONS);
    assert.equal(result.resets.length, 0);
    assert.equal(result.linesRead, 5);
  });

  it('gives the same verdicts from bytes in odd-sized chunks, from async lines and from text', async () => {
    const envoy = [...timeoutChain('2024-03-01T10:00:00.000Z', 1000, [10, 11]), accessLine('2024-03-01T10:00:00.000Z', 1001, 'UF,URX')].join('\n') + '\n';
    const app = '2024-03-01 10:00:01.010 ERROR [main] c.e.Idp - failed\n\tat a.b(C.java:1)\nCaused by: java.net.SocketException: Connection reset\n';
    const expected = correlateText([{ file: 'app.log', text: app }, { file: 'envoy.log', text: envoy }], OPTIONS).resets;
    async function* chunks(text: string): AsyncGenerator<Uint8Array> {
      const bytes = Buffer.from(text);
      for (let i = 0; i < bytes.length; i += 13) yield bytes.subarray(i, i + 13);
    }
    async function* lines(text: string): AsyncGenerator<string> {
      yield* text.split('\n').slice(0, -1);
    }
    const fromBytes = await correlate([{ file: 'app.log', chunks: chunks(app) }, { file: 'envoy.log', chunks: chunks(envoy) }], OPTIONS);
    const fromLines = await correlate([{ file: 'envoy.log', lines: lines(envoy) }, { file: 'app.log', lines: lines(app) }], OPTIONS);
    assert.equal(expected[0]!.cause, 'connect-timeout');
    assert.deepEqual(fromBytes.resets, expected);
    assert.deepEqual(fromLines.resets, expected);
  });

  it('hands each reset to onReset as it is decided, keeping none itself', async () => {
    const envoy = [...timeoutChain('2024-03-01T10:00:00.000Z', 1000, [10, 11]), ...timeoutChain('2024-03-01T10:01:00.000Z', 1000, [12, 13])].join('\n');
    const app = '2024-03-01 10:00:01.010 ERROR x - java.net.SocketException: Connection reset\n2024-03-01 10:01:01.010 ERROR x - java.net.SocketException: Connection reset\n';
    const collected = correlateText([{ file: 'app.log', text: app }, { file: 'envoy.log', text: envoy }], OPTIONS).resets;
    const streamed: unknown[] = [];
    const result = await correlate([{ file: 'app.log', lines: app.split('\n') }, { file: 'envoy.log', lines: envoy.split('\n') }], { ...OPTIONS, onReset: (r) => streamed.push(r) });
    assert.equal(collected.length, 2);
    assert.deepEqual(streamed, collected);
    assert.deepEqual(result.resets, []);
    assert.equal(result.appRecords, 2);
  });

  it('keeps the timeline to the resets and their matches, in time order', () => {
    const filler = Array.from({ length: 500 }, (_, i) => `2024-03-01T09:5${Math.floor(i / 100)}:00.000000Z\tdebug\tenvoy pool x.cc:1\t[C${1000 + i}] connecting\tthread=3`);
    const envoy = [...filler, ...timeoutChain('2024-03-01T10:00:00.000Z', 1000, [10, 11])].join('\n');
    const app = '2024-03-01 10:00:01.010 ERROR x - java.net.SocketException: Connection reset\n';
    const { timeline } = correlateText([{ file: 'app.log', text: app }, { file: 'envoy.log', text: envoy }], OPTIONS);
    assert.equal(timeline.length, 9);
    assert.equal(timeline.filter((e) => e.side === 'app').length, 1);
    assert.deepEqual(timeline.map((e) => e.time), [...timeline.map((e) => e.time)].sort());
  });

  it('reports progress and stops, keeping what it found, when cancelled', async () => {
    const many = Array.from({ length: 100_000 }, (_, i) => `2024-03-01 10:00:00.000 INFO line ${i} connect`);
    const seen: number[] = [];
    let cancel = false;
    const result = await correlate([{ file: 'big.log', lines: many }], {
      windowSeconds: 5,
      onProgress: (n) => {
        seen.push(n);
        if (n >= 40_000) cancel = true;
      },
      isCancelled: () => cancel,
    });
    assert.ok(seen.length >= 2 && seen.every((n, i) => i === 0 || n >= seen[i - 1]!), 'progress grows');
    assert.ok(result.linesRead < many.length, `stopped early at ${result.linesRead}`);
    assert.ok(result.warnings.some((w) => w.startsWith('Cancelled after')));
  });
});
