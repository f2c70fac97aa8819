import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { test, waitFor } from './harness';

const extensionId = 'podtrace.podtrace';

function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'expected the examples folder to be open as the workspace');
  return vscode.Uri.file(path.join(folder.uri.fsPath, relative));
}

function podtraceDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] | undefined {
  const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'podtrace');
  return found.length ? found : undefined;
}

test('the extension activates and registers its commands', async () => {
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension, `expected extension ${extensionId} to be installed in the development host`);
  await extension.activate();
  assert.equal(extension.isActive, true);
  const commands = await vscode.commands.getCommands(true);
  for (const id of [
    'podtrace.applyToCluster',
    'podtrace.validateWorkspace',
    'podtrace.showOutput',
    'podtrace.showTimeline',
    'podtrace.skipToEnd',
    'podtrace.cancelTrace',
    'podtrace.exportTrace',
  ]) {
    assert.ok(commands.includes(id), `expected command ${id} to be registered`);
  }
});

test('Export Trace before any trace: nothing is exported, and it says so', async () => {
  const target = path.join(os.tmpdir(), `podtrace-no-trace-${process.pid}.json`);
  const outcome = await vscode.commands.executeCommand('podtrace.exportTrace', 'trace-json', target);
  assert.equal(outcome, undefined);
  assert.equal(fs.existsSync(target), false, `expected no file at ${target}`);
});

test('a YAML syntax error shows as a diagnostic at its exact range', async () => {
  const uri = workspaceFile('mistakes/broken-yaml.yaml');
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  const diagnostics = await waitFor('podtrace diagnostics on broken-yaml.yaml', () => podtraceDiagnostics(uri));
  assert.equal(
    diagnostics.length,
    1,
    `expected one diagnostic, got ${JSON.stringify(diagnostics.map((d) => d.message))}`,
  );
  const [d] = diagnostics;
  assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
  assert.equal(typeof d.code === 'object' ? d.code.value : d.code, 'PT1004');
  assert.match(
    d.message,
    /^YAML bad indentation: Flow sequence in block collection must be sufficiently indented and end with a \]/,
  );
  // The parser stops at the start of the `env:` line (line 11, 0-based 10) after the unclosed `[`.
  assert.deepEqual(
    [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
    [10, 6, 10, 7],
  );
});

test('editing the document re-validates it as the user types', async () => {
  const uri = workspaceFile('mistakes/broken-yaml.yaml');
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document);
  const line = document.lineAt(9);
  const bracket = line.text.indexOf('[');
  assert.ok(bracket > 0, 'expected the ports line to hold the unclosed bracket');
  await editor.edit((edit) => edit.insert(new vscode.Position(9, line.text.length), ']'));
  await waitFor('the syntax error to go away after the edit', () =>
    podtraceDiagnostics(uri) === undefined ? true : undefined,
  );
  await vscode.commands.executeCommand('undo');
  await waitFor('the syntax error to come back after undo', () => podtraceDiagnostics(uri));
});

test('Validate Workspace checks every manifest in the folder', async () => {
  const result = (await vscode.commands.executeCommand('podtrace.validateWorkspace')) as {
    files: number;
    findings: number;
  };
  assert.ok(result, 'expected the command to return its counts');
  assert.ok(result.files >= 4, `expected at least 4 manifest files, got ${result.files}`);
  assert.ok(result.findings >= 1, `expected at least the syntax error, got ${result.findings}`);
});

test('Apply refuses a manifest with errors and says why', async () => {
  const uri = workspaceFile('mistakes/broken-yaml.yaml');
  const result = (await vscode.commands.executeCommand('podtrace.applyToCluster', uri)) as {
    applied: boolean;
    errors: number;
  };
  assert.deepEqual(result, { applied: false, errors: 1 });
});

test('Apply traces a valid manifest in the embedded simulated cluster: \
the timeline opens beside the editor, its three replicas become ready', async () => {
  const uri = workspaceFile('web/deployment.yaml');
  const editor = await vscode.window.showTextDocument(
    await vscode.workspace.openTextDocument(uri),
    vscode.ViewColumn.One,
  );
  const result = (await vscode.commands.executeCommand('podtrace.applyToCluster', uri)) as {
    applied: boolean;
    target: string;
    pods: number;
    ready: number;
    events: number;
    stopped: string;
  };
  assert.equal(result.applied, true);
  assert.equal(result.target, 'simulator');
  assert.deepEqual([result.pods, result.ready, result.stopped], [3, 3, 'quiescent']);
  assert.ok(result.events > 50, `expected the whole lifecycle of three pods, got ${result.events} events`);
  const tabs = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs.map((tab) => ({ tab, column: g.viewColumn })))
    .filter(
      ({ tab }) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('podtrace.timeline'),
    );
  assert.equal(tabs.length, 1, `expected one timeline tab, got ${tabs.length}`);
  assert.notEqual(tabs[0].column, editor.viewColumn, 'expected the timeline beside the editor, not over it');
  // Applying again reuses the panel.
  await vscode.commands.executeCommand('podtrace.applyToCluster', uri);
  assert.equal(
    vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview).length,
    1,
  );
});
