// Apply, Delete and Dry Run (server) on a cluster target. On a kubeconfig context the objects
// go to the cluster only from a trusted workspace, and Apply and Delete only after a modal
// confirmation that names the context and its cluster; the embedded simulator's Dry Run goes
// to a fresh in-process simulator's apiserver. Each object's answer goes to the output; a
// refusal's causes become diagnostics on the YAML fields they name; after Apply to a context
// the timeline follows the applied objects through the target's trace stream.
import * as vscode from 'vscode';
import type { ClusterTarget, ObjectOutcome } from '../core/cluster/clusterTarget';
import { parseManifestText } from '../core/manifest/base/parse';
import { appliedObjectsOf, type AppliedObject } from './appliedObjects';
import type { ClusterDiagnostics } from './clusterDiagnostics';
import { reportOutcomes, type ClusterVerb, type Sent } from './clusterOutcomes';
import type { ClusterTargets, OpenContext } from './clusterTargets';
import { describeDocuments } from './commandDocuments';
import type { Confirmations } from './confirmation';
import { redactSecrets } from './redactSecrets';
import { TracedDocuments } from './tracedDocuments';
import type { TraceController } from './traceController';

export interface ClusterCommandDeps {
  readonly targets: ClusterTargets;
  readonly confirmations: Confirmations;
  readonly diagnostics: ClusterDiagnostics;
  readonly traces: TraceController;
  readonly output: vscode.OutputChannel;
}

/** What a command on a cluster target did; the tests read it. */
export interface ClusterCommandResult {
  readonly verb: ClusterVerb;
  readonly target: 'kubeconfig' | 'simulator';
  /** The kubeconfig context, or null for the embedded simulator. */
  readonly context: string | null;
  /** Whether the request went to the cluster (false: refused before, or cancelled at the confirmation). */
  readonly sent: boolean;
  /** Why it was not sent: `untrusted`, `cancelled`, `no-objects`, `yaml-errors`, `unavailable`. */
  readonly refused?: string;
  /** What the user was told when it was refused or failed. */
  readonly message?: string;
  /** Each object's answer: `Deployment web: created`, `ConfigMap x: 422 Invalid: …`. */
  readonly outcomes: readonly string[];
  readonly failed: number;
}

export const verbWords: Record<
  ClusterVerb,
  { readonly button: string; readonly doing: string; readonly preposition: string }
> = {
  apply: { button: 'Apply', doing: 'apply', preposition: 'to' },
  delete: { button: 'Delete', doing: 'delete', preposition: 'from' },
  dryRun: { button: 'Dry Run', doing: 'dry-run', preposition: 'on' },
};

/** The documents as a target gets them, or why they cannot be sent. */
type Prepared =
  | {
      readonly ok: true;
      readonly traced: TracedDocuments;
      readonly files: { readonly name: string; readonly file: ReturnType<typeof parseManifestText> }[];
      readonly applied: AppliedObject[];
    }
  | { readonly ok: false; readonly refused: string; readonly message: string };

function prepare(verb: ClusterVerb, documents: readonly vscode.TextDocument[]): Prepared {
  const traced = new TracedDocuments(documents);
  const files = documents.map((d) => ({ name: traced.nameOf(d.uri)!, file: parseManifestText(d.getText()) }));
  const broken = files.filter((f) => f.file.documents.some((doc) => doc.errors.length > 0));
  if (broken.length > 0) {
    const names = broken.map((f) => vscode.workspace.asRelativePath(f.name)).join(', ');
    return {
      ok: false,
      refused: 'yaml-errors',
      message: `Podtrace: fix the YAML errors in ${names} first; see the Problems view.`,
    };
  }
  const applied = appliedObjectsOf(files.map((f) => ({ name: f.name, parsed: f.file })));
  if (applied.length === 0) {
    // As kubectl says "no objects passed to apply".
    const shown = describeDocuments(documents);
    const message = `Podtrace: no objects passed to ${verbWords[verb].doing}: ${shown} holds no Kubernetes objects.`;
    return { ok: false, refused: 'no-objects', message };
  }
  return { ok: true, traced, files, applied };
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
    const refuse = (refused: string, message: string, sent = false): ClusterCommandResult => {
      output.appendLine(message);
      void vscode.window.showErrorMessage(message);
      return { verb, target: 'kubeconfig', context, sent, refused, message, outcomes: [], failed: 0 };
    };
    const what = verbWords[verb];
    const shown = describeDocuments(documents);
    if (!vscode.workspace.isTrusted) {
      // A kubeconfig can run programs (exec credential plugins) and a request changes a real
      // cluster: neither happens on behalf of a workspace the user has not trusted.
      const message =
        `Podtrace: cannot ${what.doing} ${shown} ${what.preposition} context "${context}": ` +
        'this workspace is not trusted (Restricted Mode), and podtrace sends manifests to a real cluster ' +
        'only from a trusted one. Trust it with "Workspaces: Manage Workspace Trust", or pick the embedded simulator.';
      output.appendLine(message);
      void vscode.window.showErrorMessage(message, 'Manage Workspace Trust').then((button) => {
        if (button) void vscode.commands.executeCommand('workbench.trust.manage');
      });
      return {
        verb,
        target: 'kubeconfig',
        context,
        sent: false,
        refused: 'untrusted',
        message,
        outcomes: [],
        failed: 0,
      };
    }
    const prepared = prepare(verb, documents);
    if (!prepared.ok) return refuse(prepared.refused, prepared.message);
    let open: OpenContext;
    try {
      open = await this.deps.targets.openContext(context);
    } catch (error) {
      const why = redactSecrets(error instanceof Error ? error.message : String(error));
      return refuse('unavailable', `Podtrace: cannot use context "${context}": ${why}`);
    }
    const where = `context "${context}" (${open.entry.server ?? 'no server'})`;
    if (verb !== 'dryRun') {
      const count = `${prepared.applied.length} object${prepared.applied.length === 1 ? '' : 's'}`;
      const confirmed = await this.deps.confirmations.confirm(
        `${what.button} ${count} from ${shown} ${what.preposition} ${where}?`,
        `Cluster "${open.entry.cluster}", user "${open.entry.user}", namespace ${open.entry.namespace ?? 'default'} ` +
          `(from ${open.entry.file}). This changes a real cluster.`,
        what.button,
      );
      if (!confirmed) {
        output.appendLine(`${what.doing} ${shown} ${what.preposition} ${where}: cancelled at the confirmation`);
        return { verb, target: 'kubeconfig', context, sent: false, refused: 'cancelled', outcomes: [], failed: 0 };
      }
    }
    const objects = prepared.applied.map((a) => a.object);
    // The trace starts before the apply, so that the apply's own events are in it.
    const follow =
      verb === 'apply'
        ? this.deps.traces.follow(
            { target: open.target, objects, files: prepared.files, where },
            prepared.traced,
            editorColumn,
            {
              context,
              kubernetesVersion: 'of the cluster',
            },
          )
        : undefined;
    const from = `context "${context}"`;
    const sent = await this.send(verb, open.target, { ...prepared, where, from, shown }, follow);
    return { verb, target: 'kubeconfig', context, ...sent };
  }

  /**
   * Dry Run on the embedded simulator: the objects go to a fresh simulated cluster's apiserver
   * (admission and validation, nothing stored), which is then let go.
   */
  async dryRunOnSimulator(
    documents: readonly vscode.TextDocument[],
    openSimulator: () => ClusterTarget,
  ): Promise<ClusterCommandResult> {
    const prepared = prepare('dryRun', documents);
    const base = { verb: 'dryRun' as const, target: 'simulator' as const, context: null };
    if (!prepared.ok) {
      void vscode.window.showErrorMessage(prepared.message);
      return { ...base, sent: false, refused: prepared.refused, message: prepared.message, outcomes: [], failed: 0 };
    }
    const target = openSimulator();
    try {
      const where = "the embedded simulator's apiserver";
      return {
        ...base,
        ...(await this.send('dryRun', target, {
          ...prepared,
          where,
          from: 'the embedded simulator',
          shown: describeDocuments(documents),
        })),
      };
    } finally {
      await target.close();
    }
  }

  /** Sends the objects and reports what each got. */
  private async send(
    verb: ClusterVerb,
    target: ClusterTarget,
    request: {
      readonly applied: readonly AppliedObject[];
      readonly traced: TracedDocuments;
      readonly where: string;
      readonly from: string;
      readonly shown: string;
    },
    follow?: { fail(why: string): void },
  ): Promise<Sent> {
    const { output } = this.deps;
    const what = verbWords[verb];
    const objects = request.applied.map((a) => a.object);
    output.appendLine(
      `${what.doing} ${request.shown} ${what.preposition} ${request.where}: ${objects.length} object(s)`,
    );
    let outcomes: ObjectOutcome[];
    try {
      outcomes =
        verb === 'apply'
          ? await target.apply(objects)
          : verb === 'dryRun'
            ? await target.dryRun(objects)
            : await target.delete(objects);
    } catch (error) {
      const why = redactSecrets(error instanceof Error ? error.message : String(error));
      follow?.fail(why);
      const message = `Podtrace: ${what.doing} ${request.shown} ${what.preposition} ${request.where} failed: ${why}`;
      output.appendLine(message);
      output.show(true);
      void vscode.window.showErrorMessage(message);
      return { sent: true, refused: 'unavailable', message, outcomes: [], failed: 0 };
    }
    const sent = reportOutcomes(verb, { ...request, outcomes }, { output, diagnostics: this.deps.diagnostics });
    if (sent.failed === outcomes.length) follow?.fail('the cluster refused every object');
    return sent;
  }
}
