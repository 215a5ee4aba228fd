import type * as vscode from 'vscode';
import { diagnosisMarkdown } from '../core/diagnose/report';
import type { Diagnosis, ManifestSite, VerifyResult } from '../core/diagnose/types';
import type { WorkspaceManifestSettings } from '../services/settingLocator';
import type { ReportDocuments } from './reportDocuments';
import type { DiagnoseScope } from './targets';

/** A diagnosis the user ran, what it was run on, and its verification once run. */
export interface DiagnosisRun {
  readonly scope: DiagnoseScope;
  readonly diagnosis: Diagnosis;
  /** The workspace manifests the sites were found in, to open a site's file. */
  readonly manifests: readonly WorkspaceManifestSettings[];
  /** The report's read-only document. */
  readonly report: vscode.Uri;
  verification?: VerifyResult;
}

/** The file a site names, as a URI in the workspace (sites carry the workspace-relative name the report shows). */
export function siteUri(run: DiagnosisRun, site: ManifestSite): vscode.Uri | null {
  return run.manifests.find((m) => m.file === site.file)?.uri ?? null;
}

/** Every site the run's causes name, strongest cause first, each once. */
export function runSites(run: DiagnosisRun): ManifestSite[] {
  const seen = new Set<string>();
  return run.diagnosis.causes.flatMap((c) => c.manifest).filter((m) => {
    const key = `${m.file}:${m.startLine}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The report's Markdown, with the verification once run; Open Manifest opens the sites it names. */
export function runMarkdown(run: DiagnosisRun): string {
  return diagnosisMarkdown(run.diagnosis, run.verification ? { verification: run.verification } : {});
}

/** The last diagnosis of this window, which Verify Fix, Open Manifest and Export act on. */
export class DiagnosisSession {
  private current: DiagnosisRun | undefined;

  constructor(private readonly documents: ReportDocuments) {}

  get last(): DiagnosisRun | undefined {
    return this.current;
  }

  /** Records a new run and writes its report. */
  start(run: DiagnosisRun): void {
    this.current = run;
    this.documents.set(run.report, runMarkdown(run));
  }

  /** Adds the verification to the run and its report (an open preview follows). */
  verified(run: DiagnosisRun, result: VerifyResult): void {
    run.verification = result;
    this.documents.set(run.report, runMarkdown(run));
  }
}
