// The router's table hook: a GET or LIST answer as the meta.k8s.io/v1 Table kubectl get asks
// for, with ages measured on the simulator's clock (shown on the wall clock, as every timestamp
// the server serves).
import type { RequestContext } from './requestContext';
import { qualifiedResource } from './requestContext';
import { acceptsTable, includeObjectOf, tableOf, type Table } from './table/table';
import { badRequest } from './status';

type Fields = Readonly<Record<string, unknown>>;

export function tableHook(ctx: RequestContext, body: unknown): Table | undefined {
  if (!acceptsTable(ctx.request.headers.accept)) return undefined;
  let includeObject;
  try {
    includeObject = includeObjectOf(ctx.query.get('includeObject'));
  } catch (error) {
    throw badRequest((error as Error).message);
  }
  const nowMs = ctx.live.wallTime.wallOf(ctx.live.engine.now());
  const answer = body as Fields;
  const items = Array.isArray(answer.items) ? (answer.items as Fields[]) : undefined;
  const meta = (answer.metadata ?? {}) as Fields;
  return tableOf(qualifiedResource(ctx.resource), items ?? [answer], {
    nowMs,
    includeObject,
    resourceVersion: typeof meta.resourceVersion === 'string' ? meta.resourceVersion : undefined,
    continueToken: items && typeof meta.continue === 'string' ? meta.continue : undefined,
    remainingItemCount: items && typeof meta.remainingItemCount === 'number' ? meta.remainingItemCount : undefined,
  });
}
