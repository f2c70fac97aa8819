// Builds podtrace's compact schema snapshot from the official Kubernetes OpenAPI v3
// documents (../shared/k8s-openapi, or $PODTRACE_SHARED/k8s-openapi).
//
// Output, committed under schemas/ so that neither the product nor a fresh build depends
// on ../shared (schemas/stamp.json holds a digest of the inputs, so a fresh clone sees
// the snapshot as up to date; the output is deterministic, so a rebuild leaves git clean):
// schemas/<version>/index.json lists every served kind (group, version, kind, scope, file),
// and schemas/<version>/<group>/<version>/<Kind>.json holds that kind's
// schema closure with descriptions dropped, so the validator loads one small file per kind
// on first use instead of parsing 10 MB at start. build.mjs copies schemas/ to dist/schemas.
//
// Node encoding (read by src/core/manifest/schema/snapshot.ts):
//   "s" string, "b" bool, "i32"/"i64" integers, "f64" number, "ios" int-or-string,
//   "q" resource.Quantity, "byte" base64 []byte, "*" anything (RawExtension, JSON, FieldsV1),
//   {"a": node} list, {"m": node} map, "#<def>" a reference to defs[<def>],
//   defs: {"g": "<Go type name>", "p": {field: node}, "r": [required fields],
//          "pm": {field: patch meta}, "mt": "atomic" when the struct is replaced as a whole}.
// Patch meta keeps what strategic merge patch and server-side apply read from a field:
//   {"k": x-kubernetes-patch-merge-key, "s": x-kubernetes-patch-strategy,
//    "lt": x-kubernetes-list-type, "lk": x-kubernetes-list-map-keys, "mt": x-kubernetes-map-type}.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const snapshotVersions = ['1.35', '1.32'];
const formatVersion = 1;

/** Where the shared OpenAPI documents are: $PODTRACE_SHARED, ../shared, then /work/shared. */
export function sharedOpenApiDir() {
  const candidates = [process.env.PODTRACE_SHARED, path.resolve(root, '../shared'), '/work/shared'].filter(Boolean);
  for (const c of candidates) if (fs.existsSync(path.join(c, 'k8s-openapi'))) return path.join(c, 'k8s-openapi');
  return undefined;
}

function listJson(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listJson(full));
    else if (entry.name.endsWith('.json')) out.push(full);
  }
  return out.sort();
}

const refPrefix = '#/components/schemas/';
const specialTypes = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'ios',
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'q',
  'io.k8s.apimachinery.pkg.runtime.RawExtension': '*',
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': '*',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': '*',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': 's',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': 's',
};

/** The Go type name reflect prints: the package's last element and the type name. */
function goTypeName(defName) {
  const parts = defName.split('.');
  return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
}

function refTarget(schema) {
  if (schema.$ref) return schema.$ref.slice(refPrefix.length);
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1 && schema.allOf[0].$ref)
    return schema.allOf[0].$ref.slice(refPrefix.length);
  return undefined;
}

/** Compiles one OpenAPI schema into the compact node form; `need` collects referenced definitions. */
function compactNode(schema, need) {
  const target = refTarget(schema);
  if (target !== undefined) {
    if (specialTypes[target]) return specialTypes[target];
    need.add(target);
    return `#${target}`;
  }
  if (schema['x-kubernetes-preserve-unknown-fields'] || schema['x-kubernetes-embedded-resource']) return '*';
  if (schema.format === 'int-or-string') return 'ios';
  switch (schema.type) {
    case 'string':
      return schema.format === 'byte' ? 'byte' : 's';
    case 'boolean':
      return 'b';
    case 'integer':
      return schema.format === 'int32' ? 'i32' : 'i64';
    case 'number':
      return 'f64';
    case 'array':
      return { a: schema.items ? compactNode(schema.items, need) : '*' };
    case 'object':
      if (schema.properties) return compactObject(schema, need, undefined);
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
        return { m: compactNode(schema.additionalProperties, need) };
      return '*';
    default:
      return '*';
  }
}

/** The patch and apply extensions of one property, or undefined when it has none. */
function patchMeta(prop) {
  const meta = {};
  if (prop['x-kubernetes-patch-merge-key']) meta.k = prop['x-kubernetes-patch-merge-key'];
  if (prop['x-kubernetes-patch-strategy']) meta.s = prop['x-kubernetes-patch-strategy'];
  if (prop['x-kubernetes-list-type']) meta.lt = prop['x-kubernetes-list-type'];
  if (prop['x-kubernetes-list-map-keys']) meta.lk = prop['x-kubernetes-list-map-keys'];
  if (prop['x-kubernetes-map-type']) meta.mt = prop['x-kubernetes-map-type'];
  return Object.keys(meta).length > 0 ? meta : undefined;
}

function compactObject(schema, need, defName) {
  const props = {};
  const metas = {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    props[name] = compactNode(prop, need);
    const meta = patchMeta(prop);
    if (meta) metas[name] = meta;
  }
  const out = { p: props };
  if (defName) out.g = goTypeName(defName);
  if (Array.isArray(schema.required) && schema.required.length > 0) out.r = schema.required;
  if (Object.keys(metas).length > 0) out.pm = metas;
  if (schema['x-kubernetes-map-type'] === 'atomic') out.mt = 'atomic';
  return out;
}

function compactDefinition(defName, schema, need) {
  if (schema.type === 'object' && schema.properties) return compactObject(schema, need, defName);
  const node = compactNode(schema, need);
  return typeof node === 'string' || !node.p ? { g: goTypeName(defName), alias: node } : node;
}

/** The kinds a group-version serves, from its paths: kind → namespaced?, skipping subresources. */
function servedKinds(doc) {
  const kinds = new Map();
  for (const [p, item] of Object.entries(doc.paths ?? {})) {
    const segments = p.split('/').filter(Boolean);
    const last = segments[segments.length - 1];
    const beforeLast = segments[segments.length - 2];
    // /…/{plural} or /…/{plural}/{name}; anything after {name} is a subresource.
    if (segments.includes('watch')) continue;
    if (last.startsWith('{') && last !== '{name}') continue;
    if (beforeLast === '{name}') continue;
    for (const op of Object.values(item)) {
      const gvk = op?.['x-kubernetes-group-version-kind'];
      if (!gvk || !op['x-kubernetes-action'] || !['post', 'put', 'get', 'list'].includes(op['x-kubernetes-action']))
        continue;
      const namespaced = segments.includes('{namespace}');
      const previous = kinds.get(gvk.kind);
      kinds.set(gvk.kind, { ...gvk, namespaced: previous ? previous.namespaced || namespaced : namespaced });
    }
  }
  return kinds;
}

function buildVersion(sourceDir, outDir, version) {
  fs.rmSync(outDir, { recursive: true, force: true });
  const index = { formatVersion, kubernetesVersion: version, kinds: [] };
  let bytes = 0;
  for (const file of listJson(sourceDir)) {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    const schemas = doc.components?.schemas ?? {};
    for (const [kind, info] of servedKinds(doc)) {
      const defName = Object.keys(schemas).find((name) =>
        (schemas[name]['x-kubernetes-group-version-kind'] ?? []).some(
          (g) => g.group === info.group && g.version === info.version && g.kind === kind,
        ),
      );
      if (!defName || kind.endsWith('List')) continue;
      const defs = {};
      const need = new Set([defName]);
      for (const name of need) {
        if (defs[name]) continue;
        if (!schemas[name]) throw new Error(`${file}: $ref to ${name}, which the document does not define`);
        defs[name] = compactDefinition(name, schemas[name], need);
      }
      const rel = path.join(info.group || 'core', info.version, `${kind}.json`);
      const text = JSON.stringify({ root: defName, defs });
      fs.mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
      fs.writeFileSync(path.join(outDir, rel), text);
      bytes += text.length;
      index.kinds.push({
        group: info.group,
        version: info.version,
        kind,
        namespaced: info.namespaced,
        file: rel.split(path.sep).join('/'),
      });
    }
  }
  index.kinds.sort((a, b) => `${a.group}/${a.version}/${a.kind}`.localeCompare(`${b.group}/${b.version}/${b.kind}`));
  fs.writeFileSync(path.join(outDir, 'index.json'), JSON.stringify(index, null, 0));
  return { kinds: index.kinds.length, bytes };
}

/**
 * A digest of every input of the snapshot: the OpenAPI documents and this script. A
 * content digest, not mtimes, so that a fresh clone sees its committed snapshot as up
 * to date and a build never dirties the tree.
 */
function inputDigest(dir) {
  const hash = crypto.createHash('sha256');
  for (const file of listJson(dir).sort()) {
    hash.update(path.relative(dir, file).split(path.sep).join('/'));
    hash.update(fs.readFileSync(file));
  }
  hash.update(fs.readFileSync(fileURLToPath(import.meta.url)));
  return hash.digest('hex');
}

function sourceNote(source) {
  const upstream = fs.existsSync(path.join(source, 'SOURCE.md'))
    ? fs.readFileSync(path.join(source, 'SOURCE.md'), 'utf8')
    : '';
  return `# Schema snapshot

Generated by \`scripts/buildSchemas.mjs\` from the Kubernetes project's OpenAPI v3 documents
(versions ${snapshotVersions.join(' and ')}): one file per served kind with its schema closure,
descriptions dropped. Do not edit by hand; run \`node scripts/buildSchemas.mjs --force\`.
Apache-2.0, the Kubernetes authors (LICENSE beside this file).

## Where the input documents came from

${upstream.replace(/^# .*\n/, '')}`;
}

/**
 * Regenerates schemas/ when the shared documents or this script differ from the
 * snapshot's stamp (a no-op otherwise, or when ../shared is absent: the committed
 * snapshot is then used as is), and copies the snapshot to dist/schemas.
 */
export function buildSchemas({ force = false, log = () => {} } = {}) {
  const outRoot = path.join(root, 'schemas');
  const source = sharedOpenApiDir();
  const stampFile = path.join(outRoot, 'stamp.json');
  if (source) {
    const inputHash = inputDigest(source);
    const stamp = fs.existsSync(stampFile) ? JSON.parse(fs.readFileSync(stampFile, 'utf8')) : undefined;
    const upToDate =
      stamp &&
      stamp.formatVersion === formatVersion &&
      stamp.inputHash === inputHash &&
      snapshotVersions.every((v) => fs.existsSync(path.join(outRoot, v, 'index.json')));
    if (force || !upToDate) {
      for (const version of snapshotVersions) {
        const r = buildVersion(path.join(source, `v${version}`), path.join(outRoot, version), version);
        log(`schemas: ${version}: ${r.kinds} kinds, ${(r.bytes / 1024).toFixed(0)} KiB`);
      }
      fs.copyFileSync(path.join(source, 'LICENSE'), path.join(outRoot, 'LICENSE'));
      fs.writeFileSync(path.join(outRoot, 'SOURCE.md'), sourceNote(source));
      fs.writeFileSync(stampFile, JSON.stringify({ formatVersion, inputHash }) + '\n');
    }
  } else if (!fs.existsSync(path.join(outRoot, snapshotVersions[0], 'index.json'))) {
    throw new Error(`schemas: no snapshot in ${outRoot} and no k8s-openapi documents found (set PODTRACE_SHARED)`);
  }
  fs.cpSync(outRoot, path.join(root, 'dist', 'schemas'), {
    recursive: true,
    filter: (src) => path.basename(src) !== 'stamp.json',
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildSchemas({ force: process.argv.includes('--force'), log: (m) => process.stderr.write(m + '\n') });
}
