// Which cluster the editor's Apply, Delete and Dry Run go to: the embedded simulator or one
// context of the user's kubeconfig. The choice is remembered per workspace (its Memento), so
// a folder of staging manifests keeps pointing at staging, and another folder at the simulator.
import type * as vscode from 'vscode';

export type TargetChoice = { readonly kind: 'simulator' } | { readonly kind: 'kubeconfig'; readonly context: string };

export const simulatorChoice: TargetChoice = { kind: 'simulator' };

/** The name the status bar shows for the embedded simulator. */
export const simulatorLabel = 'podtrace-sim';

const choiceKey = 'podtrace.target';

function isChoice(value: unknown): value is TargetChoice {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { kind?: unknown; context?: unknown };
  return v.kind === 'simulator' || (v.kind === 'kubeconfig' && typeof v.context === 'string' && v.context !== '');
}

/** The workspace's choice; the simulator when none was made (or what was kept does not read as one). */
export function readChoice(state: vscode.Memento): TargetChoice {
  const kept = state.get<unknown>(choiceKey);
  return isChoice(kept) ? kept : simulatorChoice;
}

export function writeChoice(state: vscode.Memento, choice: TargetChoice): Thenable<void> {
  return state.update(choiceKey, choice);
}

export function sameChoice(a: TargetChoice, b: TargetChoice): boolean {
  return a.kind === b.kind && (a.kind === 'simulator' || (b.kind === 'kubeconfig' && a.context === b.context));
}
