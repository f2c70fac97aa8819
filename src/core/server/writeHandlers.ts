// POST (create), PUT (update) and DELETE of objects (k8s.io/apiserver/pkg/endpoints/handlers
// create.go, update.go, delete.go): the body decoded and checked against the URL and the schema,
// then the simulator's apiserver runs admission, validation and storage in virtual time and
// answers with the stored object or a Status.
import type { DeleteOptions } from '../sim/apiserver/deletion';
import { ApiError } from '../sim/store/apiError';
import type { KubeObject } from '../sim/store/objects';
import { decodeObject, mediaType, readBody } from './body';
import { duplicateFields } from './duplicateFields';
import { checkFields, fieldValidationOf } from './fieldValidation';
import { recordWrite } from './managedWrites';
import { present, toStored } from './objectCodec';
import { apiVersionOf, isDryRun, type RequestContext } from './requestContext';
import { sendError, sendJson } from './respond';
import { badRequest, objectNotFound, successStatus } from './status';

/** The request's object, decoded, matched against the URL and checked field by field. */
export async function requestObject(ctx: RequestContext): Promise<Record<string, unknown>> {
  const body = await readBody(ctx.request);
  const raw = decodeObject(body, ctx.request.headers['content-type']);
  const expected = apiVersionOf(ctx.resource);
  // As the apiserver's decoder does for a typed endpoint, a missing apiVersion or kind is the URL's.
  const decoded: Record<string, unknown> = {
    ...raw,
    apiVersion: raw.apiVersion || expected,
    kind: raw.kind || ctx.resource.kind,
  };
  if (typeof decoded.apiVersion !== 'string' || typeof decoded.kind !== 'string')
    throw badRequest(`Object 'Kind' is missing in '${body.toString('utf8').slice(0, 200)}'`);
  if (decoded.apiVersion !== expected)
    throw badRequest(
      `the API version in the data (${decoded.apiVersion}) does not match the expected API version (${expected})`,
    );
  if (decoded.kind !== ctx.resource.kind)
    throw badRequest(`the kind in the data (${decoded.kind}) does not match the expected kind (${ctx.resource.kind})`);
  const metadata = decoded.metadata ?? {};
  if (typeof metadata !== 'object' || Array.isArray(metadata)) throw badRequest('metadata: expected an object');
  const meta = metadata as Record<string, unknown>;
  if (ctx.resource.namespaced) {
    if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== ctx.path.namespace)
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const mode = fieldValidationOf(ctx.query);
  const json = mediaType(ctx.request.headers['content-type']) !== 'application/yaml';
  const duplicates = mode !== 'Ignore' && json ? duplicateFields(body.toString('utf8')) : [];
  const object = checkFields(decoded, mode, ctx.live.options.version, ctx.warnings, duplicates);
  const withNamespace = ctx.resource.namespaced ? { ...meta, namespace: ctx.path.namespace } : meta;
  return { ...object, metadata: withNamespace };
}

export async function handleCreate(ctx: RequestContext): Promise<void> {
  if (ctx.resource.namespaced && !ctx.path.namespace)
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  const object = recordWrite(ctx, undefined, toStored(ctx.resource, await requestObject(ctx), ctx.live.wallTime));
  const answer = await ctx.live.request<KubeObject>((done) =>
    ctx.live.api.create(ctx.resource.storedAs, object, ctx.user, {
      onDone: done,
      traceSteps: true,
      connection: ctx.connection,
      dryRun: isDryRun(ctx.query),
    }),
  );
  if (!answer.ok) return sendError(ctx.response, answer.error, ctx.warnings);
  sendJson(ctx.response, 201, present(ctx.resource, answer.value, ctx.live.wallTime), ctx.warnings);
}

/** The stored object a request names, or 404 in the apiserver's words. */
export function currentObject(ctx: RequestContext): KubeObject {
  const { resource, path } = ctx;
  const current = ctx.live.store.get(resource.storedAs, resource.namespaced ? path.namespace : undefined, path.name!);
  if (!current) throw objectNotFound(resource.group, resource.name, path.name!);
  return current;
}

/** Submits an update of `object` and answers with the stored result. */
export async function submitUpdate(ctx: RequestContext, object: KubeObject): Promise<void> {
  const answer = await ctx.live.request<KubeObject>((done) =>
    ctx.live.api.update(ctx.resource.storedAs, object, ctx.user, {
      onDone: done,
      traceSteps: true,
      connection: ctx.connection,
      dryRun: isDryRun(ctx.query),
    }),
  );
  if (!answer.ok) return sendError(ctx.response, answer.error, ctx.warnings);
  sendJson(ctx.response, 200, present(ctx.resource, answer.value, ctx.live.wallTime), ctx.warnings);
}

/** PUT of the main resource: the spec and metadata change; the status stays as stored (the status subresource's). */
export async function handleUpdate(ctx: RequestContext): Promise<void> {
  const input = toStored(ctx.resource, await requestObject(ctx), ctx.live.wallTime);
  if (input.metadata?.name !== ctx.path.name)
    throw badRequest(
      `the name of the object (${String(input.metadata?.name)}) does not match the name on the URL (${ctx.path.name})`,
    );
  const current = currentObject(ctx);
  const hasStatus = ctx.resource.subresources.some((s) => s.name === 'status');
  const object: KubeObject = hasStatus ? { ...input, status: current.status } : input;
  await submitUpdate(ctx, recordWrite(ctx, current, object));
}

function integerOption(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`${name}: Invalid value: ${JSON.stringify(value)}: must be >= 0`);
  return n;
}

interface ParsedDelete {
  readonly options: DeleteOptions;
  readonly resourceVersion?: string;
  readonly dryRun: boolean;
}

/** DeleteOptions from the query and the body (kubectl sends them in the body), the body winning. */
async function deleteOptions(ctx: RequestContext): Promise<ParsedDelete> {
  const raw = await readBody(ctx.request);
  const body: Record<string, unknown> = raw.length > 0 ? decodeObject(raw, ctx.request.headers['content-type']) : {};
  const q = ctx.query;
  const policy = body.propagationPolicy ?? q.get('propagationPolicy') ?? undefined;
  if (policy !== undefined && policy !== 'Foreground' && policy !== 'Background' && policy !== 'Orphan')
    throw badRequest(
      `propagationPolicy: Unsupported value: "${String(policy)}": ` +
        'supported values: "Foreground", "Background", "Orphan"',
    );
  const orphan = body.orphanDependents ?? (q.get('orphanDependents') === 'true' ? true : undefined);
  const preconditions = (body.preconditions ?? {}) as { uid?: string; resourceVersion?: string };
  const dryRunList = Array.isArray(body.dryRun) ? body.dryRun : [];
  return {
    options: {
      gracePeriodSeconds: integerOption(body.gracePeriodSeconds ?? q.get('gracePeriodSeconds'), 'gracePeriodSeconds'),
      propagationPolicy: (policy as DeleteOptions['propagationPolicy']) ?? (orphan === true ? 'Orphan' : undefined),
      uid: preconditions.uid,
    },
    resourceVersion: preconditions.resourceVersion,
    dryRun: dryRunList.includes('All') || isDryRun(q),
  };
}

/** Deletes one object; answers with it while it is being deleted, or a Success Status once it is gone. */
async function deleteOne(
  ctx: RequestContext,
  current: KubeObject,
  parsed: ParsedDelete,
): Promise<KubeObject | ApiError | undefined> {
  if (parsed.resourceVersion !== undefined && parsed.resourceVersion !== current.metadata.resourceVersion)
    return new ApiError(
      409,
      'Conflict',
      `Precondition failed: ResourceVersion in precondition: ${parsed.resourceVersion}, ` +
        `ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
    );
  if (parsed.dryRun) return current;
  const answer = await ctx.live.request<KubeObject>((done) =>
    ctx.live.api.delete(
      ctx.resource.storedAs,
      current.metadata.namespace,
      current.metadata.name,
      ctx.user,
      parsed.options,
      { onDone: done, traceSteps: true, connection: ctx.connection },
    ),
  );
  return answer.ok ? answer.value : answer.error;
}

export async function handleDelete(ctx: RequestContext): Promise<void> {
  const parsed = await deleteOptions(ctx);
  const current = currentObject(ctx);
  const result = await deleteOne(ctx, current, parsed);
  if (result instanceof ApiError) return sendError(ctx.response, result, ctx.warnings);
  if (result) return sendJson(ctx.response, 200, present(ctx.resource, result, ctx.live.wallTime), ctx.warnings);
  sendJson(
    ctx.response,
    200,
    successStatus({
      name: current.metadata.name,
      ...(ctx.resource.group ? { group: ctx.resource.group } : {}),
      kind: ctx.resource.name,
      uid: current.metadata.uid,
    }),
    ctx.warnings,
  );
}

/** DELETE of a collection: each selected object deleted in turn; answers with the list of them. */
export async function handleDeleteCollection(ctx: RequestContext, selected: readonly KubeObject[]): Promise<void> {
  const parsed = await deleteOptions(ctx);
  const items: KubeObject[] = [];
  for (const object of selected) {
    const result = await deleteOne(ctx, object, parsed);
    if (result instanceof ApiError) {
      if (result.code === 404) continue;
      return sendError(ctx.response, result, ctx.warnings);
    }
    items.push(present(ctx.resource, result ?? object, ctx.live.wallTime));
  }
  sendJson(
    ctx.response,
    200,
    { kind: `${ctx.resource.kind}List`, apiVersion: apiVersionOf(ctx.resource), metadata: {}, items },
    ctx.warnings,
  );
}
