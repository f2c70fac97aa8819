// A resource request's path as kube-apiserver's RequestInfoFactory reads it
// (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): /api/v1 or /apis/<group>/<version>,
// then an optional `namespaces/<ns>`, the resource, a name and a subresource; the legacy
// `/watch/` prefix turns a list into a watch.

export interface ResourcePath {
  readonly group: string;
  readonly version: string;
  readonly namespace?: string;
  readonly resource: string;
  readonly name?: string;
  readonly subresource?: string;
  /** The path had the legacy `watch/` segment. */
  readonly legacyWatch: boolean;
}

/** The subresources a namespace has; `namespaces/<name>/<other>` is a namespaced resource. */
const namespaceSubresources = new Set(['status', 'finalize']);

/** Parses a resource path, or returns undefined for a path that is not one (discovery, /version, …). */
export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const parts = pathname.split('/').filter((p) => p !== '');
  let rest: string[];
  let group: string;
  let version: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else return undefined;
  let segments: string[];
  try {
    segments = rest.map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
  let legacyWatch = false;
  if (segments[0] === 'watch') {
    legacyWatch = true;
    segments = segments.slice(1);
  }
  if (segments.length === 0) return undefined;
  if (segments[0] === 'namespaces' && segments.length >= 3 && !namespaceSubresources.has(segments[2])) {
    const [, namespace, resource, name, subresource, ...extra] = segments;
    if (extra.length > 0) return undefined;
    return { group, version, namespace, resource, name, subresource, legacyWatch };
  }
  const [resource, name, subresource, ...extra] = segments;
  if (extra.length > 0) return undefined;
  return { group, version, resource, name, subresource, legacyWatch };
}
