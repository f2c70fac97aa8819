// The command line's guards on what it reads and writes: standard input that is a folder or
// non-blocking and empty, symbolic links inside folders, outputs that are inputs, empty
// option values, control characters from manifests, SARIF URIs and empty folders. Each
// case once crashed, overwrote a manifest or said something broken.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { InputError, readInputs } from '../../src/cli/inputFiles';
import { readStandardInput } from '../../src/cli/standardInput';

const repoRoot = path.resolve(__dirname, '../../..');
const cli = path.join(repoRoot, 'dist/cli.js');

type Stdin = string | number | undefined;

function podtrace(args: string[], stdin?: Stdin, cwd = repoRoot) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    ...(typeof stdin === 'number' ? { stdio: [stdin, 'pipe', 'pipe'] } : { input: stdin }),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-guards-'));
}

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata: {a: b}\n`;

test('standard input that is a folder is an error naming standard input, not a stack trace', () => {
  const dir = tempDir();
  const fd = fs.openSync(dir, 'r');
  try {
    for (const command of ['validate', 'trace']) {
      const result = podtrace([command, '-'], fd);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(
        result.stderr,
        'podtrace: -: cannot read standard input: standard input is a directory, not a file or a pipe\n',
      );
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a non-blocking standard input that stays empty ends with an error within seconds', () => {
  // In process: a child's standard input is made blocking when Node spawns it, so the case a
  // CI runner can hand over (non-blocking, a writer that never writes) is built here.
  const dir = tempDir();
  const fifo = path.join(dir, 'stdin');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
  // Opened for reading and writing, so that the pipe has a writer and never ends.
  const fd = fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  try {
    const started = Date.now();
    assert.throws(
      () => readInputs(['-'], () => readStandardInput(fd, 300)),
      (error: Error) => {
        assert.ok(error instanceof InputError, error.stack);
        assert.equal(
          error.message,
          '-: cannot read standard input: standard input is non-blocking and nothing came for 0.3 s ' +
            '(resource temporarily unavailable); pipe a manifest in, or name a file instead of -',
        );
        return true;
      },
    );
    assert.ok(Date.now() - started < 10_000);
  } finally {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('symbolic links inside a folder are followed once; loops and dangling links are errors saying so', () => {
  const dir = tempDir();
  try {
    const real = path.join(dir, 'real');
    const folder = path.join(dir, 'manifests');
    fs.mkdirSync(real);
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(real, 'bad.yaml'), configMap('Bad_Name'));
    fs.writeFileSync(path.join(folder, 'ok.yaml'), configMap('ok'));
    fs.symlinkSync(path.join(real, 'bad.yaml'), path.join(folder, 'linked.yaml'));
    // A second name for a file already read: read once.
    fs.symlinkSync(path.join(folder, 'ok.yaml'), path.join(folder, 'same.yaml'));
    const linked = podtrace(['validate', folder]);
    assert.equal(linked.code, 1, linked.stderr);
    assert.match(linked.stdout, /linked\.yaml:4:9: error PT3001 metadata\.name: Invalid value: "Bad_Name"/);
    assert.doesNotMatch(linked.stdout, /same\.yaml/);

    fs.symlinkSync(path.join(dir, 'gone.yaml'), path.join(folder, 'dangling.yaml'));
    const dangling = podtrace(['validate', folder]);
    assert.equal(dangling.code, 2);
    assert.equal(
      dangling.stderr,
      `podtrace: ${path.join(folder, 'dangling.yaml')}: cannot read: ` +
        `a symbolic link to ${path.join(dir, 'gone.yaml')}, which does not exist\n`,
    );
    fs.unlinkSync(path.join(folder, 'dangling.yaml'));

    fs.symlinkSync(folder, path.join(folder, 'again'));
    const loop = podtrace(['validate', folder]);
    assert.equal(loop.code, 2);
    assert.match(
      loop.stderr,
      /^podtrace: .*again: cannot read: a symbolic link loop: it leads back to .*manifests, a folder that holds it\n$/,
    );
    fs.unlinkSync(path.join(folder, 'again'));

    fs.symlinkSync(path.join(folder, 'b.yaml'), path.join(folder, 'a.yaml'));
    fs.symlinkSync(path.join(folder, 'a.yaml'), path.join(folder, 'b.yaml'));
    const cycle = podtrace(['validate', folder]);
    assert.equal(cycle.code, 2);
    assert.match(cycle.stderr, /a\.yaml: cannot read: a symbolic link loop \(too many levels of symbolic links\)\n$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an output file that is an input (by any path to it) is refused and the input is left as it was', () => {
  const dir = tempDir();
  try {
    const manifest = path.join(dir, 'cm.yaml');
    fs.writeFileSync(manifest, configMap('settings'));
    fs.symlinkSync(manifest, path.join(dir, 'link.json'));
    for (const [option, file] of [
      ['--json', './cm.yaml'],
      ['--perfetto', 'link.json'],
      ['--report', `../${path.basename(dir)}/cm.yaml`],
      ['--otlp', 'cm.yaml'],
    ]) {
      const result = podtrace(['trace', '--quiet', option, file, '.'], undefined, dir);
      assert.equal(result.code, 2, `${option} ${file}: ${result.stdout}`);
      assert.equal(
        result.stderr,
        `podtrace: ${option} ${file}: refusing to write: it is one of the input files ` +
          `(${fs.realpathSync(manifest)}), which the trace reads; name another file\n`,
      );
      assert.equal(fs.readFileSync(manifest, 'utf8'), configMap('settings'));
    }
    const scenario = path.join(dir, 'scenario.yaml');
    fs.writeFileSync(scenario, '- at: 1s\n  missingImage: nginx:1\n');
    const overScenario = podtrace(['trace', '--quiet', '--scenario', scenario, '--json', scenario, manifest]);
    assert.equal(overScenario.code, 2);
    assert.match(overScenario.stderr, /refusing to write: it is one of the input files/);
    const twice = podtrace([
      'trace',
      '--quiet',
      '--json',
      path.join(dir, 'out'),
      '--perfetto',
      path.join(dir, 'out'),
      manifest,
    ]);
    assert.equal(twice.code, 2);
    assert.equal(
      twice.stderr,
      `podtrace: --perfetto ${path.join(dir, 'out')}: refusing to write: ` +
        `--json ${path.join(dir, 'out')} writes the same file ` +
        `(${fs.realpathSync(dir)}/out); name another file\n`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an option given an empty value (--json=) is a usage error', () => {
  for (const [command, option] of [
    ['trace', '--json='],
    ['trace', '--report='],
    ['trace', '--scenario='],
    ['validate', '--format='],
  ]) {
    const result = podtrace([command, option, 'examples/web']);
    assert.equal(result.code, 2, option);
    assert.equal(
      result.stderr,
      `podtrace: ${option.slice(0, -1)} needs a value, got an empty one\nRun 'podtrace --help' for usage.\n`,
    );
  }
});

test('trace and validate print control characters and escape sequences from manifests as escapes', () => {
  const manifest = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web}',
    'spec:',
    '  replicas: 1',
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: web}}',
    '    spec:',
    '      containers: [{name: c, image: "nginx\\e[2J\\a\\u202e\\x9b31m"}]',
    '',
  ].join('\n');
  for (const command of ['trace', 'validate']) {
    const result = podtrace([command, '-'], manifest);
    assert.ok(result.code === 0, result.stderr);
    const printed = result.stdout + result.stderr;
    assert.match(printed, /nginx\\x1b\[2J\\a\\u202e\\u009b31m/, printed);
    // eslint-disable-next-line no-control-regex -- the test looks for raw control characters.
    assert.doesNotMatch(printed, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/, `${command} printed a raw control character`);
  }
});

test('SARIF artifact URIs are percent-encoded URI references', () => {
  const dir = tempDir();
  try {
    const name = 'my app#1 100%.yaml';
    fs.writeFileSync(path.join(dir, name), configMap('Bad_Name'));
    const relative = podtrace(['validate', '--format', 'sarif', name], undefined, dir);
    const uriOf = (stdout: string) =>
      JSON.parse(stdout).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
    assert.equal(uriOf(relative.stdout), 'my%20app%231%20100%25.yaml');
    const absolute = podtrace(['validate', '--format', 'sarif', path.join(dir, name)]);
    assert.equal(
      uriOf(absolute.stdout),
      `file://${dir.split('/').map(encodeURIComponent).join('/')}/my%20app%231%20100%25.yaml`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a folder with no manifest files says so in a sentence', () => {
  const dir = tempDir();
  try {
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a manifest\n');
    const sentence = `${dir} holds no .yaml, .yml or .json files, and no scenario applies any`;
    assert.deepEqual(podtrace(['trace', dir]), {
      code: 2,
      stdout: '',
      stderr: `podtrace: no objects to trace: ${sentence}\n`,
    });
    assert.deepEqual(podtrace(['validate', dir]), {
      code: 2,
      stdout: '',
      stderr: `podtrace: nothing to validate: ${dir} holds no .yaml, .yml or .json files\n`,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a Pod with no spec, or spec: null, is refused as the apiserver refuses it, not traced into a crash', () => {
  const head = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: bare\n';
  for (const [text, line] of [
    [head, 1],
    [`${head}spec:\n`, 5],
    [`${head}spec: null\n`, 5],
  ] as const) {
    for (const command of ['validate', 'trace']) {
      const result = podtrace([command, '-'], text);
      assert.equal(result.code, 1, `${command} of ${JSON.stringify(text)}: ${result.stdout}${result.stderr}`);
      const printed = result.stdout + result.stderr;
      assert.ok(printed.includes(`-:${line}:1: error PT3010 spec.containers: Required value`), printed);
      assert.doesNotMatch(printed, /internal error|TypeError/, printed);
    }
  }
});
