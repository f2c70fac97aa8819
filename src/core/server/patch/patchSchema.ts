// What strategic merge patch and server-side apply need to know about a field: its shape
// (struct, map, list, scalar) and the OpenAPI extensions that say how it merges
// (x-kubernetes-patch-merge-key, -patch-strategy, -list-type, -list-map-keys, -map-type). Read
// from the compact schema snapshot, which keeps these extensions for every field that has them.
import { catalogFor } from '../../manifest/schema/apiResolution';
import { resolveNode } from '../../manifest/schema/schemaMessages';
import type { KindSchema, ObjectNode, PatchMeta, SchemaNode } from '../../manifest/schema/snapshot';
import { loadKindSchema } from '../../manifest/schema/snapshot';

/** A position in a kind's schema; `node` is undefined where the schema says nothing (unknown fields, CRDs). */
export interface FieldSchema {
  readonly kind: KindSchema | undefined;
  readonly node: SchemaNode | undefined;
  readonly meta: PatchMeta | undefined;
}

/** How a list merges in a strategic merge patch. */
export interface PatchListStrategy {
  /** `merge` with a merge key merges maps by that key; `merge` without one merges primitives as a set. */
  readonly merge: boolean;
  readonly mergeKey?: string;
  readonly retainKeys: boolean;
}

/** How server-side apply treats a list: atomic (owned whole), set (primitives) or map (items by keys). */
export type ApplyListType =
  { readonly type: 'atomic' } | { readonly type: 'set' } | { readonly type: 'map'; readonly keys: readonly string[] };

/** The schema of a built-in kind, or undefined for kinds the snapshot does not hold. */
export function schemaForKind(apiVersion: string, kind: string, kubernetesVersion = '1.35'): KindSchema | undefined {
  const entry = catalogFor(kubernetesVersion).byApiVersionKind.get(`${apiVersion}/${kind}`);
  return entry ? loadKindSchema(kubernetesVersion, entry) : undefined;
}

export function rootField(kind: KindSchema | undefined): FieldSchema {
  return { kind, node: kind ? `#${kind.root}` : undefined, meta: undefined };
}

function resolved(field: FieldSchema): SchemaNode | undefined {
  return field.kind ? resolveNode(field.kind, field.node) : undefined;
}

function objectNode(field: FieldSchema): ObjectNode | undefined {
  const node = resolved(field);
  return typeof node === 'object' && !('a' in node) && !('m' in node) ? node : undefined;
}

/** The schema of a struct field or of a map's values. */
export function fieldOf(field: FieldSchema, name: string): FieldSchema {
  const node = resolved(field);
  if (typeof node === 'object' && 'm' in node) return { kind: field.kind, node: node.m, meta: undefined };
  const object = objectNode(field);
  if (!object?.p) return { kind: field.kind, node: undefined, meta: undefined };
  return { kind: field.kind, node: object.p[name], meta: object.pm?.[name] };
}

/** The schema of a list's items. */
export function itemOf(field: FieldSchema): FieldSchema {
  const node = resolved(field);
  if (typeof node === 'object' && 'a' in node) return { kind: field.kind, node: node.a, meta: undefined };
  return { kind: field.kind, node: undefined, meta: undefined };
}

/** Whether the schema says this is a struct with named fields (as opposed to a map of any keys). */
export function isStruct(field: FieldSchema): boolean {
  return objectNode(field)?.p !== undefined;
}

/** Whether a map or struct is owned and replaced as a whole (x-kubernetes-map-type: atomic). */
export function isAtomicMap(field: FieldSchema): boolean {
  return field.meta?.mt === 'atomic' || objectNode(field)?.mt === 'atomic';
}

/** Whether the value is a free-form JSON value (RawExtension, preserve-unknown-fields). */
export function isFreeForm(field: FieldSchema): boolean {
  return resolved(field) === '*';
}

export function patchListStrategy(field: FieldSchema): PatchListStrategy {
  const strategies = (field.meta?.s ?? '').split(',');
  return {
    merge: strategies.includes('merge'),
    mergeKey: field.meta?.k,
    retainKeys: strategies.includes('retainKeys'),
  };
}

/** Whether a struct's fields are a union to clear with `$retainKeys` (patch strategy retainKeys). */
export function retainsKeys(field: FieldSchema): boolean {
  return (field.meta?.s ?? '').split(',').includes('retainKeys');
}

export function applyListType(field: FieldSchema): ApplyListType {
  const meta = field.meta;
  if (meta?.lt === 'map' && meta.lk && meta.lk.length > 0) return { type: 'map', keys: meta.lk };
  if (meta?.lt === 'set') return { type: 'set' };
  // A list with a patch merge key but no list type merges by that key under apply too.
  if (!meta?.lt && meta?.k) return { type: 'map', keys: [meta.k] };
  return { type: 'atomic' };
}
