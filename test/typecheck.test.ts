import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';

const repoRoot = path.resolve(__dirname, '../..');
const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');

// The Node code (no DOM), the webview app (DOM, no Node), and the browser tests, whose
// page.evaluate bodies run in the page (both).
for (const project of ['tsconfig.json', 'tsconfig.webview.json', 'tsconfig.browserTests.json']) {
  test(`tsc --noEmit -p ${project} reports no type errors`, () => {
    const result = spawnSync(process.execPath, [tsc, '--noEmit', '-p', project], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });
}
