// The paths that are not resources: /version, the health checks, discovery and OpenAPI.
// Returns false for a path it does not serve.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubernetesVersion } from '../base/kubernetesVersion';
import { servedGroups } from './apiResources';
import {
  aggregatedContentType,
  aggregatedDiscovery,
  aggregatedVersion,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from './discovery';
import { serveOpenApi } from './openapi';
import { sendJson, sendText } from './respond';
import { unknownPath } from './status';

/** /version for the simulated Kubernetes version (a `.0` patch release; podtrace follows the minor's behaviour). */
export function versionInfo(version: KubernetesVersion): Record<string, unknown> {
  const [major, minor] = version.split('.');
  return {
    major,
    minor,
    gitVersion: `v${version}.0`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

const healthChecks = ['ping', 'log', 'etcd', 'informer-sync', 'poststarthook/start-apiserver-admission-initializer'];

/** /healthz, /livez, /readyz and their `?verbose` form, as the generic apiserver's healthz package writes them. */
function health(response: ServerResponse, name: string, verbose: boolean): void {
  if (!verbose) return sendText(response, 200, 'ok');
  const lines = healthChecks.map((c) => `[+]${c} ok`);
  sendText(response, 200, `${lines.join('\n')}\n${name} check passed\n`);
}

/** Health endpoints: served to anyone, as kubeadm's RBAC does for system:public-info-viewer. */
export function isPublicPath(pathname: string): boolean {
  return /^\/(healthz|livez|readyz)(\/.*)?$/.test(pathname) || pathname === '/version' || pathname === '/version/';
}

export function serveNonResource(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  options: { readonly version: KubernetesVersion; readonly serverAddress: string },
): boolean {
  const pathname = url.pathname.replace(/\/+$/, '') || '/';
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const verbose = url.searchParams.has('verbose');
  const accept = request.headers.accept;
  if (pathname === '/version') {
    sendJson(response, 200, versionInfo(options.version));
    return true;
  }
  const healthMatch = /^\/(healthz|livez|readyz)/.exec(pathname);
  if (healthMatch) {
    health(response, healthMatch[1], verbose);
    return true;
  }
  if (pathname === '/api' || pathname === '/apis') {
    const aggregated = aggregatedVersion(accept);
    if (aggregated)
      sendJson(
        response,
        200,
        aggregatedDiscovery(pathname === '/api', aggregated),
        [],
        aggregatedContentType(aggregated),
      );
    else sendJson(response, 200, pathname === '/api' ? apiVersions(options.serverAddress) : apiGroupList());
    return true;
  }
  if (pathname === '/api/v1') {
    sendJson(response, 200, apiResourceList('', 'v1'));
    return true;
  }
  const group = /^\/apis\/([^/]+)(?:\/([^/]+))?$/.exec(pathname);
  if (group) {
    const served = servedGroups().find((g) => g.group === group[1] && (!group[2] || g.version === group[2]));
    if (!served) throw unknownPath();
    sendJson(
      response,
      200,
      group[2] ? apiResourceList(served.group, served.version) : apiGroup(served.group, served.version),
    );
    return true;
  }
  if (pathname.startsWith('/openapi/')) return serveOpenApi(request, response, pathname, options.version);
  return false;
}
