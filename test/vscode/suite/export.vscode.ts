// Export Trace in a real VS Code: each format written from the panel's trace of examples/web
// is, byte for byte, what `podtrace trace --report/--json/--perfetto/--otlp` writes for the same
// run (the report apart from its nonce and its title, which names the files in the panel and
// the command in the command line's report); a cancelled export leaves no file.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportOutcome } from '../../../src/extension/traceExporter';
import type { ExportFormat, TraceResetNotification } from '../../../src/protocol/messages';
import { test } from './harness';
import { extensionId, podtraceApi, withSettings, workspaceFile } from './podtraceApi';
import { styleNonceOf } from '../../../src/report/timelinePage';

const files = ['web/deployment.yaml', 'web/service.yaml', 'web/ingress.yaml'].map(workspaceFile);

function exportTrace(format: ExportFormat, target: vscode.Uri | string): Thenable<ExportOutcome | undefined> {
  return vscode.commands.executeCommand<ExportOutcome | undefined>('podtrace.exportTrace', format, target);
}

/** The page with its nonces (the scripts', and the styles' derived from it) replaced by letters. */
function withoutNonce(html: string): string {
  const script = /<script nonce="([^"]+)"/.exec(html)?.[1];
  assert.ok(script, 'expected a nonce on the page');
  return html.split(script).join('N').split(styleNonceOf(script)).join('S');
}

/** Runs the built command line on the same files, with every output, and reads them back. */
function commandLineOutputs(dir: string, names: readonly string[]): Record<ExportFormat, string> {
  const extension = vscode.extensions.getExtension(extensionId)!;
  const cli = path.join(extension.extensionPath, 'dist/cli.js');
  const out = (f: string) => path.join(dir, f);
  const args = ['--quiet', '--json', out('t.json'), '--perfetto', out('p.json'), '--otlp', out('o.jsonl')];
  const run = spawnSync(process.execPath, [cli, 'trace', ...args, '--report', out('r.html'), ...names], {
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, `expected podtrace trace to succeed, it said: ${run.stderr}`);
  const read = (f: string) => fs.readFileSync(out(f), 'utf8');
  return { 'trace-json': read('t.json'), perfetto: read('p.json'), otlp: read('o.jsonl'), html: read('r.html') };
}

test('Export Trace writes each format as podtrace trace writes it for the same run', async () => {
  const api = await podtraceApi();
  await withSettings({ 'timeline.speed': 50 }, async () => {
    const result = await vscode.commands.executeCommand<{ stopped: string }>(
      'podtrace.applyToCluster',
      files[0],
      files,
    );
    assert.equal(result.stopped, 'quiescent');
  });
  const reset = api.timeline.traceMessages[0] as TraceResetNotification;
  const names = reset.meta.files;
  assert.deepEqual(
    names,
    files.map((f) => f.fsPath),
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-vscode-export-'));
  try {
    const targets: Record<ExportFormat, string> = {
      html: path.join(dir, 'web.html'),
      'trace-json': path.join(dir, 'web.json'),
      perfetto: path.join(dir, 'web.perfetto.json'),
      otlp: path.join(dir, 'web.otlp.jsonl'),
    };
    for (const [format, target] of Object.entries(targets) as [ExportFormat, string][]) {
      // A URI for two formats, a path for the others: keybindings and tasks pass paths.
      const outcome = await exportTrace(
        format,
        format === 'html' || format === 'otlp' ? vscode.Uri.file(target) : target,
      );
      assert.ok(outcome?.status === 'written', `expected ${format} written, got ${JSON.stringify(outcome)}`);
      assert.deepEqual([outcome.file, outcome.complete, outcome.bytes], [target, true, fs.statSync(target).size]);
    }
    const cli = commandLineOutputs(fs.mkdtempSync(path.join(dir, 'cli-')), names);
    const read = (format: ExportFormat) => fs.readFileSync(targets[format], 'utf8');
    assert.equal(read('trace-json'), cli['trace-json'], 'trace-json');
    assert.equal(read('perfetto'), cli.perfetto, 'perfetto');
    assert.equal(read('otlp'), cli.otlp, 'otlp');
    const cliTitle = `podtrace trace ${names.join(' ')}`;
    const html = withoutNonce(read('html')).split(reset.title).join('TITLE');
    assert.ok(html.includes('<title>TITLE</title>'), 'expected the panel title to be the report title');
    assert.equal(html, withoutNonce(cli.html).split(cliTitle).join('TITLE'), 'html');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a cancelled export leaves no file behind', async () => {
  const api = await podtraceApi();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-vscode-export-'));
  const target = path.join(dir, 'cancelled.html');
  // Cancelled as the progress notification's Cancel button would, once the first bytes are on disk.
  const cancelling = api.exporter.onDidWrite(() => api.exporter.cancelAll());
  try {
    const outcome = await exportTrace('html', target);
    assert.deepEqual(outcome, { status: 'cancelled', format: 'html', file: target });
    assert.deepEqual(fs.readdirSync(dir), [], 'expected neither the file nor a partial one');
  } finally {
    cancelling.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('Export Trace takes one object as a keybinding passes \
it, a path in the workspace, and refuses an unknown format', async () => {
  const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
  const relative = `podtrace-export-test-${process.pid}.perfetto.json`;
  const target = path.join(folder, relative);
  try {
    const outcome = await vscode.commands.executeCommand<ExportOutcome>('podtrace.exportTrace', {
      format: 'perfetto',
      file: relative,
    });
    assert.deepEqual(outcome && [outcome.status, outcome.file], ['written', target]);
    assert.match(fs.readFileSync(target, 'utf8'), /^\{"displayTimeUnit":"ms","traceEvents":\[/);
  } finally {
    fs.rmSync(target, { force: true });
  }
  const refused = path.join(os.tmpdir(), `podtrace-refused-${process.pid}.pdf`);
  assert.equal(await exportTrace('pdf' as ExportFormat, refused), undefined);
  assert.equal(fs.existsSync(refused), false);
});
