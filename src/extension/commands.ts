import * as vscode from 'vscode';
import type { Finding } from '../core/base/finding';
import { textLooksLikeKubernetes } from '../core/manifest/parse';
import { validateManifestText } from '../core/manifest/validate';
import type { Config } from './config';
import type { DiagnosticsController } from './diagnostics';
import { toDiagnostic } from './convert';

/** What every command may use; built once at activation. */
export interface CommandContext {
  readonly config: Config;
  readonly diagnostics: DiagnosticsController;
  readonly output: vscode.OutputChannel;
  readonly workspaceCollection: vscode.DiagnosticCollection;
}

type CommandHandler = (ctx: CommandContext, ...args: unknown[]) => unknown;

function formatFinding(file: string, f: Finding): string {
  return `${file}:${f.range.start.line + 1}:${f.range.start.column + 1}: ${f.severity} ${f.code} ${f.message}`;
}

async function documentFor(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  return vscode.window.activeTextEditor?.document;
}

/** Validates the manifest the command was invoked on and writes its findings to the output channel. */
async function validateForCommand(ctx: CommandContext, arg: unknown): Promise<{ document: vscode.TextDocument; findings: readonly Finding[] } | undefined> {
  const document = await documentFor(arg);
  if (!document) {
    void vscode.window.showWarningMessage('Podtrace: open a Kubernetes manifest (YAML) first.');
    return undefined;
  }
  const findings = ctx.diagnostics.validateNow(document);
  const name = vscode.workspace.asRelativePath(document.uri);
  ctx.output.appendLine(`validate ${name}: ${findings.length} finding(s)`);
  findings.forEach((f) => ctx.output.appendLine(formatFinding(name, f)));
  return { document, findings };
}

const applyToCluster: CommandHandler = async (ctx, arg) => {
  const result = await validateForCommand(ctx, arg);
  if (!result) return undefined;
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  if (errors > 0) {
    ctx.output.show(true);
    void vscode.window.showErrorMessage(`Podtrace: ${errors} error(s) in ${vscode.workspace.asRelativePath(result.document.uri)}; fix them before applying.`);
    return { applied: false, errors };
  }
  // The simulator is loaded on the first apply, not when the extension activates (esbuild
  // keeps a require() of a bundled module lazy).
  const { applyToSimulator } = require('./simulatorApply') as typeof import('./simulatorApply');
  return applyToSimulator(ctx, result.document);
};

const validateWorkspace: CommandHandler = async (ctx) => {
  const uris = await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/node_modules/**');
  let total = 0;
  let checked = 0;
  ctx.workspaceCollection.clear();
  for (const uri of uris) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    if (!textLooksLikeKubernetes(text)) continue;
    checked++;
    if (open) {
      total += ctx.diagnostics.validateNow(open).length;
      continue;
    }
    const findings = validateManifestText(text, { kubernetesVersion: ctx.config.kubernetesVersion });
    total += findings.length;
    ctx.workspaceCollection.set(uri, findings.map(toDiagnostic));
  }
  ctx.output.appendLine(`validate workspace: ${checked} manifest file(s), ${total} finding(s)`);
  void vscode.window.showInformationMessage(`Podtrace: checked ${checked} manifest file(s), ${total} finding(s).`);
  return { files: checked, findings: total };
};

const showOutput: CommandHandler = (ctx) => {
  ctx.output.show(true);
};

/** Every command podtrace contributes, by id; package.json lists the same ids. */
export const commandTable: Readonly<Record<string, CommandHandler>> = {
  'podtrace.applyToCluster': applyToCluster,
  'podtrace.validateWorkspace': validateWorkspace,
  'podtrace.showOutput': showOutput,
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(commandTable).map(([id, handler]) => vscode.commands.registerCommand(id, (...args: unknown[]) => handler(ctx, ...args)));
}
