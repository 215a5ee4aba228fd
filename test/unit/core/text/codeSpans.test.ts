import * as assert from 'node:assert/strict';
import { plainText, splitCodeSpans } from '../../../../src/core/text/codeSpans';

const code = (text: string) => ({ text, code: true });
const text = (t: string) => ({ text: t, code: false });

describe('code spans: backticks to code parts', () => {
  it("splits an explanation's cluster name into a code part and drops the backticks", () => {
    const parts = splitCodeSpans("Envoy's connect timeout (1 s) to `outbound|443||idp.example.com` (52.14.3.7:443) fired 2 ms before this reset");
    assert.deepEqual(parts, [
      text("Envoy's connect timeout (1 s) to "),
      code('outbound|443||idp.example.com'),
      text(' (52.14.3.7:443) fired 2 ms before this reset'),
    ]);
    assert.ok(!plainText(parts).includes('`'));
  });

  it('keeps hostile markup as the text of its part, in code or not', () => {
    assert.deepEqual(splitCodeSpans('to `<img src=x onerror=alert(1)>` and <script>alert(1)</script>'), [
      text('to '),
      code('<img src=x onerror=alert(1)>'),
      text(' and <script>alert(1)</script>'),
    ]);
  });

  it('leaves an unbalanced backtick as literal text, before and after a closed span', () => {
    assert.deepEqual(splitCodeSpans('a ` b'), [text('a ` b')]);
    assert.deepEqual(splitCodeSpans('`x` and ` alone'), [code('x'), text(' and ` alone')]);
    assert.deepEqual(splitCodeSpans('` spaced `x'), [code('spaced'), text('x')], 'one space inside both ends is dropped');
    assert.deepEqual(splitCodeSpans('```'), [text('```')]);
    assert.deepEqual(splitCodeSpans('``a`'), [text('``a`')]);
  });

  it('reads nested backticks as CommonMark does: a double-backtick span holds single ones', () => {
    assert.deepEqual(splitCodeSpans("set `` retryOn: `reset` `` now"), [text('set '), code('retryOn: `reset`'), text(' now')]);
    assert.deepEqual(splitCodeSpans('`a``b`'), [code('a``b')]);
  });

  it('keeps every character but the delimiters of text made of thousands of backtick runs', () => {
    const hostile = Array.from({ length: 2000 }, (_, i) => `${'`'.repeat((i % 61) + 1)}x`).join('');
    const parts = splitCodeSpans(hostile);
    assert.equal(plainText(parts).replace(/[^x]/g, '').length, 2000);
    assert.ok(parts.every((p) => p.text.length > 0));
    assert.deepEqual(splitCodeSpans(''), []);
  });
});
