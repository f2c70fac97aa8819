import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const repoRoot = path.resolve(__dirname, '../../..');
const cli = path.join(repoRoot, 'dist/cli.js');

function podtrace(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: repoRoot, input, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('--version and --help', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  assert.deepEqual(podtrace(['--version']), { code: 0, stdout: `podtrace ${pkg.version}\n`, stderr: '' });
  const help = podtrace(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /podtrace validate \[options\] <files or folders…>/);
  const validateHelp = podtrace(['validate', '--help']);
  assert.equal(validateHelp.code, 0);
  assert.match(validateHelp.stdout, /--kubernetes-version V/);
});

test('a reader that closes the pipe early (| head) ends the command quietly, with its own status', async () => {
  // The read end is closed before the command writes anything, so every write meets EPIPE.
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cli, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
    });
  assert.deepEqual(await run(['trace', 'examples/web']), { code: 0, stderr: '' });
  assert.deepEqual(await run(['validate', 'examples/web']), { code: 0, stderr: '' });
  const failing = await run(['validate', 'examples/mistakes/broken-yaml.yaml']);
  assert.equal(failing.code, 1, failing.stderr);
  assert.doesNotMatch(failing.stderr, /EPIPE|Unhandled/);
});

test('a syntax error is printed as file:line:col and exits 1', () => {
  const result = podtrace(['validate', 'examples/mistakes/broken-yaml.yaml']);
  assert.equal(result.code, 1, result.stderr);
  assert.equal(
    result.stdout,
    'examples/mistakes/broken-yaml.yaml:11:7: error PT1004 YAML bad indentation: ' +
      'Flow sequence in block collection must be sufficiently indented and end with a ]\n',
  );
});

test('--format json has the documented shape, 1-based with an exclusive end column', () => {
  const result = podtrace(['validate', '--format', 'json', 'examples/mistakes/broken-yaml.yaml']);
  assert.equal(result.code, 1);
  assert.deepEqual(JSON.parse(result.stdout), {
    findings: [
      {
        file: 'examples/mistakes/broken-yaml.yaml',
        line: 11,
        column: 7,
        endLine: 11,
        endColumn: 8,
        severity: 'error',
        code: 'PT1004',
        message:
          'YAML bad indentation: Flow sequence in block collection must be sufficiently indented and end with a ]',
        path: '',
      },
    ],
  });
});

test('--format sarif is SARIF 2.1.0 with a rule per code', () => {
  const result = podtrace(['validate', '--format=sarif', 'examples/mistakes/broken-yaml.yaml']);
  const sarif = JSON.parse(result.stdout);
  assert.equal(sarif.version, '2.1.0');
  const [run] = sarif.runs;
  assert.equal(run.tool.driver.name, 'podtrace');
  assert.deepEqual(
    run.tool.driver.rules.map((r: { id: string }) => r.id),
    ['PT1004'],
  );
  assert.deepEqual(run.results[0].locations[0].physicalLocation.region, {
    startLine: 11,
    startColumn: 7,
    endLine: 11,
    endColumn: 8,
  });
  assert.equal(run.results[0].level, 'error');
});

test('a folder is walked for .yaml, .yml and .json files; valid manifests exit 0', () => {
  const result = podtrace(['validate', 'examples/web']);
  assert.equal(result.code, 0, result.stdout + result.stderr);
});

test('standard input is read with -', () => {
  const result = podtrace(['validate', '-'], 'apiVersion: v1\nkind: Pod\nkind: Pod\n');
  assert.equal(result.code, 1);
  assert.match(result.stdout, /^-:3:1: error PT1002 YAML duplicate key: Map keys must be unique\n$/);
});

test('usage errors and unreadable files exit 2 with a message that names them', () => {
  const missing = podtrace(['validate', 'no/such/file.yaml']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no\/such\/file\.yaml: cannot read: no such file or directory/);
  const noArgs = podtrace(['validate']);
  assert.equal(noArgs.code, 2);
  assert.match(noArgs.stderr, /validate needs at least one file/);
  const badFormat = podtrace(['validate', '--format', 'xml', 'examples']);
  assert.equal(badFormat.code, 2);
  assert.match(badFormat.stderr, /--format: expected text, json or sarif, got "xml"/);
  const badVersion = podtrace(['validate', '--kubernetes-version', '1.10', 'examples']);
  assert.equal(badVersion.code, 2);
  assert.match(badVersion.stderr, /expected one of 1\.35, 1\.32, got "1\.10"/);
});

test("'--' ends the options: a file whose name starts with '-' is read as a file", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-dashdash-'));
  try {
    fs.copyFileSync(path.join(repoRoot, 'examples/web/deployment.yaml'), path.join(dir, '-web.yaml'));
    const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8' });
    const validate = run(['validate', '--', '-web.yaml']);
    assert.equal(validate.status, 0, validate.stderr);
    assert.equal(validate.stdout, '');
    const trace = run(['trace', '--quiet', '--', '-web.yaml']);
    assert.equal(trace.status, 0, trace.stderr);
    assert.match(trace.stdout, /3 pods \(3 ready\)/);
    assert.match(run(['validate', '-web.yaml']).stderr, /^podtrace: unknown option -web\.yaml/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
