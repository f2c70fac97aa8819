import * as vscode from 'vscode';
import type { Finding, SourceRange } from '../core/base/finding';
import { findingHelpUri } from '../core/manifest/findingCodes';

const severities: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toRange(range: SourceRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.column, range.end.line, range.end.column);
}

/** A finding as an editor diagnostic whose code links to its README entry. */
export function toDiagnostic(finding: Finding): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(finding.range), finding.message, severities[finding.severity]);
  diagnostic.source = 'podtrace';
  diagnostic.code = { value: finding.code, target: vscode.Uri.parse(findingHelpUri(finding.code)) };
  return diagnostic;
}
