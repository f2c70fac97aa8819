// The targets the editor applies to: the workspace's choice (the embedded simulator or a
// kubeconfig context), the contexts the user's kubeconfig files hold right now, and one open
// ClusterTarget per real context used, loaded through the kubeconfig bundle (dist/kubeClient.js,
// core/cluster/kubeClientLoader.ts) on first use and closed when the choice moves away or the
// extension ends.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClusterTarget } from '../core/cluster/clusterTarget';
import { loadKubeClient } from '../core/cluster/kubeClientLoader';
import type { KubeconfigSelection } from '../core/cluster/kubeClientModule';
import { testSeamsEnabled } from './confirmation';
import {
  kubeconfigPaths,
  listKubeconfigContexts,
  type KubeconfigListing,
  type KubeContextEntry,
} from './kubeconfigContexts';
import { readChoice, sameChoice, writeChoice, type TargetChoice } from './targetChoice';

/** Which context of which files a target opens: the files in precedence order, as KUBECONFIG lists them. */
export interface KubeconfigTargetOptions extends KubeconfigSelection {
  readonly kubeconfigFiles: readonly string[];
  readonly context: string;
}

/** Opens a kubeconfig context as a target: the kubeconfig bundle's, or a test's stand-in. */
export type KubeconfigTargetFactory = (options: KubeconfigTargetOptions) => Promise<ClusterTarget>;

export interface ClusterTargetsDeps {
  readonly extensionPath: string;
  readonly workspaceState: vscode.Memento;
  readonly log: (line: string) => void;
}

/** A real context, open: the target and what the confirmation and the status bar say of it. */
export interface OpenContext {
  readonly target: ClusterTarget;
  readonly entry: KubeContextEntry;
}

export class ClusterTargets implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TargetChoice>();
  private readonly open = new Map<string, Promise<ClusterTarget>>();
  private factory: KubeconfigTargetFactory | undefined;
  /** Fires with the new choice whenever it changes. */
  readonly onDidChangeChoice = this.changed.event;

  constructor(private readonly deps: ClusterTargetsDeps) {}

  get choice(): TargetChoice {
    return readChoice(this.deps.workspaceState);
  }

  /** The kubeconfig files kubectl would read here: KUBECONFIG's, or ~/.kube/config. */
  kubeconfigFiles(): string[] {
    return kubeconfigPaths({
      kubeconfigVariable: process.env.KUBECONFIG,
      homeDirectory: os.homedir(),
      delimiter: path.delimiter,
      separator: path.sep,
    });
  }

  /** The contexts of the kubeconfig files as they are now (read again on every call, so edits show). */
  listing(): KubeconfigListing {
    return listKubeconfigContexts(this.kubeconfigFiles(), (file) => fs.readFileSync(file, 'utf8'));
  }

  async choose(choice: TargetChoice): Promise<void> {
    const before = this.choice;
    await writeChoice(this.deps.workspaceState, choice);
    if (sameChoice(before, choice)) return;
    // A context no longer chosen lets go of its connection and watches.
    if (before.kind === 'kubeconfig') this.close(before.context);
    this.changed.fire(choice);
  }

  /** Replaces the kubeconfig bundle with a stand-in; only in the tests' environment. */
  useFactory(factory: KubeconfigTargetFactory | undefined): void {
    if (!testSeamsEnabled())
      throw new Error('expected PODTRACE_VSCODE_TESTS=1 to replace the kubeconfig target, found it unset');
    this.factory = factory;
    for (const context of [...this.open.keys()]) this.close(context);
  }

  /**
   * The context's target, opened on first use (loading the kubeconfig bundle, and with it
   * @kubernetes/client-node). Throws when the context is in no kubeconfig file or cannot be used.
   */
  async openContext(context: string): Promise<OpenContext> {
    const listing = this.listing();
    const entry = listing.contexts.find((c) => c.name === context);
    if (!entry) {
      const files = listing.files.length > 0 ? listing.files.join(', ') : this.kubeconfigFiles().join(', ');
      throw new Error(`context "${context}" is in none of the kubeconfig files (${files}); pick another target`);
    }
    if (entry.problem) throw new Error(`context "${context}" in ${entry.file} cannot be used: ${entry.problem}`);
    let opening = this.open.get(context);
    if (!opening) {
      // A file that does not read as a kubeconfig (the picker says which and why) is left out, so
      // that one broken file in KUBECONFIG does not make every other context unusable.
      // One file is also named as `file`, which every version of the bundle reads.
      const files = listing.usableFiles;
      const options = { ...(files.length === 1 ? { file: files[0] } : {}), kubeconfigFiles: files, context };
      const factory =
        this.factory ??
        // The bundle (and with it @kubernetes/client-node) is loaded here, on first use of a real context.
        ((o: KubeconfigTargetOptions) =>
          loadKubeClient(path.join(this.deps.extensionPath, 'dist', 'kubeClient.js')).openKubeconfigTarget(o));
      this.deps.log(`target: opening context "${context}" (${entry.server ?? 'no server'}) from ${entry.file}`);
      opening = factory(options);
      this.open.set(context, opening);
      // A context that failed to open is tried afresh next time (the user may have fixed it).
      opening.catch(() => this.open.delete(context));
    }
    return { target: await opening, entry };
  }

  private close(context: string): void {
    const opening = this.open.get(context);
    this.open.delete(context);
    opening
      ?.then(
        (target) => target.close(),
        () => undefined,
      )
      .catch((error: Error) => this.deps.log(`target: closing context "${context}" failed: ${error.message}`));
  }

  dispose(): void {
    for (const context of [...this.open.keys()]) this.close(context);
    this.changed.dispose();
  }
}
