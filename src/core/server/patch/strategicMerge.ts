// application/strategic-merge-patch+json, after apimachinery's pkg/util/strategicpatch (patch.go,
// mergeMap and mergeSlice). A merge patch where the schema decides how lists merge: a list with
// patch strategy `merge` and a merge key merges its items by that key, a `merge` list of
// primitives is a set, any other list is replaced. Directives: `$patch: replace | delete | merge`
// on a map or a list item, `$retainKeys` on a union struct, `$setElementOrder/<list>` and
// `$deleteFromPrimitiveList/<list>`.
import { sameValue } from '../../base/sameValue';
import type { JsonObject, JsonValue } from './jsonValue';
import { isJsonArray, isJsonObject } from './jsonValue';
import { mergeSortedItems } from './elementOrder';
import { badRequest, goValueText, internalError, unprocessable } from './patchErrors';
import type { FieldSchema } from './patchSchema';
import { fieldOf, itemOf, patchListStrategy } from './patchSchema';

const patchDirective = '$patch';
const retainKeysDirective = '$retainKeys';
const setElementOrderPrefix = '$setElementOrder/';
const deleteFromPrimitivePrefix = '$deleteFromPrimitiveList/';

/** Applies a decoded strategic merge patch; throws ApiError with the apiserver's code for each bad form. */
export function applyStrategicMergePatch(object: JsonObject, patch: JsonValue, schema: FieldSchema): JsonObject {
  if (!isJsonObject(patch)) throw badRequest('invalid JSON document');
  const merged = mergeMap(object, patch, schema);
  return merged ?? {};
}

/** Merges a patch map into an original map; undefined when the patch deletes the map. */
function mergeMap(original: JsonObject | undefined, patch: JsonObject, schema: FieldSchema): JsonObject | undefined {
  const directive = patch[patchDirective];
  if (directive !== undefined) {
    if (directive === 'delete') return undefined;
    if (directive === 'replace') return stripDirectives(patch, schema);
    if (directive !== 'merge')
      throw internalError(`unknown patch type: ${goValueText(directive)} in map: ${goValueText(patch)}`);
  }
  const out: Record<string, JsonValue> = original ? { ...original } : {};
  const retained = patch[retainKeysDirective];
  if (retained !== undefined) clearUnretained(out, patch, retained);
  for (const key of Object.keys(patch)) {
    if (key.startsWith(deleteFromPrimitivePrefix)) {
      const field = key.slice(deleteFromPrimitivePrefix.length);
      const doomed = patch[key];
      if (!isJsonArray(doomed)) throw badRequest('invalid patch format of primitive list');
      const current = out[field];
      if (isJsonArray(current)) out[field] = current.filter((v) => !doomed.some((d) => sameValue(d, v)));
    }
  }
  for (const key of Object.keys(patch)) {
    if (key === patchDirective || key === retainKeysDirective || key.startsWith('$')) continue;
    const value = patch[key];
    const field = fieldOf(schema, key);
    if (value === null) {
      delete out[key];
      continue;
    }
    const current = out[key];
    if (isJsonObject(value)) {
      const merged = mergeMap(isJsonObject(current) ? current : undefined, value, field);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else if (isJsonArray(value)) {
      out[key] = mergeList(isJsonArray(current) ? current : undefined, value, field);
    } else {
      out[key] = value;
    }
  }
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(setElementOrderPrefix)) continue;
    const field = key.slice(setElementOrderPrefix.length);
    const order = patch[key];
    if (!isJsonArray(order)) throw badRequest('invalid patch format of setElementOrder list');
    const merged = out[field];
    const serverOrder = original?.[field];
    if (isJsonArray(merged)) {
      const mergeKey = patchListStrategy(fieldOf(schema, field)).mergeKey;
      out[field] = orderBy(merged, order, isJsonArray(serverOrder) ? serverOrder : [], mergeKey);
    }
  }
  return out;
}

/** `$retainKeys`: fields of a union struct that the patch does not list are cleared before merging. */
function clearUnretained(out: Record<string, JsonValue>, patch: JsonObject, retained: JsonValue): void {
  if (!isJsonArray(retained) || !retained.every((k) => typeof k === 'string')) {
    throw badRequest('invalid patch format of retainKeys');
  }
  const keep = new Set(retained as readonly string[]);
  for (const key of Object.keys(patch)) {
    if (!key.startsWith('$') && patch[key] !== null && !keep.has(key)) {
      throw unprocessable("patch content doesn't match retainKeys list");
    }
  }
  for (const key of Object.keys(out)) if (!keep.has(key)) delete out[key];
}

function mergeList(
  original: readonly JsonValue[] | undefined,
  patch: readonly JsonValue[],
  schema: FieldSchema,
): JsonValue[] {
  const strategy = patchListStrategy(schema);
  if (!strategy.merge) return patch.map((item) => (isJsonObject(item) ? stripDirectives(item, itemOf(schema)) : item));
  if (patch.some(isJsonArray)) throw unprocessable('lists of lists are not supported');
  const item = itemOf(schema);
  if (strategy.mergeKey === undefined) {
    // A set of primitives: the original's items, then the patch's new ones.
    const out = [...(original ?? [])];
    for (const value of patch) if (!out.some((v) => sameValue(v, value))) out.push(value);
    return out;
  }
  const mergeKey = strategy.mergeKey;
  // `[{"$patch": "replace"}, ...items]` replaces the whole list with the other items.
  if (patch.some((p) => isJsonObject(p) && p[patchDirective] === 'replace' && Object.keys(p).length === 1)) {
    return patch
      .filter((p) => !(isJsonObject(p) && p[patchDirective] === 'replace'))
      .map((p) => (isJsonObject(p) ? stripDirectives(p, item) : p));
  }
  const out: JsonValue[] = [...(original ?? [])];
  for (const entry of patch) {
    if (!isJsonObject(entry)) {
      out.push(entry);
      continue;
    }
    const key = entry[mergeKey];
    const index = key === undefined ? -1 : out.findIndex((o) => isJsonObject(o) && sameValue(o[mergeKey], key));
    if (entry[patchDirective] === 'delete') {
      if (key === undefined)
        throw internalError(`map: ${goValueText(entry)} does not contain declared merge key: ${mergeKey}`);
      for (let i = out.length - 1; i >= 0; i--) {
        const o = out[i];
        if (isJsonObject(o) && sameValue(o[mergeKey], key)) out.splice(i, 1);
      }
      continue;
    }
    if (key === undefined)
      throw internalError(`map: ${goValueText(entry)} does not contain declared merge key: ${mergeKey}`);
    if (index >= 0) {
      const merged = mergeMap(out[index] as JsonObject, entry, item);
      if (merged === undefined) out.splice(index, 1);
      else out[index] = merged;
    } else {
      const added = mergeMap(undefined, entry, item);
      if (added !== undefined) out.push(added);
    }
  }
  return out;
}

/** A patch value taken whole (a new key, `$patch: replace`): its directives and nulls removed. */
function stripDirectives(patch: JsonObject, schema: FieldSchema): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(patch)) {
    if (key.startsWith('$')) continue;
    const value = patch[key];
    if (value === null) continue;
    const field = fieldOf(schema, key);
    if (isJsonObject(value)) out[key] = stripDirectives(value, field);
    else if (isJsonArray(value)) out[key] = mergeList(undefined, value, field);
    else out[key] = value;
  }
  return out;
}

/**
 * `$setElementOrder/<list>`: the items the order names, in its order, interleaved with the items
 * only the server had, which keep their places relative to the server's order (strategicpatch's
 * normalizeElementOrder).
 */
function orderBy(
  merged: readonly JsonValue[],
  order: readonly JsonValue[],
  serverOrder: readonly JsonValue[],
  mergeKey: string | undefined,
): JsonValue[] {
  const identity = (v: JsonValue): JsonValue => (mergeKey !== undefined && isJsonObject(v) ? (v[mergeKey] ?? null) : v);
  const orderIds = order.map(identity);
  const position = (v: JsonValue): number => orderIds.findIndex((id) => sameValue(id, identity(v)));
  const named = merged.filter((v) => position(v) >= 0).sort((a, b) => position(a) - position(b));
  const serverOnly = merged.filter((v) => position(v) < 0);
  return mergeSortedItems(serverOnly, named, serverOrder.map(identity), identity);
}
