// The result protocol between the tests inside VS Code and the runner outside
// (test/vscode/codeServer.ts), checked without starting VS Code.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseResultLine, resultPrefix } from './codeServer';

test('a result line is read even behind a label the workbench adds', () => {
  const line = `[Extension Host] ${resultPrefix}${JSON.stringify({ name: 'opens', ok: true, durationMs: 12 })}`;
  assert.deepEqual(parseResultLine(line), { name: 'opens', ok: true, durationMs: 12 });
});

test('a failed result keeps its error, stack lines included', () => {
  const error = 'AssertionError: expected 1\n    at x.js:1:1';
  assert.deepEqual(parseResultLine(resultPrefix + JSON.stringify({ name: 'fails', ok: false, error })), {
    name: 'fails',
    ok: false,
    error,
  });
});

test('other console lines are not results', () => {
  assert.equal(parseResultLine('podtrace vscode tests: 5 passed, 0 failed'), undefined);
});

test('a garbled result line is an error that quotes it', () => {
  assert.throws(
    () => parseResultLine(`${resultPrefix}{"name": "cut off`),
    /expected JSON after "PODTRACE_VSCODE_TEST", found "\{\\"name\\": \\"cut off"/,
  );
  assert.throws(
    () => parseResultLine(`${resultPrefix}{"name": 3}`),
    /expected \{"name": string, "ok": boolean, \.\.\.\}/,
  );
});
