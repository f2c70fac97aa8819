// The documents validated together in one run (one file, or every file the CLI or the
// workspace command was given): the CustomResourceDefinitions among them, which teach the
// schema layer their kinds, and each object's identity, so that the same object defined
// twice is reported. Collected before validation, from the YAML nodes without a full decode
// (only CRDs are decoded), so building it costs little next to parsing.
import { isMap, type Document } from 'yaml';
import type { ParsedManifestFile } from '../parse';

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

interface Occurrence {
  readonly file: ParsedManifestFile;
  readonly fileName: string;
  readonly index: number;
}

export interface DocumentSet {
  /** CRDs by `<group>/<kind>`. */
  readonly crds: ReadonlyMap<string, CrdKind>;
  /** Object identities (`group/Kind/namespace/name`) and where each occurs, in input order. */
  readonly identities: ReadonlyMap<string, readonly Occurrence[]>;
}

function scalarAt(doc: Document, path: string[]): string | undefined {
  const value = doc.getIn(path);
  return typeof value === 'string' ? value : undefined;
}

function crdFrom(value: unknown): CrdKind | undefined {
  const spec = (value as { spec?: Record<string, unknown> })?.spec;
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

/** The group of an apiVersion (`apps/v1` → `apps`, `v1` → ``). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * An identity key, or undefined for objects without a name. A missing namespace is the
 * default namespace kubectl applies to; `namespaced` tells whether the kind has one at all.
 */
export function identityKey(apiVersion: string, kind: string, namespace: string | undefined, name: string, namespaced: boolean): string {
  return `${groupOf(apiVersion)}/${kind}/${namespaced ? namespace || 'default' : ''}/${name}`;
}

/**
 * Collects CRDs and identities from parsed files. `isNamespaced` answers for built-in kinds
 * (the schema layer passes the snapshot's scope); kinds it does not know count as namespaced.
 */
export function collectDocumentSet(
  files: readonly { readonly name: string; readonly file: ParsedManifestFile }[],
  isNamespaced: (apiVersion: string, kind: string) => boolean | undefined,
): DocumentSet {
  const crds = new Map<string, CrdKind>();
  const pending: { apiVersion: string; kind: string; namespace?: string; name: string; occurrence: Occurrence }[] = [];
  for (const { name: fileName, file } of files) {
    for (const doc of file.documents) {
      if (doc.errors.length > 0 || !isMap(doc.yaml.contents)) continue;
      const apiVersion = scalarAt(doc.yaml, ['apiVersion']);
      const kind = scalarAt(doc.yaml, ['kind']);
      if (!apiVersion || !kind) continue;
      if (kind === 'CustomResourceDefinition' && groupOf(apiVersion) === 'apiextensions.k8s.io') {
        const crd = crdFrom(doc.yaml.toJS({ maxAliasCount: 100 }));
        if (crd) crds.set(`${crd.group}/${crd.kind}`, crd);
      }
      const name = scalarAt(doc.yaml, ['metadata', 'name']);
      if (name) pending.push({ apiVersion, kind, namespace: scalarAt(doc.yaml, ['metadata', 'namespace']), name, occurrence: { file, fileName, index: doc.index } });
    }
  }
  const identities = new Map<string, Occurrence[]>();
  for (const p of pending) {
    const crd = crds.get(`${groupOf(p.apiVersion)}/${p.kind}`);
    const namespaced = crd ? crd.namespaced : isNamespaced(p.apiVersion, p.kind) ?? true;
    const key = identityKey(p.apiVersion, p.kind, p.namespace, p.name, namespaced);
    const list = identities.get(key);
    if (list) list.push(p.occurrence);
    else identities.set(key, [p.occurrence]);
  }
  return { crds, identities };
}
