import * as vscode from 'vscode';
import { ClusterCommands } from './clusterCommands';
import { ClusterDiagnostics } from './clusterDiagnostics';
import { ClusterTargets } from './clusterTargets';
import { registerCodeActions } from './codeActions';
import { registerCommands } from './commands';
import { Config } from './config';
import { Confirmations } from './confirmation';
import { DiagnosticsController } from './diagnostics';
import { RuntimeDiagnostics } from './runtimeDiagnostics';
import { TargetStatusBar } from './targetPicker';
import { TimelinePanel } from './timelinePanel';
import { TraceController } from './traceController';
import { TraceExporter } from './traceExporter';

/** What activation returns: the tests inside VS Code read it through the extension's exports. */
export interface PodtraceApi {
  readonly diagnostics: DiagnosticsController;
  readonly timeline: TimelinePanel;
  readonly traces: TraceController;
  readonly exporter: TraceExporter;
  readonly targets: ClusterTargets;
  readonly targetStatusBar: TargetStatusBar;
  readonly clusterDiagnostics: ClusterDiagnostics;
  /** Modal confirmations; tests answer them through `answerWith` (only under PODTRACE_VSCODE_TESTS=1). */
  readonly confirmations: Confirmations;
}

export function activate(context: vscode.ExtensionContext): PodtraceApi {
  const config = new Config();
  const output = vscode.window.createOutputChannel('Podtrace', 'podtrace-output');
  const diagnostics = new DiagnosticsController(config);
  const workspaceCollection = vscode.languages.createDiagnosticCollection('podtrace-workspace');
  const runtime = new RuntimeDiagnostics();
  // The panel's run controls reach the controller built after it (it needs the panel).
  const timeline = new TimelinePanel({
    extensionUri: context.extensionUri,
    workspaceState: context.workspaceState,
    log: (line) => output.appendLine(line),
    runControl: (action) => (action === 'cancel' ? traces.cancel() : traces.skipToEnd()),
    exportTrace: (format) => void exporter.run(format),
  });
  const traces = new TraceController({ extensionUri: context.extensionUri, config, output, panel: timeline, runtime });
  const exporter = new TraceExporter({
    extensionUri: context.extensionUri,
    version: String((context.extension.packageJSON as { version?: unknown }).version),
    trace: timeline,
    log: (line) => output.appendLine(line),
  });
  const log = (line: string) => output.appendLine(line);
  const targets = new ClusterTargets({
    extensionPath: context.extensionUri.fsPath,
    workspaceState: context.workspaceState,
    log,
  });
  const targetStatusBar = new TargetStatusBar(targets);
  const clusterDiagnostics = new ClusterDiagnostics();
  const confirmations = new Confirmations();
  const clusterCommands = new ClusterCommands({
    targets,
    confirmations,
    diagnostics: clusterDiagnostics,
    traces,
    output,
  });
  // Disposed in this order: a running trace is cancelled while the panel, the diagnostics and
  // the output it reports to are still there.
  context.subscriptions.push(
    exporter,
    traces,
    targets,
    targetStatusBar,
    clusterDiagnostics,
    timeline,
    runtime,
    output,
    diagnostics,
    workspaceCollection,
    registerCodeActions(diagnostics),
    ...registerCommands({
      config,
      diagnostics,
      output,
      workspaceCollection,
      timeline,
      traces,
      exporter,
      targets,
      clusterCommands,
    }),
  );
  return { diagnostics, timeline, traces, exporter, targets, targetStatusBar, clusterDiagnostics, confirmations };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
