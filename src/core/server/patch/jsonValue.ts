// The JSON values patches read and write. Objects arrive from the store as immutable
// plain values; every function in this folder builds new values and never mutates its input.

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isJsonArray(value: unknown): value is readonly JsonValue[] {
  return Array.isArray(value);
}

/** How Go's encoding/json names a decoded value's kind in merge errors (`map`, `slice`, `string`, ...). */
export function goKindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (Array.isArray(value)) return 'slice';
  switch (typeof value) {
    case 'object':
      return 'map';
    case 'number':
      return Number.isInteger(value) ? 'int64' : 'float64';
    case 'boolean':
      return 'bool';
    default:
      return 'string';
  }
}

/** A copy of an object without one key; the input is left as it was. */
export function withoutKey(object: JsonObject, key: string): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const k of Object.keys(object)) if (k !== key) out[k] = object[k];
  return out;
}

/** The value at a chain of object keys, or undefined where a step is missing or not an object. */
export function valueAt(root: JsonValue | undefined, path: readonly string[]): JsonValue | undefined {
  let current: JsonValue | undefined = root;
  for (const key of path) {
    if (!isJsonObject(current)) return undefined;
    current = current[key];
  }
  return current;
}
