import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { sharedDir } from '../../../host/paths';
import { classifyTailText } from '../../../../src/core/envoyLogging/tailHighlight';
import { LineRing } from '../../../../src/core/envoyLogging/lineRing';
import { LogResumeCursor, splitTimestamp, timestampKey, timestampNanos } from '../../../../src/core/envoyLogging/logResume';
import { injectorDefaultChange, parseIstioLogLevel } from '../../../../src/core/envoyLogging/injectorLevel';
import { formatRemaining } from '../../../../src/core/envoyLogging/raisedState';
import { mapBounded } from '../../../../src/core/envoyLogging/concurrency';
import { LineSplitter, MAX_LINE_CHARS } from '../../../../src/kube/logs';

const incident = (f: string) => fs.readFileSync(path.join(sharedDir, 'fixtures/incident', f), 'utf8');

describe('tail highlighting', () => {
  it('marks the incident: connect timeouts and the UF,URX access-log flags', () => {
    const lines = incident('envoy-debug.log').split('\n').filter(Boolean);
    const marked = lines.map((l) => ({ l, h: classifyTailText(l, true) })).filter((x) => x.h.length > 0);
    assert.equal(marked.filter((x) => x.h.some((h) => h.kind === 'connectTimeout')).length, 2);
    const access = marked.find((x) => x.h.some((h) => h.kind === 'responseFlags'))!;
    const flags = access.h.find((h) => h.kind === 'responseFlags')!;
    assert.equal(access.l.slice(flags.start, flags.end), 'UF,URX');
    const timeout = marked[0].h[0];
    assert.equal(marked[0].l.slice(timeout.start, timeout.end), 'connect timeout');
  });

  it('ignores healthy access-log lines and non-failure flags', () => {
    const waypoint = fs.readFileSync(path.join(sharedDir, 'fixtures/real/kiali/waypoint.log'), 'utf8').split('\n').filter(Boolean);
    assert.ok(waypoint.length > 5);
    assert.ok(waypoint.every((l) => classifyTailText(l, true).length === 0));
    assert.deepEqual(classifyTailText('[t] "GET / HTTP/1.1" 429 RL - "-"', true), []);
    assert.equal(classifyTailText('[t] "GET / HTTP/1.1" 503 UH - "-"', true)[0].kind, 'responseFlags');
  });

  it('marks Connection reset in app lines only', () => {
    const app = incident('app-error.txt').split('\n');
    const hits = app.flatMap((l) => classifyTailText(l, false));
    assert.equal(hits.length, 1);
    assert.equal(hits[0].kind, 'connectionReset');
    assert.deepEqual(classifyTailText('connect timeout', false), []);
  });
});

describe('log resume cursor', () => {
  const ts = (s: string) => `2025-01-30T12:10:${s}Z`;

  it('splits the kubelet timestamp and compares fractions of any length', () => {
    assert.deepEqual(splitTimestamp('2025-01-30T12:10:13.682034460Z hello world'), { timestamp: '2025-01-30T12:10:13.682034460Z', text: 'hello world' });
    assert.deepEqual(splitTimestamp('no timestamp'), { timestamp: '', text: 'no timestamp' });
    assert.ok(timestampNanos('2025-01-30T12:10:13.5Z')! > timestampNanos('2025-01-30T12:10:13.499999999Z')!);
    // The sort key agrees with the parse, for trimmed fractions, no fraction and other zones.
    assert.ok(timestampKey('2025-01-30T12:10:13.5Z')! > timestampKey('2025-01-30T12:10:13.499999999Z')!);
    assert.ok(timestampKey('2025-01-30T12:10:13Z')! < timestampKey('2025-01-30T12:10:13.000000001Z')!);
    assert.equal(timestampKey('2025-01-30T13:10:13.25+01:00'), timestampKey('2025-01-30T12:10:13.25Z'));
    assert.equal(timestampKey('not a time'), null);
  });

  it('resumes from the last second and skips exactly the lines already delivered', () => {
    const c = new LogResumeCursor();
    const first = [`${ts('13.1')} a`, `${ts('14.2')} b`, `${ts('14.2')} b`, `${ts('14.2')} c`];
    const delivered = first.map((l) => c.accept(l)?.text);
    assert.deepEqual(delivered, ['a', 'b', 'b', 'c']);
    assert.equal(c.sinceTime(), '2025-01-30T12:10:14Z');
    // The server resends from 12:10:14: an earlier line in that second, the three seen, then new ones,
    // including a second "c" at the same timestamp that really is new.
    c.beginResume();
    const resent = [`${ts('14.1')} early`, `${ts('14.2')} b`, `${ts('14.2')} b`, `${ts('14.2')} c`, `${ts('14.2')} c`, `${ts('15.0')} d`];
    assert.deepEqual(resent.map((l) => c.accept(l)?.text ?? null), [null, null, null, null, 'c', 'd']);
  });

  it('delivers everything on the first stream and lines without timestamps always', () => {
    const c = new LogResumeCursor();
    assert.equal(c.sinceTime(), undefined);
    c.beginResume();
    assert.equal(c.accept('plain')?.text, 'plain');
    assert.equal(c.accept(`${ts('01')} x`)?.text, 'x');
  });
});

describe('line ring', () => {
  it('keeps the last N in order and counts the dropped', () => {
    const r = new LineRing<number>(3);
    for (let i = 1; i <= 7; i++) r.push(i);
    assert.deepEqual(r.toArray(), [5, 6, 7]);
    assert.equal(r.dropped, 4);
    assert.throws(() => new LineRing(0), RangeError);
  });
});

describe('log line splitter', () => {
  const split = (chunks: readonly (string | Buffer)[]): string[] => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l));
    for (const c of chunks) splitter.push(c);
    splitter.flush();
    return lines;
  };
  const chunked = (text: string, size: number): Buffer[] => {
    const bytes = Buffer.from(text);
    const out: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
    return out;
  };

  it('cuts a line that never ends instead of keeping megabytes of it, and keeps the lines after it', () => {
    // 4 MiB without a newline (a hostile or broken pod): held whole, it was re-copied on every chunk.
    const endless = Buffer.alloc(64 * 1024, 'a');
    const lines = split([...Array.from({ length: 64 }, () => endless), '\nnext\n']);
    assert.equal(lines.length, 2);
    assert.ok(lines[0].startsWith('a'.repeat(MAX_LINE_CHARS)), 'the first MAX_LINE_CHARS characters are kept');
    assert.ok(lines[0].length < MAX_LINE_CHARS + 100, `the cut line is ${lines[0].length} characters long`);
    assert.match(lines[0], /line cut at 16384 characters\]$/);
    assert.equal(lines[1], 'next');
  });

  it('a cut line does not keep alive the chunk it was cut from', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const kept: string[] = [];
    const splitter = new LineSplitter((l) => kept.push(l));
    const heapAfterGc = (): number => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const before = heapAfterGc();
    // 100 lines of 256 KiB, one chunk each: kept as slices they would pin 100 chunks (~26 MB).
    for (let i = 0; i < 100; i++) {
      splitter.push(Buffer.alloc(256 * 1024, 97 + (i % 26)));
      splitter.push('\n');
    }
    const grown = heapAfterGc() - before;
    assert.equal(kept.length, 100);
    assert.ok(grown < 8e6, `100 cut lines of ${MAX_LINE_CHARS} characters hold ${(grown / 1e6).toFixed(1)} MB`);
  });

  it('cuts the same way whatever the chunking, never a line of exactly the limit nor half a surrogate pair', () => {
    const atLimit = 'x'.repeat(MAX_LINE_CHARS);
    const overBy5 = 'y'.repeat(MAX_LINE_CHARS + 5);
    const pairAtCut = `${'p'.repeat(MAX_LINE_CHARS - 1)}😀tail`;
    const text = `${atLimit}\r\n${overBy5}\n${pairAtCut}\nlast`;
    const whole = split([text]);
    assert.deepEqual(whole.map((l) => l.length), [MAX_LINE_CHARS, whole[1].length, whole[2].length, 4]);
    assert.equal(whole[0], atLimit);
    assert.ok(whole[1].startsWith(`${'y'.repeat(MAX_LINE_CHARS)} `));
    assert.ok(whole[2].startsWith(`${'p'.repeat(MAX_LINE_CHARS - 1)} `), 'the cut stops before the emoji, not inside it');
    assert.equal(whole[3], 'last');
    for (const size of [997, 4096, 16_385, 65_536]) assert.deepEqual(split(chunked(text, size)), whole, `chunks of ${size} bytes`);
  });
});

describe('injector default level', () => {
  it('prefers the annotation, then --proxyLogLevel, then warning', () => {
    const annotated = { metadata: { annotations: { 'sidecar.istio.io/logLevel': 'info' } }, spec: { containers: [{ name: 'istio-proxy', args: ['--proxyLogLevel=error'] }] } };
    assert.deepEqual(injectorDefaultChange(annotated).change, [{ kind: 'all', level: 'info' }]);
    assert.deepEqual(injectorDefaultChange({ spec: { initContainers: [{ name: 'istio-proxy', args: ['proxy', '--proxyLogLevel', 'error'] }] } }).change, [{ kind: 'all', level: 'error' }]);
    assert.deepEqual(injectorDefaultChange({}).change, [{ kind: 'all', level: 'warning' }]);
  });

  it("parses Istio's level,logger:level form and rejects nonsense", () => {
    assert.deepEqual(parseIstioLogLevel('warning,misc:error'), [{ kind: 'all', level: 'warning' }, { kind: 'loggers', levels: { misc: 'error' } }]);
    assert.equal(parseIstioLogLevel('loud'), undefined);
  });
});

describe('helpers', () => {
  it('formats the time left like the status bar shows it', () => {
    assert.equal(formatRemaining(552_000), '9:12');
    assert.equal(formatRemaining(3_725_000), '1:02:05');
    assert.equal(formatRemaining(-5), '0:00');
  });

  it('mapBounded keeps order, isolates failures and never exceeds the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapBounded([1, 2, 3, 4, 5, 6], 2, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      if (n === 3) throw new Error('403');
      return n * 10;
    });
    assert.equal(peak, 2);
    assert.deepEqual(out.map((r) => (r.ok ? r.value : 'err')), [10, 20, 'err', 40, 50, 60]);
  });
});
