// The target picker: a status bar item that shows where Apply goes (`$(server) podtrace-sim`
// for the embedded simulator, `$(cloud) <context>` for a kubeconfig context) and opens the
// picker, which lists the simulator and every context of the user's kubeconfig files with its
// cluster, user and namespace. A file that does not read is an item that says which and why.
import * as vscode from 'vscode';
import type { ClusterTargets } from './clusterTargets';
import type { KubeconfigListing } from './kubeconfigContexts';
import { sameChoice, simulatorChoice, simulatorLabel, type TargetChoice } from './targetChoice';

export const selectTargetCommand = 'podtrace.selectTarget';

/** One row of the picker; `choice` is undefined for rows that only inform (a broken file). */
export interface TargetPickItem extends vscode.QuickPickItem {
  readonly choice?: TargetChoice;
}

/** What the status bar shows for a choice. */
export function targetLabel(choice: TargetChoice): string {
  return choice.kind === 'simulator' ? `$(server) ${simulatorLabel}` : `$(cloud) ${choice.context}`;
}

/** The picker's rows: the simulator, then each context, then each problem, the current choice marked. */
export function targetPickItems(listing: KubeconfigListing, current: TargetChoice): TargetPickItem[] {
  const chosen = (choice: TargetChoice) => sameChoice(choice, current);
  const items: TargetPickItem[] = [
    {
      label: `$(server) Embedded simulator`,
      description: `${simulatorLabel}${chosen(simulatorChoice) ? ' · selected' : ''}`,
      detail: 'A simulated cluster in the editor: nothing leaves this machine',
      choice: simulatorChoice,
    },
  ];
  items.push({
    label: listing.files.length > 0 ? `kubeconfig: ${listing.files.join(', ')}` : 'kubeconfig: no file found',
    kind: vscode.QuickPickItemKind.Separator,
  });
  for (const context of listing.contexts) {
    const choice: TargetChoice = { kind: 'kubeconfig', context: context.name };
    const marks = [context.name === listing.currentContext ? 'current-context' : '', chosen(choice) ? 'selected' : '']
      .filter(Boolean)
      .join(', ');
    items.push({
      label: `${context.problem ? '$(warning)' : '$(cloud)'} ${context.name}`,
      description:
        `cluster ${context.cluster || '(none)'} · user ${context.user || '(none)'} · ` +
        `namespace ${context.namespace ?? 'default'}${marks ? ` · ${marks}` : ''}`,
      detail: context.problem ?? `${context.server} — ${context.file}`,
      choice,
    });
  }
  for (const problem of listing.problems)
    items.push({ label: `$(error) ${problem.file}`, detail: `This kubeconfig file was not read: ${problem.message}` });
  return items;
}

/**
 * Picks the target: with an argument (`'simulator'` or a context's name, for keybindings and
 * tests) without asking, else through the picker. Resolves with the choice, or undefined
 * when the picker was dismissed.
 */
export async function selectTarget(targets: ClusterTargets, arg: unknown): Promise<TargetChoice | undefined> {
  if (typeof arg === 'string' && arg !== '') {
    // Only `simulator` names the simulator: `podtrace-sim` is also the context `podtrace serve` writes.
    if (arg === 'simulator') {
      await targets.choose(simulatorChoice);
      return simulatorChoice;
    }
    const listing = targets.listing();
    if (!listing.contexts.some((c) => c.name === arg))
      throw new Error(
        `expected "simulator" or a context of ${listing.files.join(', ') || 'the kubeconfig files'}, found "${arg}"`,
      );
    const choice: TargetChoice = { kind: 'kubeconfig', context: arg };
    await targets.choose(choice);
    return choice;
  }
  const items = targetPickItems(targets.listing(), targets.choice);
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Podtrace: Select Cluster Target',
    placeHolder: 'Where Apply, Delete and Dry Run go',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return undefined;
  if (!picked.choice) {
    void vscode.window.showErrorMessage(`Podtrace: ${picked.detail ?? picked.label}`);
    return undefined;
  }
  await targets.choose(picked.choice);
  return picked.choice;
}

/** The status bar item: the current target; clicking it opens the picker. */
export class TargetStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('podtrace.target', vscode.StatusBarAlignment.Left, 11);
  private readonly subscription: vscode.Disposable;

  constructor(targets: ClusterTargets) {
    this.item.name = 'Podtrace Cluster Target';
    this.item.command = selectTargetCommand;
    this.show(targets.choice);
    this.subscription = targets.onDidChangeChoice((choice) => this.show(choice));
    this.item.show();
  }

  /** The text shown now (for tests). */
  get text(): string {
    return this.item.text;
  }

  private show(choice: TargetChoice): void {
    this.item.text = targetLabel(choice);
    this.item.tooltip =
      choice.kind === 'simulator'
        ? 'Podtrace applies to the embedded simulated cluster. Click to pick a kubeconfig context instead.'
        : `Podtrace applies to kubeconfig context "${choice.context}". Click to pick another target.`;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
