import * as assert from 'node:assert/strict';
import { omittedSuffix, revealInvisible, toDisplayText } from '../../../src/annotator/displayText';

describe('annotator display text', () => {
  it('shows bidi overrides, isolates and marks as visible escapes, so a line cannot read backwards', () => {
    const line = 'user=\u202Egnp.exe \u2066x\u2069 \u200F\u061C';
    assert.equal(revealInvisible(line), 'user=\\u202Egnp.exe \\u2066x\\u2069 \\u200F\\u061C');
  });

  it('shows control characters (escape sequences, carriage returns) but keeps tabs', () => {
    assert.equal(revealInvisible('a\u001b[31mred\rb\tc\u0000'), 'a\\x1B[31mred\\x0Db\tc\\x00');
  });

  it('leaves markup as the characters it is (the DOM code puts it in textContent)', () => {
    const hostile = '<img src=x onerror=alert(1)> javascript:alert(1) <script>alert(1)</script>';
    assert.equal(toDisplayText(hostile).text, hostile);
  });

  it('cuts a 100 KB line and counts what was left out', () => {
    const shown = toDisplayText('A'.repeat(100_000), 2000);
    assert.equal(shown.text.length, 2000);
    assert.equal(shown.omitted, 98_000);
    assert.equal(omittedSuffix(shown.omitted), '… (98,000 more characters)');
  });

  it('counts what was left out against the original length when given a line already cut for transport', () => {
    const shown = toDisplayText('B'.repeat(8192), 2000, 100_223);
    assert.equal(shown.text.length, 2000);
    assert.equal(shown.omitted, 98_223);
  });

  it('never cuts a surrogate pair in half', () => {
    const shown = toDisplayText(`${'a'.repeat(9)}😀tail`, 10);
    assert.equal(shown.text, 'a'.repeat(9));
    assert.equal(shown.omitted, 2 + 4);
  });

  it('reveals invisible characters after the cut, not before, so the count refers to the original', () => {
    const shown = toDisplayText('\u202E'.repeat(5), 3);
    assert.equal(shown.text, '\\u202E\\u202E\\u202E');
    assert.equal(shown.omitted, 2);
  });
});
