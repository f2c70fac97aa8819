// `npm test`: installs what the tests need and a fresh machine lacks (Debian's chromium,
// libkrb5-dev and ripgrep; code-server as a cached test tool), builds the product and the
// tests, and runs every test file with Node's built-in test runner.
//   npm test                      every test
//   npm test -- <pattern>         only the test files whose path contains <pattern>
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);

function run(command, args, what) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    process.stderr.write(`npm test: ${what} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status || 1);
  }
}

run(process.execPath, ['scripts/testTools.mjs'], 'installing the test tools');
run(process.execPath, ['scripts/build.mjs', '--tests'], 'building');
const files = JSON.parse(fs.readFileSync(path.join(root, 'out/test/files.json'), 'utf8')).filter(
  (f) => filters.length === 0 || filters.some((p) => f.includes(p)),
);
if (files.length === 0) {
  process.stderr.write(`npm test: no test file matches ${filters.join(', ')}\n`);
  process.exit(1);
}
// Test files run one at a time: the VS Code and browser tests each start a browser,
// and two cores are not enough to run them beside the rest without timeouts.
run(process.execPath, ['--test', '--test-concurrency=1', ...files], 'the tests');
