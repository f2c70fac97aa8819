// Discovery as kube-apiserver serves it (k8s.io/apiserver/pkg/endpoints/discovery and
// discovery/aggregated): the legacy documents (/api, /api/v1, /apis, /apis/<group>/<version>)
// and the aggregated ones kubectl 1.30+ and client-go ask for first, negotiated by the Accept
// header `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList` (v2beta1 for
// older clients). A client that gets plain JSON back falls back to the legacy documents.
import { groupVersionOf, servedGroups, servedResources, type ServedResource } from './apiResources';

/** The legacy /api document. */
export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** The legacy /apis document. */
export function apiGroupList(): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: servedGroups()
      .filter((g) => g.group !== '')
      .map((g) => apiGroup(g.group, g.version)),
  };
}

/** /apis/<group>: the group's versions. */
export function apiGroup(group: string, version: string): Record<string, unknown> {
  const gv = { groupVersion: groupVersionOf(group, version), version };
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: [gv], preferredVersion: gv };
}

/** /api/v1 or /apis/<group>/<version>: an APIResourceList, each subresource as `pods/status`. */
export function apiResourceList(group: string, version: string): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const r of servedResources()) {
    if (r.group !== group || r.version !== version) continue;
    resources.push({
      name: r.name,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length > 0 ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length > 0 ? { categories: r.categories } : {}),
    });
    for (const s of r.subresources)
      resources.push({
        name: `${r.name}/${s.name}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(s.kind && s.kind.group !== group ? { group: s.kind.group, version: s.kind.version } : {}),
        kind: s.kind?.kind ?? r.kind,
        verbs: s.verbs,
      });
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersionOf(group, version), resources };
}

function discoveryResource(r: ServedResource): Record<string, unknown> {
  return {
    resource: r.name,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames.length > 0 ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length > 0 ? { categories: r.categories } : {}),
    ...(r.subresources.length > 0
      ? {
          subresources: r.subresources.map((s) => ({
            subresource: s.name,
            responseKind: s.kind ?? { group: r.group, version: r.version, kind: r.kind },
            verbs: s.verbs,
          })),
        }
      : {}),
  };
}

/** The aggregated discovery version a request's Accept header asks for, if any: v2 preferred. */
export function aggregatedVersion(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (!accept) return undefined;
  const offers = accept.split(',').map((part) => part.replace(/\s+/g, ''));
  for (const offer of offers) {
    if (!offer.includes('g=apidiscovery.k8s.io') || !offer.includes('as=APIGroupDiscoveryList')) continue;
    if (offer.includes('v=v2beta1')) return 'v2beta1';
    if (offer.includes('v=v2')) return 'v2';
  }
  return undefined;
}

export function aggregatedContentType(version: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

/** /api (legacy: the core group) or /apis (every other group) as one APIGroupDiscoveryList. */
export function aggregatedDiscovery(legacy: boolean, version: 'v2' | 'v2beta1'): Record<string, unknown> {
  const items: Record<string, unknown>[] = [];
  for (const g of servedGroups()) {
    if ((g.group === '') !== legacy) continue;
    const resources = servedResources()
      .filter((r) => r.group === g.group && r.version === g.version)
      .map(discoveryResource);
    items.push({
      metadata: g.group === '' ? { creationTimestamp: null } : { name: g.group, creationTimestamp: null },
      versions: [{ version: g.version, resources, freshness: 'Current' }],
    });
  }
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}
