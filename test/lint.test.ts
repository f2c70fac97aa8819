import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';

const repoRoot = path.resolve(__dirname, '../..');
const bin = (pkg: string, file: string) => path.join(repoRoot, 'node_modules', pkg, file);

// The rules are in eslint.config.mjs; an unused disable comment is an error there, so a clean run
// also means every disable comment left still suppresses something.
test('eslint reports no problem in src, test, scripts and bench', () => {
  const result = spawnSync(process.execPath, [bin('eslint', 'bin/eslint.js'), '--max-warnings', '0', '.'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stdout + result.stderr);
});

test('every source file is formatted as prettier formats it', () => {
  const globs = ['src', 'test', 'scripts', 'bench', 'eslint.config.mjs'];
  const result = spawnSync(process.execPath, [bin('prettier', 'bin/prettier.cjs'), '--check', ...globs], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, `run npx prettier --write ${globs.join(' ')}\n${result.stdout}${result.stderr}`);
});
