// Apply to the embedded simulated cluster, streamed into the timeline: one trace at a time
// (a new Apply cancels the one running), run by the worker, its chunks forwarded to the panel
// as they come, and at the end its runtime findings as diagnostics and its text timeline and
// summary in the Podtrace output. A real cluster's trace (a ClusterTarget's stream, after an
// Apply to a kubeconfig context) goes to the same panel the same way, through `follow`; a new
// trace of either kind cancels the one running.
import * as vscode from 'vscode';
import type { RuntimeFinding } from '../core/trace/runtimeFindings';
import type { Config } from './config';
import type { RuntimeDiagnostics } from './runtimeDiagnostics';
import type { TimelinePanel } from './timelinePanel';
import { TargetTraceRun, type TargetTraceInput } from './targetTraceRun';
import { TracedDocuments } from './tracedDocuments';
import { TraceSession, type TraceOutcome, type TraceStopReason } from './traceSession';
import { TraceStatusBar } from './traceStatusBar';

export interface ApplyResult {
  readonly applied: boolean;
  readonly errors: 0;
  readonly target: 'simulator' | 'kubeconfig';
  readonly events: number;
  readonly pods: number;
  readonly ready: number;
  readonly stopped: TraceStopReason;
}

export interface TraceControllerDeps {
  readonly extensionUri: vscode.Uri;
  readonly config: Config;
  readonly output: vscode.OutputChannel;
  readonly panel: TimelinePanel;
  readonly runtime: RuntimeDiagnostics;
}

/** The run that is live, for the commands and the tests. */
export interface ActiveTrace {
  readonly session: TraceSession;
  readonly documents: TracedDocuments;
}

/** A cluster target's trace that is live. */
export interface FollowedTrace {
  readonly run: TargetTraceRun;
  readonly documents: TracedDocuments;
}

export class TraceController implements vscode.Disposable {
  private active: ActiveTrace | undefined;
  private followed: FollowedTrace | undefined;
  private readonly status = new TraceStatusBar();

  constructor(private readonly deps: TraceControllerDeps) {}

  get activeTrace(): ActiveTrace | undefined {
    return this.active;
  }

  get followedTrace(): FollowedTrace | undefined {
    return this.followed;
  }

  /**
   * Follows applied objects on a cluster target into the timeline: the panel opens (or is
   * revealed) and the stream's steps go to it as chunks until it ends or is cancelled.
   * Returns the run; its `done` settles when it ends.
   */
  follow(
    input: TargetTraceInput,
    traced: TracedDocuments,
    editorColumn: vscode.ViewColumn | undefined,
    meta: { readonly context: string; readonly kubernetesVersion: string },
  ): TargetTraceRun {
    this.cancel();
    const { panel, output, runtime } = this.deps;
    for (const d of traced.all) runtime.clear(d.uri);
    panel.startTrace(traced, editorColumn);
    panel.show(true);
    const title = `Timeline: ${traced.all.map((d) => d.uri.path.split('/').pop()).join(', ')} on ${meta.context}`;
    panel.reset({
      type: 'traceReset',
      title,
      meta: {
        target: meta.context,
        kubernetesVersion: meta.kubernetesVersion,
        seed: null,
        profile: null,
        nodes: null,
        files: traced.names,
      },
      live: true,
    });
    const run: TargetTraceRun = new TargetTraceRun(input, {
      chunk: (chunk) => {
        if (this.followed?.run !== run) return;
        panel.append(chunk);
        this.status.update(chunk.clockMs);
      },
      finished: (outcome) => {
        if (this.followed?.run !== run) return;
        this.followed = undefined;
        this.status.stop();
        panel.finish({
          type: 'traceFinished',
          stopReason: outcome.stopReason,
          endedAtMs: outcome.endedAtMs,
          summary: outcome.summary,
        });
        output.appendLine(outcome.summary);
      },
    });
    if (run.live) {
      this.followed = { run, documents: traced };
      this.status.start(`kubeconfig context "${meta.context}"`);
    }
    return run;
  }

  /**
   * Applies the documents and resolves once the run ends (the UI never waits on it): the
   * panel opens beside the editor, or is revealed, and the trace streams into it.
   */
  apply(documents: readonly vscode.TextDocument[], editorColumn: vscode.ViewColumn | undefined): Promise<ApplyResult> {
    this.cancel();
    const { config, output, panel, runtime } = this.deps;
    const traced = new TracedDocuments(documents);
    for (const d of traced.all) runtime.clear(d.uri);
    panel.startTrace(traced, editorColumn);
    panel.show(true);
    const settings = config.traceSettings;
    const shown = documents.map((d) => vscode.workspace.asRelativePath(d.uri)).join(', ');
    output.appendLine(`apply ${shown} to the embedded simulated cluster (playing at ${settings.speed}× virtual time)`);
    const title = `Timeline: ${documents.map((d) => d.uri.path.split('/').pop()).join(', ')}`;
    const workerFile = vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'traceWorker.js').fsPath;
    let reset = false;
    const meta = (nodes: number | null, profile: string | null) => ({
      target: 'embedded simulator',
      kubernetesVersion: settings.kubernetesVersion,
      seed: settings.seed,
      profile,
      nodes,
      files: traced.names,
    });
    const session: TraceSession = new TraceSession(
      workerFile,
      {
        type: 'start',
        manifests: documents.map((d) => ({ name: traced.nameOf(d.uri)!, text: d.getText() })),
        settings,
      },
      {
        started: ({ nodes, profile }) => {
          if (this.active?.session !== session) return;
          reset = true;
          panel.reset({ type: 'traceReset', title, meta: meta(nodes, profile), live: true });
        },
        chunk: (chunk) => {
          if (this.active?.session !== session) return;
          panel.append(chunk);
          this.status.update(chunk.clockMs);
        },
        finished: (outcome) => {
          if (this.active?.session !== session) return;
          this.active = undefined;
          this.status.stop();
          // A run that failed before the cluster started still gets a trace to say so in.
          if (!reset) panel.reset({ type: 'traceReset', title, meta: meta(null, null), live: false });
          panel.finish({
            type: 'traceFinished',
            stopReason: outcome.stopReason,
            endedAtMs: outcome.endedAtMs,
            summary: outcome.summary,
          });
          runtime.show(outcome.findings, (file) => traced.byName(file)?.uri);
          this.report(outcome, traced);
        },
        log: (line) => output.appendLine(line),
      },
    );
    this.active = { session, documents: traced };
    this.status.start('the embedded simulated cluster');
    return session.done.then((outcome) => ({
      applied: outcome.stopReason !== 'failed',
      errors: 0,
      target: 'simulator',
      events: outcome.events,
      pods: outcome.pods,
      ready: outcome.ready,
      stopped: outcome.stopReason,
    }));
  }

  skipToEnd(): boolean {
    this.active?.session.skipToEnd();
    return this.active !== undefined;
  }

  cancel(): boolean {
    const active = this.active;
    const followed = this.followed;
    active?.session.cancel();
    followed?.run.cancel();
    return active !== undefined || followed !== undefined;
  }

  /** The output: the text timeline and findings of a run that ended by itself, and the summary line. */
  private report(outcome: TraceOutcome, traced: TracedDocuments): void {
    const { output } = this.deps;
    if (outcome.timeline) output.append(outcome.timeline);
    if (outcome.findings.length > 0) {
      output.appendLine('Runtime findings');
      for (const f of outcome.findings) output.appendLine(formatFinding(f, traced));
    }
    output.appendLine(outcome.summary);
    if (outcome.stopReason === 'failed') {
      output.show(true);
      void vscode.window.showErrorMessage(`Podtrace: the trace failed: ${outcome.summary.split('\n')[0]}`);
    } else if (outcome.findings.length > 0) {
      vscode.window.setStatusBarMessage(
        `$(warning) Podtrace: ${outcome.findings.length} runtime finding(s); see the Problems view`,
        8000,
      );
    }
  }

  dispose(): void {
    this.cancel();
    this.status.dispose();
  }
}

function formatFinding(f: RuntimeFinding, traced: TracedDocuments): string {
  const uri = traced.byName(f.source.file)?.uri;
  const file = uri ? vscode.workspace.asRelativePath(uri) : f.source.file;
  return `${file}:${f.source.line}:${f.source.column}: warning ${f.code} ${f.message}`;
}
