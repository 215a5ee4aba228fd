import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { formatDuration, parseDuration } from '../../../src/core/duration';
import { sharedFixture } from './lint/fixtures';

function seconds(raw: unknown): number {
  const parsed = parseDuration(raw);
  assert.ok(parsed.ok, `expected ${String(raw)} to parse, got ${parsed.ok ? '' : parsed.reason}`);
  return parsed.seconds;
}

function reason(raw: unknown): string {
  const parsed = parseDuration(raw);
  assert.ok(!parsed.ok, `expected ${JSON.stringify(raw)} to be rejected`);
  return parsed.reason;
}

describe('parseDuration', () => {
  it('reads Go durations in every unit', () => {
    assert.equal(seconds('1s'), 1);
    assert.equal(seconds('500ms'), 0.5);
    assert.equal(seconds('1m30s'), 90);
    assert.equal(seconds('1.5s'), 1.5);
    assert.equal(seconds('1h'), 3600);
    assert.equal(seconds('300us'), 0.0003);
    assert.equal(seconds('300µs'), 0.0003);
    assert.equal(seconds('300μs'), 0.0003);
    assert.equal(seconds('250ns'), 250e-9);
    assert.equal(seconds('1h2m3.5s'), 3723.5);
    assert.equal(seconds('.5s'), 0.5);
    assert.equal(seconds('0'), 0);
    assert.equal(seconds('-1s'), -1);
  });

  it('reads protobuf JSON durations, quoted or not', () => {
    assert.equal(seconds('0.250s'), 0.25);
    assert.equal(seconds('"0.250s"'), 0.25);
    assert.equal(seconds("'10s'"), 10);
    assert.equal(seconds('0.1s'), 0.1);
    assert.equal(seconds('007s'), 7);
    assert.equal(seconds('1.s'), 1);
    assert.equal(seconds('.5s'), 0.5);
    assert.match(reason('.s'), /invalid duration/);
    assert.match(reason('s'), /invalid duration/);
    assert.match(reason('1.2.3s'), /invalid duration|missing unit|unknown unit/);
  });

  it('reads integer nanoseconds as Go-marshalled structs write them', () => {
    assert.equal(seconds(1000000000), 1);
    assert.equal(seconds(250000000n), 0.25);
    assert.match(reason(1.5), /must be an integer/);
  });

  it('reads the integer nanoseconds of a real Go-marshalled CDS dump', () => {
    const cds = JSON.parse(fs.readFileSync(sharedFixture('real/istio/pilot-xds-none_cds.json'), 'utf8')) as unknown;
    const values: unknown[] = [];
    JSON.stringify(cds, (key, value: unknown) => {
      if (key === 'connect_timeout') values.push(value);
      return value;
    });
    assert.ok(values.length >= 8);
    for (const value of values) assert.equal(seconds(value), 1);
  });

  it('reads {seconds, nanos} maps, with seconds as a string or number', () => {
    assert.equal(seconds({ seconds: 1 }), 1);
    assert.equal(seconds({ seconds: '2', nanos: 500000000 }), 2.5);
    assert.equal(seconds({ nanos: 250000000 }), 0.25);
    assert.match(reason({ seconds: 'x' }), /seconds must be an integer/);
    assert.match(reason({ seconds: 1, nanos: 2e9 }), /nanos .* out of range/);
    assert.match(reason({ seconds: 1, millis: 3 }), /unexpected field "millis"/);
  });

  it("refuses durations above Go's int64 nanoseconds, as time.ParseDuration does", () => {
    for (const text of ['99999999999999999999999999999s', '300000000h', '2562048h']) {
      const parsed = parseDuration(text);
      assert.equal(parsed.ok, false, text);
      assert.match((parsed as { reason: string }).reason, /largest duration/);
    }
    assert.equal(parseDuration(10_000_000_000_000_000_000).ok, false);
    assert.deepEqual(parseDuration('2562047h'), { ok: true, seconds: 2562047 * 3600 });
  });

  it('quotes at most 40 characters of a value in its reason, however long the value', () => {
    for (const text of [`${'9'.repeat(1_000_000)}s`, `1${'x'.repeat(1_000_000)}`]) {
      const parsed = parseDuration(text);
      assert.equal(parsed.ok, false);
      assert.ok((parsed as { reason: string }).reason.length < 200, (parsed as { reason: string }).reason.slice(0, 300));
      assert.match((parsed as { reason: string }).reason, /1000001 characters/);
    }
  });

  it('explains why a value is not a duration', () => {
    assert.equal(reason('10'), 'missing unit in duration "10"');
    assert.match(reason('10sec'), /unknown unit "sec"/);
    assert.equal(reason(''), 'empty duration');
    assert.match(reason('abc'), /invalid duration "abc"/);
    assert.match(reason('1s2'), /missing unit/);
    assert.match(reason('-'), /invalid duration/);
    assert.match(reason(null), /got null/);
    assert.match(reason(true), /got boolean/);
    assert.match(reason(['1s']), /got a list/);
  });
});

describe('formatDuration', () => {
  it('writes Go durations without zero components', () => {
    assert.equal(formatDuration(10), '10s');
    assert.equal(formatDuration(0.5), '500ms');
    assert.equal(formatDuration(90), '1m30s');
    assert.equal(formatDuration(3600), '1h');
    assert.equal(formatDuration(5400.25), '1h30m0.25s');
    assert.equal(formatDuration(0.0015), '1.5ms');
    assert.equal(formatDuration(0.000002), '2us');
    assert.equal(formatDuration(3e-9), '3ns');
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(-2), '-2s');
  });

  it('round-trips through parseDuration', () => {
    for (const value of [0.001, 0.25, 1, 1.5, 10, 61, 90, 7200, 3723.5]) {
      assert.equal(seconds(formatDuration(value)), value, formatDuration(value));
    }
  });
});
