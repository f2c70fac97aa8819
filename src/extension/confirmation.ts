// The modal confirmation before podtrace changes a real cluster. Tests inside VS Code cannot
// click a modal dialog, so they may answer it through a seam that exists only when the
// extension host runs with PODTRACE_VSCODE_TESTS=1 (test/vscode.test.ts sets it); in normal
// use the seam is never offered and every answer comes from the user.
import * as vscode from 'vscode';

/** Answers a confirmation in tests: the button chosen, or undefined for Cancel. */
export type ConfirmationAnswerer = (message: string, detail: string, button: string) => string | undefined;

export interface ConfirmationRecord {
  readonly message: string;
  readonly detail: string;
  readonly button: string;
  readonly answer: string | undefined;
}

export function testSeamsEnabled(): boolean {
  return process.env.PODTRACE_VSCODE_TESTS === '1';
}

export class Confirmations {
  private answerer: ConfirmationAnswerer | undefined;
  /** Every confirmation asked through the test seam, in order (tests read what was asked). */
  readonly asked: ConfirmationRecord[] = [];

  /** Sets the test seam's answerer; throws outside the tests' environment. */
  answerWith(answerer: ConfirmationAnswerer | undefined): void {
    if (!testSeamsEnabled())
      throw new Error('expected PODTRACE_VSCODE_TESTS=1 to answer confirmations for the user, found it unset');
    this.answerer = answerer;
  }

  /** Asks with a modal dialog; resolves true when the user chose `button`. */
  async confirm(message: string, detail: string, button: string): Promise<boolean> {
    if (this.answerer && testSeamsEnabled()) {
      const answer = this.answerer(message, detail, button);
      this.asked.push({ message, detail, button, answer });
      return answer === button;
    }
    const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, button);
    return answer === button;
  }
}
