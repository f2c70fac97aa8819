// Runtime findings of the last trace as diagnostics: their own collection and source
// ("podtrace runtime"), so that the Problems view tells them apart from validation's
// findings, on the YAML ranges that caused them. They describe one run of one version of the
// text: editing the document clears its findings, and so does applying it again.
import * as vscode from 'vscode';
import type { RuntimeFinding } from '../core/trace/runtimeFindings';

export const runtimeDiagnosticSource = 'podtrace runtime';

/** A finding's range: its source is 1-based with an exclusive end column, VS Code's is 0-based. */
export function runtimeDiagnostic(finding: RuntimeFinding): vscode.Diagnostic {
  const s = finding.source;
  const range = new vscode.Range(s.line - 1, s.column - 1, s.endLine - 1, s.endColumn - 1);
  const diagnostic = new vscode.Diagnostic(range, finding.message, vscode.DiagnosticSeverity.Warning);
  diagnostic.source = runtimeDiagnosticSource;
  diagnostic.code = finding.code;
  return diagnostic;
}

export class RuntimeDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('podtrace-runtime');
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      // A change of dirty state alone has no content changes: the findings still hold.
      if (e.contentChanges.length > 0) this.collection.delete(e.document.uri);
    });
  }

  /** Shows a run's findings; `uriOf` finds the document a finding's file names (undefined: not one of the run's). */
  show(findings: readonly RuntimeFinding[], uriOf: (file: string) => vscode.Uri | undefined): void {
    const byDocument = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
    for (const finding of findings) {
      const uri = uriOf(finding.source.file);
      if (!uri) continue;
      let entry = byDocument.get(uri.toString());
      if (!entry) byDocument.set(uri.toString(), (entry = { uri, diagnostics: [] }));
      entry.diagnostics.push(runtimeDiagnostic(finding));
    }
    for (const { uri, diagnostics } of byDocument.values()) this.collection.set(uri, diagnostics);
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
