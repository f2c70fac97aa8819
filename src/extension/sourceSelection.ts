// Where the cursor is in the traced YAML, for the timeline to highlight that object's rows and
// events: after the selection settles (debounced), the cursor (1-based) and the YAML document
// around it, or null once the cursor is in a document the trace did not apply. Repeats are
// not posted; focus moving to the panel itself changes nothing.
import * as vscode from 'vscode';
import type { SourceSelection } from '../protocol/messages';
import type { TracedDocuments } from './tracedDocuments';
import { yamlDocumentBounds } from './yamlDocumentBounds';

export class SourceSelectionTracker implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  /** The last posted selection, as JSON; undefined: post the next one whatever it is. */
  private last: string | undefined;
  /** The last text editor the user was in (the panel's focus leaves no active text editor). */
  private editor: vscode.TextEditor | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly post: (selection: SourceSelection | null) => void,
    private readonly documents: () => TracedDocuments | undefined,
    private readonly delayMs = 150,
  ) {
    this.subscriptions = [
      vscode.window.onDidChangeTextEditorSelection((e) => this.schedule(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor) this.schedule(editor);
      }),
    ];
  }

  /** Forgets what was posted, so that the next selection is posted even if it is the same. */
  forget(): void {
    this.last = undefined;
  }

  /** Posts the selection of the editor the user was last in, at once. */
  postNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const documents = this.documents();
    const editor =
      this.editor ??
      vscode.window.activeTextEditor ??
      vscode.window.visibleTextEditors.find((e) => documents?.nameOf(e.document.uri) !== undefined);
    if (editor) this.publish(editor);
  }

  private schedule(editor: vscode.TextEditor): void {
    this.editor = editor;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.publish(editor);
    }, this.delayMs);
  }

  private publish(editor: vscode.TextEditor): void {
    const selection = this.selectionIn(editor);
    const key = JSON.stringify(selection);
    if (key === this.last) return;
    this.last = key;
    this.post(selection);
  }

  private selectionIn(editor: vscode.TextEditor): SourceSelection | null {
    const documents = this.documents();
    const file = documents?.nameOf(editor.document.uri);
    if (file === undefined || editor.document.isClosed) return null;
    const { document } = editor;
    const cursor = editor.selection.active;
    const bounds = yamlDocumentBounds(document.lineCount, (line) => document.lineAt(line).text, cursor.line);
    return {
      file,
      line: cursor.line + 1,
      column: cursor.character + 1,
      documentStartLine: bounds.start + 1,
      documentEndLine: bounds.end + 1,
    };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscriptions.forEach((s) => s.dispose());
  }
}
