// A WatchClient served by a simulated cluster's store, as `podtrace serve` serves its watches:
// lists with the store's resourceVersion, watches resumed from a version (410 Gone once it has
// left the watch cache's window), bookmarks. A test can drop every open connection, to show a
// trace resumes without losing or repeating what it hands on.
import type { WatchClient, WatchConnection, WatchFailure } from '../../src/core/cluster/resumableWatch';
import type { SimCluster } from '../../src/core/sim/cluster';
import { ApiError } from '../../src/core/sim/store/apiError';
import type { KubeObject } from '../../src/core/sim/store/objects';

/** The resource and namespace of a collection path: `/api/v1/namespaces/default/pods`. */
export function parseCollectionPath(path: string): { resource: string; namespace: string | undefined } {
  const m = /^\/(?:api\/v1|apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)$/.exec(path);
  if (!m)
    throw new Error(`simWatchClient: expected a collection path such as /api/v1/namespaces/default/pods, got ${path}`);
  return { resource: m[2], namespace: m[1] === undefined ? undefined : decodeURIComponent(m[1]) };
}

export class SimWatchClient implements WatchClient {
  private readonly open = new Set<{ stop(): void; close: (failure: WatchFailure | undefined) => void }>();
  /** Every list and watch asked for, in order: `list <path>`, `watch <path> <rv>`. */
  readonly requests: string[] = [];

  constructor(private readonly cluster: SimCluster) {}

  async list(path: string): Promise<{ items: readonly KubeObject[]; resourceVersion: string }> {
    this.requests.push(`list ${path}`);
    const { resource, namespace } = parseCollectionPath(path);
    const store = this.cluster.ctx.store;
    const items = store.list(resource, { namespace });
    return { items, resourceVersion: String(store.resourceVersion) };
  }

  watch(
    path: string,
    resourceVersion: string,
    onEvent: (type: string, object: unknown) => void,
    onClose: (failure: WatchFailure | undefined) => void,
  ): WatchConnection {
    this.requests.push(`watch ${path} ${resourceVersion}`);
    const { resource, namespace } = parseCollectionPath(path);
    let closed = false;
    const entry = {
      stop: () => undefined as void,
      close: (failure: WatchFailure | undefined) => {
        if (closed) return;
        closed = true;
        entry.stop();
        this.open.delete(entry);
        onClose(failure);
      },
    };
    try {
      const watch = this.cluster.ctx.store.watch(
        resource,
        { namespace, resourceVersion: Number(resourceVersion), allowBookmarks: true },
        (e) => {
          if (!closed) onEvent(e.type, e.object);
        },
      );
      entry.stop = () => watch.stop();
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      // As the apiserver answers a watch from a compacted version: an ERROR event with the Status.
      queueMicrotask(() => {
        if (!closed) onEvent('ERROR', error.toStatus());
      });
    }
    this.open.add(entry);
    return {
      abort: () => {
        closed = true;
        entry.stop();
        this.open.delete(entry);
      },
    };
  }

  /** Drops every open watch, as a broken connection does. */
  dropAll(): void {
    for (const entry of [...this.open]) entry.close({ message: 'connection reset by peer' });
  }

  get openWatches(): number {
    return this.open.size;
  }
}
