import * as vscode from 'vscode';
import { registerCodeActions } from './codeActions';
import { registerCommands } from './commands';
import { Config } from './config';
import { DiagnosticsController } from './diagnostics';

/** What activation returns: the tests inside VS Code read it through the extension's exports. */
export interface PodtraceApi {
  readonly diagnostics: DiagnosticsController;
}

export function activate(context: vscode.ExtensionContext): PodtraceApi {
  const config = new Config();
  const output = vscode.window.createOutputChannel('Podtrace', 'podtrace-output');
  const diagnostics = new DiagnosticsController(config);
  const workspaceCollection = vscode.languages.createDiagnosticCollection('podtrace-workspace');
  context.subscriptions.push(
    output,
    diagnostics,
    workspaceCollection,
    registerCodeActions(diagnostics),
    ...registerCommands({ config, diagnostics, output, workspaceCollection }),
  );
  return { diagnostics };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
