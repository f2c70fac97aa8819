// Field paths in the apiserver's form: `spec.template.spec.containers[0].image`,
// `metadata.labels[app.kubernetes.io/name]` for map keys that are not identifiers.

export type PathSegment = string | number;

const identifier = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * Renders segments as the apiserver does (k8s.io/apimachinery field.Path.String):
 * list indices as `[0]`, map keys as `.key`; the apiserver renders keys of maps
 * (labels, annotations, data) as `[key]` — callers mark those with `mapKeys`.
 */
export function formatFieldPath(segments: readonly PathSegment[], mapKeyAt?: ReadonlySet<number>): string {
  let out = '';
  segments.forEach((segment, i) => {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (mapKeyAt?.has(i) || !identifier.test(segment)) out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  });
  return out;
}

/** Appends a child segment to a path string, as field.Path.Child / Index / Key do. */
export function childPath(parent: string, segment: PathSegment, asMapKey = false): string {
  if (typeof segment === 'number') return `${parent}[${segment}]`;
  if (asMapKey) return `${parent}[${segment}]`;
  return parent ? `${parent}.${segment}` : segment;
}
