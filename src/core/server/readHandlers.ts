// GET of one object and LIST of a collection (k8s.io/apiserver/pkg/endpoints/handlers/get.go):
// label and field selectors, limit and continue tokens. The store has no snapshots, so a
// continued list reads the objects as they are now after the last key it returned, and keeps
// the first page's resourceVersion, which is what a client resumes its watch from.
import { keyOf, type KubeObject } from '../sim/store/objects';
import { byKey, present } from './objectCodec';
import { apiVersionOf, type RequestContext } from './requestContext';
import { sendError } from './respond';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { badRequest, HttpStatusError, objectNotFound } from './status';

export function handleGet(ctx: RequestContext): void {
  const { live, path, resource } = ctx;
  const object = live.store.get(resource.storedAs, resource.namespaced ? path.namespace : undefined, path.name!);
  if (!object) return sendError(ctx.response, objectNotFound(resource.group, resource.name, path.name!));
  ctx.reply(present(resource, object, ctx.live.wallTime));
}

interface ContinueToken {
  readonly rv: number;
  readonly start: string;
}

function decodeContinue(text: string): ContinueToken {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<ContinueToken>;
    if (typeof value.rv === 'number' && typeof value.start === 'string') return { rv: value.rv, start: value.start };
  } catch {
    // Said below, with the apiserver's words.
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

/** The objects a list or watch request selects, by its namespace and selectors, in key order. */
export function selectedObjects(ctx: RequestContext): KubeObject[] {
  const filter = objectFilter(ctx);
  return ctx.live.store
    .list(ctx.resource.storedAs, ctx.path.namespace !== undefined ? { namespace: ctx.path.namespace } : {})
    .filter(filter)
    .sort(byKey);
}

/** The test a list or watch request's selectors make on an object. */
export function objectFilter(ctx: RequestContext): (object: KubeObject) => boolean {
  const labels = ctx.query.get('labelSelector');
  const fields = ctx.query.get('fieldSelector');
  const labelTest = labels ? parseLabelSelector(labels) : undefined;
  const fieldTest = fields ? parseFieldSelector(fields, ctx.resource.storedAs) : undefined;
  return (object) =>
    (labelTest === undefined || labelTest(object.metadata.labels)) && (fieldTest === undefined || fieldTest(object));
}

export function handleList(ctx: RequestContext): void {
  const { live, resource, query } = ctx;
  const limitText = query.get('limit');
  const limit = limitText ? Number(limitText) : 0;
  if (!Number.isInteger(limit) || limit < 0)
    throw new HttpStatusError(400, 'BadRequest', `limit: Invalid value: "${limitText}": must be a positive integer`);
  const continueText = query.get('continue');
  const token = continueText ? decodeContinue(continueText) : undefined;
  let items = selectedObjects(ctx);
  if (token) items = items.filter((o) => keyOf(o) > token.start);
  const rv = token?.rv ?? live.store.resourceVersion;
  const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
  if (limit > 0 && items.length > limit) {
    const page = items.slice(0, limit);
    metadata.continue = Buffer.from(JSON.stringify({ rv, start: keyOf(page[page.length - 1]) })).toString('base64url');
    metadata.remainingItemCount = items.length - limit;
    items = page;
  }
  ctx.reply({
    kind: `${resource.kind}List`,
    apiVersion: apiVersionOf(resource),
    metadata,
    items: items.map((o) => present(resource, o, ctx.live.wallTime)),
  });
}
