// Runs tests inside a real VS Code 1.100.3 (code-server's workbench in headless chromium;
// see test/vscode/codeServer.ts) and reports each as a subtest of Node's test runner:
// first a fixture extension, which proves the route works independent of podtrace, then
// podtrace's own suite (out/vscode-tests/index.js, built from test/vscode/suite/).
//
// PODTRACE_VSCODE_LOG=1 echoes code-server's output and the extension host's console live.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test, type TestContext } from 'node:test';
import { runVsCodeTests, type VsCodeTestRun } from './vscode/codeServer';
import { serveCannotApply, serveUnavailable, startServe, writeKubeconfigFixture } from './vscode/kubeconfigFixture';

// This file runs as out/test/vscode.test.js, two levels below the repository root.
const root = path.resolve(__dirname, '../..');
// podtrace's suite (test/vscode/suite/) asserts on the examples the README shows, so it
// opens examples/; the fixture opens a folder of its own.
const productWorkspacePath = path.join(root, 'examples');
const fixtureWorkspacePath = path.join(root, 'test/vscode/workspace');
const runTimeoutMs = 120_000;

let codeServerEntry: string;

before(() => {
  // Idempotent: a quick check when `npm test` has already installed the tools, a one-time
  // install of a few minutes when this file runs on its own on a fresh machine.
  const installer = path.join(root, 'scripts/testTools.mjs');
  const result = spawnSync(process.execPath, [installer], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  assert.equal(
    result.status,
    0,
    `expected ${installer} to install the VS Code test tools, it exited with ${result.status ?? result.signal}`,
  );
  const manifest = JSON.parse(result.stdout) as { codeServerEntry: string };
  codeServerEntry = manifest.codeServerEntry;
});

function echo(line: string): void {
  if (process.env.PODTRACE_VSCODE_LOG === '1') process.stderr.write(`${line}\n`);
}

/** Why a run failed as a whole, with the log's tail, which is where VS Code says why. */
function describeRun(run: VsCodeTestRun, expected: string): string {
  const tail = run.log.slice(-40).join('\n');
  const outcome = run.exitCode === -1 ? 'it timed out' : `it exited with ${run.exitCode}`;
  return `expected ${expected}; ${outcome} after ${run.results.length} result(s)\n--- last log lines ---\n${tail}`;
}

/** Reports each result as a subtest, then fails the whole if the run did not succeed. */
async function reportRun(t: TestContext, run: VsCodeTestRun): Promise<void> {
  for (const r of run.results) {
    await t.test(r.name, () => {
      if (!r.ok) throw new Error(r.error ?? 'failed inside VS Code, with no error message');
    });
  }
  assert.ok(run.results.length > 0, describeRun(run, 'at least one PODTRACE_VSCODE_TEST result line'));
  assert.equal(run.exitCode, 0, describeRun(run, 'run() to resolve (exit code 0)'));
}

test(
  'the VS Code test route runs a fixture extension (independent of podtrace)',
  { timeout: runTimeoutMs + 10_000 },
  async (t) => {
    const run = await runVsCodeTests({
      extensionPath: path.join(root, 'test/vscode/fixture'),
      testsModulePath: path.join(root, 'test/vscode/fixture/tests.js'),
      workspacePath: fixtureWorkspacePath,
      timeoutMs: runTimeoutMs,
      codeServerEntry,
      onLog: echo,
    });
    const names = run.results.map((r) => r.name);
    assert.ok(
      run.results.some((r) => r.name === 'the fixture extension activates and its command runs' && r.ok),
      describeRun(run, `the fixture's command test to pass; results: ${JSON.stringify(names)}`),
    );
    await reportRun(t, run);
  },
);

function builtTestsModule(): string {
  const main = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string }).main;
  assert.ok(
    fs.existsSync(path.join(root, main)),
    `expected the built extension at ${path.join(root, main)} (package.json "main"), ` +
      `found nothing; build it with \`node scripts/build.mjs\``,
  );
  const testsModulePath = path.join(root, 'out/vscode-tests/index.js');
  assert.ok(
    fs.existsSync(testsModulePath),
    `expected the compiled VS Code tests module at ${testsModulePath}, ` +
      `found nothing; build it with \`node scripts/build.mjs --tests\``,
  );
  return testsModulePath;
}

test('extension tests inside VS Code 1.100.3 (code-server)', { timeout: runTimeoutMs + 40_000 }, async (t) => {
  const testsModulePath = builtTestsModule();
  // The connected-cluster tests read these kubeconfig files (KUBECONFIG) and, once it is built,
  // apply through client-node to a `podtrace serve` that adds its context to the last file.
  const kubeconfig = writeKubeconfigFixture();
  let unavailable = serveUnavailable(root);
  let serve = unavailable ? undefined : await startServe(root, kubeconfig.serveFile, 30_000);
  if (serve) {
    unavailable = await serveCannotApply(kubeconfig.serveFile, serve.context);
    if (unavailable) {
      await serve.stop();
      serve = undefined;
    }
  }
  try {
    const run = await runVsCodeTests({
      extensionPath: root,
      testsModulePath,
      workspacePath: productWorkspacePath,
      timeoutMs: runTimeoutMs,
      codeServerEntry,
      onLog: echo,
      env: {
        PODTRACE_VSCODE_TESTS: '1',
        KUBECONFIG: kubeconfig.kubeconfigVariable,
        ...(serve ? { PODTRACE_TEST_SERVE_CONTEXT: serve.context } : {}),
      },
    });
    await reportRun(t, run);
    if (unavailable)
      await t.test('Apply to `podtrace serve` through client-node', { skip: unavailable }, () => undefined);
  } finally {
    await serve?.stop();
    kubeconfig.remove();
  }
});

test(
  'extension tests inside VS Code 1.100.3 with workspace trust on, in an untrusted workspace',
  { timeout: runTimeoutMs + 10_000 },
  async (t) => {
    const testsModulePath = builtTestsModule();
    const kubeconfig = writeKubeconfigFixture();
    try {
      const run = await runVsCodeTests({
        extensionPath: root,
        testsModulePath,
        workspacePath: productWorkspacePath,
        trustWorkspace: false,
        timeoutMs: runTimeoutMs,
        codeServerEntry,
        onLog: echo,
        env: {
          PODTRACE_VSCODE_TESTS: '1',
          PODTRACE_VSCODE_SUITE: 'untrusted',
          KUBECONFIG: kubeconfig.kubeconfigVariable,
        },
      });
      await reportRun(t, run);
    } finally {
      kubeconfig.remove();
    }
  },
);
