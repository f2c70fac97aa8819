// What the documents validated together know about each other: the CustomResourceDefinitions
// among them, which teach the schema checks their kinds, and how an object is identified,
// so that the same object defined twice is reported. Plain data; setChecks.ts builds it
// from the documents of a run and the simulated apiserver may build it from its store.

export interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly schema: unknown;
}

export interface CrdKind {
  readonly group: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly versions: readonly CrdVersion[];
}

export interface DocumentSet {
  /** CRDs by `<group>/<kind>`. */
  readonly crds: ReadonlyMap<string, CrdKind>;
}

/** The group of an apiVersion (`apps/v1` → `apps`, `v1` → ``). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** A decoded CustomResourceDefinition (apiextensions.k8s.io/v1) as the kinds it teaches, or undefined. */
export function crdFrom(value: unknown): CrdKind | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { apiVersion, kind, spec } = value as { apiVersion?: unknown; kind?: unknown; spec?: Record<string, unknown> };
  if (
    kind !== 'CustomResourceDefinition' ||
    typeof apiVersion !== 'string' ||
    groupOf(apiVersion) !== 'apiextensions.k8s.io'
  )
    return undefined;
  if (!spec || typeof spec.group !== 'string') return undefined;
  const names = spec.names as { kind?: unknown } | undefined;
  if (!names || typeof names.kind !== 'string') return undefined;
  const versions: CrdVersion[] = [];
  if (Array.isArray(spec.versions)) {
    for (const v of spec.versions as Record<string, unknown>[]) {
      if (!v || typeof v.name !== 'string') continue;
      const validation = v.schema as { openAPIV3Schema?: unknown } | undefined;
      versions.push({ name: v.name, served: v.served !== false, schema: validation?.openAPIV3Schema });
    }
  }
  return { group: spec.group, kind: names.kind, namespaced: spec.scope !== 'Cluster', versions };
}

/** A DocumentSet from decoded objects: every CRD among them, the last one winning. */
export function documentSetOf(values: Iterable<unknown>): DocumentSet {
  const crds = new Map<string, CrdKind>();
  for (const value of values) {
    const crd = crdFrom(value);
    if (crd) crds.set(`${crd.group}/${crd.kind}`, crd);
  }
  return { crds };
}

/**
 * An object's identity (`group/Kind/namespace/name`). A missing namespace is the default
 * namespace kubectl applies to; `namespaced` tells whether the kind has one at all.
 */
export function identityKey(
  apiVersion: string,
  kind: string,
  namespace: string | undefined,
  name: string,
  namespaced: boolean,
): string {
  return `${groupOf(apiVersion)}/${kind}/${namespaced ? namespace || 'default' : ''}/${name}`;
}
