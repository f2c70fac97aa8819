// Reading a decoded manifest value, which is what the user wrote: any step of a path may be
// missing or of another type, so a read answers undefined (or no items) instead of throwing.
import type { PathSegment } from '../manifest/base/fieldPath';

/** The value at a path in a decoded object; undefined where a step is missing. */
export function at(value: unknown, path: readonly PathSegment[]): unknown {
  let v = value;
  for (const s of path) {
    if (v === undefined || v === null) return undefined;
    // Any value but undefined and null can be indexed, as JavaScript reads `v[s]`.
    v = (v as Readonly<Record<PathSegment, unknown>>)[s];
  }
  return v;
}

/** The list at a path in a decoded object; none where the path is missing or holds no list. */
export function listAt(value: unknown, path: readonly PathSegment[]): readonly unknown[] {
  const v = at(value, path);
  return Array.isArray(v) ? v : [];
}
