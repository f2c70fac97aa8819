// A minimal test harness for code that runs inside VS Code's extension host. Each
// result is printed as one line that the runner outside (test/vscode.test.ts) reads from
// the workbench's console and reports as a subtest of Node's test runner.

export const resultPrefix = 'PODTRACE_VSCODE_TEST ';

/**
 * Which VS Code a case runs in: `trusted` (the default run, workspace trust off) or
 * `untrusted` (a run with workspace trust on and the folder not trusted; see test/vscode.test.ts).
 */
export type SuiteName = 'trusted' | 'untrusted';

interface Case {
  readonly name: string;
  readonly fn: () => Promise<void> | void;
  readonly suite: SuiteName;
}

const cases: Case[] = [];

export function test(name: string, fn: () => Promise<void> | void, suite: SuiteName = 'trusted'): void {
  cases.push({ name, fn, suite });
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

/** Runs every registered case of `suite` in order; resolves even when some fail (the runner judges). */
export async function runRegistered(suite: SuiteName = 'trusted'): Promise<{ passed: number; failed: number }> {
  let passed = 0;
  let failed = 0;
  for (const c of cases) {
    if (c.suite !== suite) continue;
    const started = Date.now();
    try {
      await c.fn();
      passed++;
      console.log(resultPrefix + JSON.stringify({ name: c.name, ok: true, durationMs: Date.now() - started }));
    } catch (error) {
      failed++;
      console.log(
        resultPrefix +
          JSON.stringify({ name: c.name, ok: false, error: describeError(error), durationMs: Date.now() - started }),
      );
    }
  }
  return { passed, failed };
}

/** Polls until `probe` returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
