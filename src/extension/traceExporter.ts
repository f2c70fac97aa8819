// Podtrace: Export Trace…: the timeline's trace saved as the HTML report, the trace JSON,
// Perfetto's JSON or OTLP JSON Lines, the same files `podtrace trace --report/--json/--perfetto
// /--otlp` writes for the same run. Asks for the format (unless given: the app's Export menu
// gives it) and the file (unless given: keybindings and tasks can name one), then writes it a
// slice at a time under a cancellable progress notification and says where it went.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { exportFormats, type ExportFormat, type HostToWebviewMessage } from '../protocol/messages';
import { exportFileTypes } from '../report/exportTrace';
import { readTimelineApp } from '../report/reportFile';
import { ExportCancelledError, writeExportFile } from './exportFile';
import { decodeTrace, defaultExportName, exportPieces, nextTurn } from './exportPieces';
import type { TracedDocuments } from './tracedDocuments';

/** What the exporter reads from the timeline panel. */
export interface ExportedTrace {
  readonly traceMessages: readonly HostToWebviewMessage[];
  readonly tracedDocuments: TracedDocuments | undefined;
}

export interface TraceExporterDeps {
  readonly extensionUri: vscode.Uri;
  /** podtrace's version, for OTLP's instrumentation scope (the command line writes the same). */
  readonly version: string;
  readonly trace: ExportedTrace;
  readonly log: (line: string) => void;
}

/** How an export ended. */
export type ExportOutcome =
  | {
      readonly status: 'written';
      readonly format: ExportFormat;
      readonly file: string;
      readonly bytes: number;
      readonly events: number;
      /** False when the trace was still running: the file holds what had arrived. */
      readonly complete: boolean;
    }
  | {
      readonly status: 'cancelled' | 'failed';
      readonly format: ExportFormat;
      readonly file: string;
      readonly error?: string;
    };

/** The format and file a command argument names; either may be missing. */
interface ExportRequest {
  readonly format?: ExportFormat;
  readonly target?: vscode.Uri;
}

function isFormat(value: unknown): value is ExportFormat {
  return (exportFormats as readonly unknown[]).includes(value);
}

/** A file named by a command argument: a URI, an absolute path, or a path in the first workspace folder. */
function targetOf(value: unknown): vscode.Uri | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value instanceof vscode.Uri) return value;
  if (typeof value !== 'string')
    throw new Error(`expected the file to write as a URI or a path, got ${JSON.stringify(value)}`);
  if (path.isAbsolute(value)) return vscode.Uri.file(value);
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error(`cannot place the relative path ${value}: no workspace folder is open`);
  return vscode.Uri.joinPath(folder.uri, value);
}

/**
 * The command's arguments: `(format?, file?)` as the app and scripts pass them, or one object
 * `{format, file}` as a keybinding's `args` does. A URI first is what a menu passes (the
 * resource of the editor it was invoked on, here the panel's), not a request. Throws saying
 * what was expected.
 */
function exportRequestOf(first: unknown, second: unknown): ExportRequest {
  if (first instanceof vscode.Uri) return {};
  const given =
    typeof first === 'object' && first !== null
      ? (first as { format?: unknown; file?: unknown })
      : { format: first, file: second };
  const { format } = given;
  if (format !== undefined && format !== null && !isFormat(format))
    throw new Error(`expected the format to be one of ${exportFormats.join(', ')}, got ${JSON.stringify(format)}`);
  return { format: format ?? undefined, target: targetOf(given.file) };
}

const units = ['bytes', 'KB', 'MB', 'GB'];

function formatBytes(bytes: number): string {
  let n = bytes;
  let unit = 0;
  while (n >= 1000 && unit < units.length - 1) {
    n /= 1000;
    unit++;
  }
  return unit === 0 ? `${n} bytes` : `${n.toFixed(1)} ${units[unit]}`;
}

export class TraceExporter implements vscode.Disposable {
  private readonly running = new Set<vscode.CancellationTokenSource>();
  private readonly wrote = new vscode.EventEmitter<{ readonly format: ExportFormat; readonly bytes: number }>();
  /** Fires after each write of a running export with the bytes so far (tests cancel on it). */
  readonly onDidWrite = this.wrote.event;

  constructor(private readonly deps: TraceExporterDeps) {}

  /** Cancels every export in progress, as their notifications' Cancel does; returns whether one was. */
  cancelAll(): boolean {
    for (const source of this.running) source.cancel();
    return this.running.size > 0;
  }

  /**
   * Runs the command: resolves with how the export ended, or undefined when there was nothing
   * to export or the user dismissed a question.
   */
  async run(first?: unknown, second?: unknown): Promise<ExportOutcome | undefined> {
    let request: ExportRequest;
    try {
      request = exportRequestOf(first, second);
    } catch (error) {
      void vscode.window.showErrorMessage(`Podtrace: Export Trace: ${(error as Error).message}`);
      return undefined;
    }
    // A copy: a new Apply while the file is written starts a new trace, not a mix of two.
    const messages = [...this.deps.trace.traceMessages];
    if (messages.length === 0) {
      void vscode.window.showWarningMessage('Podtrace: there is no trace to export yet; apply a manifest first.');
      return undefined;
    }
    const format = request.format ?? (await this.pickFormat());
    if (!format) return undefined;
    const reset = messages[0];
    const title = reset.type === 'traceReset' ? reset.title : 'trace';
    const target = request.target ?? (await this.pickTarget(format, title));
    if (!target) return undefined;
    return this.write(format, messages, target);
  }

  private async pickFormat(): Promise<ExportFormat | undefined> {
    const picked = await vscode.window.showQuickPick(
      exportFormats.map((format) => ({
        label: exportFileTypes[format].label,
        description: `.${exportFileTypes[format].extension}`,
        format,
      })),
      { title: 'Podtrace: Export Trace', placeHolder: 'Save the trace as…' },
    );
    return picked?.format;
  }

  /** The save dialog, in the traced manifests' workspace folder, with a name from the trace's title. */
  private pickTarget(format: ExportFormat, title: string): Thenable<vscode.Uri | undefined> {
    const type = exportFileTypes[format];
    const first = this.deps.trace.tracedDocuments?.all[0]?.uri;
    const folder =
      (first && vscode.workspace.getWorkspaceFolder(first)?.uri) ??
      vscode.workspace.workspaceFolders?.[0]?.uri ??
      (first?.scheme === 'file' ? vscode.Uri.file(path.dirname(first.fsPath)) : vscode.Uri.file(os.homedir()));
    const lastPart = type.extension.split('.').pop()!;
    return vscode.window.showSaveDialog({
      title: `Podtrace: Export Trace as ${type.label}`,
      saveLabel: 'Export',
      defaultUri: vscode.Uri.joinPath(folder, defaultExportName(title, format)),
      filters: { [type.label]: [lastPart] },
    });
  }

  private async write(
    format: ExportFormat,
    messages: readonly HostToWebviewMessage[],
    target: vscode.Uri,
  ): Promise<ExportOutcome> {
    const type = exportFileTypes[format];
    const shown = target.scheme === 'file' ? target.fsPath : target.toString();
    const source = new vscode.CancellationTokenSource();
    this.running.add(source);
    try {
      const outcome = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Podtrace: exporting the trace as ${type.label}`,
          cancellable: true,
        },
        async (progress, token) => {
          const cancelled = () => token.isCancellationRequested || source.token.isCancellationRequested;
          // Cancelled before a byte is written: decoding the benchmark trace takes a moment too.
          const stopIfCancelled = () => {
            if (cancelled()) throw new ExportCancelledError(`export to ${shown} cancelled`);
          };
          const trace = await decodeTrace(messages, nextTurn);
          stopIfCancelled();
          const app =
            format === 'html'
              ? readTimelineApp(vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webview').fsPath)
              : undefined;
          const pieces = await exportPieces(format, trace, { app, version: this.deps.version }, nextTurn);
          stopIfCancelled();
          const { bytes } = await writeTo(target, pieces, {
            cancelled,
            progress: (written) => {
              progress.report({ message: `${formatBytes(written)} written to ${path.basename(target.path)}` });
              this.wrote.fire({ format, bytes: written });
            },
          });
          return {
            status: 'written',
            format,
            file: shown,
            bytes,
            events: trace.decoder.events.length,
            complete: trace.finished !== undefined,
          } as const;
        },
      );
      this.announce(outcome, target, type.label);
      return outcome;
    } catch (error) {
      if (error instanceof ExportCancelledError) {
        this.deps.log(`export as ${format} to ${shown}: cancelled; nothing was written`);
        vscode.window.setStatusBarMessage('Podtrace: export cancelled; nothing was written', 5000);
        return { status: 'cancelled', format, file: shown };
      }
      const message = (error as Error).message;
      this.deps.log(`export as ${format} to ${shown} failed: ${message}`);
      const where = message.includes(shown) ? '' : ` to ${shown}`;
      void vscode.window.showErrorMessage(`Podtrace: could not export the trace as ${type.label}${where}: ${message}`);
      return { status: 'failed', format, file: shown, error: message };
    } finally {
      this.running.delete(source);
      source.dispose();
    }
  }

  /**
   * Says where the file went, with actions to open or reveal it (not awaited: the command does not wait for a click).
   */
  private announce(outcome: ExportOutcome, target: vscode.Uri, label: string): void {
    if (outcome.status !== 'written') return;
    const partly = outcome.complete
      ? ''
      : ' The trace was still running: the file holds the ' +
        `${outcome.events.toLocaleString('en-US')} events that had arrived.`;
    const size = formatBytes(outcome.bytes);
    const text = `Podtrace: exported the trace as ${label} to ${outcome.file} (${size}).${partly}`;
    this.deps.log(text.replace(/^Podtrace: /, ''));
    void vscode.window.showInformationMessage(text, 'Open', 'Reveal').then((action) => {
      if (action === 'Open') void openExport(outcome.format, target);
      else if (action === 'Reveal') void revealExport(target);
    });
  }

  dispose(): void {
    this.cancelAll();
    this.wrote.dispose();
  }
}

/**
 * Writes to a file on disk through a stream; any other file system (a remote or virtual one)
 * gets a finished temporary file copied over, since only files on disk can be streamed to here.
 */
async function writeTo(
  target: vscode.Uri,
  pieces: Iterable<string>,
  options: Parameters<typeof writeExportFile>[2],
): Promise<{ bytes: number }> {
  if (target.scheme === 'file') return writeExportFile(pieces, target.fsPath, options);
  const local = path.join(os.tmpdir(), `podtrace-export-${process.pid}-${Date.now()}-${path.basename(target.path)}`);
  const written = await writeExportFile(pieces, local, options);
  try {
    await vscode.workspace.fs.copy(vscode.Uri.file(local), target, { overwrite: true });
  } finally {
    await vscode.workspace.fs.delete(vscode.Uri.file(local));
  }
  return written;
}

/** The report opens in the browser; the JSON files in an editor. */
function openExport(format: ExportFormat, target: vscode.Uri): Thenable<unknown> {
  return format === 'html' ? vscode.env.openExternal(target) : vscode.commands.executeCommand('vscode.open', target);
}

/** In the Explorer when the file is in the workspace, in the system's file manager otherwise. */
function revealExport(target: vscode.Uri): Thenable<unknown> {
  return vscode.workspace.getWorkspaceFolder(target)
    ? vscode.commands.executeCommand('revealInExplorer', target)
    : vscode.commands.executeCommand('revealFileInOS', target);
}
