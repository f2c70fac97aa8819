// What the manifest commands (Apply, Delete, Dry Run) share: the documents a command was
// invoked on, the editor column they are shown in, and validation written to the output.
import * as vscode from 'vscode';
import type { Finding } from '../core/base/finding';
import type { DiagnosticsController } from './diagnostics';

function formatFinding(file: string, f: Finding): string {
  return `${file}:${f.range.start.line + 1}:${f.range.start.column + 1}: ${f.severity} ${f.code} ${f.message}`;
}

/**
 * The documents a command was invoked on: the explorer's selection (its second argument, when
 * several files are selected), the resource it was invoked on, or the active editor's document.
 */
export async function documentsFor(arg: unknown, selected: unknown): Promise<vscode.TextDocument[]> {
  const uris =
    Array.isArray(selected) && selected.length > 0 && selected.every((u) => u instanceof vscode.Uri)
      ? (selected as vscode.Uri[])
      : arg instanceof vscode.Uri
        ? [arg]
        : [];
  // Each file once, in the order given.
  const unique = [...new Map(uris.map((uri) => [uri.toString(), uri])).values()];
  if (unique.length > 0) return Promise.all(unique.map((uri) => vscode.workspace.openTextDocument(uri)));
  const active = vscode.window.activeTextEditor?.document;
  return active ? [active] : [];
}

/** Validates a manifest a command was invoked on and writes its findings to the output channel. */
export function validateForCommand(
  diagnostics: DiagnosticsController,
  output: vscode.OutputChannel,
  document: vscode.TextDocument,
): readonly Finding[] {
  const findings = diagnostics.validateNow(document);
  const name = vscode.workspace.asRelativePath(document.uri);
  output.appendLine(`validate ${name}: ${findings.length} finding(s)`);
  findings.forEach((f) => output.appendLine(formatFinding(name, f)));
  return findings;
}

/** The editor column a document is shown in, where the timeline reveals its YAML later. */
export function columnOf(document: vscode.TextDocument): vscode.ViewColumn | undefined {
  const active = vscode.window.activeTextEditor;
  if (active?.document === document) return active.viewColumn;
  return vscode.window.visibleTextEditors.find((e) => e.document === document)?.viewColumn ?? active?.viewColumn;
}

/** `web.yaml`, `web.yaml and svc.yaml`, `3 files`: how a message names the documents. */
export function describeDocuments(documents: readonly vscode.TextDocument[]): string {
  const names = documents.map((d) => d.uri.path.split('/').pop() ?? d.uri.toString());
  if (names.length <= 2) return names.join(' and ');
  return `${names.length} files`;
}
