import type { ManifestLintResult } from '../core/lint';

/** One lint job. `cancel` is a shared 4-byte flag the extension sets to stop the job early. */
export interface LintRequest {
  readonly id: number;
  readonly text: string;
  readonly minimumSeconds: number;
  /** Also parse plain workloads (LintOptions.readWorkloads), for the cross-file rules of background scans. */
  readonly readWorkloads: boolean;
  readonly cancel: SharedArrayBuffer;
}

export type LintResponse = { readonly id: number; readonly result: ManifestLintResult } | { readonly id: number; readonly error: string };
