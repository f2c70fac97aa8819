// RFC 7386's examples (appendix A), rewritten, and the apiserver's answer to a body that is not an object.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject, JsonValue } from '../../../src/core/server/patch/jsonValue';
import { applyMergePatch, diffMergePatch, mergeValues } from '../../../src/core/server/patch/mergePatch';
import { ApiError } from '../../../src/core/sim/store/apiError';

test('the RFC 7386 examples merge as the RFC says', () => {
  const cases: [JsonValue, JsonValue, JsonValue][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, expected] of cases) assert.deepEqual(mergeValues(target, patch), expected);
});

test('a merge patch on an object keeps the input and refuses a body that is not an object', () => {
  const pod: JsonObject = { metadata: { name: 'p', labels: { a: '1', b: '2' } } };
  const result = applyMergePatch(pod, { metadata: { labels: { a: null, c: '3' } } });
  assert.deepEqual(result, { metadata: { name: 'p', labels: { b: '2', c: '3' } } });
  assert.deepEqual(pod, { metadata: { name: 'p', labels: { a: '1', b: '2' } } });
  assert.throws(
    () => applyMergePatch(pod, ['x']),
    (e: unknown) => e instanceof ApiError && e.code === 400 && e.message === 'Invalid JSON Patch',
  );
});

test('the diff of two objects is the merge patch that turns one into the other', () => {
  const from: JsonObject = { a: 1, b: { c: 2, d: 3 }, e: [1] };
  const to: JsonObject = { a: 1, b: { c: 4 }, e: [1, 2], f: 'new' };
  const patch = diffMergePatch(from, to);
  assert.deepEqual(patch, { b: { c: 4, d: null }, e: [1, 2], f: 'new' });
  assert.deepEqual(applyMergePatch(from, patch), to);
});
