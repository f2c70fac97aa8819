// PATCH of an object or of its status or scale subresource, wired to the patch engine
// (./patch): the body read within the size limit, the live object presented on the wall clock
// as clients see it, the patch applied with the request's fieldManager, force and
// fieldValidation, and the result stored through the simulator's apiserver (admission,
// validation, optimistic concurrency, dryRun), or created when a server-side apply names an
// object that does not exist. As the apiserver's GuaranteedUpdate, a write that loses a race
// with another (409) is tried again on the new object, up to five times, unless the patch
// itself pinned the resourceVersion.
import { sameValue } from '../base/sameValue';
import type { ApiError } from '../sim/store/apiError';
import type { KubeObject } from '../sim/store/objects';
import { readBody } from './body';
import type { Answer } from './liveCluster';
import { recordWrite, storeNow } from './managedWrites';
import { present, toStored } from './objectCodec';
import type { JsonObject } from './patch/jsonValue';
import { applyPatchRequest, patchTypeOf, type PatchParameters } from './patch/patchRequest';
import { apiVersionOf, isDryRun, qualifiedResource, type RequestContext } from './requestContext';
import { sendError, sendJson } from './respond';
import { badRequest, objectNotFound } from './status';
import { scaleOf } from './subresources';

/** handlers/patch.go maxRetryWhenPatchConflicts. */
const maxAttempts = 5;

/** The options of a PATCH from its query (metav1.PatchOptions). */
function patchParameters(ctx: RequestContext): PatchParameters {
  const force = ctx.query.get('force');
  if (force !== null && force !== 'true' && force !== 'false' && force !== '')
    throw badRequest(`force: Invalid value: "${force}": must be true or false`);
  return {
    fieldManager: ctx.query.get('fieldManager') ?? undefined,
    fieldValidation: ctx.query.get('fieldValidation') ?? undefined,
    force: force === null ? undefined : force === 'true',
    userAgent: ctx.request.headers['user-agent'],
  };
}

function managedFieldsOf(object: KubeObject): { managedFields?: unknown } {
  const fields = (object.metadata as { managedFields?: unknown }).managedFields;
  return fields === undefined ? {} : { managedFields: fields };
}

interface Attempt {
  readonly answer: Answer<KubeObject>;
  readonly created: boolean;
  /** Whether the patch named a resourceVersion of its own (then a conflict is the client's). */
  readonly pinned: boolean;
}

/** Applies the patch to the object as stored now and submits the result. */
async function attempt(
  ctx: RequestContext,
  body: string,
  contentType: string,
  parameters: PatchParameters,
): Promise<Attempt> {
  const { resource, path } = ctx;
  const namespace = resource.namespaced ? path.namespace : undefined;
  const stored = ctx.live.store.get(resource.storedAs, namespace, path.name!);
  // Only a server-side apply may create; the others answer 404 as the object's GET would.
  if (!stored && patchTypeOf(contentType) !== 'application/apply-patch+yaml')
    throw objectNotFound(resource.group, resource.name, path.name!);
  const sub = path.subresource;
  const scale = sub === 'scale';
  const presented = stored ? present(resource, stored, ctx.live.wallTime) : undefined;
  const live = presented && scale ? scaleOf(presented) : presented;
  const result = applyPatchRequest({
    contentType,
    body,
    live: live as JsonObject | undefined,
    target: {
      apiVersion: scale ? 'autoscaling/v1' : apiVersionOf(resource),
      kind: scale ? 'Scale' : resource.kind,
      qualifiedResource: qualifiedResource(resource),
      name: path.name!,
      namespace,
      subresource: sub,
    },
    parameters,
    now: ctx.live.wallTime.toWall(storeNow(ctx)),
    kubernetesVersion: ctx.live.options.version,
    trackManagers: !scale,
  });
  ctx.warnings.push(...result.warnings.filter((w) => !ctx.warnings.includes(w)));
  const dryRun = isDryRun(ctx.query);
  const patched = toStored(resource, result.object as Record<string, unknown>, ctx.live.wallTime);
  const pinnedVersion = (result.object.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
  const pinned =
    pinnedVersion !== undefined &&
    pinnedVersion !== (live?.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
  if (result.created) {
    const answer = await ctx.live.request<KubeObject>((done) =>
      ctx.live.api.create(resource.storedAs, patched, ctx.user, { onDone: done, traceSteps: true, dryRun }),
    );
    return { answer, created: true, pinned };
  }
  const current = stored!;
  let next: KubeObject;
  if (scale) {
    // The Scale's replicas are the object's; the change is recorded on the object, for `scale`.
    const replicas = (patched.spec as { replicas?: unknown } | undefined)?.replicas;
    next = recordWrite(ctx, current, { ...current, spec: { ...(current.spec as object), replicas } }, 'scale');
  } else if (sub === 'status') {
    next = { ...current, status: patched.status, metadata: { ...current.metadata, ...managedFieldsOf(patched) } };
  } else {
    // The main resource's writes leave the status as stored (the status subresource's).
    const hasStatus = resource.subresources.some((s) => s.name === 'status');
    next = hasStatus ? { ...patched, status: current.status } : patched;
  }
  // A patch that changes nothing is not written, as the apiserver's GuaranteedUpdate skips an
  // update whose object is byte for byte the stored one: no new resourceVersion, no watch event.
  // Compared as the client sees the object (wall-clock timestamps), since the way back to virtual
  // time may move a whole-second timestamp by a second.
  if (!scale && sameValue(result.object, live)) return { answer: { ok: true, value: current }, created: false, pinned };
  const answer = await ctx.live.request<KubeObject>((done) =>
    ctx.live.api.update(resource.storedAs, next, ctx.user, { onDone: done, traceSteps: true, dryRun }),
  );
  return { answer, created: false, pinned };
}

function lostRace(error: ApiError): boolean {
  return error.code === 409 && (error.reason === 'Conflict' || error.reason === 'AlreadyExists');
}

export async function handlePatch(ctx: RequestContext): Promise<void> {
  const body = (await readBody(ctx.request)).toString('utf8');
  const contentType = String(ctx.request.headers['content-type'] ?? '');
  const parameters = patchParameters(ctx);
  let outcome = await attempt(ctx, body, contentType, parameters);
  for (let tries = 1; tries < maxAttempts && !outcome.answer.ok && !outcome.pinned; tries++) {
    // Only a lost write race is tried again (apply conflicts are thrown before anything is written).
    if (!lostRace(outcome.answer.error)) break;
    outcome = await attempt(ctx, body, contentType, parameters);
  }
  const { answer, created } = outcome;
  if (!answer.ok) return sendError(ctx.response, answer.error, ctx.warnings);
  const shown = present(ctx.resource, answer.value, ctx.live.wallTime);
  sendJson(ctx.response, created ? 201 : 200, ctx.path.subresource === 'scale' ? scaleOf(shown) : shown, ctx.warnings);
}
