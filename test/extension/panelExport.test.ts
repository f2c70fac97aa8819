// The panel's Export under Node: the files written from what the panel keeps (the worker's
// chunks as they streamed) are the command line's files for the same run, byte for byte (the
// report apart from its nonce); a trace still running exports what has arrived; and the file
// writer streams a slice at a time, leaves nothing behind when cancelled or failing, and says
// where it failed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { podtraceVersion } from '../../src/cli/version';
import { ExportCancelledError, writeExportFile } from '../../src/extension/exportFile';
import {
  decodeTrace,
  defaultExportName,
  exportPieces,
  nextTurn,
  reportMessages,
} from '../../src/extension/exportPieces';
import { TraceSession, type TraceOutcome } from '../../src/extension/traceSession';
import type { HostToWebviewMessage } from '../../src/protocol/messages';
import { exportFormats } from '../../src/protocol/messages';
import type { TraceChunk } from '../../src/protocol/traceColumns';
import { readTimelineApp } from '../../src/report/reportFile';
import { repoRoot, traceOutputs, webviewDir } from '../report/traceRun';
import { styleNonceOf } from '../../src/report/timelinePage';

const join = (pieces: Iterable<string>) => [...pieces].join('');
const nonce = 'dGVzdC1ub25jZS0xMjM0NQ==';
/** The page with its nonces (the scripts', and the styles' derived from it) replaced by letters. */
function withoutNonce(html: string): string {
  const script = /<script nonce="([^"]+)"/.exec(html)?.[1];
  assert.ok(script, 'expected a nonce on the page');
  return html.split(script).join('N').split(styleNonceOf(script)).join('S');
}

/** examples/web's files, named as the command line names the arguments it is given. */
const files = ['deployment.yaml', 'service.yaml', 'ingress.yaml'].map((f) =>
  path.relative(process.cwd(), path.join(repoRoot, 'examples/web', f)),
);

/** The panel's messages for examples/web, as the trace controller builds them from the worker. */
async function panelMessages(): Promise<HostToWebviewMessage[]> {
  const chunks: TraceChunk[] = [];
  let started: { nodes: number; profile: string } | undefined;
  const session = new TraceSession(
    path.join(repoRoot, 'dist/traceWorker.js'),
    {
      type: 'start',
      manifests: files.map((name) => ({ name, text: fs.readFileSync(name, 'utf8') })),
      settings: { kubernetesVersion: '1.35', seed: 1, nodes: 3, nodesGiven: false, speed: 20, untilMs: null },
    },
    {
      started: (info) => (started = info),
      chunk: (c) => chunks.push(c),
      finished: () => undefined,
      log: () => undefined,
    },
  );
  const outcome: TraceOutcome = await session.done;
  assert.equal(outcome.stopReason, 'quiescent', outcome.summary);
  assert.ok(chunks.length >= 3, `expected the trace streamed in several chunks, got ${chunks.length}`);
  return [
    {
      type: 'traceReset',
      // The title the command line gives the report: the panel's own differs only there.
      title: `podtrace trace ${files.join(' ')}`,
      meta: {
        target: 'embedded simulator',
        kubernetesVersion: '1.35',
        seed: 1,
        profile: started!.profile,
        nodes: started!.nodes,
        files,
      },
      live: true,
    },
    ...chunks.map((chunk): HostToWebviewMessage => ({ type: 'eventsAppended', chunk })),
    { type: 'traceFinished', stopReason: outcome.stopReason, endedAtMs: outcome.endedAtMs, summary: outcome.summary },
  ];
}

test('every format written from the streamed chunks is what podtrace trace writes for the same run', async () => {
  const cli = traceOutputs(files);
  const trace = await decodeTrace(await panelMessages(), nextTurn);
  const options = { app: readTimelineApp(webviewDir), version: podtraceVersion(), nonce };
  const written = Object.fromEntries(
    await Promise.all(
      exportFormats.map(async (f) => [f, join(await exportPieces(f, trace, options, nextTurn))] as const),
    ),
  );
  assert.equal(written['trace-json'], cli.json, 'trace-json');
  assert.equal(written.perfetto, cli.perfetto, 'perfetto');
  assert.equal(written.otlp, cli.otlp, 'otlp');
  assert.ok(written.html.includes(`nonce="${nonce}"`));
  assert.equal(withoutNonce(written.html), withoutNonce(cli.report), 'html');
});

test('a trace still running exports what has arrived, and says so in its files', async () => {
  const messages = await panelMessages();
  const arrived = messages.slice(0, Math.ceil(messages.length / 2));
  const trace = await decodeTrace(arrived, nextTurn);
  assert.equal(trace.finished, undefined);
  const events = trace.decoder.events.length;
  const options = { app: readTimelineApp(webviewDir), version: podtraceVersion() };
  const doc = JSON.parse(join(await exportPieces('trace-json', trace, options, nextTurn)));
  assert.deepEqual([doc.meta.stopReason, doc.events.length], ['running', events]);
  const report = await reportMessages(trace, nextTurn);
  assert.deepEqual(
    report.map((m) => m.type),
    ['traceReset', 'eventsAppended'],
    'expected the report of a running trace to hold no end',
  );
  assert.equal(report[1].type === 'eventsAppended' && report[1].chunk.time.length, events);
  await assert.rejects(
    decodeTrace([], nextTurn),
    /expected the trace to start with traceReset, found no message \(no trace yet\)/,
  );
});

test('the writer streams in slices, giving the event loop turns, and puts the file in place at the end', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-export-'));
  const target = path.join(dir, 'trace.json');
  const piece = (i: number) => `{"i":${i},"s":"é→${'x'.repeat(2000)}"}\n`;
  function* pieces() {
    for (let i = 0; i < 3000; i++) {
      // About 15 µs of work per piece: the whole takes tens of milliseconds.
      const until = performance.now() + 0.015;
      while (performance.now() < until);
      yield piece(i);
    }
  }
  let turns = 0;
  const ticker = setInterval(() => turns++, 0);
  const progress: number[] = [];
  let seenBeforeEnd = true;
  try {
    const { bytes } = await writeExportFile(pieces(), target, {
      cancelled: () => false,
      progress: (b) => {
        progress.push(b);
        seenBeforeEnd &&= !fs.existsSync(target);
      },
    });
    const expected = Array.from({ length: 3000 }, (_, i) => piece(i)).join('');
    assert.equal(fs.readFileSync(target, 'utf8'), expected);
    assert.equal(bytes, Buffer.byteLength(expected));
    assert.equal(progress.at(-1), bytes);
    assert.ok(progress.length > 5, `expected progress after each write, got ${progress.length}`);
    assert.ok(seenBeforeEnd, 'expected the target to appear only once complete');
    assert.ok(turns >= 3, `expected the event loop to run timers while writing, they ran ${turns} times`);
    assert.deepEqual(fs.readdirSync(dir), ['trace.json'], 'expected no partial file left');
  } finally {
    clearInterval(ticker);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a cancelled export leaves no file, and an existing file it was to replace untouched', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-export-'));
  try {
    const target = path.join(dir, 'trace.perfetto.json');
    let cancelled = false;
    const big = function* () {
      for (let i = 0; i < 100; i++) yield 'y'.repeat(100_000);
    };
    await assert.rejects(
      writeExportFile(big(), target, { cancelled: () => cancelled, progress: () => (cancelled = true) }),
      ExportCancelledError,
    );
    assert.deepEqual(fs.readdirSync(dir), []);
    fs.writeFileSync(target, 'the earlier export');
    cancelled = false;
    await assert.rejects(
      writeExportFile(big(), target, { cancelled: () => cancelled, progress: () => (cancelled = true) }),
      ExportCancelledError,
    );
    assert.deepEqual(fs.readdirSync(dir), ['trace.perfetto.json']);
    assert.equal(fs.readFileSync(target, 'utf8'), 'the earlier export');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a failed export says what and where, and leaves nothing behind', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-export-'));
  try {
    const missing = path.join(dir, 'no-such-folder', 'trace.otlp.jsonl');
    await assert.rejects(
      writeExportFile(['{}'], missing, { cancelled: () => false }),
      new Error(`could not write ${missing}: no such file or directory`),
    );
    const target = path.join(dir, 'trace.html');
    function* broken() {
      yield '<!DOCTYPE html>';
      throw new Error('chunk 3 does not fit the chunks before it');
    }
    await assert.rejects(
      writeExportFile(broken(), target, { cancelled: () => false }),
      new Error(`could not write ${target}: chunk 3 does not fit the chunks before it`),
    );
    assert.deepEqual(fs.readdirSync(dir), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the save dialog proposes a name from the trace title and the format', () => {
  assert.equal(defaultExportName('Timeline: deployment.yaml, service.yaml', 'html'), 'deployment-service.html');
  assert.equal(defaultExportName('Timeline: web.yml', 'otlp'), 'web.otlp.jsonl');
  assert.equal(defaultExportName('Timeline: Untitled-1', 'perfetto'), 'Untitled-1.perfetto.json');
  assert.equal(defaultExportName('Timeline: /', 'trace-json'), 'podtrace-trace.json');
  assert.equal(defaultExportName(`Timeline: ${'a'.repeat(200)}.yaml`, 'html'), `${'a'.repeat(80)}.html`);
});
