// WATCH (k8s.io/apiserver/pkg/endpoints/handlers/watch.go): a chunked stream of JSON lines
// `{"type":"ADDED","object":{…}}` from the store's watch cache. Without a resourceVersion (or
// with "0") the stream starts with the current objects as ADDED; with one it resumes after it,
// and one older than the cache's window is answered, as upstream does, with 200 and one ERROR
// event holding the 410 Expired Status (`too old resource version: X (Y)`), after which the
// client lists again. Bookmarks, when asked for, carry the newest resourceVersion the stream has
// delivered; the stream ends after timeoutSeconds (a random 30–60 minutes by default, as
// --min-request-timeout makes it), when the client goes away, or when the server stops.
import type { WatchEvent } from '../sim/store/watchHub';
import { ApiError } from '../sim/store/apiError';
import type { KubeObject } from '../sim/store/objects';
import { present } from './objectCodec';
import { objectFilter } from './readHandlers';
import { apiVersionOf, type RequestContext } from './requestContext';
import { parseLabelSelector } from './selectors';
import { badRequest, statusBody } from './status';

/** How often a watch that allows bookmarks gets one, in wall milliseconds. */
const bookmarkEveryMs = 10_000;
/** A client that reads slower than the server writes is cut off past this much buffered output. */
const maxBufferedBytes = 16 * 1024 * 1024;

/** The open watch streams of one server, so that tests and shutdown can count and end them. */
export class WatchRegistry {
  private readonly open = new Set<() => void>();

  add(end: () => void): () => void {
    this.open.add(end);
    return () => this.open.delete(end);
  }

  get size(): number {
    return this.open.size;
  }

  endAll(): void {
    for (const end of [...this.open]) end();
  }
}

function watchTimeoutMs(query: URLSearchParams): number {
  const text = query.get('timeoutSeconds');
  if (text === null || text === '') return (1800 + Math.random() * 1800) * 1000;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0)
    throw badRequest(`timeoutSeconds: Invalid value: "${text}": must be a non-negative number`);
  return seconds * 1000;
}

function resourceVersionOf(query: URLSearchParams): number | undefined {
  const text = query.get('resourceVersion');
  if (text === null || text === '' || text === '0') return undefined;
  const rv = Number(text);
  if (!Number.isInteger(rv) || rv < 0)
    throw new ApiError(400, 'BadRequest', `resourceVersion: Invalid value: "${text}": must be an integer`);
  return rv;
}

export function handleWatch(ctx: RequestContext, registry: WatchRegistry): void {
  const { live, resource, query, response } = ctx;
  const timeoutMs = watchTimeoutMs(query);
  const since = resourceVersionOf(query);
  const bookmarks = query.get('allowWatchBookmarks') === 'true';
  const initialEvents = query.get('sendInitialEvents') === 'true';
  const labelText = query.get('labelSelector');
  const labelSelector = labelText ? parseLabelSelector(labelText) : undefined;
  const selects = objectFilter(ctx);
  const fieldText = query.get('fieldSelector');

  response.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  response.flushHeaders();

  let ended = false;
  let lastRv = since ?? live.store.resourceVersion;
  const write = (type: string, object: unknown): void => {
    if (ended) return;
    response.write(`${JSON.stringify({ type, object })}\n`);
    if (response.writableLength > maxBufferedBytes) end();
  };
  const bookmark = (extra?: Record<string, string>): void =>
    write('BOOKMARK', {
      kind: resource.kind,
      apiVersion: apiVersionOf(resource),
      metadata: { resourceVersion: String(lastRv), ...(extra ? { annotations: extra } : {}) },
    });

  // A field selector is applied here, with the transitions the watch cache makes for selectors:
  // an object that starts matching arrives as ADDED, one that stops matching as DELETED.
  const shown = new Set<string>();
  const deliver = (event: WatchEvent<KubeObject>): void => {
    if (event.type === 'BOOKMARK') return;
    lastRv = Math.max(lastRv, event.rv);
    let type: string = event.type;
    if (fieldText) {
      const uid = event.object.metadata.uid ?? '';
      const was = shown.has(uid);
      const now = event.type !== 'DELETED' && selects(event.object);
      if (event.type === 'DELETED' && !was && since === undefined) return;
      if (now) {
        shown.add(uid);
        if (!was && since === undefined) type = 'ADDED';
      } else if (event.type !== 'DELETED') {
        if (!was) return;
        type = 'DELETED';
        shown.delete(uid);
      } else shown.delete(uid);
    }
    write(type, present(resource, event.object, ctx.live.wallTime));
  };

  let stopWatch: (() => void) | undefined;
  try {
    const watch = live.store.watch(
      resource.storedAs,
      {
        namespace: ctx.path.namespace,
        labelSelector,
        resourceVersion: since === undefined && initialEvents ? live.store.resourceVersion : since,
      },
      deliver,
    );
    stopWatch = () => watch.stop();
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 410) throw error;
    write('ERROR', statusBody(error));
    response.end();
    return;
  }
  if (since === undefined && initialEvents) {
    for (const object of live.store.list(resource.storedAs, { namespace: ctx.path.namespace }))
      if (selects(object)) deliver({ type: 'ADDED', object, rv: live.store.resourceVersion });
    if (bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  }

  const timers: ReturnType<typeof setTimeout>[] = [];
  function end(): void {
    if (ended) return;
    ended = true;
    stopWatch?.();
    for (const t of timers) clearTimeout(t);
    if (bookmarkTimer) clearInterval(bookmarkTimer);
    unregister();
    unregisterStop();
    if (!response.destroyed) response.end();
  }
  const bookmarkTimer = bookmarks ? setInterval(() => bookmark(), bookmarkEveryMs) : undefined;
  timers.push(setTimeout(end, timeoutMs));
  const unregister = registry.add(end);
  const unregisterStop = live.whenStopped(end);
  response.on('close', end);
  ctx.request.on('close', () => {
    if (ctx.request.destroyed) end();
  });
  // The engine moves on by the wall clock: a watch opened between two ticks sees events due now at once.
  live.nudge();
}
