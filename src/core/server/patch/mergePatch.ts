// application/merge-patch+json: RFC 7386 JSON merge patch, as the apiserver applies it with
// jsonpatch.MergePatch (handlers/patch.go). Objects merge key by key, `null` removes a key, and
// anything else (lists included) replaces the value whole.
import { sameValue } from '../../base/sameValue';
import type { JsonObject, JsonValue } from './jsonValue';
import { isJsonObject } from './jsonValue';
import { badRequest } from './patchErrors';

/** RFC 7386 section 2, MergePatch(Target, Patch). */
export function mergeValues(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return patch;
  const out: Record<string, JsonValue> = isJsonObject(target) ? { ...target } : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) delete out[key];
    else out[key] = mergeValues(out[key], value);
  }
  return out;
}

/**
 * Applies a decoded merge patch to an object. A body that is not a JSON object cannot be
 * merged into one: 400, with jsonpatch.ErrBadJSONPatch's text.
 */
export function applyMergePatch(object: JsonObject, patch: JsonValue): JsonObject {
  if (!isJsonObject(patch)) throw badRequest('Invalid JSON Patch');
  return mergeValues(object, patch) as JsonObject;
}

/**
 * The merge patch that turns `from` into `to` (jsonmergepatch.CreateThreeWayJSONMergePatch's
 * two-way core): changed keys with their new values, removed keys as null.
 */
export function diffMergePatch(from: JsonObject, to: JsonObject): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(from)) if (!(key in to)) out[key] = null;
  for (const key of Object.keys(to)) {
    const a = from[key];
    const b = to[key];
    if (isJsonObject(a) && isJsonObject(b)) {
      const inner = diffMergePatch(a, b);
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else if (!sameValue(a, b)) out[key] = b;
  }
  return out;
}
