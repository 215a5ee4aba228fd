import * as assert from 'node:assert/strict';
import { correlate, correlateText } from '../../../../src/core/correlate/index';
import { generateCase, generateCorpus } from '../../../corpus/generator';
import { ScoreTally } from '../../../corpus/score';

describe('labelled corpus', function () {
  // A few hundred incidents: about a second alone, more on a busy machine.
  this.timeout(60_000);

  it('is deterministic for a seed', () => {
    assert.deepEqual(generateCase(42, 6), generateCase(42, 6));
    assert.notDeepEqual(generateCase(42, 6).files, generateCase(43, 6).files);
  });

  it('matches resets to Envoy lines with precision and recall of at least 0.95', () => {
    const tally = new ScoreTally();
    for (const c of generateCorpus(7, 24, 10)) {
      tally.add(c.name, c.labels, correlateText(c.files, { windowSeconds: c.windowSeconds, clockOffsetSeconds: c.clockOffsetSeconds }));
    }
    const score = tally.score();
    const detail = score.mistakes.slice(0, 10).join('\n');
    assert.ok(score.labelledPairs > 500, 'the corpus is not trivial');
    assert.ok(score.precision >= 0.95, `precision ${score.precision}\n${detail}`);
    assert.ok(score.recall >= 0.95, `recall ${score.recall}\n${detail}`);
    assert.ok(score.causeAccuracy >= 0.95, `cause accuracy ${score.causeAccuracy}\n${detail}`);
    assert.equal(score.resetsFound, score.resetsLabelled);
  });

  it('scores the same through the streaming byte path', async () => {
    const tally = new ScoreTally();
    for (const c of generateCorpus(8, 6, 10)) {
      const inputs = c.files.map((f) => ({
        file: f.file,
        chunks: (async function* () {
          const bytes = Buffer.from(f.text);
          for (let i = 0; i < bytes.length; i += 1000) yield bytes.subarray(i, i + 1000);
        })(),
      }));
      tally.add(c.name, c.labels, await correlate(inputs, { windowSeconds: c.windowSeconds, clockOffsetSeconds: c.clockOffsetSeconds }));
    }
    const score = tally.score();
    assert.ok(score.precision >= 0.95 && score.recall >= 0.95, `precision ${score.precision}, recall ${score.recall}`);
  });

  it('would notice a correlator that matched the wrong lines', () => {
    const c = generateCase(9, 10);
    const result = correlateText(c.files, { windowSeconds: c.windowSeconds, clockOffsetSeconds: c.clockOffsetSeconds });
    // Each reset given the matches of the next one.
    const swapped = { ...result, resets: result.resets.map((r, i, all) => ({ ...r, matches: all[(i + 1) % all.length]!.matches })) };
    const tally = new ScoreTally();
    tally.add(c.name, c.labels, swapped);
    const score = tally.score();
    assert.ok(score.reportedPairs > 0);
    assert.ok(score.precision < 0.5, `precision ${score.precision}`);
  });
});
