import * as vscode from 'vscode';
import { textLooksLikeKubernetes } from '../core/manifest/base/parse';
import { validateManifestText } from '../core/manifest/validate';
import { decodeManifestBytes } from '../core/manifest/textEncoding';
import { InProcessTarget } from '../core/cluster/inProcessTarget';
import type { ClusterCommands } from './clusterCommands';
import type { ClusterVerb } from './clusterOutcomes';
import type { ClusterTargets } from './clusterTargets';
import { columnOf, describeDocuments, documentsFor, validateForCommand } from './commandDocuments';
import type { Config } from './config';
import type { DiagnosticsController } from './diagnostics';
import { toDiagnostic } from './convert';
import { selectTarget } from './targetPicker';
import { hostWall } from './hostWall';
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
  readonly targets: ClusterTargets;
  readonly clusterCommands: ClusterCommands;
}

type CommandHandler = (ctx: CommandContext, ...args: unknown[]) => unknown;

/** The documents' validation errors, counted, with the findings written to the output. */
function errorsIn(ctx: CommandContext, documents: readonly vscode.TextDocument[]): number {
  return documents.reduce(
    (n, d) => n + validateForCommand(ctx.diagnostics, ctx.output, d).filter((f) => f.severity === 'error').length,
    0,
  );
}

/**
 * Validates the manifests and, when none has an error (as kubectl apply and the apiserver
 * would refuse them), applies them to the chosen target. On the embedded simulator the
 * timeline opens and the trace streams into it, and this resolves when the run ends; on a
 * kubeconfig context it resolves with the cluster's answers, while the timeline follows the
 * objects.
 */
const applyToCluster: CommandHandler = async (ctx, arg, selected) => {
  const documents = await documentsFor(arg, selected);
  if (documents.length === 0) {
    void vscode.window.showWarningMessage('Podtrace: open a Kubernetes manifest (YAML) first.');
    return undefined;
  }
  const errors = errorsIn(ctx, documents);
  if (errors > 0) {
    ctx.output.show(true);
    const names = documents.map((d) => vscode.workspace.asRelativePath(d.uri)).join(', ');
    void vscode.window.showErrorMessage(`Podtrace: ${errors} error(s) in ${names}; fix them before applying.`);
    return { applied: false, errors };
  }
  const choice = ctx.targets.choice;
  if (choice.kind === 'kubeconfig')
    return ctx.clusterCommands.run('apply', choice.context, documents, columnOf(documents[0]));
  return ctx.traces.apply(documents, columnOf(documents[0]));
};

/**
 * Delete and Dry Run (server) on the chosen target. On a kubeconfig context they go to the
 * cluster. The embedded simulator keeps no objects between runs (each Apply traces a fresh
 * cluster), so Delete has nothing to remove there; its Dry Run goes to a fresh simulated
 * cluster's apiserver, as the settings make one (version, seed, nodes).
 */
function onTarget(verb: Exclude<ClusterVerb, 'apply'>): CommandHandler {
  return async (ctx, arg, selected) => {
    const documents = await documentsFor(arg, selected);
    if (documents.length === 0) {
      void vscode.window.showWarningMessage('Podtrace: open a Kubernetes manifest (YAML) first.');
      return undefined;
    }
    const choice = ctx.targets.choice;
    if (choice.kind === 'kubeconfig')
      return ctx.clusterCommands.run(verb, choice.context, documents, columnOf(documents[0]));
    if (verb === 'delete') {
      const message =
        `Podtrace: nothing to delete: the embedded simulator starts a fresh cluster for each Apply, so ` +
        `${describeDocuments(documents)} is not kept in it. Pick a kubeconfig context ` +
        '(Podtrace: Select Cluster Target) to delete from a real cluster.';
      void vscode.window.showInformationMessage(message);
      return { verb, target: 'simulator', context: null, sent: false, refused: 'nothing-stored', message };
    }
    const settings = ctx.config.traceSettings;
    return ctx.clusterCommands.dryRunOnSimulator(
      documents,
      () =>
        new InProcessTarget({
          seed: settings.seed,
          version: settings.kubernetesVersion,
          nodes: settings.nodes,
          // The answers come as soon as the engine has run to them; nothing here is watched.
          speed: 1000,
          wall: hostWall,
        }),
    );
  };
}

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
  'podtrace.deleteFromCluster': onTarget('delete'),
  'podtrace.dryRunOnCluster': onTarget('dryRun'),
  'podtrace.selectTarget': (ctx, arg) => selectTarget(ctx.targets, arg),
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
