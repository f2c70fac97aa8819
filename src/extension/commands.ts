import * as vscode from 'vscode';
import type { Finding } from '../core/base/finding';
import { textLooksLikeKubernetes } from '../core/manifest/base/parse';
import { validateManifestText } from '../core/manifest/validate';
import { decodeManifestBytes } from '../core/manifest/textEncoding';
import type { Config } from './config';
import type { DiagnosticsController } from './diagnostics';
import { toDiagnostic } from './convert';
import type { TimelinePanel } from './timelinePanel';
import type { TraceController } from './traceController';
import type { TraceExporter } from './traceExporter';

/** What every command may use; built once at activation. */
export interface CommandContext {
  readonly config: Config;
  readonly diagnostics: DiagnosticsController;
  readonly output: vscode.OutputChannel;
  readonly workspaceCollection: vscode.DiagnosticCollection;
  readonly timeline: TimelinePanel;
  readonly traces: TraceController;
  readonly exporter: TraceExporter;
}

type CommandHandler = (ctx: CommandContext, ...args: unknown[]) => unknown;

function formatFinding(file: string, f: Finding): string {
  return `${file}:${f.range.start.line + 1}:${f.range.start.column + 1}: ${f.severity} ${f.code} ${f.message}`;
}

/**
 * The documents a command was invoked on: the explorer's selection (its second argument, when
 * several files are selected), the resource it was invoked on, or the active editor's document.
 */
async function documentsFor(arg: unknown, selected: unknown): Promise<vscode.TextDocument[]> {
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

/** Validates a manifest the command was invoked on and writes its findings to the output channel. */
function validateForCommand(ctx: CommandContext, document: vscode.TextDocument): readonly Finding[] {
  const findings = ctx.diagnostics.validateNow(document);
  const name = vscode.workspace.asRelativePath(document.uri);
  ctx.output.appendLine(`validate ${name}: ${findings.length} finding(s)`);
  findings.forEach((f) => ctx.output.appendLine(formatFinding(name, f)));
  return findings;
}

/** The editor column a document is shown in, where the timeline reveals its YAML later. */
function columnOf(document: vscode.TextDocument): vscode.ViewColumn | undefined {
  const active = vscode.window.activeTextEditor;
  if (active?.document === document) return active.viewColumn;
  return vscode.window.visibleTextEditors.find((e) => e.document === document)?.viewColumn ?? active?.viewColumn;
}

/**
 * Validates the manifests and, when none has an error (as kubectl apply and the apiserver
 * would refuse them), applies them to the embedded simulated cluster: the timeline opens and
 * the trace streams into it. Resolves when the run ends, with what it did.
 */
const applyToCluster: CommandHandler = async (ctx, arg, selected) => {
  const documents = await documentsFor(arg, selected);
  if (documents.length === 0) {
    void vscode.window.showWarningMessage('Podtrace: open a Kubernetes manifest (YAML) first.');
    return undefined;
  }
  const errors = documents.reduce(
    (n, d) => n + validateForCommand(ctx, d).filter((f) => f.severity === 'error').length,
    0,
  );
  if (errors > 0) {
    ctx.output.show(true);
    const names = documents.map((d) => vscode.workspace.asRelativePath(d.uri)).join(', ');
    void vscode.window.showErrorMessage(`Podtrace: ${errors} error(s) in ${names}; fix them before applying.`);
    return { applied: false, errors };
  }
  return ctx.traces.apply(documents, columnOf(documents[0]));
};

const validateWorkspace: CommandHandler = async (ctx) => {
  const uris = await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/node_modules/**');
  let total = 0;
  let checked = 0;
  ctx.workspaceCollection.clear();
  for (const uri of uris) {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open ? open.getText() : decodeManifestBytes(await vscode.workspace.fs.readFile(uri)).text;
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

/** Opens the timeline (with the last trace, if any) or brings it to the front. */
const showTimeline: CommandHandler = (ctx) => {
  ctx.timeline.show(false);
};

/** Returns whether a trace was running. */
const skipToEnd: CommandHandler = (ctx) => ctx.traces.skipToEnd();

/** Returns whether a trace was running. */
const cancelTrace: CommandHandler = (ctx) => ctx.traces.cancel();

/**
 * Saves the trace: `(format?, file?)` or `({format, file})`; asks for what is not given.
 * Resolves with how it ended (`ExportOutcome`), or undefined when nothing was exported.
 */
const exportTrace: CommandHandler = (ctx, first, second) => ctx.exporter.run(first, second);

/** Every command podtrace contributes, by id; package.json lists the same ids. */
export const commandTable: Readonly<Record<string, CommandHandler>> = {
  'podtrace.applyToCluster': applyToCluster,
  'podtrace.validateWorkspace': validateWorkspace,
  'podtrace.showOutput': showOutput,
  'podtrace.showTimeline': showTimeline,
  'podtrace.skipToEnd': skipToEnd,
  'podtrace.cancelTrace': cancelTrace,
  'podtrace.exportTrace': exportTrace,
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(commandTable).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => handler(ctx, ...args)),
  );
}
