import * as assert from 'node:assert/strict';
import { logTimeMs, parseDateTimeMs, parseTimeOfDayMs, resolveTimeOfDay, toIsoUtc } from '../../../../src/core/logs/time';

describe('timestamps', () => {
  it('reads ISO with Z, with offsets, and without a zone (as UTC)', () => {
    assert.equal(parseDateTimeMs('2020-05-29T22:04:05.066Z'), Date.parse('2020-05-29T22:04:05.066Z'));
    assert.equal(parseDateTimeMs('2020-05-30T00:04:05.066+02:00 ERROR'), Date.parse('2020-05-29T22:04:05.066Z'));
    assert.equal(parseDateTimeMs('2020-05-29T17:04:05.066-0500'), Date.parse('2020-05-29T22:04:05.066Z'));
    assert.equal(parseDateTimeMs('2020-05-29 22:04:05.066'), Date.parse('2020-05-29T22:04:05.066Z'));
  });

  it('reads logback/Python commas, Go slashes and nanoseconds', () => {
    assert.equal(parseDateTimeMs('2024-01-01 12:00:00,123 ERROR'), Date.parse('2024-01-01T12:00:00.123Z'));
    assert.equal(parseDateTimeMs('2024/01/01 12:00:00.123456 x'), Date.parse('2024-01-01T12:00:00.123Z') + 0.456);
    assert.equal(parseDateTimeMs('2025-01-30T12:10:13.682034460Z'), Date.parse('2025-01-30T12:10:13.682Z') + 0.03446);
  });

  it('gives the same answer for a minute already seen, whatever zone follows', () => {
    assert.equal(parseDateTimeMs('2024-01-01T12:00:10.000Z'), Date.parse('2024-01-01T12:00:10.000Z'));
    assert.equal(parseDateTimeMs('2024-01-01T12:00:20.5Z'), Date.parse('2024-01-01T12:00:20.500Z'));
    assert.equal(parseDateTimeMs('2024-01-01T12:00:30.000+01:00'), Date.parse('2024-01-01T11:00:30.000Z'));
    assert.equal(parseDateTimeMs('2024-01-01T12:00:40 +0100'), Date.parse('2024-01-01T11:00:40.000Z'));
  });

  it('rejects what is not a date', () => {
    for (const text of ['', 'hello', '2024-13-01 00:00:00', '12:00:00.123', '2024-01-01']) assert.equal(parseDateTimeMs(text), null, text);
  });

  it('reads years 0000–0099 as themselves, not as 1900–1999', () => {
    assert.equal(toIsoUtc(parseDateTimeMs('0000-01-01 00:00:00.000')!), '0000-01-01T00:00:00.000Z');
    assert.equal(toIsoUtc(parseDateTimeMs('0099-12-31T23:59:59Z')!), '0099-12-31T23:59:59.000Z');
    assert.equal(toIsoUtc(parseDateTimeMs('9999-12-31 23:59:59.999')!), '9999-12-31T23:59:59.999Z');
  });

  it('treats a date or time that does not exist as no time, not as a neighbouring one', () => {
    for (const text of ['2024-02-30 10:00:00', '2023-02-29T10:00:00Z', '2024-04-31 10:00:00', '2024-01-01 24:00:00', '2024-01-01 10:60:00', '2024-01-01 10:00:61']) {
      assert.equal(parseDateTimeMs(text), null, text);
    }
    assert.equal(toIsoUtc(parseDateTimeMs('2024-02-29 10:00:00')!), '2024-02-29T10:00:00.000Z');
    // The remembered minute must not let an impossible second through either.
    assert.equal(parseDateTimeMs('2024-01-01 10:00:00'), Date.parse('2024-01-01T10:00:00Z'));
    assert.equal(parseDateTimeMs('2024-01-01 10:00:99'), null);
  });

  it('keeps epoch numbers only within years 0000–9999', () => {
    assert.equal(logTimeMs(Date.parse('2024-01-01T00:00:00Z')), Date.parse('2024-01-01T00:00:00Z'));
    for (const ms of [1e300, -1e20, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(logTimeMs(ms), null, String(ms));
  });

  it('reads a time of day and places it on the nearest day of a reference', () => {
    assert.equal(parseTimeOfDayMs('22:04:06.067 [main] ERROR'), ((22 * 60 + 4) * 60 + 6) * 1000 + 67);
    assert.equal(parseTimeOfDayMs('25:00:00.000'), null);
    assert.equal(parseTimeOfDayMs('2024-01-01'), null);
    const evening = Date.parse('2024-01-01T23:59:58Z');
    assert.equal(resolveTimeOfDay(parseTimeOfDayMs('00:00:01.000')!, evening), Date.parse('2024-01-02T00:00:01Z'));
    assert.equal(resolveTimeOfDay(parseTimeOfDayMs('23:59:59.000')!, Date.parse('2024-01-02T00:00:01Z')), Date.parse('2024-01-01T23:59:59Z'));
    assert.equal(resolveTimeOfDay(parseTimeOfDayMs('12:00:00.000')!, Date.parse('2024-01-01T11:00:00Z')), Date.parse('2024-01-01T12:00:00Z'));
  });
});
