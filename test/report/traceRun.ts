// Runs `podtrace trace` in process on a folder of manifests (a golden case's, or examples/web)
// with every output asked for, and reads the files back.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTrace } from '../../src/cli/traceCommand';
import { parseHostMessage, reportDataProblem, type HostToWebviewMessage } from '../../src/protocol/messages';
import { reportDataId } from '../../src/report/timelinePage';

export const repoRoot = path.resolve(__dirname, '../../..');
export const webviewDir = path.join(repoRoot, 'dist/webview');

export interface TraceOutputs {
  readonly json: string;
  readonly perfetto: string;
  readonly otlp: string;
  readonly report: string;
}

/**
 * The command line of a golden case folder (its args.json, scenario and manifests), as test/sim/traceCase.ts builds it.
 */
export function caseArgs(dir: string): string[] {
  const args = fs.existsSync(path.join(dir, 'args.json'))
    ? JSON.parse(fs.readFileSync(path.join(dir, 'args.json'), 'utf8'))
    : {};
  const argv = ['--seed', String(args.seed ?? 1)];
  if (args.until !== undefined) argv.push('--until', String(args.until));
  if (args.nodes !== undefined) argv.push('--nodes', String(args.nodes));
  if (args.profile !== undefined) argv.push('--profile', path.join(dir, args.profile));
  if (fs.existsSync(path.join(dir, 'scenario.yaml')))
    argv.push('--scenario', path.relative(process.cwd(), path.join(dir, 'scenario.yaml')));
  const manifests = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'scenario.yaml')
    .sort();
  return [...argv, ...manifests.map((f) => path.relative(process.cwd(), path.join(dir, f)))];
}

/** Runs the trace with --json, --perfetto, --otlp and --report and returns the four files. */
export function traceOutputs(argv: readonly string[]): TraceOutputs {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-report-'));
  const file = (name: string) => path.join(dir, name);
  let stderr = '';
  const status = runTrace(
    [
      '--quiet',
      '--json',
      file('t.json'),
      '--perfetto',
      file('p.json'),
      '--otlp',
      file('o.jsonl'),
      '--report',
      file('r.html'),
      ...argv,
    ],
    {
      stdout: () => undefined,
      stderr: (t) => (stderr += t),
      readStdin: () => '',
      webviewDir,
    },
  );
  if (status !== 0) throw new Error(`podtrace trace ${argv.join(' ')} exited ${status}: ${stderr}`);
  const read = (name: string) => fs.readFileSync(file(name), 'utf8');
  const outputs = { json: read('t.json'), perfetto: read('p.json'), otlp: read('o.jsonl'), report: read('r.html') };
  fs.rmSync(dir, { recursive: true, force: true });
  return outputs;
}

/** The text of the report's data block. */
export function reportDataText(html: string): string {
  const open = `<script type="application/json" id="${reportDataId}">`;
  const start = html.indexOf(open);
  if (start < 0) throw new Error(`expected the report to hold ${open}`);
  const end = html.indexOf('</script>', start);
  return html.slice(start + open.length, end);
}

/** The host messages inlined in a report, each validated as the app validates them. */
export function reportMessages(html: string): HostToWebviewMessage[] {
  const data: unknown = JSON.parse(reportDataText(html));
  const problem = reportDataProblem(data);
  if (problem) throw new Error(`the report's data block: ${problem}`);
  return (data as { messages: unknown[] }).messages.map((m, i) => {
    const parsed = parseHostMessage(m);
    if (!parsed.ok) throw new Error(`the report's message ${i}: ${parsed.reason}`);
    return parsed.message;
  });
}
