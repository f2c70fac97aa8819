import * as vscode from 'vscode';
import type { Finding } from '../core/base/finding';
import type { DiagnosticsController } from './diagnostics';
import { toRange } from './convert';

function sameRange(finding: Finding, range: vscode.Range): boolean {
  const r = finding.range;
  return (
    r.start.line === range.start.line &&
    r.start.column === range.start.character &&
    r.end.line === range.end.line &&
    r.end.column === range.end.character
  );
}

function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/**
 * Quick fixes from the fixes that core attaches to findings (`Finding.fixes`): core
 * decides what is certain; this only turns each fix into a WorkspaceEdit for the
 * diagnostic it repairs. Findings come from the validator's last run, which is the one
 * the diagnostics show.
 */
export class FindingCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  constructor(private readonly diagnostics: DiagnosticsController) {}

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const findings = this.diagnostics.validateNow(document);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== 'podtrace') continue;
      const code = codeOf(diagnostic);
      for (const finding of findings) {
        if (finding.code !== code || !finding.fixes?.length || !sameRange(finding, diagnostic.range)) continue;
        for (const fix of finding.fixes) {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.diagnostics = [diagnostic];
          action.isPreferred = finding.fixes.length === 1;
          const edit = new vscode.WorkspaceEdit();
          for (const e of fix.edits) edit.replace(document.uri, toRange(e.range), e.newText);
          action.edit = edit;
          actions.push(action);
        }
      }
    }
    return actions;
  }
}

/** Registers the quick fixes for YAML documents, files and unsaved ones alike. */
export function registerCodeActions(diagnostics: DiagnosticsController): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    [{ language: 'yaml' }],
    new FindingCodeActionProvider(diagnostics),
    FindingCodeActionProvider.metadata,
  );
}
