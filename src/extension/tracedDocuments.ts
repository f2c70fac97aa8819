// The documents a trace was applied from, by the name its sources give them: a file by its
// path (as the CLI names files), any other document (an unsaved one) by its URI's path or the
// URI itself. The map back to each URI is what lets an event reveal YAML that is not on disk.
import type * as vscode from 'vscode';

export interface TracedDocument {
  readonly name: string;
  readonly uri: vscode.Uri;
  /** The document's version when it was applied: a later one means the ranges may have moved. */
  readonly version: number;
}

/** The name a trace gives a document: `/path/to/deployment.yaml`, `Untitled-1`, or the URI. */
export function traceNameOf(document: vscode.TextDocument): string {
  const { uri } = document;
  if (uri.scheme === 'file') return uri.fsPath;
  if (uri.scheme === 'untitled' && uri.path) return uri.path;
  return uri.toString();
}

export class TracedDocuments {
  private readonly byNames = new Map<string, TracedDocument>();
  private readonly namesByUri = new Map<string, string>();

  constructor(documents: readonly vscode.TextDocument[]) {
    for (const document of documents) {
      let name = traceNameOf(document);
      // Two documents never share a name (two untitled ones of other windows could).
      if (this.byNames.has(name) && this.byNames.get(name)!.uri.toString() !== document.uri.toString())
        name = document.uri.toString();
      this.byNames.set(name, { name, uri: document.uri, version: document.version });
      this.namesByUri.set(document.uri.toString(), name);
    }
  }

  get names(): string[] {
    return [...this.byNames.keys()];
  }

  get all(): TracedDocument[] {
    return [...this.byNames.values()];
  }

  byName(name: string): TracedDocument | undefined {
    return this.byNames.get(name);
  }

  nameOf(uri: vscode.Uri): string | undefined {
    return this.namesByUri.get(uri.toString());
  }
}
