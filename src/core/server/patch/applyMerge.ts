// The object server-side apply produces, before ownership: the live object with the applied
// configuration merged in by the schema (structured-merge-diff's merge: keyed lists merge item by
// item, sets take the union, atomic values and scalars are replaced), and the removal of the
// fields a manager stopped applying that nobody else owns.
import type { FieldPath, FieldSet } from './fieldSet';
import { fieldElement } from './fieldSet';
import type { JsonObject, JsonValue } from './jsonValue';
import { isJsonArray, isJsonObject } from './jsonValue';
import { itemElement } from './objectFields';
import type { FieldSchema } from './patchSchema';
import { applyListType, fieldOf, isAtomicMap, isFreeForm, itemOf } from './patchSchema';

/** Merges an applied configuration into the live object; neither input is changed. */
export function mergeApplied(live: JsonValue | undefined, config: JsonValue, schema: FieldSchema): JsonValue {
  if (live === undefined || isFreeForm(schema)) return config;
  if (isJsonArray(config) && isJsonArray(live)) {
    const type = applyListType(schema);
    if (type.type === 'atomic') return config;
    const item = itemOf(schema);
    const out: JsonValue[] = [...live];
    const elements = live.map((v, i) => itemElement(v, i, schema));
    config.forEach((value, index) => {
      const element = itemElement(value, index, schema);
      const at = elements.indexOf(element);
      if (at < 0) {
        out.push(value);
        elements.push(element);
      } else if (type.type === 'map') out[at] = mergeApplied(out[at], value, item);
    });
    return out;
  }
  if (isJsonObject(config) && isJsonObject(live) && !isAtomicMap(schema)) {
    const out: Record<string, JsonValue> = { ...live };
    for (const key of Object.keys(config)) out[key] = mergeApplied(live[key], config[key], fieldOf(schema, key));
    return out;
  }
  return config;
}

/** Removes the fields of a set from an object (a list item by its key or value, a field by name). */
export function removeFields(object: JsonObject, fields: FieldSet, schema: FieldSchema): JsonObject {
  let out: JsonValue = object;
  // Shallowest first: a keyed item goes before its own fields would change the key it is found by.
  const paths = fields.paths().sort((a, b) => a.length - b.length);
  for (const path of paths) out = removePath(out, path, schema);
  return out as JsonObject;
}

function removePath(value: JsonValue, path: FieldPath, schema: FieldSchema): JsonValue {
  if (path.length === 0) return value;
  const [element, ...rest] = path;
  if (isJsonArray(value)) {
    const index = value.findIndex((item, i) => itemElement(item, i, schema) === element);
    if (index < 0) return value;
    const out = [...value];
    if (rest.length === 0) out.splice(index, 1);
    else out[index] = removePath(out[index], rest, itemOf(schema));
    return out;
  }
  if (!isJsonObject(value) || !element.startsWith('f:')) return value;
  const name = element.slice(2);
  if (!(name in value)) return value;
  const out: Record<string, JsonValue> = { ...value };
  if (rest.length === 0) delete out[name];
  else out[name] = removePath(value[name], rest, fieldOf(schema, name));
  return out;
}

/** The value at a field path, or undefined when the object does not have it. */
export function valueAtPath(object: JsonValue, path: FieldPath, schema: FieldSchema): JsonValue | undefined {
  let current: JsonValue | undefined = object;
  let field = schema;
  for (const element of path) {
    if (isJsonArray(current)) {
      const list: readonly JsonValue[] = current;
      const listField = field;
      current = list.find((item, i) => itemElement(item, i, listField) === element);
      field = itemOf(field);
    } else if (isJsonObject(current) && element === fieldElement(element.slice(2))) {
      current = current[element.slice(2)];
      field = fieldOf(field, element.slice(2));
    } else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}
