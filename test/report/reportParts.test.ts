// The report's parts on their own: the data block and the inlined app cannot be ended early
// by what they hold, the page in pieces is the page, the app's files are found or named, the
// messages of a finished trace come in the chunks asked for, and owners told from names.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as vm from 'node:vm';
import { parseManifestText } from '../../src/core/manifest/base/parse';
import { defaultProfile } from '../../src/core/sim/profile/profile';
import { manifestObjects, traceInSimulator } from '../../src/core/trace/simulatedTrace';
import { TraceChunkDecoder } from '../../src/protocol/traceChunkDecoder';
import { readTimelineApp, reportHtmlChunks } from '../../src/report/reportFile';
import {
  safeJson,
  safeScript,
  styleNonceOf,
  timelinePageChunks,
  timelinePageHtml,
  type TimelinePageInput,
} from '../../src/report/timelinePage';
import {
  finishedSimulatedTrace,
  finishedTraceMessages,
  reportData,
  reportDataChunks,
} from '../../src/report/traceMessages';
import { repoRoot, reportDataText, webviewDir } from './traceRun';

const hostile = [
  '</script><script>window.__pwned=1</script>',
  '</SCRIPT >',
  '<!--',
  '<script>',
  '\u2028',
  '\u2029',
  '-->',
  '"\'&<>',
  '\ud800',
];

test('the data block holds no "<" nor line separator, and parses back to the same strings', () => {
  const json = JSON.stringify({ strings: hostile });
  const safe = safeJson(json);
  assert.doesNotMatch(safe, /[<\u2028\u2029]/);
  assert.deepEqual(JSON.parse(safe), { strings: hostile });
  // Made safe piece by piece, as the report writes it, the text is the same.
  assert.equal(
    [1, 7, 30].map((n) => safeJson(json.slice(0, n)) + safeJson(json.slice(n))).every((s) => s === safe),
    true,
  );
});

test('the inlined app means the same after its closing tags and comment openers are broken up', () => {
  // Strings, a `u` regular expression (which refuses `\!`) and a template, as a bundle may hold them.
  const code =
    'const s = "</script><!-- -->"; const r = /<\\/script>|<!--/u; const t = `</SCRIPT>${1}<!--`;' +
    ' [s, r.test("<!--"), r.test("</script>"), t]';
  const safe = safeScript(code);
  assert.doesNotMatch(safe, /<\/script|<!--/i);
  assert.equal(JSON.stringify(vm.runInNewContext(safe)), JSON.stringify(vm.runInNewContext(code)));
  assert.equal(
    JSON.stringify(vm.runInNewContext(code)),
    JSON.stringify(['</script><!-- -->', true, true, '</SCRIPT>1<!--']),
  );
});

test('the inlined app and styles cannot end their elements early; the page in pieces is the page', () => {
  const input: TimelinePageInput = {
    title: '</title><script>window.__pwned=1</script>',
    nonce: 'bm9uY2Vub25jZW5vbmNlbg==',
    resources: {
      kind: 'inline',
      script: 'const a = "</script><script>x()</script>"; const b = "<!--";',
      style: 'a::after { content: "</style><script>" }',
      data: JSON.stringify({ format: 1, messages: hostile }),
    },
  };
  const html = timelinePageHtml(input);
  assert.equal(html.match(/<\/script/gi)?.length, 2);
  assert.equal(html.match(/<\/style/gi)?.length, 1);
  assert.equal(html.match(/<\/title/gi)?.length, 1);
  assert.equal(html.match(/<!--/g), null);
  assert.ok(html.includes('<title>&lt;/title&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;</title>'));
  const pieces = {
    ...input,
    resources: { ...input.resources, data: ['{"format":1,', '"messages":', JSON.stringify(hostile), '}'] },
  } as TimelinePageInput;
  assert.equal([...timelinePageChunks(pieces)].join(''), html);
});

function webTrace() {
  const files = ['examples/web/deployment.yaml', 'examples/web/service.yaml'].map((f) => ({
    name: f,
    file: parseManifestText(fs.readFileSync(path.join(repoRoot, f), 'utf8')),
  }));
  const trace = traceInSimulator({
    files,
    objects: manifestObjects(files),
    seed: 1,
    profile: defaultProfile,
    version: '1.35',
    nodes: 3,
    nodesGiven: false,
  });
  return finishedSimulatedTrace(trace, {
    title: 'web',
    seed: 1,
    profile: 'default',
    version: '1.35',
    files: files.map((f) => f.name),
  });
}

test('a finished trace is traceReset, its events in chunks of \
the size asked, then traceFinished with the summary line', () => {
  const trace = webTrace();
  const messages = [...finishedTraceMessages(trace, 40)];
  assert.deepEqual(
    messages.map((m) => m.type),
    ['traceReset', ...Array(Math.ceil(trace.events.length / 40)).fill('eventsAppended'), 'traceFinished'],
  );
  const first = messages[0];
  assert.ok(
    first.type === 'traceReset' &&
      first.live === false &&
      first.meta.target === 'embedded simulator' &&
      first.meta.nodes === 3,
  );
  assert.deepEqual(first.type === 'traceReset' && first.meta.files, [
    'examples/web/deployment.yaml',
    'examples/web/service.yaml',
  ]);
  const decoder = new TraceChunkDecoder();
  for (const m of messages) if (m.type === 'eventsAppended') decoder.append(m.chunk);
  assert.equal(decoder.events.length, trace.events.length);
  assert.equal(decoder.pods.size, 3);
  const last = messages.at(-1)!;
  assert.ok(last.type === 'traceFinished' && last.stopReason === 'quiescent' && last.endedAtMs === trace.endedAtMs);
  assert.match(
    last.type === 'traceFinished' ? last.summary : '',
    /^\d+ events, 3 pods \(3 ready\) on 3 nodes; quiescent at/,
  );
  // The data block's text is the ReportData's JSON.
  assert.equal([...reportDataChunks(messages)].join(''), JSON.stringify(reportData(messages)));
  assert.throws(() => finishedTraceMessages(trace, 0).next(), /expected a chunk size ≥ 1 event, got 0/);
  // A trace without events still sends one chunk, which carries its pods.
  const empty = [...finishedTraceMessages({ ...trace, events: [] })];
  assert.deepEqual(
    empty.map((m) => m.type),
    ['traceReset', 'eventsAppended', 'traceFinished'],
  );
});

test('the report holds the messages in its data block and the app after it', () => {
  const trace = webTrace();
  const app = { script: 'window.started = true;', style: 'body { margin: 0 }' };
  const html = [...reportHtmlChunks(finishedTraceMessages(trace), app, { title: 'web', nonce: 'Tk9OQ0U=' })].join('');
  assert.deepEqual(
    JSON.parse(reportDataText(html)),
    JSON.parse(JSON.stringify(reportData(finishedTraceMessages(trace)))),
  );
  assert.ok(html.includes('<script nonce="Tk9OQ0U=">window.started = true;</script>'));
  assert.ok(
    html.includes(`<style nonce="${styleNonceOf('Tk9OQ0U=')}">body { margin: 0 }</style>`),
    'the styles get their own nonce',
  );
  assert.ok(
    html.includes(`<meta property="csp-nonce" content="${styleNonceOf('Tk9OQ0U=')}">`),
    'which the UI toolkit reads',
  );
  assert.ok(!html.includes('content="Tk9OQ0U="'), "the scripts' nonce is not shown in the page");
});

test('the app is read from the folder the build writes, \
without its source map comment; a missing build is named', () => {
  const app = readTimelineApp(webviewDir);
  assert.ok(app.script.length > 1000 && app.style.length > 0);
  assert.doesNotMatch(app.script + app.style, /sourceMappingURL/);
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-no-app-'));
  assert.throws(() => readTimelineApp(empty), {
    message: `the timeline app is not built: expected ${path.join(empty, 'timeline.js')}; run npm run build`,
  });
  fs.writeFileSync(path.join(empty, 'timeline.js'), '');
  fs.writeFileSync(path.join(empty, 'timeline.css'), '');
  assert.throws(() => readTimelineApp(empty), /timeline\.js is empty; run npm run build/);
  fs.rmSync(empty, { recursive: true, force: true });
});
