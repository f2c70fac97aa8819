import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseScenario, ScenarioError } from '../../src/core/sim/scenario/scenario';

const files: Record<string, string> = {
  'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n---\n',
  'list.yaml': 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n',
  'broken.yaml': 'kind: [\n',
  'nokind.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\nfoo: bar\n',
};
const readFile = (p: string): string => {
  if (!(p in files)) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
  return files[p];
};
const errorOf = (text: string): string => {
  try {
    parseScenario(text, readFile);
  } catch (e) {
    assert.ok(e instanceof ScenarioError, `a ScenarioError, not ${(e as Error).stack}`);
    return e.message;
  }
  assert.fail('expected an error');
};

test('apply takes an inline manifest, manifest text or a file (Lists expanded, empty documents skipped)', () => {
  const actions = parseScenario(
    ['- at: 1s', '  apply: {file: cm.yaml}', '- at: 2s', '  apply: {file: list.yaml}', '- at: 3s', '  apply: {apiVersion: v1, kind: Secret, metadata: {name: s}}'].join('\n'),
    readFile,
  );
  assert.deepEqual(
    actions.map((a) => (a.type === 'apply' ? a.objects.map((o) => `${o.kind}/${o.metadata.name}@${a.at}`) : [])),
    [['ConfigMap/settings@1000'], ['ConfigMap/a@2000', 'ConfigMap/b@2000'], ['Secret/s@3000']],
  );
});

test('a scenario that cannot be run says which action and why, and nothing it names is dropped silently', () => {
  assert.equal(errorOf('-\n'), 'scenario action 1: expected a mapping with "at" and one action, such as {at: 30s, scale: {name: web, replicas: 5}}; got null');
  assert.equal(errorOf('- at: 1s\n  apply: null\n'), 'scenario action 1: apply: expected a manifest, manifest text or {file: path}; got null');
  assert.equal(errorOf('- at: 1s\n  apply: {file: [1]}\n'), 'scenario action 1: apply: file: expected a path; got [1]');
  assert.equal(errorOf('- at: 1s\n  scale: {name: web, replicas: 2}\n- at: 2s\n  apply: {file: gone.yaml}\n'), 'scenario action 2: apply: cannot read gone.yaml: no such file or directory');
  assert.match(errorOf('- at: 1s\n  apply: {file: broken.yaml}\n'), /^scenario action 1: apply: broken\.yaml: document 1: not valid YAML: .* at line 2, column 1$/);
  assert.equal(errorOf('- at: 1s\n  apply: {file: nokind.yaml}\n'), 'scenario action 1: apply: nokind.yaml: document 2: expected a Kubernetes object with apiVersion and kind');
  assert.equal(errorOf('- at: 1s\n  apply: {kind: ConfigMap}\n'), 'scenario action 1: apply: expected a Kubernetes object with apiVersion and kind');
});

test('an apply keeps its text for validation: a file as it is, inline YAML at its place in the scenario', () => {
  const scenario = ['- at: 1s', '  apply: {file: cm.yaml}', '- at: 2s', '  apply:', '    apiVersion: v1', '    kind: Secret', '- at: 3s', '  apply: |', '    apiVersion: v1', '    kind: Secret', '- at: 4s', "  apply: '{apiVersion: v1, kind: Secret}'", ''].join('\n');
  const manifests = parseScenario(scenario, readFile).map((a) => (a.type === 'apply' ? a.manifest : undefined));
  assert.deepEqual(manifests[0], { kind: 'file', file: 'cm.yaml', text: files['cm.yaml'] });
  // Every line before it is empty and its first line keeps its column: positions are the scenario's.
  assert.deepEqual(manifests[1], { kind: 'inline', text: '\n\n\n\n    apiVersion: v1\n    kind: Secret\n' });
  assert.deepEqual(manifests[2], { kind: 'inline', text: '\n\n\n\n\n\n\n\n    apiVersion: v1\n    kind: Secret\n' });
  // Quoted text cannot be placed line for line: it stands alone.
  assert.deepEqual(manifests[3], { kind: 'text', action: 4, text: '{apiVersion: v1, kind: Secret}' });
});
