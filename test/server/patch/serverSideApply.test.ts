// Server-side apply and field ownership; the cases follow the apiserver's apply integration tests
// and structured-merge-diff's merge tests (rewritten): managedFields as FieldsV1, conflicts with
// the apiserver's message and causes, force, removal of fields a manager stopped applying,
// shared ownership of equal values, and Updates taking the fields they change.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { FieldSet } from '../../../src/core/server/patch/fieldSet';
import type { JsonObject } from '../../../src/core/server/patch/jsonValue';
import { readManagers } from '../../../src/core/server/patch/managedFields';
import { rootField, schemaForKind } from '../../../src/core/server/patch/patchSchema';
import { recordUpdate, serverSideApply } from '../../../src/core/server/patch/serverSideApply';
import { ApiError } from '../../../src/core/sim/store/apiError';

const schema = rootField(schemaForKind('apps/v1', 'Deployment'));
const now = '2026-01-01T00:00:00Z';

function deployment(replicas: number, labels: Record<string, string>, containers: JsonObject[]): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers } },
    },
  };
}

const nginx = { name: 'nginx', image: 'nginx:1.25' };

function apply(live: JsonObject | undefined, config: JsonObject, manager = 'kubectl', force = false): JsonObject {
  return serverSideApply({ live, config, manager, force, schema, apiVersion: 'apps/v1', now });
}

function conflictOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ApiError, String(error));
    return error;
  }
  assert.fail('expected a conflict');
}

test('an apply that creates records the manager with the fields it set, as FieldsV1', () => {
  const created = apply(undefined, deployment(2, { app: 'web' }, [nginx]));
  const entries = (created.metadata as JsonObject).managedFields as JsonObject[];
  assert.equal(entries.length, 1);
  assert.deepEqual(
    { ...entries[0], fieldsV1: undefined },
    {
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: now,
      fieldsType: 'FieldsV1',
      fieldsV1: undefined,
    },
  );
  assert.deepEqual(entries[0].fieldsV1, {
    'f:metadata': { 'f:labels': { 'f:app': {} } },
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
      },
    },
  });
});

test('a field another manager set to another value is a 409 with the apiserver message and cause', () => {
  const created = recordUpdate({
    before: undefined,
    after: deployment(2, { app: 'web' }, [nginx]),
    manager: 'kubectl-client-side-apply',
    schema,
    apiVersion: 'apps/v1',
    now,
  });
  const error = conflictOf(() => apply(created, deployment(3, { app: 'web' }, [nginx])));
  assert.equal(error.code, 409);
  assert.equal(error.reason, 'Conflict');
  assert.equal(
    error.message,
    'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
  );
  assert.deepEqual(error.details?.causes, [
    {
      reason: 'FieldManagerConflict',
      message: 'conflict with "kubectl-client-side-apply" using apps/v1',
      field: '.spec.replicas',
    },
  ]);
  // The same values are shared, not a conflict.
  const shared = apply(created, deployment(2, { app: 'web' }, [nginx]));
  assert.deepEqual(
    readManagers(shared).map((m) => m.manager),
    ['kubectl-client-side-apply', 'kubectl'],
  );
});

test('several conflicts are listed by manager; force takes the fields from their owner', () => {
  const created = recordUpdate({
    before: undefined,
    after: deployment(2, { app: 'web' }, [nginx]),
    manager: 'kubectl-client-side-apply',
    schema,
    apiVersion: 'apps/v1',
    now,
  });
  const config = deployment(3, { app: 'web' }, [{ name: 'nginx', image: 'nginx:1.27' }]);
  const error = conflictOf(() => apply(created, config));
  assert.equal(
    error.message,
    'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n' +
      '- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
  );
  const forced = apply(created, config, 'kubectl', true);
  assert.equal((forced.spec as JsonObject).replicas, 3);
  const [csa, mine] = readManagers(forced);
  assert.equal(csa.fields.has(['f:spec', 'f:replicas']), false);
  assert.equal(mine.fields.has(['f:spec', 'f:replicas']), true);
});

test('a field the manager stops applying is removed, unless another manager owns it', () => {
  const first = apply(
    undefined,
    deployment(2, { app: 'web', tier: 'front' }, [nginx, { name: 'side', image: 'busybox' }]),
  );
  const second = apply(first, deployment(2, { app: 'web' }, [nginx]));
  assert.deepEqual((second.metadata as JsonObject).labels, { app: 'web' });
  const containers = (((second.spec as JsonObject).template as JsonObject).spec as JsonObject)
    .containers as JsonObject[];
  assert.deepEqual(containers, [nginx]);
  // A second applier that also sets the label keeps it alive when the first drops it.
  const both = apply(first, deployment(2, { app: 'web', tier: 'front' }, [nginx]), 'helm');
  const dropped = apply(both, deployment(2, { app: 'web' }, [nginx]));
  assert.deepEqual((dropped.metadata as JsonObject).labels, { app: 'web', tier: 'front' });
});

test('an Update takes the fields it changes: a later apply of another value conflicts with it', () => {
  const applied = apply(undefined, deployment(2, { app: 'web' }, [nginx]));
  const scaled = recordUpdate({
    before: applied,
    after: { ...applied, spec: { ...(applied.spec as JsonObject), replicas: 5 } },
    manager: 'kubectl-scale',
    schema,
    apiVersion: 'apps/v1',
    now,
  });
  const [mine, scaler] = readManagers(scaled);
  assert.equal(mine.fields.has(['f:spec', 'f:replicas']), false);
  assert.deepEqual(scaler.fields.paths(), [['f:spec', 'f:replicas']]);
  const error = conflictOf(() => apply(scaled, deployment(2, { app: 'web' }, [nginx])));
  assert.equal(
    error.message,
    'Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas',
  );
  // An object written before anyone applied is owned by before-first-apply.
  const plain = deployment(1, { app: 'web' }, [nginx]);
  assert.equal(
    conflictOf(() => apply(plain, deployment(4, { app: 'web' }, [nginx]))).details?.causes?.[0].message,
    'conflict with "before-first-apply" using apps/v1',
  );
});

test('FieldsV1 reads back as the same set; a malformed one is an error naming where', () => {
  const set = new FieldSet([
    ['f:metadata', 'f:labels'],
    ['f:metadata', 'f:labels', 'f:app'],
    ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"a"}'],
    ['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"a"}', 'f:image'],
    ['f:metadata', 'f:finalizers', 'v:"x"'],
  ]);
  const encoded = set.toFieldsV1();
  assert.deepEqual((encoded['f:metadata'] as JsonObject)['f:labels'], { '.': {}, 'f:app': {} });
  const decoded = FieldSet.fromFieldsV1(encoded, 'test');
  assert.equal(decoded.size, set.size);
  assert.equal(decoded.difference(set).size, 0);
  assert.throws(
    () => FieldSet.fromFieldsV1({ 'x:bad': {} }, 'managedFields[0].fieldsV1'),
    /managedFields\[0\]\.fieldsV1: unexpected FieldsV1 element "x:bad"/,
  );
});

test('an apply may not set managedFields; an Update that rewrites them starts from its own', () => {
  const config = deployment(2, { app: 'web' }, [nginx]);
  const withFields = { ...config, metadata: { ...(config.metadata as JsonObject), managedFields: [] } };
  const error = conflictOf(() => apply(undefined, withFields));
  assert.equal(error.code, 400);
  assert.equal(error.message, 'metadata.managedFields must be nil');
  // kubectl moves a client-side-apply manager to server-side apply by rewriting managedFields.
  const created = recordUpdate({
    before: undefined,
    after: config,
    manager: 'kubectl-client-side-apply',
    schema,
    apiVersion: 'apps/v1',
    now,
  });
  const [csa] = readManagers(created);
  const migrated = {
    ...created,
    metadata: {
      ...(created.metadata as JsonObject),
      managedFields: [
        {
          manager: 'kubectl',
          operation: 'Apply',
          apiVersion: 'apps/v1',
          fieldsType: 'FieldsV1',
          fieldsV1: csa.fields.toFieldsV1(),
        },
      ],
    },
  };
  const rewritten = recordUpdate({
    before: created,
    after: migrated,
    manager: 'kubectl',
    schema,
    apiVersion: 'apps/v1',
    now,
  });
  assert.deepEqual(
    readManagers(rewritten).map((m) => `${m.manager}/${m.operation}`),
    ['kubectl/Apply'],
  );
  // The next apply of another replica count is then no conflict.
  const applied = apply(rewritten, deployment(5, { app: 'web' }, [nginx]));
  assert.equal((applied.spec as JsonObject).replicas, 5);
});
