import type * as vscode from 'vscode';
import type { VerifyResult } from '../core/diagnose/types';
import { type FeatureContext } from '../ctx';
import type { Configuration } from '../services/configuration';
import type { EnvoyLogRaiser } from '../services/envoyLogRaiser';
import type { SettingSites } from '../services/settingLocator';
import { type UserInterface } from '../services/ui';
import { type DiagnoseOptions, diagnoseCommand } from './diagnoseCommand';
import { type DiagnosisRun, DiagnosisSession } from './diagnosisSession';
import { type ExportedReport, exportReportCommand } from './exportCommand';
import { openManifestCommand } from './openManifestCommand';
import { ReportDocuments } from './reportDocuments';
import { type VerifyFixOptions, verifyFixCommand } from './verifyCommand';

/** Diagnose, built from what it needs; src/commands.ts binds the handlers to commands. */
export interface Diagnose {
  readonly session: DiagnosisSession;
  /** A pod or namespace node of the Mesh view, or nothing (pickers). */
  diagnose(arg?: unknown, options?: DiagnoseOptions): Promise<DiagnosisRun | undefined>;
  /** A pod node's owning workload, or nothing (pickers). */
  diagnoseWorkload(arg?: unknown, options?: DiagnoseOptions): Promise<DiagnosisRun | undefined>;
  verifyFix(options?: VerifyFixOptions): Promise<VerifyResult | undefined>;
  exportReport(): Promise<ExportedReport | undefined>;
  openManifest(): Promise<vscode.TextEditor | undefined>;
}

/**
 * `sites` is the workspace's settings (the lint feature's index, through the service); `raiser`
 * raises a debug window as debug logging does. Everything created is owned by `ctx`.
 */
export function createDiagnose(ctx: FeatureContext, ui: UserInterface, config: Configuration, sites: SettingSites, raiser: EnvoyLogRaiser): Diagnose {
  const documents = ctx.own(new ReportDocuments());
  const session = new DiagnosisSession(documents);
  const verifyFix = verifyFixCommand(ctx, ui, config, session);
  const exportReport = exportReportCommand(ui, session);
  const openManifest = openManifestCommand(ui, session);
  const followUps = { openManifest, verifyFix: () => verifyFix(), exportReport };
  return {
    session,
    diagnose: diagnoseCommand(ctx, ui, config, sites, documents, session, raiser, 'pod', followUps),
    diagnoseWorkload: diagnoseCommand(ctx, ui, config, sites, documents, session, raiser, 'workload', followUps),
    verifyFix,
    exportReport,
    openManifest,
  };
}
