// The simulated etcd plus the apiserver's watch cache: objects by resource and key, one
// global resourceVersion, watches with a bounded history window (resume, 410 Gone) and
// optimistic concurrency (409 Conflict). Its API mirrors the Kubernetes REST verbs so the
// HTTPS server of a later issue can serve it to kubectl unchanged.
import type { SeededRandom } from '../../base/random';
import type { Clock } from '../../base/time';
import { alreadyExists, conflict, notFound } from './apiError';
import { sameValue } from '../../base/sameValue';
import { keyOf, nodeNameOf, objectKey, resourceInfo, storeKey, type KubeObject } from './objects';
import type { ObjectOf } from './kinds';
import { rfc3339, uuidFrom } from './naming';
import { generateJobSelector } from './registry';
import { WatchHub, type WatchEvent, type WatchHandler, type WatchOptions, type Watch } from './watchHub';

export interface ListOptions {
  readonly namespace?: string;
  readonly fieldSelector?: { readonly field: 'spec.nodeName'; readonly value: string };
  readonly labelSelector?: (labels: Readonly<Record<string, string>> | undefined) => boolean;
}

export interface StoreOptions {
  /**
   * At most how many changes per resource stay resumable (beyond
   * the last 75 s of them); older resourceVersions get 410 Gone.
   */
  readonly historyLimit?: number;
  /** Delivers a batch of watch events; the cluster schedules it after the watch latency. */
  readonly deliver?: (run: () => void) => void;
}

export class ObjectStore {
  private readonly tables = new Map<string, Map<string, KubeObject>>();
  private rv = 0;
  /** The resourceVersion of each resource's last change. */
  private readonly lastChanges = new Map<string, number>();
  readonly watches: WatchHub;
  /**
   * Every object ever stored, by uid, with its controller owner's
   * uid: how a trace maps a pod back to the Deployment in the input.
   */
  readonly lineage = new Map<string, Lineage>();
  /** Writers that hold their writes until the resource is read (the event recorder), by resource. */
  private readonly deferred = new Map<string, () => void>();
  private flushing = false;

  constructor(
    private readonly clock: Clock,
    private readonly random: SeededRandom,
    options: StoreOptions = {},
  ) {
    this.watches = new WatchHub(options.historyLimit ?? 100 * 1024, options.deliver ?? ((run) => run()), () =>
      clock.now(),
    );
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /** The resourceVersion of the last change to any object of `resource` (0: none yet). */
  lastChange(resource: string): number {
    return this.lastChanges.get(resource) ?? 0;
  }

  /**
   * The objects of one resource. The apiserver stores each object under its kind's resource, so
   * the table of `R` holds only `ObjectOf<R>`: that is what the typed reads and writes return.
   */
  private table(resource: string): Map<string, KubeObject> {
    let t = this.tables.get(resource);
    if (!t) {
      if (!resourceInfo(resource)) throw new Error(`store: unknown resource "${resource}"`);
      t = new Map();
      this.tables.set(resource, t);
    }
    return t;
  }

  /**
   * Lets a writer of `resource` hold its writes while nobody reads the resource: `flush`
   * writes them, and runs before every get, list, count or watch of it. A writer that sees
   * watchers (`watched`) writes at once instead.
   */
  deferWrites(resource: string, flush: () => void): void {
    this.deferred.set(resource, flush);
  }

  watched(resource: string): boolean {
    return this.watches.hasWatchers(resource);
  }

  /** Runs the held writes of `resource` now. */
  flushDeferred(resource: string): void {
    this.flush(resource);
  }

  private flush(resource: string): void {
    const flush = this.deferred.get(resource);
    if (!flush || this.flushing) return;
    this.flushing = true;
    try {
      flush();
    } finally {
      this.flushing = false;
    }
  }

  get<R extends string>(resource: R, namespace: string | undefined, name: string): ObjectOf<R> | undefined {
    return this.getByKey(resource, objectKey(namespace, name));
  }

  /** The current version of the object stored under `key` (an object's `keyOf`). */
  getByKey<R extends string>(resource: R, key: string): ObjectOf<R> | undefined {
    this.flush(resource);
    return this.table(resource).get(key) as ObjectOf<R> | undefined;
  }

  mustGet<R extends string>(resource: R, namespace: string | undefined, name: string): ObjectOf<R> {
    const found = this.get(resource, namespace, name);
    if (!found) throw notFound(qualified(resource), name);
    return found;
  }

  list<R extends string>(resource: R, options: ListOptions = {}): ObjectOf<R>[] {
    this.flush(resource);
    const out: ObjectOf<R>[] = [];
    for (const object of this.table(resource).values()) {
      if (options.namespace !== undefined && object.metadata.namespace !== options.namespace) continue;
      if (options.fieldSelector && (nodeNameOf(object) ?? '') !== options.fieldSelector.value) continue;
      if (options.labelSelector && !options.labelSelector(object.metadata.labels)) continue;
      out.push(object as ObjectOf<R>);
    }
    return out;
  }

  count(resource: string): number {
    this.flush(resource);
    return this.table(resource).size;
  }

  /**
   * Stores a new object: uid, resourceVersion, generation 1 and
   * creationTimestamp (now, or `createdAt` for a held write) are set here.
   */
  create<R extends string>(resource: R, object: ObjectOf<R>, createdAt?: number): ObjectOf<R> {
    const table = this.table(resource);
    const key = keyOf(object);
    if (table.has(key)) throw alreadyExists(qualified(resource), object.metadata.name);
    const rv = ++this.rv;
    // Copied, then the system fields written in (as update does): cheaper than a literal with spreads.
    const metadata: Mutable<KubeObject['metadata']> = { ...object.metadata };
    metadata.uid = uuidFrom(this.random);
    metadata.resourceVersion = String(rv);
    metadata.generation = 1;
    metadata.creationTimestamp = rfc3339(createdAt ?? this.clock.now());
    metadata[storeKey] = key;
    let stored: Mutable<KubeObject> = { ...object };
    stored.metadata = metadata;
    if (resource === 'jobs') stored = generateJobSelector(stored);
    table.set(key, stored);
    if (resource !== 'events') this.lineage.set(stored.metadata.uid!, lineageOf(stored));
    this.lastChanges.set(resource, rv);
    this.watches.publish(resource, { type: 'ADDED', object: stored, rv }, undefined);
    return stored as ObjectOf<R>;
  }

  /**
   * Replaces an object. When `object.metadata.resourceVersion` is set it must match the
   * stored one (optimistic concurrency, 409 Conflict otherwise). The generation grows when
   * the spec changes, as it does for every built-in kind with a status subresource.
   * `expectedVersion`, when given, is the precondition instead of the object's own.
   */
  update<R extends string>(resource: R, object: ObjectOf<R>, expectedVersion?: string): ObjectOf<R> {
    const table = this.table(resource);
    const key = keyOf(object);
    const old = table.get(key);
    if (!old) throw notFound(qualified(resource), object.metadata.name);
    const expected = expectedVersion ?? object.metadata.resourceVersion;
    if (expected !== undefined && expected !== old.metadata.resourceVersion)
      throw conflict(qualified(resource), object.metadata.name);
    const rv = ++this.rv;
    const generation = (old.metadata.generation ?? 1) + (sameValue(object.spec, old.spec) ? 0 : 1);
    // A plain copy, then the system fields written into it: a copy of an object keeps its
    // shape, so the writes land in place (a literal with a spread and more fields does not).
    const metadata: Mutable<KubeObject['metadata']> = { ...object.metadata };
    metadata.uid = old.metadata.uid;
    metadata.creationTimestamp = old.metadata.creationTimestamp;
    metadata.resourceVersion = String(rv);
    metadata.generation = generation;
    metadata[storeKey] = key;
    const stored: Mutable<KubeObject> = { ...object };
    stored.metadata = metadata;
    if (stored.metadata.ownerReferences !== old.metadata.ownerReferences)
      this.lineage.set(stored.metadata.uid!, lineageOf(stored));
    this.lastChanges.set(resource, rv);
    // An object being deleted whose last finalizer was just removed goes away now.
    if (stored.metadata.deletionTimestamp && (stored.metadata.finalizers?.length ?? 0) === 0 && gracefulDone(stored)) {
      table.delete(key);
      this.watches.publish(resource, { type: 'DELETED', object: stored, rv }, old);
      return stored as ObjectOf<R>;
    }
    table.set(key, stored);
    this.watches.publish(resource, { type: 'MODIFIED', object: stored, rv }, old);
    return stored as ObjectOf<R>;
  }

  /** Reads the current object, applies `change` and writes it back (no conflict possible: one writer at a time). */
  mutate<R extends string>(
    resource: R,
    namespace: string | undefined,
    name: string,
    change: (current: ObjectOf<R>) => ObjectOf<R>,
  ): ObjectOf<R> {
    const current = this.mustGet(resource, namespace, name);
    return this.update(resource, change(current), current.metadata.resourceVersion);
  }

  /**
   * Removes an object, or marks it: with finalizers left it gets a deletionTimestamp and
   * stays until they are gone. `uid` is the delete precondition a kubelet sends.
   */
  remove(
    resource: string,
    namespace: string | undefined,
    name: string,
    options: { uid?: string; deletionTimestamp?: string } = {},
  ): KubeObject | undefined {
    const table = this.table(resource);
    const key = objectKey(namespace, name);
    const old = table.get(key);
    if (!old) throw notFound(qualified(resource), name);
    if (options.uid !== undefined && options.uid !== old.metadata.uid) throw conflict(qualified(resource), name);
    const rv = ++this.rv;
    this.lastChanges.set(resource, rv);
    if ((old.metadata.finalizers?.length ?? 0) > 0) {
      if (old.metadata.deletionTimestamp) return old;
      const marked: KubeObject = {
        ...old,
        metadata: {
          ...old.metadata,
          resourceVersion: String(rv),
          deletionTimestamp: options.deletionTimestamp ?? rfc3339(this.clock.now()),
          deletionGracePeriodSeconds: 0,
        },
      };
      table.set(key, marked);
      this.watches.publish(resource, { type: 'MODIFIED', object: marked, rv }, old);
      return marked;
    }
    table.delete(key);
    const gone: KubeObject = { ...old, metadata: { ...old.metadata, resourceVersion: String(rv) } };
    this.watches.publish(resource, { type: 'DELETED', object: gone, rv }, old);
    return undefined;
  }

  /** Opens a watch; with `resourceVersion` it replays what happened since (410 Gone when too old). */
  watch<R extends string>(resource: R, options: WatchOptions, handler: WatchHandler<ObjectOf<R>>): Watch {
    this.flush(resource);
    const initial = options.resourceVersion === undefined ? this.list(resource, options) : [];
    return this.watches.open(resource, options, handler as WatchHandler, initial, this.rv);
  }
}

export type { WatchEvent };

export interface Lineage {
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly name: string;
  /** The uid of the controller owner (ownerReferences with controller: true), if any. */
  readonly owner: string | undefined;
}

function lineageOf(object: KubeObject): Lineage {
  const owner = object.metadata.ownerReferences?.find((r) => r.controller)?.uid;
  return { kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name, owner };
}

function qualified(resource: string): string {
  const info = resourceInfo(resource);
  const group = info && info.apiVersion.includes('/') ? info.apiVersion.split('/')[0] : '';
  return group ? `${resource}.${group}` : resource;
}

function gracefulDone(object: KubeObject): boolean {
  return object.metadata.deletionGracePeriodSeconds === undefined || object.metadata.deletionGracePeriodSeconds === 0;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
