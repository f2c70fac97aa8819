// Runs an extension's tests inside a real VS Code without downloading one: code-server
// 4.100.3 (VS Code 1.100.3's server and workbench, installed by scripts/testTools.mjs)
// serves the workbench, and headless Debian chromium, driven by playwright-core, opens it
// as an Extension Development Host with a tests module, the way @vscode/test-electron
// does on machines that can download VS Code. See ../shared/VSCODE-TESTS.md.
//
// The tests module's run() executes in the Node extension host with the full `vscode` API.
// It reports each test as one console line, `PODTRACE_VSCODE_TEST {json}`; the workbench
// forwards the extension host's console to `window.codeAutomationLog`, where this runner
// reads it, and calls `window.codeAutomationExit(code)` when run() settles (0 on success).
import * as path from 'node:path';
import { openWorkbench, requireExisting, TimeoutError, type Workbench } from './workbench';

export const resultPrefix = 'PODTRACE_VSCODE_TEST ';

export interface VsCodeTestOptions {
  /** The folder with the extension's package.json. */
  readonly extensionPath: string;
  /** The compiled tests module (CommonJS) that exports `run(): Promise<void>`. */
  readonly testsModulePath: string;
  /** The folder VS Code opens as its workspace. */
  readonly workspacePath: string;
  /** false starts VS Code with workspace trust on, for tests of the trust gate; default true. */
  readonly trustWorkspace?: boolean;
  /** Everything, from starting code-server to the last browser process gone, within this. */
  readonly timeoutMs: number;
  /** code-server's entry script; default: the one scripts/testTools.mjs installed. */
  readonly codeServerEntry?: string;
  /** Extra environment for code-server and so for the extension host (the tests' flags). */
  readonly env?: Readonly<Record<string, string>>;
  /** Called with every log line as it arrives, e.g. to echo it while debugging. */
  readonly onLog?: (line: string) => void;
}

export interface VsCodeTestResult {
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly durationMs?: number;
}

export interface VsCodeTestRun {
  /** run()'s outcome as VS Code reports it: 0 when it resolved; -1 when the run timed out. */
  readonly exitCode: number;
  readonly results: VsCodeTestResult[];
  /** code-server's output, the extension host's console and the page's errors, in order. */
  readonly log: string[];
}

// Keeps a runaway log from filling memory; the tail is what explains a failure.
const maxLogLines = 5000;

/**
 * Reads one result from a console message, if it holds one. The workbench may put a label
 * before the text, and the message may carry other text, so the prefix is searched for and
 * the JSON runs to the end of its line (JSON.stringify never emits a raw newline).
 */
export function parseResultLine(text: string): VsCodeTestResult | undefined {
  const at = text.indexOf(resultPrefix);
  if (at < 0) return undefined;
  const rest = text.slice(at + resultPrefix.length);
  const newline = rest.indexOf('\n');
  const json = newline < 0 ? rest : rest.slice(0, newline);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new Error(
      `expected JSON after "${resultPrefix.trim()}", ` +
        `found ${JSON.stringify(json.slice(0, 200))}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const r = value as Partial<Record<keyof VsCodeTestResult, unknown>>;
  if (typeof r !== 'object' || r === null || typeof r.name !== 'string' || typeof r.ok !== 'boolean') {
    throw new Error(
      `expected {"name": string, "ok": boolean, ...} after "${resultPrefix.trim()}", found ${json.slice(0, 200)}`,
    );
  }
  return {
    name: r.name,
    ok: r.ok,
    ...(typeof r.error === 'string' ? { error: r.error } : {}),
    ...(typeof r.durationMs === 'number' ? { durationMs: r.durationMs } : {}),
  };
}

/**
 * Opens VS Code 1.100.3 (code-server) in headless chromium as an Extension Development
 * Host for `extensionPath`, runs `testsModulePath`'s run() in its extension host, and
 * returns each reported result. code-server and the browser are always stopped before
 * this returns or throws. Throws when the tools are missing or VS Code never starts;
 * returns exitCode -1 when the tests started but did not finish in time.
 */
export async function runVsCodeTests(options: VsCodeTestOptions): Promise<VsCodeTestRun> {
  const extensionPath = requireExisting(options.extensionPath, "the extension's folder");
  requireExisting(path.join(extensionPath, 'package.json'), "the extension's package.json");
  const testsModulePath = requireExisting(options.testsModulePath, 'the compiled tests module');

  const log: string[] = [];
  const results: VsCodeTestResult[] = [];
  const record = (line: string) => {
    if (log.length >= maxLogLines) log.shift();
    log.push(line);
    options.onLog?.(line);
  };

  let workbench: Workbench | undefined;
  try {
    workbench = await openWorkbench({ ...options, record });
    const { page, deadline } = workbench;
    let exit: (code: number) => void;
    const exited = new Promise<number>((resolve) => (exit = resolve));
    // Both hooks must exist before the workbench loads: it checks for them at startup.
    await page.exposeFunction('codeAutomationExit', (code: number) => {
      record(`[runner] VS Code reported exit code ${code}`);
      exit(code);
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = (Array.isArray(args) ? args : [args])
        .map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))
        .join(' ');
      record(`[vscode:${type}] ${text}`);
      for (const line of text.split('\n')) {
        try {
          const result = parseResultLine(line);
          if (result) results.push(result);
        } catch (error) {
          // A garbled result line is a failed test, not a lost one.
          results.push({ name: `(unreadable result line)`, ok: false, error: (error as Error).message });
        }
      }
    });
    await workbench.load([
      ['extensionDevelopmentPath', workbench.remote(extensionPath)],
      ['extensionTestsPath', workbench.remote(testsModulePath)],
    ]);

    const serverDied = workbench.serverExited.then((why) => Promise.reject(new Error(`${why} while the tests ran`)));
    // A crash, or the browser closing under a signal, must end the wait rather than run out the clock.
    const pageGone = new Promise<never>((_, reject) => {
      page.once('crash', () => reject(new Error('the workbench page crashed while the tests ran')));
      page.once('close', () => reject(new Error('the workbench page closed before the tests finished')));
    });
    try {
      const exitCode = await deadline.race(
        Promise.race([exited, serverDied, pageGone]),
        'the tests to finish (codeAutomationExit)',
      );
      return { exitCode, results: [...results], log };
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      record(`[runner] ${error.message}`);
      return { exitCode: -1, results: [...results], log };
    }
  } catch (error) {
    // Startup failures carry the log's tail, which is where code-server says why.
    const tail = log.slice(-30).join('\n');
    throw new Error(`${(error as Error).message}\n--- last log lines ---\n${tail}`, { cause: error });
  } finally {
    await workbench?.close();
  }
}
