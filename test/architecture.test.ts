import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { checkArchitecture } from './architecture';

const repoRoot = path.resolve(__dirname, '../..');

test('src respects the layer boundaries', () => {
  const violations = checkArchitecture(path.join(repoRoot, 'src'));
  assert.deepEqual(violations, [], violations.map((v) => `${v.file}:${v.line}: ${v.specifier}: ${v.rule}`).join('\n'));
});

test('the check fails on a core file that imports vscode, and on the other crossings', () => {
  const violations = checkArchitecture(path.join(repoRoot, 'test/fixtures/architecture/violating/src'));
  const summary = violations.map((v) => `${v.file.split(path.sep).join('/')}:${v.line} ${v.specifier} (${v.rule})`).sort();
  assert.deepEqual(summary, [
    'src/core/base/usesProtocol.ts:2 ../../protocol/messages (src/core must not import src/protocol)',
    'src/core/manifest/usesEditor.ts:2 vscode (only src/extension may import vscode)',
    'src/webview/readsDisk.ts:2 node:fs (src/webview runs in a browser and must not import Node built-ins)',
    'src/webview/readsDisk.ts:3 path (src/webview runs in a browser and must not import Node built-ins)',
  ]);
});
