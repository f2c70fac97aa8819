// The README's two commands are what a user runs first: the main job must work as written
// (after the `npm ci && npm run build` the test command has already done), and CI must run
// the test command exactly.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const repoRoot = path.resolve(__dirname, '../..');
const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

function twoCommands(): string[] {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Two commands'));
  assert.ok(section, 'README has a "Two commands" section');
  const blocks = [...section.matchAll(/```sh\n([^\n]+)\n```/g)].map((m) => m[1]);
  assert.equal(blocks.length, 2, `expected two one-line sh blocks, found ${blocks.length}`);
  return blocks;
}

test('.ci/run runs the README test command exactly', () => {
  const [, testCommand] = twoCommands();
  const ci = fs
    .readFileSync(path.join(repoRoot, '.ci/run'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#') && !/^(set|cd) /.test(l));
  assert.deepEqual(ci, [testCommand]);
});

test('the README main job validates and traces the web example', () => {
  const [mainJob] = twoCommands();
  const prefix = 'npm ci && npm run build && ';
  assert.ok(mainJob.startsWith(prefix), `the main job starts with "${prefix}": ${mainJob}`);
  const result = spawnSync('bash', ['-c', mainJob.slice(prefix.length)], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(result.status, 0, `exit ${result.status}: ${result.stderr}`);
  assert.match(result.stdout, /3 pods \(3 ready\) on 3 nodes/);
  assert.match(result.stdout, /Successfully assigned default\/web-[a-z0-9]+-[a-z0-9]{5} to node-\d/);
});
