// Sets of field paths, as structured-merge-diff's fieldpath package keeps them for server-side
// apply. A path is a list of elements written the way FieldsV1 writes them: `f:<field>` for a
// struct or map field, `k:{"name":"web"}` for an item of a list keyed by its map keys,
// `v:"value"` for an item of a set, `i:<n>` for an item by position.
import type { JsonObject, JsonValue } from './jsonValue';
import { isJsonObject } from './jsonValue';

export type FieldPath = readonly string[];

/** The separator of a path's elements inside the set's keys; it never appears in an element (JSON escapes it). */
const separator = '\n';

export function fieldElement(name: string): string {
  return `f:${name}`;
}

/** A keyed list item's element: its key fields as compact JSON with the names sorted, as FieldsV1 prints them. */
export function keyElement(item: JsonObject, keys: readonly string[]): string {
  const fields: Record<string, JsonValue> = {};
  for (const key of [...keys].sort()) if (item[key] !== undefined) fields[key] = item[key];
  return `k:${JSON.stringify(fields)}`;
}

export function valueElement(value: JsonValue): string {
  return `v:${JSON.stringify(value)}`;
}

export function indexElement(index: number): string {
  return `i:${index}`;
}

/**
 * A path as the apiserver prints it in conflicts (fieldpath.Path.String): `.spec.replicas`,
 * `.spec.containers[name="web"].image`, `.metadata.finalizers[="a"]`, `.items[0]`.
 */
export function pathText(path: FieldPath): string {
  return path
    .map((element) => {
      const body = element.slice(2);
      switch (element.slice(0, 2)) {
        case 'f:':
          return `.${body}`;
        case 'k:': {
          const fields = JSON.parse(body) as Record<string, JsonValue>;
          return `[${Object.keys(fields)
            .map((k) => `${k}=${JSON.stringify(fields[k])}`)
            .join(',')}]`;
        }
        case 'v:':
          return `[=${body}]`;
        default:
          return `[${body}]`;
      }
    })
    .join('');
}

/** An immutable set of field paths. */
export class FieldSet {
  private readonly members: ReadonlyMap<string, FieldPath>;

  constructor(paths: Iterable<FieldPath> = []) {
    const members = new Map<string, FieldPath>();
    for (const path of paths) members.set(path.join(separator), path);
    this.members = members;
  }

  get size(): number {
    return this.members.size;
  }

  has(path: FieldPath): boolean {
    return this.members.has(path.join(separator));
  }

  paths(): FieldPath[] {
    return [...this.members.values()];
  }

  union(other: FieldSet): FieldSet {
    return new FieldSet([...this.members.values(), ...other.members.values()]);
  }

  difference(other: FieldSet): FieldSet {
    return new FieldSet([...this.members.values()].filter((p) => !other.has(p)));
  }

  intersection(other: FieldSet): FieldSet {
    return new FieldSet([...this.members.values()].filter((p) => other.has(p)));
  }

  /** FieldsV1: one nested object per element, `{}` for a leaf and `".": {}` for a member that has members below it. */
  toFieldsV1(): JsonObject {
    const root: Record<string, Record<string, unknown>> = {};
    const sorted = [...this.members.values()].sort((a, b) => a.length - b.length);
    for (const path of sorted) {
      let node: Record<string, unknown> = root;
      for (const element of path) {
        let child = node[element] as Record<string, unknown> | undefined;
        if (!child) {
          child = {};
          node[element] = child;
        }
        node = child;
      }
    }
    return markSelf(root, this, []) as JsonObject;
  }

  static fromFieldsV1(fields: JsonValue, where: string): FieldSet {
    const paths: FieldPath[] = [];
    const walk = (node: JsonValue, path: string[]): void => {
      if (!isJsonObject(node)) {
        throw new Error(
          `${where}: expected a FieldsV1 object at ${pathText(path) || '.'}, found ${JSON.stringify(node)}`,
        );
      }
      const keys = Object.keys(node);
      if (path.length > 0 && (keys.length === 0 || keys.includes('.'))) paths.push(path);
      for (const key of keys) {
        if (key === '.') continue;
        if (!/^[fkvi]:/.test(key))
          throw new Error(`${where}: unexpected FieldsV1 element "${key}" at ${pathText(path) || '.'}`);
        walk(node[key], [...path, key]);
      }
    };
    walk(fields, []);
    return new FieldSet(paths);
  }
}

function markSelf(node: Record<string, unknown>, set: FieldSet, path: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(node).sort();
  if (path.length > 0 && keys.length > 0 && set.has(path)) out['.'] = {};
  for (const key of keys) out[key] = markSelf(node[key] as Record<string, unknown>, set, [...path, key]);
  return out;
}
