// Strategic merge patch against the built-in schemas; the cases follow apimachinery's
// strategicpatch tests (merge keys, `$patch` directives, `$retainKeys`, `$setElementOrder`,
// `$deleteFromPrimitiveList`), rewritten for Pods and Deployments.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject, JsonValue } from '../../../src/core/server/patch/jsonValue';
import { unprocessableDetail } from '../../../src/core/server/patch/patchErrors';
import { rootField, schemaForKind } from '../../../src/core/server/patch/patchSchema';
import { applyStrategicMergePatch } from '../../../src/core/server/patch/strategicMerge';
import { ApiError } from '../../../src/core/sim/store/apiError';

const podSchema = rootField(schemaForKind('v1', 'Pod'));
const deploymentSchema = rootField(schemaForKind('apps/v1', 'Deployment'));

function pod(spec: JsonObject, metadata: JsonObject = { name: 'p' }): JsonObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

function patchPod(original: JsonObject, patch: JsonValue): JsonObject {
  return applyStrategicMergePatch(original, patch, podSchema);
}

function apiFailure(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the patch to be refused');
}

const twoContainers = pod({
  containers: [
    { name: 'a', image: 'nginx:1', ports: [{ containerPort: 80 }] },
    { name: 'b', image: 'redis:7' },
  ],
});

test('containers merge by name: a changed image keeps the other fields and the other container', () => {
  const result = patchPod(twoContainers, { spec: { containers: [{ name: 'b', image: 'redis:8' }] } });
  assert.deepEqual((result.spec as JsonObject).containers, [
    { name: 'a', image: 'nginx:1', ports: [{ containerPort: 80 }] },
    { name: 'b', image: 'redis:8' },
  ]);
});

test('a new item is appended; $patch: delete removes the item with that key', () => {
  const added = patchPod(twoContainers, { spec: { containers: [{ name: 'c', image: 'busybox' }] } });
  assert.deepEqual(
    ((added.spec as JsonObject).containers as JsonObject[]).map((c) => c.name),
    ['a', 'b', 'c'],
  );
  const removed = patchPod(twoContainers, { spec: { containers: [{ name: 'a', $patch: 'delete' }] } });
  assert.deepEqual((removed.spec as JsonObject).containers, [{ name: 'b', image: 'redis:7' }]);
});

test('a list without a patch strategy is replaced, not merged', () => {
  const original = pod({ containers: [{ name: 'a', image: 'x', args: ['one', 'two'] }] });
  const result = patchPod(original, { spec: { containers: [{ name: 'a', args: ['three'] }] } });
  assert.deepEqual((result.spec as JsonObject).containers, [{ name: 'a', image: 'x', args: ['three'] }]);
});

test('$patch: replace on a list item replaces the whole list; on a map it replaces the map', () => {
  const list = patchPod(twoContainers, { spec: { containers: [{ $patch: 'replace' }, { name: 'z', image: 'z' }] } });
  assert.deepEqual((list.spec as JsonObject).containers, [{ name: 'z', image: 'z' }]);
  const labelled = pod({ containers: [] }, { name: 'p', labels: { a: '1', b: '2' } });
  const map = patchPod(labelled, { metadata: { labels: { $patch: 'replace', c: '3' } } });
  assert.deepEqual((map.metadata as JsonObject).labels, { c: '3' });
  const deleted = patchPod(labelled, { metadata: { labels: { $patch: 'delete' } } });
  assert.deepEqual(deleted.metadata, { name: 'p' });
});

test('finalizers merge as a set; $deleteFromPrimitiveList removes values', () => {
  const original = pod({ containers: [] }, { name: 'p', finalizers: ['a', 'b'] });
  const merged = patchPod(original, { metadata: { finalizers: ['b', 'c'] } });
  assert.deepEqual((merged.metadata as JsonObject).finalizers, ['a', 'b', 'c']);
  const deleted = patchPod(original, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } });
  assert.deepEqual((deleted.metadata as JsonObject).finalizers, ['b']);
});

test('$setElementOrder orders the named items and slots server-only ones by the server order', () => {
  const original = pod({
    containers: [
      { name: 'a', image: '1' },
      { name: 'b', image: '2' },
      { name: 'c', image: '3' },
    ],
  });
  const result = patchPod(original, {
    spec: {
      '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }],
      containers: [{ name: 'a', image: '9' }],
    },
  });
  assert.deepEqual(
    ((result.spec as JsonObject).containers as JsonObject[]).map((c) => `${String(c.name)}${String(c.image)}`),
    // b is only on the server and came before c there, so it goes first (mergeSortedSlice).
    ['b2', 'c3', 'a9'],
  );
});

test('$retainKeys clears the other members of a union (a volume switching source)', () => {
  const original = pod({ containers: [], volumes: [{ name: 'v', emptyDir: {} }] });
  const result = patchPod(original, {
    spec: { volumes: [{ name: 'v', $retainKeys: ['name', 'configMap'], configMap: { name: 'cm' } }] },
  });
  assert.deepEqual((result.spec as JsonObject).volumes, [{ name: 'v', configMap: { name: 'cm' } }]);
  const error = apiFailure(() =>
    patchPod(original, { spec: { volumes: [{ name: 'v', $retainKeys: ['name'], secret: { secretName: 's' } }] } }),
  );
  assert.equal(error.code, 422);
  assert.equal(unprocessableDetail(error), "patch content doesn't match retainKeys list");
  assert.equal(
    apiFailure(() => patchPod(original, { spec: { volumes: [{ name: 'v', $retainKeys: 'name' }] } })).code,
    400,
  );
});

test('a Deployment rollout patch: replicas, an image by container name, a removed label', () => {
  const deployment: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web', tier: 'front' } },
    spec: {
      replicas: 2,
      template: { spec: { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] } },
    },
  };
  const result = applyStrategicMergePatch(
    deployment,
    {
      metadata: { labels: { tier: null } },
      spec: { replicas: 4, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    },
    deploymentSchema,
  );
  assert.deepEqual(result.metadata, { name: 'web', labels: { app: 'web' } });
  assert.deepEqual(result.spec, {
    replicas: 4,
    template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } },
  });
});

test('bad forms get the apiserver codes: unknown $patch 500, missing merge key 500, list of lists 422', () => {
  const unknown = apiFailure(() => patchPod(twoContainers, { spec: { $patch: 'explode' } }));
  assert.equal(unknown.code, 500);
  assert.equal(unknown.message, 'unknown patch type: explode in map: map[$patch:explode]');
  const noKey = apiFailure(() => patchPod(twoContainers, { spec: { containers: [{ image: 'x' }] } }));
  assert.equal(noKey.message, 'map: map[image:x] does not contain declared merge key: name');
  assert.equal(apiFailure(() => patchPod(twoContainers, { metadata: { finalizers: [['a']] } })).code, 422);
  assert.equal(apiFailure(() => patchPod(twoContainers, ['not', 'a', 'map'])).code, 400);
});
