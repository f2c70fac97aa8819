// What the server serves, as discovery describes it: every resource the simulator stores
// (sim/store/objects.ts `resourceInfo`), plus events.k8s.io/v1 Events (the same objects, in the
// newer API's shape), with the verbs, short names, categories and subresources kube-apiserver
// lists for them (`kubectl api-resources` on a 1.32 cluster).
import { resourceInfo } from '../sim/store/objects';

export interface SubresourceInfo {
  readonly name: string;
  /** The kind the subresource takes and returns, when it is not the resource's own. */
  readonly kind?: { readonly group: string; readonly version: string; readonly kind: string };
  readonly verbs: readonly string[];
}

export interface ServedResource {
  /** The plural name in URLs (`pods`). */
  readonly name: string;
  readonly singular: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** The store's resource that holds the objects. */
  readonly storedAs: string;
  readonly verbs: readonly string[];
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly subresources: readonly SubresourceInfo[];
}

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const status: SubresourceInfo = { name: 'status', verbs: ['get', 'patch', 'update'] };
const scale: SubresourceInfo = {
  name: 'scale',
  kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
  verbs: ['get', 'patch', 'update'],
};

interface Row {
  readonly resource: string;
  readonly shortNames?: readonly string[];
  readonly all?: boolean;
  readonly subresources?: readonly SubresourceInfo[];
  readonly verbs?: readonly string[];
}

/** In the order `kubectl api-resources` lists them: the core group, then the others by name. */
const rows: readonly Row[] = [
  { resource: 'configmaps', shortNames: ['cm'] },
  { resource: 'events', shortNames: ['ev'] },
  { resource: 'limitranges', shortNames: ['limits'] },
  {
    resource: 'namespaces',
    shortNames: ['ns'],
    subresources: [{ name: 'finalize', verbs: ['update'] }, status],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  },
  { resource: 'nodes', shortNames: ['no'], subresources: [status] },
  { resource: 'persistentvolumeclaims', shortNames: ['pvc'], subresources: [status] },
  { resource: 'persistentvolumes', shortNames: ['pv'], subresources: [status] },
  {
    resource: 'pods',
    shortNames: ['po'],
    all: true,
    subresources: [
      { name: 'binding', kind: { group: '', version: 'v1', kind: 'Binding' }, verbs: ['create'] },
      { name: 'eviction', kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
      { name: 'log', verbs: ['get'] },
      status,
    ],
  },
  { resource: 'resourcequotas', shortNames: ['quota'], subresources: [status] },
  { resource: 'secrets' },
  { resource: 'serviceaccounts', shortNames: ['sa'] },
  {
    resource: 'services',
    shortNames: ['svc'],
    all: true,
    subresources: [status],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  },
  { resource: 'daemonsets', shortNames: ['ds'], all: true, subresources: [status] },
  { resource: 'deployments', shortNames: ['deploy'], all: true, subresources: [scale, status] },
  { resource: 'replicasets', shortNames: ['rs'], all: true, subresources: [scale, status] },
  { resource: 'statefulsets', shortNames: ['sts'], all: true, subresources: [scale, status] },
  { resource: 'cronjobs', shortNames: ['cj'], all: true, subresources: [status] },
  { resource: 'jobs', all: true, subresources: [status] },
  { resource: 'leases' },
  { resource: 'endpointslices' },
  { resource: 'ingresses', shortNames: ['ing'], subresources: [status] },
  { resource: 'poddisruptionbudgets', shortNames: ['pdb'], subresources: [status] },
  { resource: 'priorityclasses', shortNames: ['pc'] },
  { resource: 'storageclasses', shortNames: ['sc'] },
];

function singularOf(kind: string): string {
  return kind.toLowerCase();
}

function served(row: Row): ServedResource {
  const info = resourceInfo(row.resource);
  if (!info) throw new Error(`serve: the simulator stores no resource "${row.resource}"`);
  const [group, version] = info.apiVersion.includes('/') ? info.apiVersion.split('/') : ['', info.apiVersion];
  return {
    name: row.resource,
    singular: singularOf(info.kind),
    group,
    version,
    kind: info.kind,
    namespaced: info.namespaced,
    storedAs: row.resource,
    verbs: row.verbs ?? allVerbs,
    shortNames: row.shortNames ?? [],
    categories: row.all ? ['all'] : [],
    subresources: row.subresources ?? [],
  };
}

/** events.k8s.io/v1 Events: the store's core/v1 Events, converted on the way out (eventsApi.ts). */
const newEvents: ServedResource = {
  name: 'events',
  singular: 'event',
  group: 'events.k8s.io',
  version: 'v1',
  kind: 'Event',
  namespaced: true,
  storedAs: 'events',
  verbs: allVerbs,
  shortNames: ['ev'],
  categories: [],
  subresources: [],
};

let table: readonly ServedResource[] | undefined;

/** Every served resource, built on first use. */
export function servedResources(): readonly ServedResource[] {
  table ??= [...rows.map(served), newEvents].sort(
    (a, b) => (a.group === '' ? -1 : 0) - (b.group === '' ? -1 : 0) || a.group.localeCompare(b.group),
  );
  return table;
}

/** The served resource of a URL's group, version and plural name. */
export function findResource(group: string, version: string, name: string): ServedResource | undefined {
  return servedResources().find((r) => r.group === group && r.version === version && r.name === name);
}

/** The group versions served, core first: `v1`, `apps/v1`, … */
export function servedGroups(): { readonly group: string; readonly version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of servedResources()) seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  return [...seen.values()];
}

export function groupVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}
