/** Scores correlator output against corpus labels: precision and recall of reset-to-Envoy-line matches. */

import type { CorrelationResult } from '../../src/core/correlate/index';
import type { LabelledReset } from './generator';

export interface CorpusScore {
  /** Matches reported that the labels also have, over all matches reported. */
  readonly precision: number;
  /** Labelled matches reported, over all labelled matches. */
  readonly recall: number;
  /** Labelled resets whose reported cause equals the label. */
  readonly causeAccuracy: number;
  readonly resetsLabelled: number;
  readonly resetsFound: number;
  readonly truePairs: number;
  readonly reportedPairs: number;
  readonly labelledPairs: number;
  /** Human-readable differences, for a failing test's message. */
  readonly mistakes: string[];
}

export class ScoreTally {
  private truePairs = 0;
  private reportedPairs = 0;
  private labelledPairs = 0;
  private resetsLabelled = 0;
  private resetsFound = 0;
  private causesRight = 0;
  private readonly mistakes: string[] = [];

  add(caseName: string, labels: readonly LabelledReset[], result: CorrelationResult): void {
    const truth = new Set<string>();
    const labelByReset = new Map<string, LabelledReset>();
    for (const label of labels) {
      labelByReset.set(`${label.file}:${label.line}`, label);
      for (const m of label.matches) truth.add(`${label.file}:${label.line}->${m}`);
    }
    this.labelledPairs += truth.size;
    this.resetsLabelled += labels.length;
    for (const reset of result.resets) {
      const key = `${reset.file}:${reset.line}`;
      const label = labelByReset.get(key);
      if (label) {
        this.resetsFound++;
        if (label.cause === reset.cause) this.causesRight++;
        else this.mistakes.push(`${caseName}: ${key} cause ${reset.cause}, expected ${label.cause} (${reset.explanation})`);
      } else {
        this.mistakes.push(`${caseName}: ${key} reported but not labelled as a reset`);
      }
      for (const m of reset.matches) {
        this.reportedPairs++;
        const pair = `${key}->${m.file}:${m.line}`;
        if (truth.has(pair)) this.truePairs++;
        else this.mistakes.push(`${caseName}: extra match ${pair} (${m.kind})`);
      }
    }
  }

  score(): CorpusScore {
    return {
      precision: this.reportedPairs === 0 ? 1 : this.truePairs / this.reportedPairs,
      recall: this.labelledPairs === 0 ? 1 : this.truePairs / this.labelledPairs,
      causeAccuracy: this.resetsLabelled === 0 ? 1 : this.causesRight / this.resetsLabelled,
      resetsLabelled: this.resetsLabelled,
      resetsFound: this.resetsFound,
      truePairs: this.truePairs,
      reportedPairs: this.reportedPairs,
      labelledPairs: this.labelledPairs,
      mistakes: this.mistakes,
    };
  }
}
