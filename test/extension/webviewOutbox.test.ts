// The way to the timeline app: messages are posted in order, a few milliseconds' worth per
// turn of the event loop, and a chunk's number columns travel as typed arrays that the
// protocol accepts and decodes to the same trace.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { traceInSimulator } from '../../src/core/trace/simulatedTrace';
import type { HostToWebviewMessage } from '../../src/protocol/messages';
import { parseHostMessage } from '../../src/protocol/messages';
import { chunkProblem } from '../../src/protocol/traceChunkChecks';
import { TraceChunkDecoder } from '../../src/protocol/traceChunkDecoder';
import { TraceChunkEncoder } from '../../src/protocol/traceChunkEncoder';
import { emptyTableSizes, type TraceChunk } from '../../src/protocol/traceColumns';
import { WebviewOutbox, wireChunk } from '../../src/extension/webviewOutbox';
import { fileInput } from '../trace/traceInputs';

function webChunk(): TraceChunk {
  const trace = traceInSimulator(fileInput('examples/web/deployment.yaml'));
  return new TraceChunkEncoder(trace.sourceOf).encode(trace.events, trace.pods, [], trace.result.time);
}

test('a chunk on the wire has typed number columns, validates, and decodes to the same trace', () => {
  const chunk = webChunk();
  const wire = wireChunk(chunk);
  assert.ok(wire.time instanceof Float64Array && wire.duration instanceof Float64Array);
  assert.ok(wire.lane instanceof Int32Array && wire.causes instanceof Int32Array && wire.objects instanceof Int32Array);
  const parsed = parseHostMessage({ type: 'eventsAppended', chunk: wire });
  assert.equal(parsed.ok, true, parsed.ok ? '' : parsed.reason);
  assert.equal(chunkProblem(wire as unknown as TraceChunk, emptyTableSizes), undefined);
  const plain = new TraceChunkDecoder();
  plain.append(chunk);
  const typed = new TraceChunkDecoder();
  typed.append(wire as unknown as TraceChunk);
  assert.deepEqual(
    typed.events.map((e) => ({ ...e, causes: [...e.causes] })),
    plain.events.map((e) => ({ ...e, causes: [...e.causes] })),
  );
  assert.deepEqual([...typed.pods.values()], [...plain.pods.values()]);
});

test("typed columns spare VS Code's serializer a call per number", () => {
  // VS Code serializes a webview message with JSON.stringify and a replacer that looks at every value.
  const calls = (value: unknown) => {
    let n = 0;
    JSON.stringify(value, (_key, v: unknown) => (n++, ArrayBuffer.isView(v) ? { ref: true } : v));
    return n;
  };
  const chunk = webChunk();
  assert.ok(
    calls(wireChunk(chunk)) * 5 < calls(chunk),
    `expected far fewer replacer calls on the wire: ${calls(wireChunk(chunk))} against ${calls(chunk)}`,
  );
});

test('the outbox posts in order, spread over turns of \
the event loop, and drops what is left when cleared', async () => {
  const sent: string[] = [];
  const heard: HostToWebviewMessage[] = [];
  const outbox = new WebviewOutbox(
    () => {
      // Each post costs 3 ms of the thread: about three fit in a turn's 8 ms.
      const until = performance.now() + 3;
      while (performance.now() < until);
      sent.push('x');
    },
    (m) => heard.push(m),
  );
  const messages: HostToWebviewMessage[] = Array.from({ length: 12 }, (_, i) => ({
    type: 'themeChanged',
    theme: i % 2 ? 'dark' : 'light',
  }));
  for (const m of messages) outbox.push(m);
  assert.equal(sent.length, 0, 'nothing is posted in the turn that queues it');
  // The pump was scheduled first, so it has run once when this immediate runs.
  await new Promise((resolve) => setImmediate(resolve));
  assert.ok(
    sent.length >= 1 && sent.length <= 4,
    `expected one turn to post what fits in its 8 ms (about 3), got ${sent.length}`,
  );
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(heard, messages);
  assert.equal(outbox.pending, 0);
  for (const m of messages) outbox.push(m);
  outbox.clear();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(heard.length, messages.length, 'a cleared outbox posts nothing more');
});
