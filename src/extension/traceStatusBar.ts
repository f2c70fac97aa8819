// While a trace runs: a status bar item with its virtual time that cancels it when clicked,
// and the context key that enables Skip to End and Cancel in the Command Palette.
import * as vscode from 'vscode';

export const traceRunningContextKey = 'podtrace.traceRunning';

export class TraceStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('podtrace.trace', vscode.StatusBarAlignment.Left, 10);
  private shownSeconds = -1;
  /** Where the trace runs, for the tooltip: `the embedded simulated cluster`, `kubeconfig context "staging"`. */
  private where = 'the embedded simulated cluster';

  constructor() {
    this.item.name = 'Podtrace Trace';
    this.item.command = 'podtrace.cancelTrace';
  }

  start(where: string): void {
    this.where = where;
    this.shownSeconds = -1;
    this.update(0);
    this.item.show();
    void vscode.commands.executeCommand('setContext', traceRunningContextKey, true);
  }

  /** Shows the virtual time, in tenths of a second (redrawn only when that changes). */
  update(clockMs: number): void {
    const tenths = Math.floor(clockMs / 100);
    if (tenths === this.shownSeconds) return;
    this.shownSeconds = tenths;
    const seconds = (tenths / 10).toFixed(1);
    this.item.text = `$(debug-stop) Podtrace ${seconds} s`;
    this.item.tooltip =
      `A trace is running in ${this.where}, at ${seconds} s. ` +
      'Click to cancel it; Podtrace: Skip to End of Trace runs the rest at once.';
  }

  stop(): void {
    this.item.hide();
    void vscode.commands.executeCommand('setContext', traceRunningContextKey, false);
  }

  dispose(): void {
    this.item.dispose();
  }
}
