// Apply, Delete and Dry Run (server) on a kubeconfig context: the manifests' objects go to the
// cluster through a ClusterTarget, only from a trusted workspace, Apply and Delete only after a
// modal confirmation that names the context and its cluster. Each object's answer goes to the
// output; a refusal's causes become diagnostics on the YAML fields they name; after Apply the
// timeline follows the applied objects through the target's trace stream.
import * as vscode from 'vscode';
import type { ObjectOutcome, TargetStatus } from '../core/cluster/clusterTarget';
import { parseManifestText } from '../core/manifest/base/parse';
import { appliedObjectsOf, describeObject, type AppliedObject } from './appliedObjects';
import type { ClusterDiagnostics } from './clusterDiagnostics';
import type { ClusterTargets, OpenContext } from './clusterTargets';
import { describeDocuments } from './commandDocuments';
import type { Confirmations } from './confirmation';
import { redactSecrets } from './redactSecrets';
import { placeStatus, type PlacedCause } from './statusCauseRanges';
import { TracedDocuments } from './tracedDocuments';
import type { TraceController } from './traceController';

export type ClusterVerb = 'apply' | 'delete' | 'dryRun';

export interface ClusterCommandDeps {
  readonly targets: ClusterTargets;
  readonly confirmations: Confirmations;
  readonly diagnostics: ClusterDiagnostics;
  readonly traces: TraceController;
  readonly output: vscode.OutputChannel;
}

/** What a command on a kubeconfig context did; the tests read it. */
export interface ClusterCommandResult {
  readonly verb: ClusterVerb;
  readonly target: 'kubeconfig';
  readonly context: string;
  /** Whether the request went to the cluster (false: refused before, or cancelled at the confirmation). */
  readonly sent: boolean;
  /** Why it was not sent: `untrusted`, `cancelled`, `no-objects`, `yaml-errors`, `unavailable`. */
  readonly refused?: string;
  /** What the user was told when it was refused or failed. */
  readonly message?: string;
  /** Each object's answer: `Deployment web: created`, `ConfigMap x: 422 Invalid`. */
  readonly outcomes: readonly string[];
  readonly failed: number;
}

const verbs: Record<ClusterVerb, { readonly button: string; readonly doing: string; readonly preposition: string }> = {
  apply: { button: 'Apply', doing: 'apply', preposition: 'to' },
  delete: { button: 'Delete', doing: 'delete', preposition: 'from' },
  dryRun: { button: 'Dry Run', doing: 'dry-run', preposition: 'on' },
};

function statusLine(status: TargetStatus): string {
  return `${status.code}${status.reason ? ` ${status.reason}` : ''}: ${status.message}`;
}

function outcomeLine(outcome: ObjectOutcome, applied: AppliedObject, dryRun: boolean): string {
  const name = describeObject(applied.object);
  if (!outcome.ok) return `${name}: ${statusLine(outcome.status)}`;
  return `${name}: ${outcome.operation}${dryRun ? ' (server dry run)' : ''}`;
}

export class ClusterCommands {
  constructor(private readonly deps: ClusterCommandDeps) {}

  /** Runs `verb` on the documents against kubeconfig context `context`. */
  async run(
    verb: ClusterVerb,
    context: string,
    documents: readonly vscode.TextDocument[],
    editorColumn: vscode.ViewColumn | undefined,
  ): Promise<ClusterCommandResult> {
    const { output } = this.deps;
    const result = (extra: Partial<ClusterCommandResult>): ClusterCommandResult => ({
      verb,
      target: 'kubeconfig',
      context,
      sent: false,
      outcomes: [],
      failed: 0,
      ...extra,
    });
    const what = verbs[verb];
    const shown = describeDocuments(documents);
    if (!vscode.workspace.isTrusted) {
      // A kubeconfig can run programs (exec credential plugins) and a request changes a real
      // cluster: neither happens on behalf of a workspace the user has not trusted.
      const message =
        `Podtrace: cannot ${what.doing} ${shown} ${what.preposition} context "${context}": ` +
        'this workspace is not trusted (Restricted Mode), and podtrace sends manifests to a real cluster ' +
        'only from a trusted one. ' +
        'Trust it with "Workspaces: Manage Workspace Trust", or pick the embedded simulator.';
      output.appendLine(message);
      void vscode.window.showErrorMessage(message, 'Manage Workspace Trust').then((button) => {
        if (button) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return result({ refused: 'untrusted', message });
    }
    const traced = new TracedDocuments(documents);
    const files = documents.map((d) => ({ name: traced.nameOf(d.uri)!, parsed: parseManifestText(d.getText()) }));
    const broken = files.filter((f) => f.parsed.documents.some((doc) => doc.errors.length > 0));
    if (broken.length > 0) {
      const names = broken.map((f) => vscode.workspace.asRelativePath(f.name)).join(', ');
      const message = `Podtrace: fix the YAML errors in ${names} first; see the Problems view.`;
      void vscode.window.showErrorMessage(message);
      return result({ refused: 'yaml-errors', message });
    }
    const applied = appliedObjectsOf(files);
    if (applied.length === 0) {
      // As kubectl says "no objects passed to apply".
      const message = `Podtrace: no objects passed to ${what.doing}: ${shown} holds no Kubernetes objects.`;
      void vscode.window.showWarningMessage(message);
      return result({ refused: 'no-objects', message });
    }
    let open: OpenContext;
    try {
      open = await this.deps.targets.openContext(context);
    } catch (error) {
      const why = redactSecrets(error instanceof Error ? error.message : String(error));
      const message = `Podtrace: cannot use context "${context}": ${why}`;
      output.appendLine(message);
      void vscode.window.showErrorMessage(message);
      return result({ refused: 'unavailable', message });
    }
    const where = `context "${context}" (${open.entry.server ?? 'no server'})`;
    if (verb !== 'dryRun') {
      const count = `${applied.length} object${applied.length === 1 ? '' : 's'}`;
      const confirmed = await this.deps.confirmations.confirm(
        `${what.button} ${count} from ${shown} ${what.preposition} ${where}?`,
        `Cluster "${open.entry.cluster}", user "${open.entry.user}", namespace ${open.entry.namespace ?? 'default'} ` +
          `(from ${open.entry.file}). This changes a real cluster.`,
        what.button,
      );
      if (!confirmed) {
        output.appendLine(`${what.doing} ${shown} ${what.preposition} ${where}: cancelled at the confirmation`);
        return result({ refused: 'cancelled' });
      }
    }
    const objects = applied.map((a) => a.object);
    output.appendLine(`${what.doing} ${shown} ${what.preposition} ${where}: ${objects.length} object(s)`);
    // The trace starts before the apply, so that the apply's own events are in it.
    const follow =
      verb === 'apply'
        ? this.deps.traces.follow(
            { target: open.target, objects, files: files.map((f) => ({ name: f.name, file: f.parsed })), where },
            traced,
            editorColumn,
            { context, kubernetesVersion: 'cluster' },
          )
        : undefined;
    let outcomes: ObjectOutcome[];
    try {
      outcomes =
        verb === 'apply'
          ? await open.target.apply(objects)
          : verb === 'dryRun'
            ? await open.target.dryRun(objects)
            : await open.target.delete(objects);
    } catch (error) {
      const why = redactSecrets(error instanceof Error ? error.message : String(error));
      follow?.fail(why);
      const message = `Podtrace: ${what.doing} ${shown} ${what.preposition} ${where} failed: ${why}`;
      output.appendLine(message);
      output.show(true);
      void vscode.window.showErrorMessage(message);
      return result({ sent: true, refused: 'unavailable', message });
    }
    return this.report(verb, { applied, outcomes, traced, where, context, shown }, follow, result);
  }

  private report(
    verb: ClusterVerb,
    answer: {
      readonly applied: readonly AppliedObject[];
      readonly outcomes: readonly ObjectOutcome[];
      readonly traced: TracedDocuments;
      readonly where: string;
      readonly context: string;
      readonly shown: string;
    },
    follow: { fail(why: string): void } | undefined,
    result: (extra: Partial<ClusterCommandResult>) => ClusterCommandResult,
  ): ClusterCommandResult {
    const { output } = this.deps;
    const { applied, outcomes, traced, where, context, shown } = answer;
    const lines: string[] = [];
    const causes = new Map<string, PlacedCause[]>();
    let failed = 0;
    outcomes.forEach((outcome, i) => {
      const object = applied[i];
      const line = redactSecrets(outcomeLine(outcome, object, verb === 'dryRun'));
      lines.push(line);
      output.appendLine(`  ${line}`);
      for (const warning of outcome.warnings) output.appendLine(`  Warning: ${redactSecrets(warning)}`);
      if (outcome.ok) return;
      failed++;
      // A refused delete has nothing to point at in the YAML but the object: no diagnostics for it.
      if (verb === 'delete') return;
      const uri = traced.byName(object.file)?.uri;
      if (!uri) return;
      const placed = placeStatus(object, outcome.status).map((c) => ({ ...c, message: redactSecrets(c.message) }));
      causes.set(uri.toString(), [...(causes.get(uri.toString()) ?? []), ...placed]);
    });
    if (verb !== 'delete')
      this.deps.diagnostics.show(
        traced.all.map((d) => d.uri),
        causes,
        `context "${context}"`,
      );
    if (failed === outcomes.length) follow?.fail(`the cluster refused every object`);
    const what = verbs[verb];
    if (failed > 0) {
      const first = outcomes.find((o) => !o.ok);
      const firstLine =
        first && !first.ok
          ? `${describeObject(applied[outcomes.indexOf(first)].object)}: ${statusLine(first.status)}`
          : '';
      output.show(true);
      void vscode.window.showErrorMessage(
        `Podtrace: ${failed} of ${outcomes.length} object(s) refused by ${where}: ${redactSecrets(firstLine)}`,
      );
    } else {
      void vscode.window.showInformationMessage(
        `Podtrace: ${what.doing} ${shown} ${what.preposition} context "${context}": ${outcomes.length} object(s) ${
          verb === 'apply' ? 'applied' : verb === 'delete' ? 'deleted' : 'accepted (nothing stored)'
        }.`,
      );
    }
    return result({ sent: true, outcomes: lines, failed });
  }
}
