// From a document's apiVersion and kind to the schema that checks it: a built-in kind of
// the selected Kubernetes version, a kind taught by a CustomResourceDefinition in the same
// run, a removed API (an error naming the release that removed it and the replacement), a
// misspelled built-in (an error with a suggestion), or an unknown custom resource (a
// warning that it was not checked).
import { kindSchemaFromCrd } from './crdSchema';
import type { DocumentSet } from './documentSet';
import { groupOf } from './documentSet';
import { deprecationWarningFor, removedApiFor, removedApiMessage } from './removedApis';
import { loadKindSchema, snapshotIndex, type KindSchema, type SnapshotKind } from './snapshot';
import { closestMatch } from './suggestions';

export type Resolution =
  | {
      readonly status: 'schema';
      readonly schema: KindSchema;
      readonly namespaced: boolean;
      readonly custom: boolean;
      readonly warning?: string;
    }
  | { readonly status: 'removed'; readonly message: string }
  | {
      readonly status: 'unknown';
      readonly message: string;
      readonly field: 'apiVersion' | 'kind';
      readonly replacement?: string;
    }
  | { readonly status: 'unchecked'; readonly message: string };

interface VersionCatalog {
  readonly byApiVersionKind: Map<string, SnapshotKind>;
  readonly byKind: Map<string, SnapshotKind[]>;
  readonly kindsByGroup: Map<string, Set<string>>;
}

const catalogs = new Map<string, VersionCatalog>();

export function apiVersionOf(entry: { group: string; version: string }): string {
  return entry.group ? `${entry.group}/${entry.version}` : entry.version;
}

function isGa(version: string): boolean {
  return !/alpha|beta/.test(version);
}

/** Orders Kubernetes versions as kube-version sorting does: GA, then beta, then alpha, newest first. */
function versionRank(version: string): number {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!m) return 0;
  const stage = m[2] === undefined ? 2 : m[2] === 'beta' ? 1 : 0;
  return stage * 1e6 + Number(m[1]) * 1e3 + Number(m[3] ?? 0);
}

/** GA before beta before alpha, then the newest version first (autoscaling/v2 before v1). */
function preference(a: SnapshotKind, b: SnapshotKind): number {
  return versionRank(b.version) - versionRank(a.version);
}

export function catalogFor(kubernetesVersion: string): VersionCatalog {
  let catalog = catalogs.get(kubernetesVersion);
  if (catalog) return catalog;
  catalog = { byApiVersionKind: new Map(), byKind: new Map(), kindsByGroup: new Map() };
  for (const entry of snapshotIndex(kubernetesVersion).kinds) {
    catalog.byApiVersionKind.set(`${apiVersionOf(entry)}/${entry.kind}`, entry);
    const list = catalog.byKind.get(entry.kind) ?? [];
    list.push(entry);
    catalog.byKind.set(entry.kind, list);
    const kinds = catalog.kindsByGroup.get(entry.group) ?? new Set<string>();
    kinds.add(entry.kind);
    catalog.kindsByGroup.set(entry.group, kinds);
  }
  for (const list of catalog.byKind.values()) list.sort(preference);
  catalogs.set(kubernetesVersion, catalog);
  return catalog;
}

/** Whether a built-in kind is namespaced in a version; undefined when the kind is not built in. */
export function builtinNamespaced(kubernetesVersion: string, apiVersion: string, kind: string): boolean | undefined {
  return catalogFor(kubernetesVersion).byApiVersionKind.get(`${apiVersion}/${kind}`)?.namespaced;
}

function servedWarning(entry: SnapshotKind, catalog: VersionCatalog): string | undefined {
  if (isGa(entry.version)) return undefined;
  const ga = catalog.byKind.get(entry.kind)?.find((e) => e.group === entry.group && isGa(e.version));
  const stage = entry.version.includes('alpha') ? 'an alpha API' : 'a beta API';
  const served = entry.version.includes('alpha')
    ? 'served only when the cluster enables it'
    : 'not served by default (beta APIs added after 1.24 are off unless enabled)';
  return `${apiVersionOf(entry)} ${entry.kind} is ${stage}, ${served}${ga ? `; use ${apiVersionOf(ga)}` : ''}`;
}

const crdSchemas = new WeakMap<object, Map<string, KindSchema>>();
const metadataName = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

function crdSchema(
  set: DocumentSet,
  key: string,
  version: string,
  kubernetesVersion: string,
  openApi: unknown,
): KindSchema {
  let perSet = crdSchemas.get(set);
  if (!perSet) crdSchemas.set(set, (perSet = new Map()));
  const cacheKey = `${kubernetesVersion}/${key}/${version}`;
  let schema = perSet.get(cacheKey);
  if (!schema) {
    // Custom resources have the standard ObjectMeta: borrow its closure from a built-in kind.
    const configMap = catalogFor(kubernetesVersion).byApiVersionKind.get('v1/ConfigMap');
    const borrowed = configMap ? loadKindSchema(kubernetesVersion, configMap) : undefined;
    const metadata = borrowed?.defs[metadataName] ? { name: metadataName, defs: { ...borrowed.defs } } : undefined;
    schema = kindSchemaFromCrd(openApi, metadata);
    perSet.set(cacheKey, schema);
  }
  return schema;
}

function suggestionFor(
  apiVersion: string,
  kind: string,
  catalog: VersionCatalog,
  set: DocumentSet,
): Resolution | undefined {
  const group = groupOf(apiVersion);
  const groups = [...catalog.kindsByGroup.keys()].filter(Boolean);
  // Only a built-in group, or one a typo away from it, is treated as a built-in mistake: a
  // custom resource in its own group may share a kind's name with a built-in one.
  const builtinGroup = catalog.kindsByGroup.has(group) || group === 'extensions';
  const nearGroup = builtinGroup ? undefined : closestMatch(group, groups);
  const sameKind = catalog.byKind.get(kind);
  if (sameKind?.length && (builtinGroup || nearGroup !== undefined)) {
    const replacement = apiVersionOf(sameKind.find((e) => e.group === (nearGroup ?? group)) ?? sameKind[0]);
    return {
      status: 'unknown',
      field: 'apiVersion',
      replacement,
      message: `no matches for kind "${kind}" in version "${apiVersion}"; did you mean ${replacement}?`,
    };
  }
  const groupKinds = new Set(catalog.kindsByGroup.get(nearGroup ?? group) ?? []);
  for (const crd of set.crds.values()) if (crd.group === group) groupKinds.add(crd.kind);
  if (groupKinds.size === 0) return undefined;
  const kindGuess = closestMatch(kind, groupKinds);
  if (kindGuess) {
    const entry = catalog.byKind.get(kindGuess)?.find((e) => e.group === (nearGroup ?? group));
    const target = entry && apiVersionOf(entry) !== apiVersion ? ` in ${apiVersionOf(entry)}` : '';
    return {
      status: 'unknown',
      field: 'kind',
      replacement: kindGuess,
      message: `no matches for kind "${kind}" in version "${apiVersion}"; did you mean "${kindGuess}"${target}?`,
    };
  }
  if (nearGroup !== undefined) {
    return {
      status: 'unknown',
      field: 'apiVersion',
      message: `no matches for kind "${kind}" in version "${apiVersion}"; did you mean the ${nearGroup} group?`,
    };
  }
  if (!builtinGroup) return undefined;
  return {
    status: 'unknown',
    field: 'kind',
    message: `no matches for kind "${kind}" in version "${apiVersion}": the ${group || 'core'} group has no such kind`,
  };
}

/** Resolves a document's apiVersion and kind against a Kubernetes version and the run's CRDs. */
export function resolveKind(apiVersion: string, kind: string, kubernetesVersion: string, set: DocumentSet): Resolution {
  const catalog = catalogFor(kubernetesVersion);
  const entry = catalog.byApiVersionKind.get(`${apiVersion}/${kind}`);
  if (entry) {
    const warning = servedWarning(entry, catalog) ?? deprecationWarningFor(apiVersion, kind, kubernetesVersion);
    return {
      status: 'schema',
      schema: loadKindSchema(kubernetesVersion, entry),
      namespaced: entry.namespaced,
      custom: false,
      warning,
    };
  }
  const removed = removedApiFor(apiVersion, kind, kubernetesVersion);
  if (removed) return { status: 'removed', message: removedApiMessage(apiVersion, kind, removed) };
  const group = groupOf(apiVersion);
  const version = apiVersion.slice(group ? group.length + 1 : 0);
  const crd = set.crds.get(`${group}/${kind}`);
  if (crd) {
    const v = crd.versions.find((x) => x.name === version);
    if (v && v.served) {
      return {
        status: 'schema',
        schema: crdSchema(set, `${group}/${kind}`, version, kubernetesVersion, v.schema),
        namespaced: crd.namespaced,
        custom: true,
      };
    }
    const served = crd.versions.filter((x) => x.served).map((x) => `${group}/${x.name}`);
    return {
      status: 'unknown',
      field: 'apiVersion',
      replacement: served[0],
      message:
        `no matches for kind "${kind}" in version "${apiVersion}": ` +
        `its CustomResourceDefinition serves ${served.join(', ') || 'no version'}`,
    };
  }
  const suggestion = suggestionFor(apiVersion, kind, catalog, set);
  if (suggestion) return suggestion;
  return {
    status: 'unchecked',
    message:
      `${kind} (${apiVersion}) was not checked: Kubernetes ${kubernetesVersion} has no such ` +
      'built-in kind and no CustomResourceDefinition for it is among the validated files',
  };
}
