// Runs `podtrace trace --json` in process on a manifest written to a temporary file and gives
// back every event with the YAML range it maps to, and the text that range covers, for tests
// that assert where events point.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTrace } from '../../src/cli/traceCommand';

export interface MappedSource {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly path: string;
}

export interface MappedEvent {
  readonly id: number;
  readonly time: number;
  readonly lane: string;
  readonly reason: string;
  readonly message: string;
  readonly severity: string;
  readonly object: { readonly kind: string; readonly namespace: string | null; readonly name: string };
  readonly source?: MappedSource;
}

export interface TraceOptions {
  /** Virtual seconds to run for (`--until`). */
  readonly until?: number;
  readonly version?: string;
  /** A scenario file's text (`--scenario`). */
  readonly scenario?: string;
}

export interface MappedTrace {
  readonly events: readonly MappedEvent[];
  /** The manifest's path, as the sources name it. */
  readonly file: string;
  /** The text a source covers (its lines joined with line breaks). */
  covered(source: MappedSource): string;
}

/** Traces `manifest` (with `options`) and maps each event's source index to its range. */
export function traceManifest(manifest: string, options: TraceOptions = {}): MappedTrace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-sources-'));
  try {
    const file = path.join(dir, 'manifest.yaml');
    fs.writeFileSync(file, manifest);
    const out = path.join(dir, 'trace.json');
    const argv = ['--quiet', '--json', out];
    if (options.until !== undefined) argv.push('--until', String(options.until));
    if (options.version !== undefined) argv.push('--kubernetes-version', options.version);
    if (options.scenario !== undefined) {
      fs.writeFileSync(path.join(dir, 'scenario.yaml'), options.scenario);
      argv.push('--scenario', path.join(dir, 'scenario.yaml'));
    }
    let stderr = '';
    const status = runTrace([...argv, file], {
      stdout: () => undefined,
      stderr: (t) => (stderr += t),
      readStdin: () => '',
    });
    assert.equal(status, 0, `podtrace trace exited ${status}: ${stderr}`);
    const document = JSON.parse(fs.readFileSync(out, 'utf8'));
    const events: MappedEvent[] = document.events.map((e: { source?: number }) => ({
      ...e,
      source: e.source === undefined ? undefined : document.sources[e.source],
    }));
    const texts = new Map<string, string[]>([[file, manifest.split('\n')]]);
    if (options.scenario !== undefined) texts.set(path.join(dir, 'scenario.yaml'), options.scenario.split('\n'));
    const covered = (s: MappedSource): string => {
      const lines = texts.get(s.file);
      assert.ok(lines, `a source in ${s.file}, which the test did not write`);
      if (s.line === s.endLine) return lines[s.line - 1].slice(s.column - 1, s.endColumn - 1);
      return [
        lines[s.line - 1].slice(s.column - 1),
        ...lines.slice(s.line, s.endLine - 1),
        lines[s.endLine - 1].slice(0, s.endColumn - 1),
      ].join('\n');
    };
    return { events, file, covered };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The first event of a reason (and, optionally, of an object kind or with a message that `match` accepts). */
export function eventOf(
  trace: MappedTrace,
  reason: string,
  match: { kind?: string; message?: RegExp } = {},
): MappedEvent {
  const event = trace.events.find(
    (e) =>
      e.reason === reason &&
      (match.kind === undefined || e.object.kind === match.kind) &&
      (match.message === undefined || match.message.test(e.message)),
  );
  assert.ok(
    event,
    `an event ${reason}${match.kind ? ` on a ${match.kind}` : ''}` +
      `${match.message ? ` matching ${match.message}` : ''}; ` +
      `found ${[...new Set(trace.events.map((e) => e.reason))].join(', ')}`,
  );
  return event;
}

/**
 * Asserts the exact range an event maps to (line, column, end, path, in the manifest) and the
 * text it covers, which says in the test what the numbers mean.
 */
export function assertSource(
  trace: MappedTrace,
  event: MappedEvent,
  expected: { line: number; column: number; endLine: number; endColumn: number; path: string; text: string },
): void {
  assert.ok(event.source, `${event.reason} (${event.message}) has a source`);
  const { text, ...range } = expected;
  assert.deepEqual({ ...event.source }, { file: trace.file, ...range }, `${event.reason}: ${event.message}`);
  assert.equal(trace.covered(event.source), text);
}
