// application/json-patch+json: RFC 6902 as the apiserver applies it (gopkg.in/evanphx/json-patch.v4,
// called from staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go). A patch that does not
// decode is 400, more than 10,000 operations is 413, an operation that does not apply (a failed
// `test` included) is 422 with the library's message as the cause; the operations apply in order
// and all or nothing.
import { sameValue } from '../../base/sameValue';
import type { JsonObject, JsonValue } from './jsonValue';
import { isJsonArray, isJsonObject } from './jsonValue';
import { badRequest, entityTooLarge, unprocessable } from './patchErrors';

/** handlers/patch.go maxJSONPatchOperations. */
export const maxJsonPatchOperations = 10000;

interface Operation {
  readonly op: string;
  readonly path?: string;
  readonly from?: string;
  readonly value?: JsonValue;
  readonly hasValue: boolean;
}

/** Checks that a decoded body is a JSON patch: an array of objects whose op, path and from are strings. */
function decodeOperations(patch: JsonValue): Operation[] {
  if (!isJsonArray(patch)) {
    throw badRequest(
      `json: cannot unmarshal ${isJsonObject(patch) ? 'object' : typeof patch} into Go value of type jsonpatch.Patch`,
    );
  }
  return patch.map((entry, index) => {
    if (!isJsonObject(entry)) {
      throw badRequest(
        `json: cannot unmarshal ${typeof entry} into Go value of type jsonpatch.Operation (operation ${index})`,
      );
    }
    for (const key of ['op', 'path', 'from'] as const) {
      const v = entry[key];
      if (v !== undefined && v !== null && typeof v !== 'string') {
        throw badRequest(
          `json: cannot unmarshal ${typeof v} into Go struct field of operation ${index}: ${key} must be a string`,
        );
      }
    }
    return {
      op: typeof entry.op === 'string' ? entry.op : 'unknown',
      path: typeof entry.path === 'string' ? entry.path : undefined,
      from: typeof entry.from === 'string' ? entry.from : undefined,
      value: entry.value,
      hasValue: 'value' in entry,
    };
  });
}

/** RFC 6901 reference tokens: `~1` is `/` and `~0` is `~`, decoded in that order. */
function tokens(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, JsonValue> | JsonValue[];

class PatchStepError extends Error {
  constructor(message: string, sentinel: string) {
    // The library wraps a sentinel error, so its text ends with the sentinel's (`: missing value`).
    super(`${message}: ${sentinel}`);
  }
}

/**
 * The container that holds the last token of a path (in the working copy), or undefined when a
 * step on the way is missing or is not a container.
 */
function parentOf(root: { doc: JsonValue }, path: string): { container: Container; key: string } | undefined {
  const parts = tokens(path);
  if (!parts || parts.length === 0) return undefined;
  let current: JsonValue | undefined = root.doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(current)) current = current[indexFor(current as JsonValue[], part, false)];
    else if (isJsonObject(current)) current = current[part];
    else return undefined;
  }
  if (current === null || typeof current !== 'object') return undefined;
  return { container: current as Container, key: parts[parts.length - 1] };
}

function indexFor(container: readonly JsonValue[], key: string, forAdd: boolean): number {
  if (forAdd && key === '-') return container.length;
  const invalid = () => new PatchStepError(`Unable to access invalid index: ${key}`, 'invalid index referenced');
  if (!/^-?(0|[1-9][0-9]*)$/.test(key)) throw invalid();
  let index = Number(key);
  const limit = forAdd ? container.length + 1 : container.length;
  // The library accepts negative indices counting from the end, as the apiserver does.
  if (index < 0 && index >= -limit) index += limit;
  if (index < 0 || index >= limit) throw invalid();
  return index;
}

function getAt(root: { doc: JsonValue }, path: string, op: string): JsonValue {
  const parts = tokens(path);
  const missing = () =>
    new PatchStepError(`${op} operation does not apply: doc is missing path: ${path}`, 'missing value');
  if (parts === undefined) throw missing();
  let current: JsonValue | undefined = root.doc;
  for (const part of parts) {
    if (Array.isArray(current)) current = current[indexFor(current as JsonValue[], part, false)];
    else if (isJsonObject(current)) current = current[part];
    else current = undefined;
    if (current === undefined) throw missing();
  }
  return current;
}

function add(root: { doc: JsonValue }, path: string, value: JsonValue, op: string): void {
  if (path === '') {
    root.doc = value;
    return;
  }
  const target = parentOf(root, path);
  if (!target)
    throw new PatchStepError(`${op} operation does not apply: doc is missing path: "${path}"`, 'missing value');
  const { container, key } = target;
  if (Array.isArray(container)) container.splice(indexFor(container, key, true), 0, value);
  else container[key] = value;
}

function remove(root: { doc: JsonValue }, path: string, op: string): JsonValue {
  const target = parentOf(root, path);
  if (!target)
    throw new PatchStepError(`${op} operation does not apply: doc is missing path: "${path}"`, 'missing value');
  const { container, key } = target;
  if (Array.isArray(container)) return container.splice(indexFor(container, key, false), 1)[0];
  if (!(key in container)) throw new PatchStepError(`Unable to remove nonexistent key: ${key}`, 'missing value');
  const old = container[key];
  delete container[key];
  return old;
}

function applyOne(root: { doc: JsonValue }, operation: Operation): void {
  const { op } = operation;
  const path = operation.path;
  if (path === undefined && op !== 'unknown')
    throw new PatchStepError(`${op} operation failed to decode path`, 'missing value');
  switch (op) {
    case 'add':
      add(root, path ?? '', operation.value ?? null, op);
      return;
    case 'remove':
      remove(root, path ?? '', op);
      return;
    case 'replace':
      getAt(root, path ?? '', op);
      if (path === '') root.doc = operation.value ?? null;
      else {
        remove(root, path ?? '', op);
        add(root, path ?? '', operation.value ?? null, op);
      }
      return;
    case 'move':
    case 'copy': {
      if (operation.from === undefined)
        throw new PatchStepError(`${op} operation, missing from field`, 'missing value');
      const value = op === 'move' ? remove(root, operation.from, op) : getAt(root, operation.from, op);
      add(root, path ?? '', value, op);
      return;
    }
    case 'test': {
      let actual: JsonValue | undefined;
      try {
        actual = getAt(root, path ?? '', op);
      } catch {
        actual = undefined;
      }
      if (actual === undefined ? operation.value !== null && operation.hasValue : !sameValue(actual, operation.value)) {
        throw new PatchStepError(`testing value ${path ?? ''} failed`, 'test failed');
      }
      return;
    }
    default:
      throw new Error(`Unexpected kind: ${op}`);
  }
}

/**
 * Applies a decoded JSON patch to an object and returns the new object. Throws ApiError 400 when
 * the patch is not an array of operations, 413 past the operation limit, and 422 when an
 * operation does not apply.
 */
export function applyJsonPatch(object: JsonObject, patch: JsonValue): JsonValue {
  const operations = decodeOperations(patch);
  if (operations.length > maxJsonPatchOperations) {
    throw entityTooLarge(
      `The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${operations.length}`,
    );
  }
  // One deep copy up front lets the operations edit in place and keeps the stored object untouched.
  const root: { doc: JsonValue } = { doc: structuredClone(object) as JsonValue };
  for (const operation of operations) {
    try {
      applyOne(root, operation);
    } catch (error) {
      throw unprocessable(error instanceof Error ? error.message : String(error));
    }
  }
  return root.doc;
}
