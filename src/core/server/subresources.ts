// The subresources: status (GET, PUT), scale (autoscaling/v1 Scale of deployments, replicasets
// and statefulsets), pods/binding, pods/eviction (policy/v1; 429 when a budget refuses, as
// upstream) and pods/log (podLogs.ts). PATCH of any of them goes through the router's patch hook.
import type { KubeObject } from '../sim/store/objects';
import type { Pod } from '../sim/store/kinds';
import { decodeObject, readBody } from './body';
import { present } from './objectCodec';
import { containerLogLines, formatLogLine, logContainer, type LogLine } from './podLogs';
import { isDryRun, qualifiedResource, type RequestContext } from './requestContext';
import { conflict } from '../sim/store/apiError';
import { sendError, sendJson } from './respond';
import { badRequest, HttpStatusError, successStatus } from './status';
import { currentObject } from './writeHandlers';

type Fields = Record<string, unknown>;

/** spec.selector as the Scale's status.selector string (`app=web,tier in (a,b)`). */
function selectorText(selector: unknown): string {
  if (typeof selector !== 'object' || selector === null) return '';
  const s = selector as { matchLabels?: Record<string, string>; matchExpressions?: Fields[] };
  const parts = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    const values = ((e.values as string[] | undefined) ?? []).join(',');
    if (e.operator === 'In') parts.push(`${String(e.key)} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${String(e.key)} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(String(e.key));
    else if (e.operator === 'DoesNotExist') parts.push(`!${String(e.key)}`);
  }
  return parts.join(',');
}

export function scaleOf(object: KubeObject): Fields {
  const spec = (object.spec ?? {}) as Fields;
  const status = (object.status ?? {}) as Fields;
  const m = object.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 1 },
    status: { replicas: status.replicas ?? 0, selector: selectorText(spec.selector) },
  };
}

async function submitPatch(ctx: RequestContext, change: (current: KubeObject) => KubeObject): Promise<KubeObject> {
  const current = currentObject(ctx);
  const answer = await ctx.live.request<KubeObject>((done) =>
    ctx.live.api.patchObject(ctx.resource.storedAs, current, change, ctx.user, {
      onDone: done,
      connection: ctx.connection,
    }),
  );
  if (!answer.ok) throw answer.error;
  return answer.value;
}

function checkVersion(ctx: RequestContext, body: Fields): void {
  const rv = (body.metadata as Fields | undefined)?.resourceVersion;
  const current = currentObject(ctx);
  if (typeof rv === 'string' && rv !== '' && rv !== current.metadata.resourceVersion)
    throw conflict(qualifiedResource(ctx.resource), current.metadata.name);
}

export async function handleStatus(ctx: RequestContext, method: string): Promise<void> {
  if (method === 'GET')
    return sendJson(ctx.response, 200, present(ctx.resource, currentObject(ctx), ctx.live.wallTime), ctx.warnings);
  const body = ctx.live.wallTime.toVirtual(
    decodeObject(await readBody(ctx.request), ctx.request.headers['content-type']),
  );
  checkVersion(ctx, body);
  if (isDryRun(ctx.query))
    return sendJson(
      ctx.response,
      200,
      present(ctx.resource, { ...currentObject(ctx), status: body.status }, ctx.live.wallTime),
    );
  const stored = await submitPatch(ctx, (current) => ({ ...current, status: body.status }));
  sendJson(ctx.response, 200, present(ctx.resource, stored, ctx.live.wallTime), ctx.warnings);
}

export async function handleScale(ctx: RequestContext, method: string): Promise<void> {
  if (method === 'GET')
    return sendJson(ctx.response, 200, ctx.live.wallTime.toWall(scaleOf(currentObject(ctx))), ctx.warnings);
  const body = decodeObject(await readBody(ctx.request), ctx.request.headers['content-type']);
  if (body.kind !== 'Scale')
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (Scale)`);
  const replicas = (body.spec as Fields | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)
    throw new HttpStatusError(
      422,
      'Invalid',
      `Scale.autoscaling "${ctx.path.name}" is invalid: spec.replicas: ` +
        `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
    );
  checkVersion(ctx, body);
  const scaled = (): KubeObject => {
    const current = currentObject(ctx);
    return { ...current, spec: { ...(current.spec as Fields), replicas } };
  };
  if (isDryRun(ctx.query)) return sendJson(ctx.response, 200, ctx.live.wallTime.toWall(scaleOf(scaled())));
  const submit = () =>
    ctx.live.request<KubeObject>((done) =>
      ctx.live.api.update(ctx.resource.storedAs, scaled(), ctx.user, {
        onDone: done,
        traceSteps: true,
        connection: ctx.connection,
      }),
    );
  // As the apiserver's GuaranteedUpdate: a Scale without a resourceVersion of its own is applied
  // again to the new object when a controller's write (a status update) won the race, up to five times.
  const version = (body.metadata as Fields | undefined)?.resourceVersion;
  const pinned = typeof version === 'string' && version !== '';
  let answer = await submit();
  for (let tries = 1; tries < 5 && !pinned && !answer.ok && answer.error.code === 409; tries++) answer = await submit();
  if (!answer.ok) return sendError(ctx.response, answer.error, ctx.warnings);
  sendJson(ctx.response, 200, ctx.live.wallTime.toWall(scaleOf(answer.value)), ctx.warnings);
}

export async function handleBinding(ctx: RequestContext): Promise<void> {
  const body = decodeObject(await readBody(ctx.request), ctx.request.headers['content-type']);
  const target = body.target as Fields | undefined;
  if (typeof target?.name !== 'string' || target.name === '')
    throw new HttpStatusError(422, 'Invalid', `Binding "${ctx.path.name}" is invalid: target.name: Required value`);
  const node = target.name;
  const pod = currentObject(ctx);
  const answer = await ctx.live.request<KubeObject>((done) =>
    ctx.live.api.bind(pod.metadata.namespace!, pod.metadata.name, node, ctx.user, {
      onDone: done,
      connection: ctx.connection,
    }),
  );
  if (!answer.ok) return sendError(ctx.response, answer.error);
  sendJson(ctx.response, 201, { ...successStatus({}), code: 201 });
}

export async function handleEviction(ctx: RequestContext): Promise<void> {
  const body = decodeObject(await readBody(ctx.request), ctx.request.headers['content-type']);
  if (body.kind !== 'Eviction')
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (Eviction)`);
  const pod = currentObject(ctx);
  if (isDryRun(ctx.query)) return sendJson(ctx.response, 201, { ...successStatus({}), code: 201 });
  const answer = await ctx.live.request<KubeObject>((done) =>
    ctx.live.api.evict(pod.metadata.namespace!, pod.metadata.name, ctx.user, {
      onDone: done,
      traceSteps: true,
      connection: ctx.connection,
    }),
  );
  if (!answer.ok) return sendError(ctx.response, answer.error);
  sendJson(ctx.response, 201, { ...successStatus({}), code: 201 });
}

/** pods/log with container, follow, tailLines and timestamps. */
export function handleLog(ctx: RequestContext): void {
  const pod = currentObject(ctx) as Pod;
  const { container, init } = logContainer(pod, ctx.query.get('container'));
  const timestamps = ctx.query.get('timestamps') === 'true';
  const tailText = ctx.query.get('tailLines');
  const tail = tailText === null ? undefined : Number(tailText);
  if (tail !== undefined && (!Number.isInteger(tail) || tail < 0))
    throw badRequest(`tailLines: Invalid value: "${tailText}": must be greater than or equal to 0`);
  let lines: LogLine[] = containerLogLines(pod, container, init, ctx.live.engine.now());
  if (tail !== undefined) lines = tail === 0 ? [] : lines.slice(-tail);
  const { response } = ctx;
  response.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  let sent = containerLogLines(pod, container, init, ctx.live.engine.now()).length;
  for (const line of lines) response.write(formatLogLine(line, timestamps, ctx.live.wallTime));
  if (ctx.query.get('follow') !== 'true') return void response.end();
  // Following: new lines as virtual time reaches them, until the container ends or the pod goes.
  const timer = setInterval(() => {
    const now = ctx.live.store.get('pods', pod.metadata.namespace, pod.metadata.name);
    if (!now || now.metadata.uid !== pod.metadata.uid) return stop();
    let all: LogLine[];
    try {
      all = containerLogLines(now, container, init, ctx.live.engine.now());
    } catch {
      return stop();
    }
    for (const line of all.slice(sent)) response.write(formatLogLine(line, timestamps, ctx.live.wallTime));
    sent = all.length;
    const status = [...(now.status?.containerStatuses ?? []), ...(now.status?.initContainerStatuses ?? [])].find(
      (s) => s.name === container.name,
    );
    if (status?.state?.terminated) stop();
  }, 100);
  const unregister = ctx.live.whenStopped(() => stop());
  function stop(): void {
    clearInterval(timer);
    unregister();
    if (!response.destroyed) response.end();
  }
  response.on('close', stop);
}
