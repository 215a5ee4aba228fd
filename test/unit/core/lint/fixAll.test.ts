import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixAllEdits, type LintFinding } from '../../../../src/core/lint';
import { applyFix, lintText, REPO_ROOT } from './fixtures';

/** A DestinationRule with a low pool-wide value (double-quoted) and a low per-port value (single-quoted). */
const TWO_LOW = fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/fix-all/two-low-dr.yaml'), 'utf8');

/** Applies the edits from last to first, so earlier ranges stay valid. */
function applyAll(text: string, findings: readonly LintFinding[]): string {
  return [...fixAllEdits(findings)].reverse().reduce((t, e) => applyFix(t, e.range, e.replacement), text);
}

describe('fixAllEdits: every safe fix in a file', () => {
  it('fixes both low values of a DestinationRule at once, keeping each quoting style', () => {
    const { findings } = lintText(TWO_LOW);
    assert.equal(findings.length, 2);
    const edits = fixAllEdits(findings);
    assert.deepEqual(edits.map((e) => [e.expected, e.replacement]), [['"1s"', '"10s"'], ["'2s'", "'10s'"]]);
    const fixed = applyAll(TWO_LOW, findings);
    assert.match(fixed, /connectTimeout: "10s"/);
    assert.match(fixed, /connectTimeout: '10s'/);
    assert.deepEqual(lintText(fixed).findings, []);
  });

  it('returns the edits in document order whatever order the findings come in', () => {
    const { findings } = lintText(TWO_LOW);
    assert.deepEqual(fixAllEdits([...findings].reverse()), fixAllEdits(findings));
  });

  it('never edits Helm template text', () => {
    const template = TWO_LOW.replace('connectTimeout: "1s"', 'connectTimeout: "{{ .Values.t | default "1s" }}"');
    const { findings } = lintText(template);
    assert.equal(findings.length, 2, 'the template default is still judged');
    const edits = fixAllEdits(findings);
    assert.deepEqual(edits.map((e) => e.expected), ["'2s'"]);
    assert.match(applyAll(template, findings), /\{\{ \.Values\.t \| default "1s" \}\}/);
  });

  it('skips a finding placed in another file and keeps one edit per range', () => {
    const [first, second] = lintText(TWO_LOW).findings;
    const elsewhere: LintFinding = { ...second, file: 'values.yaml' };
    const overlapping: LintFinding = { ...first, range: { start: first.range.start, end: { ...first.range.end, character: first.range.end.character + 1 } } };
    assert.deepEqual(fixAllEdits([first, first, overlapping, elsewhere]).map((e) => e.range), [first.range]);
  });

  it('has nothing to do without fixable findings', () => {
    assert.deepEqual(fixAllEdits([]), []);
    assert.deepEqual(fixAllEdits(lintText(TWO_LOW.replace('"1s"', '"20s"').replace("'2s'", "'30s'")).findings), []);
  });
});
