// A cluster's refusals as diagnostics: each cause of a Status (a 422's field errors, an unknown
// field under Strict) on the YAML range of its field, with the server's message, in a
// collection of its own (source "podtrace cluster") so the Problems view tells them apart from
// podtrace's own validation. A file's diagnostics are replaced by the next Apply or Dry Run of
// it, so a successful one clears them.
import * as vscode from 'vscode';
import { toRange } from './convert';
import type { PlacedCause } from './statusCauseRanges';

export const clusterDiagnosticSource = 'podtrace cluster';

export class ClusterDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('podtrace-cluster');

  /** Replaces the diagnostics of each of `uris` with its causes (none: cleared). */
  show(uris: readonly vscode.Uri[], causes: ReadonlyMap<string, readonly PlacedCause[]>, from: string): void {
    for (const uri of uris) {
      const placed = causes.get(uri.toString()) ?? [];
      this.collection.set(
        uri,
        placed.map((cause) => {
          // Which cluster said so: the same YAML may be fine on another.
          const message = `${cause.message} (from ${from})`;
          const diagnostic = new vscode.Diagnostic(toRange(cause.range), message, vscode.DiagnosticSeverity.Error);
          diagnostic.source = clusterDiagnosticSource;
          if (cause.reason) diagnostic.code = cause.reason;
          return diagnostic;
        }),
      );
    }
  }

  /** The diagnostics a file has now (for tests). */
  get(uri: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(uri) ?? [];
  }

  dispose(): void {
    this.collection.dispose();
  }
}
