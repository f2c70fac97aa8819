// Apply with the embedded simulated cluster as the target: a fresh cluster per apply, run as
// `podtrace trace` runs it (seed 1, the default profile, three nodes unless the manifest has
// Node objects, the configured Kubernetes version), its text timeline and per-pod summary
// written to the output channel. Real kubeconfig contexts (with the trusted workspace and the
// confirmation naming the context they need) and the timeline panel are not built yet: until
// they are, the simulator is the only target.
import * as vscode from 'vscode';
import { parseManifestText } from '../core/manifest/parse';
import { defaultProfile } from '../core/sim/profile/profile';
import { manifestObjects, summaryLine, traceInSimulator } from '../core/trace/simulatedTrace';
import { formatTimeline } from '../core/trace/timelineText';
import type { CommandContext } from './commands';

export interface SimulatorApplyResult {
  readonly applied: boolean;
  readonly errors: 0;
  readonly target?: 'simulator';
  readonly events?: number;
  readonly pods?: number;
  readonly ready?: number;
  /** Why the run ended: `quiescent`, or `time-limit` for one that never settles. */
  readonly stopped?: string;
}

export function applyToSimulator(ctx: CommandContext, document: vscode.TextDocument): SimulatorApplyResult {
  const name = vscode.workspace.asRelativePath(document.uri);
  const files = [{ name: document.uri.fsPath, file: parseManifestText(document.getText()) }];
  const objects = manifestObjects(files);
  if (objects.length === 0) {
    void vscode.window.showWarningMessage(`Podtrace: ${name} has no Kubernetes objects to apply.`);
    return { applied: false, errors: 0 };
  }
  const run = { seed: 1, profile: defaultProfile.name, version: ctx.config.kubernetesVersion };
  // Events map back to the document by its path, as the CLI names its files.
  const trace = traceInSimulator({ files, objects, seed: run.seed, profile: defaultProfile, version: run.version, nodes: 3, nodesGiven: false });
  ctx.output.appendLine(`apply ${name} to the embedded simulated cluster`);
  ctx.output.append(formatTimeline(trace.events, trace.pods, trace.windows, { color: false, sourceOf: trace.sourceOf }));
  ctx.output.appendLine('');
  ctx.output.appendLine(summaryLine(trace, run));
  ctx.output.show(true);
  const ready = trace.pods.filter((p) => p.phases.ready !== null).length;
  void vscode.window.showInformationMessage(`Podtrace: applied ${name} to the simulated cluster: ${trace.pods.length} pod(s), ${ready} ready. The timeline is in the Podtrace output.`);
  return { applied: true, errors: 0, target: 'simulator', events: trace.events.length, pods: trace.pods.length, ready, stopped: trace.result.reason };
}
