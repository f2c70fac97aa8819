import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from './editHelpers';
import { validateManifestText, validateManifestTexts } from '../../src/core/manifest/validate';
import { validatorFor } from '../../src/core/manifest/schema/compiler';
import { loadedKindFileCount, loadKindSchema, snapshotIndex } from '../../src/core/manifest/schema/snapshot';
import { quantityFormatMessage, quantityNumericMessage, quantitySuffixMessage } from '../../src/core/base/quantity';
import { base64Error, quantityError } from '../../src/core/manifest/schema/scalarFormats';
import { schemaErrorsForObject, strictDecodingMessage } from '../../src/core/manifest/schema/schemaErrors';
import { closestMatch, editDistance } from '../../src/core/manifest/schema/suggestions';

const pod = (extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n` +
  `  containers:\n    - name: web\n      image: nginx:1.27\n${extra}`;

test('the snapshot index lists kinds with their scope, for both versions', () => {
  for (const version of ['1.35', '1.32']) {
    const kinds = snapshotIndex(version).kinds;
    assert.equal(kinds.find((k) => k.group === 'apps' && k.kind === 'Deployment')?.namespaced, true);
    assert.equal(kinds.find((k) => k.group === '' && k.kind === 'Namespace')?.namespaced, false);
  }
});

test('kind files are read on first use only, and each validator is compiled once', () => {
  const entry = snapshotIndex('1.35').kinds.find((k) => k.kind === 'CSIDriver')!;
  const before = loadedKindFileCount();
  const schema = loadKindSchema('1.35', entry);
  assert.equal(loadedKindFileCount(), before + 1);
  assert.equal(loadKindSchema('1.35', entry), schema, 'expected the cached schema');
  assert.equal(loadedKindFileCount(), before + 1);
  assert.equal(validatorFor(schema), validatorFor(schema), 'expected the cached validator');
});

test('validating a Pod does not load unrelated kinds', () => {
  const before = loadedKindFileCount();
  validateManifestText(pod(), { kubernetesVersion: '1.32' });
  assert.ok(
    loadedKindFileCount() - before <= 1,
    `expected at most one kind file read, got ${loadedKindFileCount() - before}`,
  );
});

test('a CRD in another file of the run teaches its kind', () => {
  const crd =
    'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n' +
    '  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Cluster\n' +
    '  names: {plural: widgets, kind: Widget}\n' +
    '  versions:\n    - name: v1\n      served: true\n      storage: true\n' +
    '      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n' +
    '            spec:\n              type: object\n' +
    '              properties:\n                size: {type: integer}\n';
  const widget =
    `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n` +
    `  namespace: default\nspec:\n  size: large\n  colour: red\n`;
  const alone = validateManifestText(widget).map((f) => f.code);
  assert.deepEqual(alone, ['PT2011']);
  const [, together] = validateManifestTexts([
    { name: 'crd.yaml', text: crd },
    { name: 'widget.yaml', text: widget },
  ]);
  assert.deepEqual(
    together.map((f) => [f.code, f.path]),
    [
      ['PT2012', 'metadata.namespace'],
      ['PT2002', 'spec.size'],
      ['PT2001', 'spec.colour'],
    ],
  );
  assert.equal(
    together[1].message,
    'spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"',
  );
});

test('the same object in two files is reported on the later one, naming the first file', () => {
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n';
  const [first, second] = validateManifestTexts([
    { name: 'a.yaml', text: cm },
    { name: 'b.yaml', text: cm },
  ]);
  assert.deepEqual(first, []);
  assert.equal(second.length, 1);
  assert.match(
    second[0].message,
    /ConfigMap "settings" in namespace "default" is also defined in a\.yaml \(document 1\)/,
  );
});

test('1.32 and 1.35 differ where their schemas do', () => {
  const stopSignal = pod('      lifecycle:\n        stopSignal: SIGUSR1\n');
  assert.deepEqual(validateManifestText(stopSignal, { kubernetesVersion: '1.35' }), []);
  assert.deepEqual(
    validateManifestText(stopSignal, { kubernetesVersion: '1.32' }).map((f) => f.code),
    ['PT2001'],
  );
  const deviceClass =
    'apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata:\n  name: gpu\nspec:\n  selectors: []\n';
  assert.deepEqual(validateManifestText(deviceClass, { kubernetesVersion: '1.35' }), []);
  assert.deepEqual(
    validateManifestText(deviceClass, { kubernetesVersion: '1.32' }).map((f) => f.code),
    ['PT2008'],
  );
  const endpoints = 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\n';
  assert.deepEqual(
    validateManifestText(endpoints, { kubernetesVersion: '1.35' }).map((f) => f.code),
    ['PT2010'],
  );
  assert.deepEqual(validateManifestText(endpoints, { kubernetesVersion: '1.32' }), []);
});

test('quick fixes rename a misspelled key, quote a YAML 1.1 scalar and correct the apiVersion', () => {
  const typo = pod('      imagePullPolicyy: Always\n');
  const [unknown] = validateManifestText(typo);
  assert.equal(unknown.code, 'PT2001');
  assert.equal(applyEdits(typo, unknown.fixes![0].edits), pod('      imagePullPolicy: Always\n'));
  const yes = pod('      env:\n        - name: DEBUG\n          value: yes\n');
  const [scalar] = validateManifestText(yes);
  assert.equal(scalar.code, 'PT2003');
  assert.equal(
    applyEdits(yes, scalar.fixes![0].edits),
    pod('      env:\n        - name: DEBUG\n          value: "yes"\n'),
  );
  const wrongGroup = 'apiVersion: v1\nkind: Deployment\nmetadata:\n  name: d\n';
  const [group] = validateManifestText(wrongGroup);
  assert.equal(
    applyEdits(wrongGroup, group.fixes![0].edits),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n',
  );
});

test('schemaErrorsForObject returns the strict decoder errors as data for the simulated apiserver', () => {
  const errors = schemaErrorsForObject(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: {
        replicas: '2',
        selector: {},
        template: { spec: { containers: [{ name: 'a', imagePullPolicyy: 'Always' }] } },
      },
    },
    '1.35',
  );
  assert.deepEqual(
    errors.map((e) => [e.kind, e.segments.join('/'), e.message]),
    [
      [
        'decode',
        'spec/replicas',
        'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
      ],
      [
        'unknownField',
        'spec/template/spec/containers/0/imagePullPolicyy',
        'unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
      ],
    ],
  );
  assert.equal(
    strictDecodingMessage('Deployment', 'v1', errors),
    'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ' +
      'unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
  );
  assert.deepEqual(schemaErrorsForObject({ apiVersion: 'example.com/v1', kind: 'Widget' }, '1.35'), []);
});

test('quantities parse as resource.ParseQuantity does', () => {
  for (const ok of ['1', '0.5', '100m', '1Gi', '512Mi', '1e3', '1E-3', '+1k', '-2', ' 3 ', 1.5, 2])
    assert.equal(quantityError(ok), undefined, String(ok));
  for (const bad of ['1GB', '1 Gi', 'half', '', '1.2.3', true, {}])
    assert.equal(quantityError(bad), quantityFormatMessage, String(bad));
  for (const suffix of ['500mi', '1K', '2Mb'.replace('b', 'i').replace('M', 'm')])
    assert.equal(quantityError(suffix), quantitySuffixMessage, suffix);
  // ParseQuantity's slow path (more digits than an int64 holds, Pi and Ei, exponents below nano)
  // hands the number to inf.Dec, which refuses one without digits; an exponent must fit an int64.
  for (const numeric of ['Ei', 'Pi', '-Ei', '.e-20'])
    assert.equal(quantityError(numeric), quantityNumericMessage, numeric);
  assert.equal(quantityError('1e9223372036854775808'), quantitySuffixMessage);
  for (const ok of ['Ki', '.', '-', '1.', '8Ei', '1e30', '1e2000000000', 1e21])
    assert.equal(quantityError(ok), undefined, String(ok));
  // Through the validator: the finding says where and in the decoder's words.
  const pod = (memory: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n` +
    `    image: nginx:1.27\n    resources: {requests: {memory: "${memory}"}}\n`;
  const findings = validateManifestText(pod('Ei'));
  assert.equal(findings.length, 1);
  assert.equal(findings[0].severity, 'error');
  assert.match(findings[0].message, /unable to parse numeric part of quantity/);
  assert.equal(findings[0].range.start.line, 7);
  assert.deepEqual(validateManifestText(pod('8Ei')), []);
});

test('base64 data is checked as Go decodes it', () => {
  assert.equal(base64Error('aGVsbG8='), undefined);
  assert.equal(base64Error('aGVs\nbG8='), undefined);
  assert.equal(base64Error('hello!'), 'illegal base64 data at input byte 5');
  assert.equal(base64Error('abcde'), 'illegal base64 data at input byte 4');
});

test('suggestions use an edit budget that grows with the word', () => {
  assert.equal(editDistance('paht', 'path'), 1);
  assert.equal(closestMatch('imagePullPolicyy', ['image', 'imagePullPolicy']), 'imagePullPolicy');
  assert.equal(closestMatch('ContainerPort', ['containerPort', 'hostPort']), 'containerPort');
  assert.equal(closestMatch('owner', ['name', 'labels', 'annotations']), undefined);
});
