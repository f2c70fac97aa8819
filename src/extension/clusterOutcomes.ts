// What a cluster answered, shown: one line per object in the output (kubectl's order and
// words: created, configured, unchanged, deleted, or the Status), the causes of refusals as
// diagnostics on their YAML fields (replacing the file's earlier ones, so a good answer
// clears them), and one notification. Every text from the cluster is redacted of credentials.
import * as vscode from 'vscode';
import type { ObjectOutcome, TargetStatus } from '../core/cluster/clusterTarget';
import { describeObject, type AppliedObject } from './appliedObjects';
import type { ClusterDiagnostics } from './clusterDiagnostics';
import { redactSecrets } from './redactSecrets';
import { placeStatus, type PlacedCause } from './statusCauseRanges';
import type { TracedDocuments } from './tracedDocuments';

export type ClusterVerb = 'apply' | 'delete' | 'dryRun';

/** What was sent and answered, for the command's result. */
export interface Sent {
  readonly sent: true;
  readonly refused?: string;
  readonly message?: string;
  readonly outcomes: readonly string[];
  readonly failed: number;
}

export interface Answered {
  readonly applied: readonly AppliedObject[];
  readonly outcomes: readonly ObjectOutcome[];
  readonly traced: TracedDocuments;
  /** `context "staging" (https://…)`, `the embedded simulator's apiserver`. */
  readonly where: string;
  /** Who answered, for the diagnostics: `context "staging"`, `the embedded simulator`. */
  readonly from: string;
  readonly shown: string;
}

const verbs: Record<ClusterVerb, { readonly doing: string; readonly done: string; readonly preposition: string }> = {
  apply: { doing: 'apply', done: 'applied', preposition: 'to' },
  delete: { doing: 'delete', done: 'deleted', preposition: 'from' },
  dryRun: { doing: 'dry-run', done: 'accepted (nothing stored)', preposition: 'on' },
};

export function statusLine(status: TargetStatus): string {
  return `${status.code}${status.reason ? ` ${status.reason}` : ''}: ${status.message}`;
}

function outcomeLine(outcome: ObjectOutcome, applied: AppliedObject, dryRun: boolean): string {
  const name = describeObject(applied.object);
  if (!outcome.ok) return `${name}: ${statusLine(outcome.status)}`;
  return `${name}: ${outcome.operation}${dryRun ? ' (server dry run)' : ''}`;
}

export function reportOutcomes(
  verb: ClusterVerb,
  answer: Answered,
  to: { readonly output: vscode.OutputChannel; readonly diagnostics: ClusterDiagnostics },
): Sent {
  const { output, diagnostics } = to;
  const { applied, outcomes, traced, where, from, shown } = answer;
  const lines: string[] = [];
  const causes = new Map<string, PlacedCause[]>();
  let failed = 0;
  let firstFailure = '';
  outcomes.forEach((outcome, i) => {
    const object = applied[i];
    const line = redactSecrets(outcomeLine(outcome, object, verb === 'dryRun'));
    lines.push(line);
    output.appendLine(`  ${line}`);
    for (const warning of outcome.warnings) output.appendLine(`  Warning: ${redactSecrets(warning)}`);
    if (outcome.ok) return;
    failed++;
    firstFailure ||= line;
    // A refused delete has nothing to point at in the YAML but the object: no diagnostics for it.
    if (verb === 'delete') return;
    const uri = traced.byName(object.file)?.uri;
    if (!uri) return;
    const placed = placeStatus(object, outcome.status).map((c) => ({ ...c, message: redactSecrets(c.message) }));
    causes.set(uri.toString(), [...(causes.get(uri.toString()) ?? []), ...placed]);
  });
  if (verb !== 'delete')
    diagnostics.show(
      traced.all.map((d) => d.uri),
      causes,
      from,
    );
  const what = verbs[verb];
  if (failed > 0) {
    output.show(true);
    void vscode.window.showErrorMessage(
      `Podtrace: ${failed} of ${outcomes.length} object(s) refused by ${where}: ${firstFailure}`,
    );
  } else {
    void vscode.window.showInformationMessage(
      `Podtrace: ${what.doing} ${shown} ${what.preposition} ${where}: ${outcomes.length} object(s) ${what.done}.`,
    );
  }
  return { sent: true, outcomes: lines, failed };
}
