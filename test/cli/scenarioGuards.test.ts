// `podtrace trace --scenario` on scenarios that cannot be run: each is an error naming the
// scenario file, the line, the action and the field, with exit status 2, never a stack trace.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { regExpOf } from '../regExpOf';

const repoRoot = path.resolve(__dirname, '../../..');
const cli = path.join(repoRoot, 'dist/cli.js');

function traceWith(scenario: string, extra: string[] = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-scenario-'));
  const file = path.join(dir, 'scenario.yaml');
  fs.writeFileSync(file, scenario);
  try {
    const result = spawnSync(
      process.execPath,
      [cli, 'trace', '--quiet', '--scenario', file, ...extra, 'examples/web'],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    return { code: result.status, stdout: result.stdout, stderr: result.stderr.split(file).join('SCENARIO') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('malformed actions are usage errors naming the scenario file, the line, the action and the field', () => {
  const usage = "\nRun 'podtrace --help' for usage.\n";
  assert.deepEqual(traceWith('- at: 1s\n  scale: {name: web, replicas: 3}\n- at: 2s\n  cutWatch:\n'), {
    code: 2,
    stdout: '',
    stderr:
      'podtrace: SCENARIO:4: action 2: cutWatch: expected a consumer ' +
      `name such as kube-proxy, or {consumer: NAME}, got null${usage}`,
  });
  assert.deepEqual(traceWith('actions:\n  - at: 1s\n    scale:\n      name: web\n      replicas: lots\n'), {
    code: 2,
    stdout: '',
    stderr:
      'podtrace: SCENARIO:5: action 1: scale.replicas: expected replicas: ' +
      `a whole number from 0 to 2147483647, got "lots"${usage}`,
  });
  assert.deepEqual(traceWith('- at: 1s\n  patch: {kind: Deployment, name: web, merge: "replicas: 5"}\n'), {
    code: 2,
    stdout: '',
    stderr:
      'podtrace: SCENARIO:2: action 1: patch.merge: expected a mapping to ' +
      `merge into the object (a JSON merge patch), got "replicas: 5"${usage}`,
  });
});

test("addNode's cpu and memory are read as the apiserver reads quantities", () => {
  const usage = "\nRun 'podtrace --help' for usage.\n";
  assert.deepEqual(traceWith('- at: 1s\n  addNode: {name: big, cpu: lots}\n'), {
    code: 2,
    stdout: '',
    stderr:
      'podtrace: SCENARIO:2: action 1: addNode.cpu: expected a quantity such as "4" or "16Gi" (quantities ' +
      `must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'), got "lots"${usage}`,
  });
  assert.deepEqual(traceWith('- at: 1s\n  addNode: {name: big, memory: 16Gm}\n'), {
    code: 2,
    stdout: '',
    stderr:
      'podtrace: SCENARIO:2: action 1: addNode.memory: expected a quantity such ' +
      `as "4" or "16Gi" (unable to parse quantity's suffix), got "16Gm"${usage}`,
  });
  assert.deepEqual(traceWith('- at: 1s\n  addNode: {name: big, cpu: "-2"}\n'), {
    code: 2,
    stdout: '',
    stderr:
      'podtrace: SCENARIO:2: action 1: addNode.cpu: ' +
      `expected a quantity such as "4" or "16Gi", not below 0, got "-2"${usage}`,
  });
  const fine = traceWith('- at: 1s\n  addNode: {name: big, cpu: 1e3, memory: 1Pi}\n');
  assert.equal(fine.code, 0, fine.stderr);
});

test('an alias bomb in a scenario is refused at once', () => {
  const levels = ['    merge: &a0 {x: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}'];
  for (let i = 1; i < 9; i++)
    levels.push(
      `    a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  const result = traceWith(['- at: 1s', '  patch:', '    kind: Deployment', '    name: web', ...levels, ''].join('\n'));
  assert.equal(result.code, 2);
  assert.equal(
    result.stderr,
    'podtrace: SCENARIO: the scenario: Excessive alias count indicates a resource ' +
      "exhaustion attack (more than 100 aliases expanded)\nRun 'podtrace --help' for usage.\n",
  );
});

test('a fault on a node the cluster does not have stops the run with the action, and writes nothing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-out-'));
  const json = path.join(dir, 'trace.json');
  try {
    const failed = traceWith('- at: 5s\n  addNode: {name: extra}\n- at: 10s\n  failNode: node-9\n', ['--json', json]);
    assert.deepEqual(failed, {
      code: 2,
      stdout: '',
      stderr:
        'podtrace: SCENARIO:3: action 2: failNode: nodes "node-9" not found (the ' +
        "cluster's nodes are node-1, node-2, node-3, extra); nothing was written\n",
    });
    assert.equal(fs.existsSync(json), false);
    const recovered = traceWith('- at: 5s\n  recoverNode: gone\n');
    assert.equal(recovered.code, 2);
    assert.match(recovered.stderr, /^podtrace: SCENARIO:1: action 1: recoverNode: nodes "gone" not found/);
    const twice = traceWith('- at: 5s\n  addNode: {name: node-2}\n');
    assert.match(
      twice.stderr,
      /^podtrace: SCENARIO:1: action 1: addNode\.name: nodes "node-2" already exists; nothing was written\n$/,
    );
    const unknownKind = traceWith('- at: 5s\n  delete: {kind: Gadget, name: x}\n');
    assert.match(
      unknownKind.stderr,
      regExpOf(
        /^podtrace: SCENARIO:1: action 1: delete\.kind: /,
        /the server doesn't have a resource type "Gadget"; nothing was written\n$/,
      ),
    );
    const consumer = traceWith('- at: 5s\n  cutWatch: {consumer: nobody}\n');
    assert.match(
      consumer.stderr,
      regExpOf(
        /^podtrace: SCENARIO:1: action 1: cutWatch: no endpoint consumer /,
        /named "nobody" \(the cluster's are .+\); nothing was written\n$/,
      ),
    );
    // A node that exists is failed as before.
    const ok = traceWith('- at: 5s\n  failNode: node-1\n', ['--until', '60']);
    assert.equal(ok.code, 0, ok.stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a change the apiserver or kubectl would refuse stops the run with the action and their words', () => {
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: b}\n';
  const cases: [string, string][] = [
    [
      '- {at: 15s, patch: {kind: Deployment, name: web, merge: {spec: {replicas: lots}}}}',
      'action 1: patch.merge: Deployment.apps "web" is invalid: json: ' +
        'cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ],
    [
      '- {at: 15s, patch: {kind: Deployment, name: web, merge: {metadata: {name: other}}}}',
      'action 1: patch.merge: the name of the object (other) does not match the name on the URL (web)',
    ],
    [
      '- {at: 15s, patch: {kind: Deployment, name: web, merge: {spec: {template: {spec: {containers: null}}}}}}',
      'action 1: patch.merge: Deployment.apps "web" is invalid: spec.template.spec.containers: Required value',
    ],
    [
      '- {at: 15s, setImage: {kind: ConfigMap, name: cfg, image: x}}',
      'action 1: setImage.kind: ConfigMap/cfg: the object is not a pod or does not have a pod template',
    ],
    [
      '- {at: 15s, setImage: {name: web, container: nope, image: x}}',
      'action 1: setImage.container: unable to find container named "nope"',
    ],
    [
      '- {at: 15s, scale: {kind: ConfigMap, name: cfg, replicas: 2}}',
      'action 1: scale.kind: ConfigMap/cfg cannot be scaled: no scaler has been implemented for ConfigMap',
    ],
  ];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-cm-'));
  try {
    fs.writeFileSync(path.join(dir, 'cm.yaml'), cm);
    const got = cases.map(([scenario]) => traceWith(`${scenario}\n`, [path.join(dir, 'cm.yaml')]).stderr);
    assert.deepEqual(
      got,
      cases.map(([, message]) => `podtrace: SCENARIO:1: ${message}; nothing was written\n`),
    );
    // A change the apiserver accepts runs as before.
    const ok = traceWith('- {at: 15s, patch: {kind: Deployment, name: web, merge: {spec: {replicas: 5}}}}\n');
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /5 pods \(5 ready\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
