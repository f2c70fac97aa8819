// /openapi/v3: the index of group-versions and each group-version's document, the official
// Kubernetes documents shipped gzipped in `openapi/<version>/` (see openapi/SOURCE.md). As
// kube-apiserver does (k8s.io/kube-openapi/pkg/handler3), the index names each document with
// its hash (`/openapi/v3/apis/apps/v1?hash=…`) and a request with that hash may be cached for
// good; kubectl reads them for `explain` and to learn that the server validates fields itself.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { KubernetesVersion } from '../base/kubernetesVersion';
import { sendJson } from './respond';
import { unknownPath } from './status';

interface Document {
  readonly text: string;
  readonly hash: string;
}

/** Decompressed documents by version and path: read once, they never change (a cache, not state). */
const documents = new Map<string, Document | null>();

/** Finds `openapi/` above the running file: beside dist/ in a build, the repository's in tests. */
function openApiRoot(): string {
  const candidates: string[] = [];
  if (process.env.PODTRACE_OPENAPI) candidates.push(process.env.PODTRACE_OPENAPI);
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path.dirname(dir)) candidates.push(path.join(dir, 'openapi'));
  const found = candidates.find((c) => fs.existsSync(path.join(c, 'SOURCE.md')));
  if (!found)
    throw new Error(
      `podtrace: the OpenAPI documents (openapi/SOURCE.md) were not found; looked in ${candidates.join(', ')}`,
    );
  return found;
}

/** The group-version paths shipped for a version: `api/v1`, `apis/apps/v1`, … */
export function openApiPaths(version: KubernetesVersion): string[] {
  const root = path.join(openApiRoot(), version);
  const out: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), `${prefix}${entry.name}/`);
      else if (entry.name.endsWith('.json.gz')) out.push(`${prefix}${entry.name.slice(0, -'.json.gz'.length)}`);
    }
  };
  walk(root, '');
  return out.sort();
}

export function openApiDocument(version: KubernetesVersion, groupVersionPath: string): Document | undefined {
  const key = `${version}/${groupVersionPath}`;
  if (!documents.has(key)) {
    if (!/^(api\/v1|apis\/[a-z0-9.-]+\/v[0-9a-z]+)$/.test(groupVersionPath)) return undefined;
    const file = path.join(openApiRoot(), version, `${groupVersionPath}.json.gz`);
    if (!fs.existsSync(file)) documents.set(key, null);
    else {
      const text = gunzipSync(fs.readFileSync(file)).toString('utf8');
      documents.set(key, { text, hash: createHash('sha512').update(text).digest('hex').slice(0, 128).toUpperCase() });
    }
  }
  return documents.get(key) ?? undefined;
}

export function serveOpenApi(
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
  version: KubernetesVersion,
): boolean {
  if (pathname === '/openapi/v3') {
    const paths: Record<string, unknown> = {};
    for (const p of openApiPaths(version)) {
      const doc = openApiDocument(version, p);
      if (doc) paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${doc.hash}` };
    }
    sendJson(response, 200, { paths });
    return true;
  }
  if (!pathname.startsWith('/openapi/v3/')) return false;
  const doc = openApiDocument(version, pathname.slice('/openapi/v3/'.length));
  if (!doc) throw unknownPath();
  const hashed = new URL(request.url ?? '/', 'https://localhost').searchParams.get('hash') === doc.hash;
  response.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(doc.text)),
    ETag: `"${doc.hash}"`,
    'Cache-Control': hashed ? 'public, immutable' : 'no-cache, no-store, must-revalidate',
  });
  response.end(doc.text);
  return true;
}
