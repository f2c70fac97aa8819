// The validator's wrong answers of issue 20, run as a user runs them: the CLI on files, with a
// time limit, answering each with the finding kubectl's verdict calls for and no stack trace.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { regExpOf } from '../regExpOf';

const repoRoot = path.resolve(__dirname, '../../..');
const cli = path.join(repoRoot, 'dist/cli.js');
const configMap = (name: string, data: string, eol = '\n') =>
  ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: ${name}`, 'data:', `  ${data}`, ''].join(eol);

function podtrace(args: string[]) {
  const result = spawnSync(process.execPath, ['--max-old-space-size=256', cli, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(result.error, undefined, `podtrace ${args.join(' ')} did not finish: ${result.error?.message}`);
  assert.doesNotMatch(
    result.stderr,
    /\n\s+at |RangeError|TypeError|Maximum call stack/,
    `a stack trace from podtrace ${args.join(' ')}`,
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('each wrong answer gets the finding kubectl calls for, from the CLI', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-answers-'));
  const file = (name: string, content: string | Buffer) => {
    const full = path.join(dir, name);
    fs.writeFileSync(full, content);
    return full;
  };
  try {
    const nul = file('nul.yaml', configMap('nul', 'a: "b\u0000c"'));
    assert.deepEqual(podtrace(['validate', nul]), {
      code: 1,
      stdout: `${nul}:6:8: error PT1001 YAML syntax error: control characters are not allowed (U+0000)\n`,
      stderr: '',
    });

    const json = file('trailing.json', '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x",}}\n');
    const strict = podtrace(['validate', '--kubernetes-version', '1.32', json]);
    assert.equal(strict.code, 1);
    assert.equal(
      strict.stdout,
      `${json}:1:68: error PT1001 JSON syntax error: json: offset 68: ` +
        `invalid character '}' looking for beginning of object key string\n`,
    );
    // kubectl 1.33 and later read a { file that is not JSON as YAML, which accepts the comma.
    assert.deepEqual(podtrace(['validate', json]), { code: 0, stdout: '', stderr: '' });

    const dated = file('dated.yaml', configMap('dated', 'when: 2024-01-02'));
    assert.deepEqual(podtrace(['validate', dated]), { code: 0, stdout: '', stderr: '' });
    const traced = podtrace(['trace', dated]);
    assert.equal(traced.code, 0, traced.stderr);
    assert.doesNotMatch(traced.stderr, /not traced/);

    const cr = file('mac.yaml', configMap('Bad_Name', 'a: b', '\r'));
    const crRun = podtrace(['validate', cr]);
    assert.equal(crRun.code, 1);
    assert.match(crRun.stdout, /^\S+mac\.yaml:4:9: error PT3001 metadata\.name: Invalid value: "Bad_Name"/);
    assert.equal(crRun.stdout.split('\n').length, 2, crRun.stdout);

    const modes = file(
      'mode.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: "nginx:1.27"}]\n' +
        '  volumes: [{name: s, secret: {secretName: s, defaultMode: 777}}]\n',
    );
    assert.match(
      podtrace(['validate', modes]).stdout,
      regExpOf(
        /error PT3011 spec\.volumes\[0\]\.secret\.defaultMode: Invalid value: /,
        /777: must be a number between 0 and 0777 \(octal\), both inclusive/,
      ),
    );

    const deep = file('deep.yaml', configMap('deep', `a: ${'['.repeat(10000)}${']'.repeat(10000)}`));
    const deepRun = podtrace(['validate', deep]);
    assert.equal(deepRun.code, 1);
    assert.deepEqual(deepRun.stdout.trim().split('\n').length, 1, deepRun.stdout);
    assert.match(deepRun.stdout, /:6:204: error PT1001 YAML syntax error: exceeded max depth of 10000/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
