import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharedDir } from '../../host/paths';
import { classifyTailText } from '../../../src/core/envoyLogging/tailHighlight';
import { LineRing } from '../../../src/core/envoyLogging/lineRing';
import { LogResumeCursor, splitTimestamp, timestampKey, timestampNanos } from '../../../src/core/envoyLogging/logResume';
import { injectorDefaultChange, parseIstioLogLevel } from '../../../src/core/envoyLogging/injectorLevel';
import { formatRemaining } from '../../../src/core/envoyLogging/raisedState';
import { mapBounded } from '../../../src/core/envoyLogging/concurrency';

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
