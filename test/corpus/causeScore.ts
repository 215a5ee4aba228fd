/**
 * Scores findings per cause: a finding counts for its cause when it is reported at the expected
 * line with the expected cause (and kind, when the expectation names one). Used by the realistic
 * corpus test and by the correlate bench, for both corpora.
 */

export interface ExpectedFinding {
  readonly file: string;
  readonly line: number;
  /** `reset` or `http-error`; unchecked when absent (the generated corpus labels causes only). */
  readonly kind?: string;
  readonly cause: string;
}

export interface ScoredFinding {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly cause: string;
  readonly explanation: string;
}

export interface CauseRate {
  readonly precision: number;
  readonly recall: number;
}

export class CauseTally {
  private readonly counts = new Map<string, { tp: number; fp: number; fn: number }>();

  private of(cause: string): { tp: number; fp: number; fn: number } {
    let c = this.counts.get(cause);
    if (!c) this.counts.set(cause, (c = { tp: 0, fp: 0, fn: 0 }));
    return c;
  }

  /** Adds one case; returns its mistakes, worded for a failing test's message. */
  add(expected: readonly ExpectedFinding[], reported: readonly ScoredFinding[]): string[] {
    const mistakes: string[] = [];
    for (const e of expected) {
      const r = reported.find((x) => x.file === e.file && x.line === e.line);
      if (r && r.cause === e.cause && (e.kind === undefined || r.kind === e.kind)) this.of(e.cause).tp++;
      else {
        this.of(e.cause).fn++;
        if (r) this.of(r.cause).fp++;
        mistakes.push(`${e.file}:${e.line} expected ${e.kind ?? ''}${e.kind ? ' ' : ''}${e.cause}, got ${r ? `${r.kind} ${r.cause} (${r.explanation})` : 'nothing'}`);
      }
    }
    for (const r of reported) {
      if (!expected.some((e) => e.file === r.file && e.line === r.line)) {
        this.of(r.cause).fp++;
        mistakes.push(`${r.file}:${r.line} reported ${r.cause} but not expected`);
      }
    }
    return mistakes;
  }

  /** Precision and recall of every cause expected or reported, by cause name. */
  rates(): Map<string, CauseRate> {
    const rates = new Map<string, CauseRate>();
    for (const [cause, { tp, fp, fn }] of [...this.counts].sort(([a], [b]) => a.localeCompare(b))) {
      rates.set(cause, { precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) });
    }
    return rates;
  }
}
