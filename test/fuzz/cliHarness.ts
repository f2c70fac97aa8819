// Runs `podtrace` in process on hostile files, the way a user's shell would, and checks what
// every run must be whatever the input: an exit status of 0, 1 or 2; no exception escaping
// runCli (an exception is a crash: the user would see a stack trace); a message on stderr for
// status 2, naming what was wrong, with no stack trace in it; and findings that are well formed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findingCodes } from '../../src/core/manifest/findingCodes';
import { runCli } from '../../src/cli/main';
import type { JsonFinding } from '../../src/cli/findingFormats';
import { regExpOf } from '../regExpOf';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A folder of the run's files, removed by `dispose`. */
export class Workspace {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-fuzz-'));

  write(name: string, bytes: Buffer | string): string {
    const file = path.join(this.dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
    return file;
  }

  /** Paths of this folder, so that a hostile `--json out.json` writes here and not in the checkout. */
  inside(args: readonly string[]): string[] {
    return args.map((a) =>
      a.replace(
        /^(--\w[\w-]*=)?(out\.json)$/,
        (_, flag: string | undefined, name: string) => `${flag ?? ''}${path.join(this.dir, name)}`,
      ),
    );
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs the CLI in process; an exception is reported with the arguments that caused it. */
export function runPodtrace(argv: readonly string[], stdin = ''): CliRun {
  let stdout = '';
  let stderr = '';
  let code: number;
  try {
    code = runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: () => stdin });
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    throw new assert.AssertionError({ message: `podtrace ${argv.join(' ')} crashed:\n${detail}` });
  }
  return { code, stdout, stderr };
}

/**
 * Lines that are frames of a JavaScript stack trace, the names of errors a user should never see,
 * V8 running out of memory, or the CLI's own line for an exception that escaped: what no output
 * of podtrace may hold, in process or as a whole process.
 */
export const internalFailure = regExpOf(
  /^\s+at .+(:\d+:\d+\)?|\(native\))$/m,
  /|\b(TypeError|RangeError|ReferenceError|SyntaxError: Unexpected|Maximum call stack)\b/m,
  /|FATAL ERROR|internal error/m,
);

/** What every run must be, whatever its input. */
export function assertWellBehaved(argv: readonly string[], run: CliRun, input = ''): void {
  const what = `podtrace ${argv.join(' ')} → ${run.code}\n${run.stderr.slice(0, 2000)}`;
  assert.ok([0, 1, 2].includes(run.code), `exit status outside 0, 1, 2: ${what}`);
  assert.doesNotMatch(run.stderr, internalFailure, `a stack trace or an internal error on stderr: ${what}`);
  assert.doesNotMatch(run.stdout, internalFailure, `a stack trace or an internal error on stdout: ${what}`);
  if (run.code === 2) assert.match(run.stderr, /^podtrace: \S/m, `status 2 without a message: ${what}`);
  // Messages built from a value that was not there or not a number (unless the user wrote it).
  assert.doesNotMatch(
    run.stderr,
    internalValue(`${argv.join(' ')}\n${input}`),
    `a message with undefined, NaN or [object Object]: ${what}`,
  );
}

/**
 * Words a message has only when it was built from a missing value or a number that is none, unless the input has them.
 */
function internalValue(input: string): RegExp {
  const words = ['undefined', 'NaN'].filter((w) => !new RegExp(w === 'NaN' ? 'nan' : w, 'i').test(input));
  return new RegExp(`${words.length ? `\\b(${words.join('|')})\\b|` : ''}\\[object Object\\]`);
}

const knownCodes = new Set(findingCodes.map((c) => c.code));

/** Findings of `validate --format json`: each with a known code, a severity, a message and a range inside its file. */
export function assertFindingsWellFormed(stdout: string, texts: ReadonlyMap<string, string>): JsonFinding[] {
  const internal = internalValue([...texts.values()].join('\n'));
  const { findings } = JSON.parse(stdout) as { findings: JsonFinding[] };
  assert.ok(Array.isArray(findings), `expected {findings: [...]}, got ${stdout.slice(0, 200)}`);
  for (const f of findings) {
    const where = JSON.stringify(f);
    assert.ok(knownCodes.has(f.code), `a finding code the README does not document: ${where}`);
    assert.ok(['error', 'warning', 'info'].includes(f.severity), `severity: ${where}`);
    assert.ok(typeof f.message === 'string' && f.message.trim() !== '', `an empty message: ${where}`);
    assert.doesNotMatch(f.message, internal, `message: ${where}`);
    assert.doesNotMatch(f.message, /Maximum call stack/, `message: ${where}`);
    assert.ok(
      Number.isInteger(f.line) && f.line >= 1 && Number.isInteger(f.column) && f.column >= 1,
      `position: ${where}`,
    );
    assert.ok(
      f.endLine > f.line || (f.endLine === f.line && f.endColumn >= f.column),
      `range ends before it starts: ${where}`,
    );
    const text = texts.get(f.file);
    if (text !== undefined) {
      // Positions count lines as the editor does (LF, CRLF and a lone CR each end one).
      const lines = text.split(/\r\n|\r|\n/).length;
      assert.ok(f.endLine <= lines, `range past the file's ${lines} lines: ${where}`);
    }
  }
  return findings;
}
