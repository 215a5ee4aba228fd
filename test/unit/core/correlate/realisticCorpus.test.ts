import * as assert from 'node:assert/strict';
import { CauseTally } from '../../../corpus/causeScore';
import { readRealisticCases, runRealisticCase } from '../../../corpus/realistic';

/**
 * The realistic corpus (test/corpus/realistic.ts) through the real CLI, as a user runs it.
 * Every cause must reach precision and recall of 0.95, and no line listed as "not a finding"
 * (Caused-by lines, agent lines quoting resets, xDS warnings, app-produced 503s) may be reported.
 */

const TARGET = 0.95;

describe('realistic log corpus through the CLI', function () {
  this.timeout(300_000);
  const cases = readRealisticCases();

  it(`explains every cause with precision and recall of at least ${TARGET}, and reports no near miss`, async () => {
    const tally = new CauseTally();
    const mistakes: string[] = [];
    for (const c of cases) {
      const reported = await runRealisticCase(c);
      mistakes.push(...tally.add(c.expected, reported).map((m) => `${c.id}: ${m}`));
      for (const n of c.notAFinding ?? []) {
        if (reported.some((r) => r.file === n.file && r.line === n.line)) mistakes.push(`${c.id}: ${n.file}:${n.line} reported, but ${n.why}`);
      }
      for (const r of reported) {
        if (r.cause === 'unexplained') assert.equal(r.fix, null, `${c.id}: an unexplained finding has no fix`);
        else assert.ok(r.fix && r.fix.setting && r.fix.default && /^https:\/\/(?:istio\.io|www\.envoyproxy\.io)\//.test(r.fix.docs) && r.fix.advice, `${c.id}: ${r.cause} has a complete fix`);
      }
    }
    const rates = tally.rates();
    assert.equal(rates.size, 13, 'every cause is in the corpus');
    const low = [...rates].filter(([, r]) => r.precision < TARGET || r.recall < TARGET).map(([cause, r]) => `${cause}: precision ${r.precision.toFixed(2)}, recall ${r.recall.toFixed(2)}`);
    assert.deepEqual(low, [], mistakes.join('\n'));
    assert.deepEqual(mistakes.filter((m) => m.includes('reported, but')), []);
  });
});
