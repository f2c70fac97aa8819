// The timeline panel: one WebviewPanel (viewType podtrace.timeline) that hosts the timeline
// app. It keeps the current trace's host messages (reset, chunks, finished) so that a `ready`
// from the app, on first load or after any reload, replays them; forwards new ones while the
// app is loaded; and answers the app: reveal an event's YAML, run control, export, filters.
// Every message from the app is validated and, if it does not validate, dropped with the
// reason in the Podtrace output.
import * as vscode from 'vscode';
import {
  assertNever,
  parseWebviewMessage,
  type ExportFormat,
  type HostToWebviewMessage,
  type RevealSourceRequest,
  type ThemeKind,
  type TimelineFilters,
  type TraceFinishedNotification,
  type TraceResetNotification,
  type WebviewToHostMessage,
} from '../protocol/messages';
import type { TraceChunk } from '../protocol/traceColumns';
import { newNonce, timelinePageHtml } from '../report/timelinePage';
import { SourceSelectionTracker } from './sourceSelection';
import type { TracedDocuments } from './tracedDocuments';
import { WebviewOutbox } from './webviewOutbox';

export interface TimelinePanelHost {
  readonly extensionUri: vscode.Uri;
  readonly workspaceState: vscode.Memento;
  readonly log: (line: string) => void;
  readonly runControl: (action: 'skipToEnd' | 'cancel') => void;
  /** The app's Export menu: save the trace in `format` (the exporter asks where). */
  readonly exportTrace: (format: ExportFormat) => void;
}

const filtersKey = 'podtrace.timeline.filters';
/** True once the panel holds a trace: enables Export Trace in the palette and the panel's title bar. */
export const hasTraceContextKey = 'podtrace.hasTrace';

const themeKinds: Record<vscode.ColorThemeKind, ThemeKind> = {
  [vscode.ColorThemeKind.Light]: 'light',
  [vscode.ColorThemeKind.Dark]: 'dark',
  [vscode.ColorThemeKind.HighContrast]: 'high-contrast',
  [vscode.ColorThemeKind.HighContrastLight]: 'high-contrast-light',
};

export class TimelinePanel implements vscode.Disposable {
  static readonly viewType = 'podtrace.timeline';
  private panel: vscode.WebviewPanel | undefined;
  /** Whether the app in the webview has said `ready` since it last loaded. */
  private loaded = false;
  /** The current trace's messages, in order: what a reload replays. */
  private trace: HostToWebviewMessage[] = [];
  private documents: TracedDocuments | undefined;
  /** The editor column the trace was applied from, where revealed YAML opens. */
  private editorColumn: vscode.ViewColumn | undefined;
  private filters: TimelineFilters | undefined;
  private readonly selection: SourceSelectionTracker;
  private readonly outbox = new WebviewOutbox(
    (wire) => void this.panel?.webview.postMessage(wire),
    (message) => this.posted.fire(message),
  );
  private readonly posted = new vscode.EventEmitter<HostToWebviewMessage>();
  private readonly received = new vscode.EventEmitter<WebviewToHostMessage>();
  private readonly dropped = new vscode.EventEmitter<string>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Every message posted to the app (for tests and diagnostics). */
  readonly onDidPost = this.posted.event;
  /** Every message from the app that validated. */
  readonly onDidReceive = this.received.event;
  /** The reason, for every message from the app that did not validate (it is logged too). */
  readonly onDidDropMessage = this.dropped.event;

  constructor(private readonly host: TimelinePanelHost) {
    this.filters = host.workspaceState.get<TimelineFilters>(filtersKey);
    this.selection = new SourceSelectionTracker(
      (selection) => this.post({ type: 'sourceSelectionChanged', selection }),
      () => this.documents,
    );
    this.disposables.push(
      this.posted,
      this.received,
      this.dropped,
      this.selection,
      vscode.window.onDidChangeActiveColorTheme((theme) =>
        this.post({ type: 'themeChanged', theme: themeKinds[theme.kind] }),
      ),
    );
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Whether the app is loaded and has the trace (it said `ready`). */
  get appReady(): boolean {
    return this.loaded;
  }

  /** The current trace's messages, in the order the app gets them. */
  get traceMessages(): readonly HostToWebviewMessage[] {
    return this.trace;
  }

  /** The documents the current trace was applied from. */
  get tracedDocuments(): TracedDocuments | undefined {
    return this.documents;
  }

  /** The page the panel's webview shows, while it is open (the tests read its policy). */
  get pageHtml(): string | undefined {
    return this.panel?.webview.html;
  }

  /** Where the panel's webview loads resources from (the policy names it), while it is open. */
  get cspSource(): string | undefined {
    return this.panel?.webview.cspSource;
  }

  /** The filters the app last reported, kept for the workspace. */
  get lastFilters(): TimelineFilters | undefined {
    return this.filters;
  }

  /** Opens the panel beside the active editor, or reveals it where it is. */
  show(preserveFocus: boolean): void {
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    const root = vscode.Uri.joinPath(this.host.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(
      TimelinePanel.viewType,
      'Podtrace Timeline',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      // Scripts for the app only (the page's CSP allows its nonce and nothing else), files
      // from dist/webview only, and no command URIs.
      { enableScripts: true, enableCommandUris: false, localResourceRoots: [root] },
    );
    panel.iconPath = vscode.Uri.joinPath(this.host.extensionUri, 'media', 'icon.png');
    const reset = this.trace[0];
    if (reset?.type === 'traceReset') panel.title = reset.title;
    const webview = panel.webview;
    webview.html = timelinePageHtml({
      title: 'Podtrace timeline',
      nonce: newNonce(),
      resources: {
        kind: 'linked',
        cspSource: webview.cspSource,
        scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'timeline.js')).toString(),
        styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'timeline.css')).toString(),
      },
    });
    this.panel = panel;
    this.loaded = false;
    const subscriptions = [
      webview.onDidReceiveMessage((raw: unknown) => this.handleWebviewMessage(raw)),
      // A hidden webview is unloaded (no retainContextWhenHidden: a large trace is not kept
      // twice); shown again, the app loads and says `ready`, and the trace is replayed.
      panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) this.unloaded();
      }),
    ];
    panel.onDidDispose(() => {
      subscriptions.forEach((s) => s.dispose());
      this.panel = undefined;
      this.unloaded();
    });
  }

  /** A new trace begins: the last one is forgotten, the app clears it at the reset that follows. */
  startTrace(documents: TracedDocuments, editorColumn: vscode.ViewColumn | undefined): void {
    this.trace = [];
    this.documents = documents;
    this.editorColumn = editorColumn;
    this.selection.forget();
  }

  reset(message: TraceResetNotification): void {
    this.trace = [message];
    void vscode.commands.executeCommand('setContext', hasTraceContextKey, true);
    if (this.panel) this.panel.title = message.title;
    this.post(message);
    // The app highlights the object under the cursor from the start.
    this.selection.postNow();
  }

  append(chunk: TraceChunk): void {
    const message: HostToWebviewMessage = { type: 'eventsAppended', chunk };
    this.trace.push(message);
    this.post(message);
  }

  finish(message: TraceFinishedNotification): void {
    this.trace.push(message);
    this.post(message);
  }

  /** The app has gone (hidden, reloading or closed): what was on its way to it is dropped, the next `ready` replays. */
  private unloaded(): void {
    this.loaded = false;
    this.outbox.clear();
  }

  /**
   * Posts to the app once it is loaded. A trace's reset carries the filters the app last
   * reported for the workspace, so a new panel (or the next trace) starts with them; the
   * trace's kept messages never hold them, so exports and replays stay the trace itself.
   */
  private post(message: HostToWebviewMessage): void {
    if (!this.panel || !this.loaded) return;
    this.outbox.push(message.type === 'traceReset' && this.filters ? { ...message, filters: this.filters } : message);
  }

  /**
   * Handles a message from the app, as the webview delivers it:
   * validated first, dropped with its reason if it does not validate.
   */
  handleWebviewMessage(raw: unknown): void {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.host.log(`timeline: dropped a message from the webview: ${parsed.reason}`);
      this.dropped.fire(parsed.reason);
      return;
    }
    const message = parsed.message;
    this.received.fire(message);
    switch (message.type) {
      case 'ready':
        // A reload: whatever was on its way to the app before is replayed with the rest.
        this.outbox.clear();
        this.loaded = true;
        this.selection.forget();
        for (const m of this.trace) this.post(m);
        if (this.trace.length > 0) this.selection.postNow();
        return;
      case 'revealSource':
        void this.reveal(message).catch((error: Error) =>
          this.host.log(`timeline: could not reveal ${message.source.file}:${message.source.line}: ${error.message}`),
        );
        return;
      case 'exportRequested':
        this.host.exportTrace(message.format);
        return;
      case 'filtersChanged':
        this.filters = message.filters;
        void this.host.workspaceState.update(filtersKey, message.filters);
        return;
      case 'runControl':
        this.host.runControl(message.action);
        return;
      default:
        assertNever(message);
    }
  }

  /** Opens the document the event's source names and selects its range, in the column the trace was applied from. */
  private async reveal(request: RevealSourceRequest): Promise<void> {
    const { source } = request;
    const traced = this.documents?.byName(source.file);
    if (!traced) {
      this.host.log(
        `timeline: cannot reveal ${source.file}:${source.line}:${source.column}: ` +
          `it is not a document of this trace (${this.documents?.names.join(', ') || 'no trace'})`,
      );
      return;
    }
    const document = await vscode.workspace.openTextDocument(traced.uri);
    if (document.version !== traced.version)
      this.host.log(
        `timeline: ${source.file} changed since it was applied; event ${request.eventId}'s range may have moved`,
      );
    const range = document.validateRange(
      new vscode.Range(source.line - 1, source.column - 1, source.endLine - 1, source.endColumn - 1),
    );
    // Never over the panel itself: a trace applied from its own column opens beside it.
    const column =
      this.editorColumn !== undefined && this.editorColumn !== this.panel?.viewColumn
        ? this.editorColumn
        : vscode.ViewColumn.Beside;
    const editor = await vscode.window.showTextDocument(document, {
      viewColumn: column,
      preserveFocus: false,
      selection: new vscode.Selection(range.start, range.end),
    });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
