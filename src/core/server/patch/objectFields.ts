// Which fields an object sets, and which fields differ between two objects, walked by the
// kind's schema as structured-merge-diff's typed package walks them (tofieldset.go, compare.go).
// A list is atomic, a set or a map by its x-kubernetes-list-type; a struct or map is atomic by
// its x-kubernetes-map-type; an atomic value and a scalar are leaves.
import { sameValue } from '../../base/sameValue';
import type { FieldPath } from './fieldSet';
import { FieldSet, fieldElement, indexElement, keyElement, pathText, valueElement } from './fieldSet';
import type { JsonObject, JsonValue } from './jsonValue';
import { isJsonArray, isJsonObject } from './jsonValue';
import { listMapKeyDefaults } from './listMapKeyDefaults';
import type { FieldSchema } from './patchSchema';
import { applyListType, fieldOf, isAtomicMap, isFreeForm, isStruct, itemOf } from './patchSchema';

/** The fields server-side apply never tracks (the apiserver's stripMeta manager). */
const strippedPaths: readonly FieldPath[] = [
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ...[
    'name',
    'namespace',
    'creationTimestamp',
    'selfLink',
    'uid',
    'generation',
    'managedFields',
    'resourceVersion',
  ].map((f) => ['f:metadata', `f:${f}`]),
];

/** Whether a path is one the apiserver strips from every manager's set (or lies below one it strips whole). */
export function isStripped(path: FieldPath): boolean {
  if (path[0] === 'f:metadata' && path[1] === 'f:managedFields') return true;
  return strippedPaths.some((s) => s.length === path.length && s.every((e, i) => e === path[i]));
}

function isAtomic(value: JsonValue, schema: FieldSchema): boolean {
  if (isFreeForm(schema)) return true;
  if (isJsonArray(value)) return applyListType(schema).type === 'atomic';
  if (isJsonObject(value)) return isAtomicMap(schema);
  return true;
}

/** The element that names a list item: its keys, its value (a set) or its position. */
export function itemElement(item: JsonValue, index: number, schema: FieldSchema): string {
  const type = applyListType(schema);
  if (type.type === 'map' && isJsonObject(item)) return keyElement(withKeyDefaults(item, schema), type.keys);
  if (type.type === 'set') return valueElement(item);
  return indexElement(index);
}

/** The item with its missing key fields defaulted, as structured-merge-diff keys it. */
function withKeyDefaults(item: JsonObject, list: FieldSchema): JsonObject {
  const node = itemOf(list).node;
  const defaults = typeof node === 'string' ? listMapKeyDefaults[node.replace(/^#/, '')] : undefined;
  if (!defaults) return item;
  let out: JsonObject | undefined;
  for (const key of Object.keys(defaults))
    if (item[key] === undefined) out = { ...(out ?? item), [key]: defaults[key] };
  return out ?? item;
}

/** The fields a configuration sets (typed.ToFieldSet), without the ones the apiserver strips. */
export function fieldSetOf(object: JsonObject, schema: FieldSchema): FieldSet {
  const paths: FieldPath[] = [];
  const walk = (value: JsonValue, field: FieldSchema, path: FieldPath): void => {
    if (isAtomic(value, field)) {
      paths.push(path);
      return;
    }
    if (isJsonArray(value)) {
      value.forEach((item, index) => {
        const itemPath = [...path, itemElement(item, index, field)];
        walk(item, itemOf(field), itemPath);
        paths.push(itemPath);
      });
      return;
    }
    const object = value as JsonObject;
    const struct = isStruct(field);
    for (const key of Object.keys(object)) {
      const child = object[key];
      const childField = fieldOf(field, key);
      const childPath = [...path, fieldElement(key)];
      walk(child, childField, childPath);
      // An empty map, a null, and an entry of a map (not a struct's field) are members themselves.
      if (child === null || (isJsonObject(child) && Object.keys(child).length === 0) || !struct) paths.push(childPath);
    }
  };
  walk(object, schema, []);
  return new FieldSet(paths.filter((p) => p.length > 0 && !isStripped(p)));
}

/** The fields that differ between two objects: added, changed or removed (typed.Compare). */
export interface Comparison {
  readonly added: FieldSet;
  readonly modified: FieldSet;
  readonly removed: FieldSet;
}

export function compareFields(before: JsonObject | undefined, after: JsonObject, schema: FieldSchema): Comparison {
  const added: FieldPath[] = [];
  const modified: FieldPath[] = [];
  const removed: FieldPath[] = [];
  const all = (value: JsonValue, field: FieldSchema, path: FieldPath, into: FieldPath[]): void => {
    into.push(...fieldSetOfValue(value, field, path));
  };
  const walk = (a: JsonValue | undefined, b: JsonValue | undefined, field: FieldSchema, path: FieldPath): void => {
    if (a === undefined && b === undefined) return;
    if (a === undefined) return all(b as JsonValue, field, path, added);
    if (b === undefined) return all(a, field, path, removed);
    if (isAtomic(b, field) || isAtomic(a, field) || isJsonArray(a) !== isJsonArray(b)) {
      if (!sameValue(a, b)) modified.push(path);
      return;
    }
    if (isJsonArray(a) && isJsonArray(b)) {
      const item = itemOf(field);
      const left = new Map(a.map((v, i) => [itemElement(v, i, field), v] as const));
      const right = new Map(b.map((v, i) => [itemElement(v, i, field), v] as const));
      for (const [element, v] of left) walk(v, right.get(element), item, [...path, element]);
      for (const [element, v] of right) if (!left.has(element)) walk(undefined, v, item, [...path, element]);
      return;
    }
    const left = a as JsonObject;
    const right = b as JsonObject;
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
      walk(left[key], right[key], fieldOf(field, key), [...path, fieldElement(key)]);
    }
  };
  walk(before ?? {}, after, schema, []);
  const clean = (paths: FieldPath[]) => new FieldSet(paths.filter((p) => p.length > 0 && !isStripped(p)));
  return { added: clean(added), modified: clean(modified), removed: clean(removed) };
}

/**
 * The paths of a value that appears or disappears whole: the value itself (unless it is a struct,
 * which the apiserver's typed objects always carry) and everything below it.
 */
function fieldSetOfValue(value: JsonValue, field: FieldSchema, path: FieldPath): FieldPath[] {
  const out: FieldPath[] = [];
  if (!(isJsonObject(value) && isStruct(field) && !isAtomicMap(field)) || Object.keys(value).length === 0)
    out.push(path);
  if (isAtomic(value, field)) return out;
  if (isJsonArray(value)) {
    value.forEach((item, index) =>
      out.push(...fieldSetOfValue(item, itemOf(field), [...path, itemElement(item, index, field)])),
    );
  } else if (isJsonObject(value)) {
    for (const key of Object.keys(value))
      out.push(...fieldSetOfValue(value[key], fieldOf(field, key), [...path, fieldElement(key)]));
  }
  return out;
}

/**
 * The fields of an object its kind's schema does not declare, as apply's typed conversion names
 * them (`.spec.foo`, `.spec.containers[name="web"].bar`). Free-form values and kinds without a
 * schema have none.
 */
export function undeclaredFields(object: JsonObject, schema: FieldSchema): string[] {
  if (schema.kind === undefined) return [];
  const out: FieldPath[] = [];
  const walk = (value: JsonValue, field: FieldSchema, path: FieldPath): void => {
    if (isFreeForm(field) || field.node === undefined) return;
    if (isJsonArray(value)) {
      value.forEach((item, index) => walk(item, itemOf(field), [...path, itemElement(item, index, field)]));
      return;
    }
    if (!isJsonObject(value)) return;
    const struct = isStruct(field);
    for (const key of Object.keys(value)) {
      const child = fieldOf(field, key);
      if (struct && child.node === undefined) out.push([...path, fieldElement(key)]);
      else walk(value[key], child, [...path, fieldElement(key)]);
    }
  };
  walk(object, schema, []);
  return out.map(pathText);
}
