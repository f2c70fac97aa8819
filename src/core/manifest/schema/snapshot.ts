// Reads the compact schema snapshot that scripts/buildSchemas.mjs writes (schemas/ in the
// repository, dist/schemas/ in a build). The index of a version is read on first use; each
// kind's file only when a document of that kind is validated, so a cold start parses a few
// kilobytes, not the 10 MB of OpenAPI documents the snapshot comes from.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A compact schema node; see the encoding described in scripts/buildSchemas.mjs. */
export type SchemaNode = string | ListNode | MapNode | ObjectNode;
export interface ListNode {
  readonly a: SchemaNode;
}
export interface MapNode {
  readonly m: SchemaNode;
}
export interface ObjectNode {
  /** The Go type name reflect prints (`v1.ContainerPort`), used in the decoder's type errors. */
  readonly g?: string;
  readonly p?: Readonly<Record<string, SchemaNode>>;
  readonly r?: readonly string[];
  /** A definition that is not a struct (a named string or map type): its shape. */
  readonly alias?: SchemaNode;
  /** Custom resources only (the apiserver enforces these for CRDs, not for built-in kinds). */
  readonly enum?: readonly unknown[];
  /** Custom resources only: unknown fields are kept, not reported. */
  readonly preserve?: boolean;
  /** Custom resources only: the JSON-schema type of the node, for the CRD validator's wording. */
  readonly type?: string;
  /** The patch and apply extensions of the fields that have them (strategic merge patch, server-side apply). */
  readonly pm?: Readonly<Record<string, PatchMeta>>;
  /** `atomic` when the struct is owned and replaced as a whole (x-kubernetes-map-type). */
  readonly mt?: string;
}

/** A field's x-kubernetes-patch-merge-key, -patch-strategy, -list-type, -list-map-keys and -map-type. */
export interface PatchMeta {
  readonly k?: string;
  readonly s?: string;
  readonly lt?: string;
  readonly lk?: readonly string[];
  readonly mt?: string;
}

export interface KindSchema {
  readonly root: string;
  readonly defs: Readonly<Record<string, ObjectNode>>;
}

export interface SnapshotKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly file: string;
}

export interface SnapshotIndex {
  readonly kubernetesVersion: string;
  readonly kinds: readonly SnapshotKind[];
}

let cachedRoot: string | undefined;

/**
 * Finds the snapshot: $PODTRACE_SCHEMAS, then `schemas/` beside the bundle (dist/schemas),
 * then the repository's committed `schemas/` above the running file (tests run from out/).
 */
export function snapshotRoot(): string {
  if (cachedRoot) return cachedRoot;
  const candidates: string[] = [];
  if (process.env.PODTRACE_SCHEMAS) candidates.push(process.env.PODTRACE_SCHEMAS);
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) {
    candidates.push(path.join(dir, 'schemas'), path.join(dir, 'dist', 'schemas'));
  }
  const found = candidates.find((c) => fs.existsSync(path.join(c, '1.35', 'index.json')));
  if (!found)
    throw new Error(
      `podtrace: the schema snapshot (schemas/1.35/index.json) was not found; looked in ${candidates.join(', ')}`,
    );
  cachedRoot = found;
  return found;
}

const indexes = new Map<string, SnapshotIndex>();
const kindFiles = new Map<string, KindSchema>();

/** The list of kinds served by a Kubernetes version; read once per version. */
export function snapshotIndex(kubernetesVersion: string): SnapshotIndex {
  let index = indexes.get(kubernetesVersion);
  if (!index) {
    const file = path.join(snapshotRoot(), kubernetesVersion, 'index.json');
    index = JSON.parse(fs.readFileSync(file, 'utf8')) as SnapshotIndex;
    indexes.set(kubernetesVersion, index);
  }
  return index;
}

/** One kind's schema closure, read on first use and kept. */
export function loadKindSchema(kubernetesVersion: string, entry: SnapshotKind): KindSchema {
  const key = `${kubernetesVersion}/${entry.file}`;
  let schema = kindFiles.get(key);
  if (!schema) {
    schema = JSON.parse(
      fs.readFileSync(path.join(snapshotRoot(), kubernetesVersion, entry.file), 'utf8'),
    ) as KindSchema;
    kindFiles.set(key, schema);
  }
  return schema;
}

/** How many kind files have been read so far (tests check that loading is lazy). */
export function loadedKindFileCount(): number {
  return kindFiles.size;
}
