// The one place a resource request is dispatched, by verb and subresource, as kube-apiserver's
// installer registers its handlers (k8s.io/apiserver/pkg/endpoints/installer.go). PATCH and the
// Table format are each behind one hook (`RouterHooks`), so that the patch engine and the
// `kubectl get` table printer plug in without touching the rest.
import { findResource } from './apiResources';
import { handlePatch } from './patchHandler';
import { tableHook } from './tableHandler';
import { handleGet, handleList, selectedObjects } from './readHandlers';
import type { RequestContext } from './requestContext';
import { sendJson } from './respond';
import { handleBinding, handleEviction, handleLog, handleScale, handleStatus } from './subresources';
import { methodNotAllowed, unknownPath } from './status';
import { handleWatch, type WatchRegistry } from './watch';
import { handleCreate, handleDelete, handleDeleteCollection, handleUpdate } from './writeHandlers';

/** The request as the router gets it: the context without the served resource, which the router finds. */
export type RoutedRequest = Omit<RequestContext, 'resource' | 'reply'>;

export interface RouterHooks {
  /**
   * PATCH of an object (`ctx.path.subresource` undefined) or of its status or scale subresource.
   * Reads the body itself and answers through `ctx.response`; throws an ApiError or
   * HttpStatusError to refuse.
   */
  readonly patch: (ctx: RequestContext) => Promise<void>;
  /**
   * The Table (meta.k8s.io/v1) for a GET or LIST answer `body` when the Accept header asks for
   * one (`application/json;as=Table;v=v1;g=meta.k8s.io`), or undefined to answer with `body`
   * itself (kubectl then prints its own columns).
   */
  readonly table: (ctx: RequestContext, body: unknown) => unknown;
}

/** The patch engine and the `kubectl get` table printer, as `podtrace serve` runs them. */
export const defaultHooks: RouterHooks = {
  patch: handlePatch,
  table: tableHook,
};

/** Whether an Accept header asks for a Table (kubectl get's `as=Table;v=v1;g=meta.k8s.io` first). */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((offer) => /;\s*as=Table/.test(offer));
}

const tableType = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/** Dispatches a resource request; throws the ApiError or HttpStatusError that refuses it. */
export async function routeResource(routed: RoutedRequest, hooks: RouterHooks, watches: WatchRegistry): Promise<void> {
  const { path } = routed;
  const resource = findResource(path.group, path.version, path.resource);
  if (!resource) throw unknownPath();
  if (resource.namespaced === false && path.namespace !== undefined) throw unknownPath();
  const ctx: RequestContext = {
    ...routed,
    resource,
    reply: (body) => {
      const table = wantsTable(routed.request.headers.accept) ? hooks.table(ctx, body) : undefined;
      if (table !== undefined) sendJson(routed.response, 200, table, routed.warnings, tableType);
      else sendJson(routed.response, 200, body, routed.warnings);
    },
  };
  const method = routed.request.method ?? 'GET';
  const sub = path.subresource;
  if (sub !== undefined) {
    if (path.name === undefined || !resource.subresources.some((s) => s.name === sub)) throw unknownPath();
    const name = `${resource.name}/${sub}`;
    switch (sub) {
      case 'status':
      case 'scale':
        if (method === 'PATCH') return hooks.patch(ctx);
        if (method !== 'GET' && method !== 'PUT') throw methodNotAllowed(name, method);
        return sub === 'status' ? handleStatus(ctx, method) : handleScale(ctx, method);
      case 'binding':
        if (method !== 'POST') throw methodNotAllowed(name, method);
        return handleBinding(ctx);
      case 'eviction':
        if (method !== 'POST') throw methodNotAllowed(name, method);
        return handleEviction(ctx);
      case 'log':
        if (method !== 'GET') throw methodNotAllowed(name, method);
        return handleLog(ctx);
      default:
        throw methodNotAllowed(name, method);
    }
  }
  const watch = path.legacyWatch || routed.query.get('watch') === 'true' || routed.query.get('watch') === '1';
  if (path.name !== undefined) {
    if (watch && method === 'GET') {
      // A watch of one object is a watch of the collection selected by its name.
      const query = new URLSearchParams(routed.query);
      query.set('fieldSelector', `metadata.name=${path.name}`);
      return handleWatch({ ...ctx, query, path: { ...path, name: undefined } }, watches);
    }
    switch (method) {
      case 'GET':
        return handleGet(ctx);
      case 'PUT':
        return handleUpdate(ctx);
      case 'DELETE':
        return handleDelete(ctx);
      case 'PATCH':
        return hooks.patch(ctx);
      default:
        throw methodNotAllowed(resource.name, method);
    }
  }
  switch (method) {
    case 'GET':
      return watch ? handleWatch(ctx, watches) : handleList(ctx);
    case 'POST':
      return handleCreate(ctx);
    case 'DELETE':
      return handleDeleteCollection(ctx, selectedObjects(ctx));
    default:
      throw methodNotAllowed(resource.name, method);
  }
}
