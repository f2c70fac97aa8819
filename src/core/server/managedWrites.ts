// managedFields for the writes that are not patches: a create or an update is an Update
// operation of its fieldManager (or of the user agent's first word), as the apiserver's field
// manager records it, so that a later server-side apply finds who owns what.
import { rfc3339 } from '../sim/store/naming';
import type { KubeObject } from '../sim/store/objects';
import type { JsonObject } from './patch/jsonValue';
import { managerFromUserAgent } from './patch/managedFields';
import { rootField, schemaForKind } from './patch/patchSchema';
import { recordUpdate } from './patch/serverSideApply';
import { apiVersionOf, type RequestContext } from './requestContext';

/** The simulator's clock now, as an RFC 3339 time in the store's (virtual) time. */
export function storeNow(ctx: RequestContext): string {
  ctx.live.catchUp();
  return rfc3339(ctx.live.engine.now());
}

/** `after` with its managedFields updated for a write by this request's manager. */
export function recordWrite(
  ctx: RequestContext,
  before: KubeObject | undefined,
  after: KubeObject,
  subresource?: string,
): KubeObject {
  const { resource } = ctx;
  const schema = rootField(schemaForKind(apiVersionOf(resource), resource.kind, ctx.live.options.version));
  const recorded = recordUpdate({
    before: before as unknown as JsonObject | undefined,
    after: after as unknown as JsonObject,
    manager: managerFromUserAgent(ctx.query.get('fieldManager') ?? undefined, ctx.request.headers['user-agent']),
    apiVersion: apiVersionOf(resource),
    now: storeNow(ctx),
    schema,
    subresource,
  });
  return recorded as unknown as KubeObject;
}
