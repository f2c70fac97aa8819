// Both sides validate what they receive: a message that is not one of the protocol's is
// dropped with a reason that names what is wrong.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHostMessage, parseWebviewMessage } from '../../src/protocol/messages';

const meta = {
  target: 'embedded simulator',
  kubernetesVersion: '1.35',
  seed: 1,
  profile: 'default',
  nodes: 3,
  files: ['/w/deployment.yaml'],
};

test('host messages: each kind parses, and a bad one is refused with its reason', () => {
  assert.equal(parseHostMessage({ type: 'traceReset', title: 'web', meta, live: true }).ok, true);
  assert.equal(
    parseHostMessage({ type: 'traceFinished', stopReason: 'quiescent', endedAtMs: 10, summary: 's' }).ok,
    true,
  );
  assert.equal(parseHostMessage({ type: 'themeChanged', theme: 'dark' }).ok, true);
  assert.equal(parseHostMessage({ type: 'sourceSelectionChanged', selection: null }).ok, true);
  assert.equal(
    parseHostMessage({
      type: 'sourceSelectionChanged',
      selection: { file: 'a.yaml', line: 3, column: 1, documentStartLine: 1, documentEndLine: 9 },
    }).ok,
    true,
  );
  const refused: [unknown, RegExp][] = [
    [null, /^message: expected an object/],
    [{ type: 'script' }, /unknown message type "script"/],
    [
      { type: 'traceReset', title: 'web', meta: { ...meta, files: [1] }, live: true },
      /^traceReset: meta: expected files/,
    ],
    [{ type: 'traceReset', title: 'web', meta, live: 'yes' }, /^traceReset: live: expected a boolean/],
    [{ type: 'traceFinished', stopReason: 'done', endedAtMs: 1, summary: '' }, /^traceFinished: stopReason/],
    [{ type: 'themeChanged', theme: 'neon' }, /^themeChanged: theme/],
    [
      {
        type: 'sourceSelectionChanged',
        selection: { file: 'a', line: 0, column: 1, documentStartLine: 1, documentEndLine: 2 },
      },
      /1-based/,
    ],
    [{ type: 'eventsAppended', chunk: { firstId: 0 } }, /^eventsAppended: strings/],
  ];
  for (const [message, reason] of refused) {
    const parsed = parseHostMessage(message);
    assert.equal(parsed.ok, false, JSON.stringify(message));
    if (!parsed.ok) assert.match(parsed.reason, reason);
  }
});

test('webview messages: each kind parses to a copy holding only its fields, a bad one is refused', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready', extra: '<script>' }), { ok: true, message: { type: 'ready' } });
  const source = { file: '/w/deployment.yaml', line: 20, column: 9, endLine: 20, endColumn: 30 };
  assert.deepEqual(parseWebviewMessage({ type: 'revealSource', eventId: 4, source: { ...source, path: 'x' } }), {
    ok: true,
    message: { type: 'revealSource', eventId: 4, source },
  });
  assert.equal(parseWebviewMessage({ type: 'exportRequested', format: 'otlp' }).ok, true);
  assert.equal(parseWebviewMessage({ type: 'runControl', action: 'cancel' }).ok, true);
  assert.equal(
    parseWebviewMessage({
      type: 'filtersChanged',
      filters: { hiddenLanes: ['kubelet'], severity: 'warning', text: '', object: 'web' },
    }).ok,
    true,
  );
  const refused: [unknown, RegExp][] = [
    [{ type: 'revealSource', eventId: -1, source }, /^revealSource: eventId/],
    [{ type: 'revealSource', eventId: 1, source: { ...source, line: 0 } }, /^revealSource: source: expected 1-based/],
    [{ type: 'exportRequested', format: 'pdf' }, /^exportRequested: format/],
    [{ type: 'runControl', action: 'rm -rf' }, /^runControl: action/],
    [
      { type: 'filtersChanged', filters: { hiddenLanes: ['nope'], severity: 'all', text: '', object: '' } },
      /hiddenLanes must be lanes/,
    ],
    [{ type: 'openFile', path: '/etc/passwd' }, /unknown message type "openFile"/],
  ];
  for (const [message, reason] of refused) {
    const parsed = parseWebviewMessage(message);
    assert.equal(parsed.ok, false, JSON.stringify(message));
    if (!parsed.ok) assert.match(parsed.reason, reason);
  }
});

test('a trace reset may carry the filters a new panel starts \
with; they are checked as filtersChanged checks them', () => {
  const filters = { hiddenLanes: ['kubelet', 'probe'], severity: 'warning', text: 'pull', object: 'pod/web' };
  const parsed = parseHostMessage({ type: 'traceReset', title: 'web', meta, live: false, filters });
  assert.deepEqual(parsed, { ok: true, message: { type: 'traceReset', title: 'web', meta, live: false, filters } });
  // Without the field, as the report and older hosts send it.
  assert.deepEqual(parseHostMessage({ type: 'traceReset', title: 'web', meta, live: false }).ok, true);
  const refused: [unknown, string][] = [
    [null, 'traceReset: filters: expected an object'],
    [{ ...filters, hiddenLanes: ['kubelet', 'dns'] }, 'traceReset: filters: hiddenLanes must be lanes'],
    [{ ...filters, severity: 'error' }, 'traceReset: filters: severity must be one of all, warning'],
    [{ ...filters, text: 3 }, 'traceReset: filters: text and object must be strings'],
  ];
  for (const [bad, reason] of refused) {
    assert.deepEqual(parseHostMessage({ type: 'traceReset', title: 'web', meta, live: true, filters: bad }), {
      ok: false,
      reason,
    });
  }
});
