import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const repoRoot = path.resolve(__dirname, '../..');

test('npm run package makes a .vsix under 5 MB with the bundles and without sources', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-vsix-')), 'podtrace.vsix');
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const vsce = path.join(repoRoot, 'node_modules/@vscode/vsce/vsce');
  const pack = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  assert.equal(pack.status, 0, pack.stdout + pack.stderr);
  const size = fs.statSync(out).size;
  assert.ok(size < 5 * 1024 * 1024, `expected the .vsix under 5 MB, got ${(size / 1048576).toFixed(2)} MB`);
  const list = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8' });
  const files = list.stdout.split('\n').filter(Boolean);
  for (const expected of [
    'dist/extension.js',
    'dist/cli.js',
    'dist/webview/timeline.js',
    'package.json',
    'media/icon.png',
  ]) {
    assert.ok(files.includes(expected), `expected ${expected} in the package, got ${files.join(', ')}`);
  }
  assert.deepEqual(
    files.filter(
      (f) => f.startsWith('src/') || f.startsWith('test/') || f.endsWith('.map') || f.startsWith('node_modules/'),
    ),
    [],
  );
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  // Leave a development build behind for the tests that run after this one.
  const rebuild = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(rebuild.status, 0, rebuild.stderr);
});
