// A cluster's refusal placed in the YAML: each cause's field path (the apiserver's form and
// server-side apply's) to the range of that field in its object's document.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TargetStatus } from '../../src/core/cluster/clusterTarget';
import { parseManifestText } from '../../src/core/manifest/base/parse';
import { appliedObjectsOf, type AppliedObject } from '../../src/extension/appliedObjects';
import { parseCauseField, placeStatus, rangeOfField } from '../../src/extension/statusCauseRanges';

const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: "1"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: -1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: sidecar
        image: busybox:1.36
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: web
  spec:
    ports:
    - port: 80
      bogus: true
`;

function objects(): AppliedObject[] {
  return appliedObjectsOf([{ name: '/w/app.yaml', parsed: parseManifestText(text) }]);
}

/** The text a range covers, with its 1-based start line. */
function covered(range: { start: { line: number; column: number }; end: { line: number; column: number } }): string {
  const lines = text.split('\n');
  assert.equal(range.start.line, range.end.line, 'expected a range on one line');
  return `${range.start.line + 1}: ${lines[range.start.line].slice(range.start.column, range.end.column)}`;
}

test('the objects in the order a target gets them, a List expanded into its items', () => {
  assert.deepEqual(
    objects().map((o) => `${o.object.kind} ${o.object.metadata.name} [${o.prefix.join(',')}]`),
    ['ConfigMap settings []', 'Deployment web []', 'Service web [items,0]'],
  );
});

test('field paths in the apiserver form and in server-side apply form', () => {
  assert.deepEqual(parseCauseField('spec.template.spec.containers[1].image'), [
    'spec',
    'template',
    'spec',
    'containers',
    1,
    'image',
  ]);
  assert.deepEqual(parseCauseField('metadata.labels[app.kubernetes.io/name]'), [
    'metadata',
    'labels',
    'app.kubernetes.io/name',
  ]);
  assert.deepEqual(parseCauseField('.spec.template.spec.containers[name="web"].ports'), [
    'spec',
    'template',
    'spec',
    'containers',
    { key: 'name', value: 'web' },
    'ports',
  ]);
  assert.throws(
    () => parseCauseField('spec.containers[0'),
    /field path "spec\.containers\[0": expected "\]" after the "\[" at 16/,
  );
});

test('a 422 maps each cause to its field; a missing field lands on its deepest ancestor that is there', () => {
  const deployment = objects()[1];
  const status: TargetStatus = {
    code: 422,
    reason: 'Invalid',
    message: 'Deployment.apps "web" is invalid: ...',
    causes: [
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: -1: must be greater than or equal to 0',
        field: 'spec.replicas',
      },
      {
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: 'spec.template.spec.containers[1].resources.limits',
      },
      {
        reason: 'FieldValueInvalid',
        message: 'Invalid value: "web"',
        field: 'metadata.labels[app.kubernetes.io/name]',
      },
      {
        reason: 'FieldValueInvalid',
        message: 'bad port',
        field: '.spec.template.spec.containers[name="web"].ports[0].containerPort',
      },
    ],
  };
  const placed = placeStatus(deployment, status);
  assert.deepEqual(
    placed.map((p) => covered(p.range)),
    ['15: -1', '25: name: web', '13: web', '28: 80'],
  );
  assert.equal(placed[0].message, 'spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  assert.equal(placed[0].reason, 'FieldValueInvalid');
});

test('an item of a List maps inside its item; a cause without a field lands on the name', () => {
  const service = objects()[2];
  assert.equal(covered(rangeOfField(service, 'spec.ports[0].bogus')), '40: true');
  assert.equal(covered(rangeOfField(service, '')), '36: web');
});

test('unknown fields refused under Strict come from the message: strict decoding and server-side apply forms', () => {
  const service = objects()[2];
  const strict = placeStatus(service, {
    code: 400,
    reason: 'BadRequest',
    message:
      'Service in version "v1" cannot be handled as a Service: ' +
      'strict decoding error: unknown field "spec.ports[0].bogus"',
    causes: [],
  });
  assert.deepEqual(
    strict.map((p) => [covered(p.range), p.field]),
    [['40: true', 'spec.ports[0].bogus']],
  );
  const applied = placeStatus(service, {
    code: 500,
    reason: '',
    message:
      'failed to create typed patch object (default/web; /v1, Kind=Service): ' +
      '.spec.ports[0].bogus: field not declared in schema',
    causes: [],
  });
  assert.deepEqual(
    applied.map((p) => covered(p.range)),
    ['40: true'],
  );
  const other = placeStatus(service, {
    code: 403,
    reason: 'Forbidden',
    message: 'services "web" is forbidden',
    causes: [],
  });
  assert.deepEqual(
    other.map((p) => [covered(p.range), p.message]),
    [['36: web', 'services "web" is forbidden']],
  );
});
