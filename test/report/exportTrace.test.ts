// The export writers, fed only what the timeline's host keeps (the host messages the report
// inlines), give back the command line's files byte for byte: the compact form and the
// writers lose nothing. Run on examples/web and every golden trace case.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { podtraceVersion } from '../../src/cli/version';
import { exportChunks, exportFileTypes } from '../../src/report/exportTrace';
import { readTimelineApp } from '../../src/report/reportFile';
import { styleNonceOf } from '../../src/report/timelinePage';
import { caseArgs, repoRoot, reportMessages, traceOutputs, webviewDir } from './traceRun';

const join = (chunks: Iterable<string>) => [...chunks].join('');

const cases = [
  { name: 'examples/web', argv: [path.relative(process.cwd(), path.join(repoRoot, 'examples/web'))] },
  ...fs
    .readdirSync(path.join(repoRoot, 'test/fixtures/trace'))
    .sort()
    .map((name) => ({ name, argv: caseArgs(path.join(repoRoot, 'test/fixtures/trace', name)) })),
];

for (const c of cases) {
  test(`exports from the report's messages equal the command line's --json, --perfetto and --otlp: ${c.name}`, () => {
    const out = traceOutputs(c.argv);
    const messages = reportMessages(out.report);
    assert.equal(join(exportChunks('trace-json', { messages })), out.json, 'trace-json');
    assert.equal(join(exportChunks('perfetto', { messages })), out.perfetto, 'perfetto');
    // Owners told from names give the same traces as the simulator's own lineage.
    assert.equal(join(exportChunks('otlp', { messages }, { version: podtraceVersion() })), out.otlp, 'otlp');
  });
}

test('the html export is the report again, with the same data and a fresh nonce', () => {
  const out = traceOutputs(cases[0].argv);
  const messages = reportMessages(out.report);
  const html = join(exportChunks('html', { messages }, { app: readTimelineApp(webviewDir) }));
  const nonce = (page: string) => /'nonce-([^']+)'/.exec(page.replace(/&#39;/g, "'"))?.[1];
  assert.ok(nonce(html) && nonce(out.report) && nonce(html) !== nonce(out.report), 'each page gets its own nonce');
  const normalized = (page: string) =>
    page
      .split(nonce(page)!)
      .join('N')
      .split(styleNonceOf(nonce(page)!))
      .join('S');
  assert.equal(normalized(html), normalized(out.report));
});

test('an export of a trace still running says so, and one without its start is refused', () => {
  const out = traceOutputs(cases[0].argv);
  const messages = reportMessages(out.report).filter((m) => m.type !== 'traceFinished');
  const doc = JSON.parse(join(exportChunks('trace-json', { messages })));
  assert.equal(doc.meta.stopReason, 'running');
  assert.equal(doc.meta.endedAtMs, JSON.parse(out.json).meta.endedAtMs, "the chunks' clock");
  assert.throws(
    () => exportChunks('perfetto', { messages: messages.slice(1) }),
    /export: expected the trace's messages to start with traceReset, found eventsAppended/,
  );
  assert.throws(() => exportChunks('html', { messages }), /export html: the timeline app is needed/);
  assert.deepEqual(Object.keys(exportFileTypes).sort(), ['html', 'otlp', 'perfetto', 'trace-json']);
});
