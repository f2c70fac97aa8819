import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseScenario } from '../../src/core/sim/scenario/scenario';
import { ScenarioError } from '../../src/core/sim/scenario/scenarioFields';
import { regExpOf } from '../regExpOf';

const files: Record<string, string> = {
  'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n---\n',
  'list.yaml':
    'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, ' +
    'metadata: {name: a}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n',
  'broken.yaml': 'kind: [\n',
  'nokind.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\nfoo: bar\n',
};
const readFile = (p: string): string => {
  if (!(p in files))
    throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
  return files[p];
};
const errorOf = (text: string): string => {
  try {
    parseScenario(text, readFile);
  } catch (e) {
    assert.ok(e instanceof ScenarioError, `a ScenarioError, not ${(e as Error).stack}`);
    return `${e.line}: ${e.message}`;
  }
  assert.fail('expected an error');
};

test('apply takes an inline manifest, manifest text or a file (Lists expanded, empty documents skipped)', () => {
  const actions = parseScenario(
    [
      '- at: 1s',
      '  apply: {file: cm.yaml}',
      '- at: 2s',
      '  apply: {file: list.yaml}',
      '- at: 3s',
      '  apply: {apiVersion: v1, kind: Secret, metadata: {name: s}}',
    ].join('\n'),
    readFile,
  );
  assert.deepEqual(
    actions.map((a) => (a.type === 'apply' ? a.objects.map((o) => `${o.kind}/${o.metadata.name}@${a.at}`) : [])),
    [['ConfigMap/settings@1000'], ['ConfigMap/a@2000', 'ConfigMap/b@2000'], ['Secret/s@3000']],
  );
});

test('a scenario that cannot be run says which action and why, and nothing it names is dropped silently', () => {
  assert.equal(
    errorOf('-\n'),
    '1: action 1: expected a mapping with "at" and one action, ' +
      'such as {at: 30s, scale: {name: web, replicas: 5}}, got null',
  );
  assert.equal(
    errorOf('- at: 1s\n  apply: null\n'),
    '2: action 1: apply: expected a manifest, manifest text or {file: path}; got null',
  );
  assert.equal(errorOf('- at: 1s\n  apply: {file: [1]}\n'), '2: action 1: apply: file: expected a path; got [1]');
  assert.equal(
    errorOf('- at: 1s\n  scale: {name: web, replicas: 2}\n- at: 2s\n  apply: {file: gone.yaml}\n'),
    '4: action 2: apply: cannot read gone.yaml: no such file or directory',
  );
  assert.match(
    errorOf('- at: 1s\n  apply: {file: broken.yaml}\n'),
    /^2: action 1: apply: broken\.yaml: document 1: not valid YAML: .* at line 2, column 1$/,
  );
  assert.equal(
    errorOf('- at: 1s\n  apply: {file: nokind.yaml}\n'),
    '2: action 1: apply: nokind.yaml: document 2: expected a Kubernetes object with apiVersion and kind',
  );
  assert.equal(
    errorOf('- at: 1s\n  apply: {kind: ConfigMap}\n'),
    '2: action 1: apply: expected a Kubernetes object with apiVersion and kind',
  );
});

test('an apply keeps its text for validation: a file as it is, inline YAML at its place in the scenario', () => {
  const scenario = [
    '- at: 1s',
    '  apply: {file: cm.yaml}',
    '- at: 2s',
    '  apply:',
    '    apiVersion: v1',
    '    kind: Secret',
    '- at: 3s',
    '  apply: |',
    '    apiVersion: v1',
    '    kind: Secret',
    '- at: 4s',
    "  apply: '{apiVersion: v1, kind: Secret}'",
    '',
  ].join('\n');
  const manifests = parseScenario(scenario, readFile).map((a) => (a.type === 'apply' ? a.manifest : undefined));
  assert.deepEqual(manifests[0], { kind: 'file', file: 'cm.yaml', text: files['cm.yaml'] });
  // Every line before it is empty and its first line keeps its column: positions are the scenario's.
  assert.deepEqual(manifests[1], { kind: 'inline', text: '\n\n\n\n    apiVersion: v1\n    kind: Secret\n' });
  assert.deepEqual(manifests[2], { kind: 'inline', text: '\n\n\n\n\n\n\n\n    apiVersion: v1\n    kind: Secret\n' });
  // Quoted text cannot be placed line for line: it stands alone.
  assert.deepEqual(manifests[3], { kind: 'text', action: 4, text: '{apiVersion: v1, kind: Secret}' });
});

test('every malformed action is an error naming the action, its line and the field, never a crash or a NaN', () => {
  const cases: [string, string][] = [
    [
      '- at: 1s\n  cutWatch:\n',
      '2: action 1: cutWatch: expected a consumer name such as kube-proxy, or {consumer: NAME}, got null',
    ],
    [
      '- at: 1s\n  failProbe:\n',
      '2: action 1: failProbe: expected {pod: NAME or pattern with *, namespace?, container?}, got null',
    ],
    [
      '- at: 1s\n  cutWatch: {for: 5s}\n',
      '2: action 1: cutWatch.consumer: expected a consumer name such as kube-proxy, or {consumer: NAME}, got nothing',
    ],
    [
      '- at: 1s\n  failProbe: {namespace: prod}\n',
      '2: action 1: failProbe.pod: expected a pod name, or a pattern with *, got nothing',
    ],
    [
      '- at: 1s\n  failProbe: web-*\n',
      '2: action 1: failProbe: expected {pod: NAME or pattern with *, namespace?, container?}, got "web-*"',
    ],
    [
      '- at: 1s\n  patch: {kind: Deployment, name: web, merge: [1, 2]}\n',
      '2: action 1: patch.merge: expected a mapping to merge into the object (a JSON merge patch), got [1,2]',
    ],
    [
      '- at: 1s\n  patch: {kind: Deployment, name: web}\n',
      '2: action 1: patch.merge: expected a mapping to merge into the object (a JSON merge patch), got nothing',
    ],
    [
      '- at: 1s\n  scale:\n    name: web\n    replicas: lots\n',
      '4: action 1: scale.replicas: expected replicas: a whole number from 0 to 2147483647, got "lots"',
    ],
    [
      '- at: 1s\n  scale: {name: web, replicas: 2147483648}\n',
      '2: action 1: scale.replicas: expected replicas: a whole number from 0 to 2147483647, got 2147483648',
    ],
    [
      '- at: 1s\n  scale: {name: web, replicas: -1}\n',
      '2: action 1: scale.replicas: expected replicas: a whole number from 0 to 2147483647, got -1',
    ],
    [
      '- at: 1s\n  scale: {name: web}\n',
      '2: action 1: scale.replicas: expected replicas: a whole number from 0 to 2147483647, got nothing',
    ],
    ['- at: 1s\n  failNode:\n', '2: action 1: failNode: expected a node name, got null'],
    ['- at: 1s\n  failNode: [node-1]\n', '2: action 1: failNode: expected a node name, got ["node-1"]'],
    ['- at: 1s\n  delete: {kind: Pod}\n', '2: action 1: delete.name: expected an object name, got nothing'],
    [
      '- at: 1s\n  delete: {kind: Pod, name: x, propagationPolicy: Later}\n',
      '2: action 1: delete.propagationPolicy: expected Background, Foreground or Orphan, got "Later"',
    ],
    [
      '- at: 1s\n  delete: {kind: Pod, name: x, gracePeriodSeconds: soon}\n',
      '2: action 1: delete.gracePeriodSeconds: expected seconds: a whole number from 0 to 9007199254740991, got "soon"',
    ],
    ['- at: 1s\n  setImage: {name: web}\n', '2: action 1: setImage.image: expected an image reference, got nothing'],
    [
      '- at: 1s\n  addNode: {name: n, pods: many}\n',
      '2: action 1: addNode.pods: expected pods: a whole number from 0 to 2147483647, got "many"',
    ],
    ['- at: 1s\n  addNode: {labels: {zone: 1}}\n', '2: action 1: addNode.labels.zone: expected a string, got 1'],
    [
      '- at: .nan\n  missingImage: x\n',
      '1: action 1: at: expected a duration such as 30, "30s", "2m" or "500ms", got NaN',
    ],
    [
      '- at: -5\n  missingImage: x\n',
      '1: action 1: at: expected a duration such as 30, "30s", "2m" or "500ms", got -5',
    ],
    [
      '- at: 1s\n  for: .inf\n  cutWatch: kube-proxy\n',
      '2: action 1: for: expected a duration such as 30, "30s", "2m" or "500ms", got Infinity',
    ],
    [
      '- at: 1s\n- at: 2s\n  wait: 5\n',
      '1: action 1: expected one action: apply, delete, patch, setImage, scale, addNode, failNode, ' +
        'recoverNode, drain, cordon, uncordon, cutWatch, failProbe, missingImage, got "only \\"at\\""',
    ],
  ];
  assert.deepEqual(
    cases.map(([scenario]) => errorOf(scenario)),
    cases.map(([, expected]) => expected),
  );
});

test('a scenario whose aliases would expand to millions of nodes is refused at once', () => {
  const levels = ['    merge: &a0 {x: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]}'];
  for (let i = 1; i < 9; i++)
    levels.push(
      `    a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  const bomb = ['- at: 1s', '  patch:', '    kind: Deployment', '    name: web', ...levels, ''].join('\n');
  const started = Date.now();
  assert.match(
    errorOf(bomb),
    regExpOf(
      /^undefined: the scenario: Excessive alias count indicates a /,
      /resource exhaustion attack \(more than 100 aliases expanded\)$/,
    ),
  );
  assert.ok(Date.now() - started < 5_000);
  const inApply =
    `- at: 1s\n  apply: |\n    apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: x}\n` +
    `    data:\n${levels.map((l) => `  ${l.replace('merge: ', 'm: ')}`).join('\n')}\n`;
  assert.match(errorOf(inApply), /^2: action 1: apply: document 1: Excessive alias count/);
});

test('a scenario nested deeper than the parser can go is an error saying so, not a stack overflow', () => {
  const nested = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
  const deep = `- {at: 1s, patch: {kind: Deployment, name: web, merge: {a: ${nested}}}}\n`;
  assert.match(
    errorOf(deep),
    /^1: not valid YAML: nested too deeply to read \(collections inside collections\) at line 1, column \d+$/,
  );
});

test('what a scenario applies is read as the input files are: timestamps stay strings, lone CRs end lines', () => {
  const text = 'apiVersion: v1\rkind: ConfigMap\rmetadata:\r  name: dates\rdata:\r  created: 2024-01-02\r  at: 12:30\r';
  const [action] = parseScenario('- at: 1s\n  apply: {file: dates.yaml}\n', () => text);
  assert.equal(action.type, 'apply');
  if (action.type !== 'apply') return;
  assert.deepEqual(action.objects[0].data, { created: '2024-01-02', at: '12:30' });
});
