import * as vscode from 'vscode';
import type { ConnectTimeoutFinding, Severity, SourceRange } from '../core/lint/types';

/** The Problems-panel source of every Mesh Doctor diagnostic; quick fixes match on it. */
export const DIAGNOSTIC_SOURCE = 'mesh-doctor';

export function toRange(range: SourceRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function toSeverity(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'information':
      return vscode.DiagnosticSeverity.Information;
  }
}

export function findingToDiagnostic(finding: ConnectTimeoutFinding): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(finding.range), finding.message, toSeverity(finding.severity));
  diagnostic.source = DIAGNOSTIC_SOURCE;
  const docs = finding.docs[0];
  diagnostic.code = docs ? { value: finding.code, target: vscode.Uri.parse(docs) } : finding.code;
  return diagnostic;
}

/** The code a Mesh Doctor diagnostic carries, whether or not it links to docs. */
export function diagnosticCode(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}
