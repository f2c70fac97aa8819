// RFC 6902 as the apiserver applies it; the cases follow evanphx/json-patch's patch_test.go and
// the apiserver's handler tests (rewritten), with the apiserver's codes and texts.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyJsonPatch, maxJsonPatchOperations } from '../../../src/core/server/patch/jsonPatch';
import type { JsonObject } from '../../../src/core/server/patch/jsonValue';
import { unprocessableDetail } from '../../../src/core/server/patch/patchErrors';
import { ApiError } from '../../../src/core/sim/store/apiError';

const deployment: JsonObject = {
  metadata: { name: 'web', labels: { app: 'web', 'a/b': 'slash', 'x~y': 'tilde' } },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'a', image: 'nginx:1' }] } } },
};

function failure(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the patch to be refused');
}

test('add, remove, replace, move and copy apply in order and leave the input untouched', () => {
  const before = JSON.stringify(deployment);
  const result = applyJsonPatch(deployment, [
    { op: 'replace', path: '/spec/replicas', value: 5 },
    { op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'b', image: 'redis:7' } },
    { op: 'add', path: '/spec/template/spec/containers/0', value: { name: 'init', image: 'busybox' } },
    { op: 'remove', path: '/metadata/labels/a~1b' },
    { op: 'copy', from: '/metadata/labels/x~0y', path: '/metadata/labels/copied' },
    { op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/moved' },
  ]) as JsonObject;
  assert.equal(JSON.stringify(deployment), before);
  assert.deepEqual(result.spec, {
    replicas: 5,
    template: {
      spec: {
        containers: [
          { name: 'init', image: 'busybox' },
          { name: 'a', image: 'nginx:1' },
          { name: 'b', image: 'redis:7' },
        ],
      },
    },
  });
  assert.deepEqual((result.metadata as JsonObject).labels, { 'x~y': 'tilde', copied: 'tilde', moved: 'web' });
});

test('a passing test op lets the patch continue; a failing one is 422 with the library text', () => {
  const ok = applyJsonPatch(deployment, [
    { op: 'test', path: '/spec/replicas', value: 2 },
    { op: 'replace', path: '/spec/replicas', value: 3 },
  ]) as JsonObject;
  assert.equal((ok.spec as JsonObject).replicas, 3);
  const error = failure(() =>
    applyJsonPatch(deployment, [
      { op: 'test', path: '/spec/replicas', value: 9 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
    ]),
  );
  assert.equal(error.code, 422);
  assert.equal(error.reason, 'Invalid');
  assert.equal(error.message, 'the server rejected our request due to an error in our request');
  // The apiserver drops the library's words from the answer; they are kept beside it.
  assert.deepEqual(error.details, {});
  assert.equal(unprocessableDetail(error), 'testing value /spec/replicas failed: test failed');
});

test('operations on missing paths or bad indices are 422 and name the path', () => {
  const cases: [JsonObject, string][] = [
    [
      { op: 'replace', path: '/spec/paused', value: true },
      'replace operation does not apply: doc is missing path: /spec/paused: missing value',
    ],
    [
      { op: 'add', path: '/status/x/y', value: 1 },
      'add operation does not apply: doc is missing path: "/status/x/y": missing value',
    ],
    [{ op: 'remove', path: '/metadata/labels/none' }, 'Unable to remove nonexistent key: none: missing value'],
    [
      { op: 'remove', path: '/spec/template/spec/containers/4' },
      'Unable to access invalid index: 4: invalid index referenced',
    ],
    [{ op: 'frobnicate', path: '/spec' }, 'Unexpected kind: frobnicate'],
  ];
  for (const [op, message] of cases) {
    const error = failure(() => applyJsonPatch(deployment, [op]));
    assert.equal(error.code, 422, message);
    assert.equal(unprocessableDetail(error), message);
  }
});

test('a negative index counts from the end, as the apiserver allows', () => {
  const result = applyJsonPatch(deployment, [
    { op: 'remove', path: '/spec/template/spec/containers/-1' },
  ]) as JsonObject;
  assert.deepEqual(((result.spec as JsonObject).template as JsonObject).spec, { containers: [] });
});

test('a body that is not a list of operations is 400; more than 10,000 operations is 413', () => {
  assert.equal(failure(() => applyJsonPatch(deployment, { op: 'add' })).code, 400);
  assert.equal(failure(() => applyJsonPatch(deployment, [{ op: 1, path: '/x' }])).code, 400);
  const many = Array.from({ length: maxJsonPatchOperations + 1 }, () => ({
    op: 'test',
    path: '/spec/replicas',
    value: 2,
  }));
  const error = failure(() => applyJsonPatch(deployment, many));
  assert.equal(error.code, 413);
  assert.equal(error.reason, 'RequestEntityTooLarge');
  assert.equal(
    error.message,
    'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
  );
});
