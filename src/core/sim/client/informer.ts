// Informers and work queues, as client-go builds controllers: a watch keeps a local cache
// (updated only from watch events) and calls handlers; handlers put keys on a work queue;
// a key is processed once after the controller's sync latency however often it was
// added meanwhile (the queue's de-duplication), which is what batches bursts of changes.
import type { SimEngine, TimerHandle } from '../engine/engine';
import { Latencies, type LatencyProfile, type StepName } from '../profile/profile';
import type { ObjectOf } from '../store/kinds';
import type { KubeObject } from '../store/objects';
import { keyOf, objectKey } from '../store/objects';
import type { ObjectStore } from '../store/store';
import type { WatchEvent, WatchOptions } from '../store/watchHub';

export type InformerHandler<T extends KubeObject = KubeObject> = (event: WatchEvent<T>, old: T | undefined) => void;

/** A watch of one resource and its cache, typed by the resource's kind (`Informer<Pod>` for pods). */
export class Informer<T extends KubeObject = KubeObject> {
  readonly cache = new Map<string, T>();
  /**
   * The cache by namespace, made on the first `inNamespace` and kept from then on (in the
   * cache's order either way): most informers are never asked by namespace.
   */
  private byNamespace: Map<string, Map<string, T>> | undefined;
  private readonly handlers: InformerHandler<T>[] = [];

  /** `resource` must be the resource of T's kind: the store's table of a resource holds only that kind. */
  constructor(store: ObjectStore, resource: string, options: WatchOptions = {}) {
    store.watch(resource, options, (event) => this.onEvent(event as WatchEvent<T>));
  }

  onChange(handler: InformerHandler<T>): this {
    this.handlers.push(handler);
    return this;
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(objectKey(namespace, name));
  }

  inNamespace(namespace: string): Iterable<T> {
    if (this.byNamespace === undefined) {
      this.byNamespace = new Map();
      for (const [key, object] of this.cache) this.namespaceMap(object).set(key, object);
    }
    return this.byNamespace.get(namespace)?.values() ?? [];
  }

  private namespaceMap(object: T): Map<string, T> {
    const ns = object.metadata.namespace ?? '';
    let nsMap = this.byNamespace!.get(ns);
    if (!nsMap) this.byNamespace!.set(ns, (nsMap = new Map()));
    return nsMap;
  }

  private onEvent(event: WatchEvent<T>): void {
    if (event.type === 'BOOKMARK') return;
    const key = keyOf(event.object);
    const old = this.cache.get(key);
    if (event.type === 'DELETED') {
      this.cache.delete(key);
      if (this.byNamespace !== undefined) this.namespaceMap(event.object).delete(key);
    } else {
      this.cache.set(key, event.object);
      if (this.byNamespace !== undefined) this.namespaceMap(event.object).set(key, event.object);
    }
    for (const handler of this.handlers) handler(event, old);
  }
}

/**
 * One informer per resource shared by every controller (client-go's SharedInformerFactory):
 * one watch and one cache however many controllers look at pods.
 */
export class SharedInformers {
  private readonly informers = new Map<string, Informer>();

  constructor(private readonly store: ObjectStore) {}

  /** The informer of `resource`, typed by its kind when the resource is named by a literal. */
  get<R extends string>(resource: R): Informer<ObjectOf<R>> {
    let informer = this.informers.get(resource);
    if (!informer) this.informers.set(resource, (informer = new Informer(this.store, resource)));
    // The map holds each resource's informer under its name, so this one is of R's kind.
    return informer as unknown as Informer<ObjectOf<R>>;
  }
}

/**
 * A controller's sync latency for its work queue: the profile's `step`, drawn from the
 * controller's own random stream, so one controller's draws never shift another's.
 */
export function controllerLatency(
  ctx: { readonly profile: LatencyProfile; readonly engine: SimEngine },
  stream: string,
  step: StepName = 'controllerSync',
): () => number {
  const latencies = new Latencies(ctx.profile, ctx.engine.random(stream));
  return () => latencies.of(step);
}

/** A de-duplicating, delaying work queue processed on the engine's clock. */
export class WorkQueue {
  private readonly pending = new Set<string>();
  /** Keys waiting for an AddAfter, with their time. */
  private readonly waiting = new Map<string, { at: number; timer: TimerHandle }>();

  constructor(
    private readonly engine: SimEngine,
    private readonly latency: () => number,
    private readonly process: (key: string) => void,
  ) {}

  add(key: string, delayMs?: number): void {
    if (this.pending.has(key)) return;
    this.pending.add(key);
    this.engine.after(delayMs ?? this.latency(), () => {
      this.pending.delete(key);
      this.process(key);
    });
  }

  /**
   * Queues a key after a delay even when it is pending (AddAfter), for deadlines and requeues.
   * As client-go's delaying queue: a key waits once, and a later AddAfter only ever brings its
   * time forward (an earlier one is kept); no delay at all is an Add now. A wait that keeps
   * the run alive is not replaced by a background one at the same or a later time.
   */
  addAfter(key: string, delayMs: number, background?: boolean): void {
    const delay = Math.max(0, Math.round(delayMs));
    if (delay === 0) return this.add(key, 0);
    const at = this.engine.now() + delay;
    const waiting = this.waiting.get(key);
    const asBackground = background ?? this.engine.runningBackground;
    if (waiting !== undefined) {
      if (waiting.at <= at && (!waiting.timer.background || asBackground)) return;
      this.engine.cancel(waiting.timer);
    }
    const when = waiting === undefined ? at : Math.min(at, waiting.at);
    const timer = this.engine.after(
      when - this.engine.now(),
      () => {
        this.waiting.delete(key);
        this.add(key, 0);
      },
      asBackground && (waiting === undefined || waiting.timer.background),
    );
    this.waiting.set(key, { at: when, timer });
  }
}

/**
 * A controller's writes in flight per key. Upstream a sync returns only once its writes are
 * done, so no other sync of the object sees half of them; here writes are asynchronous, so a
 * sync that comes meanwhile is held (`holds`) and queued again once the last write is stored.
 */
export class WritesInFlight {
  private readonly writing = new Map<string, number>();
  private readonly held = new Set<string>();

  constructor(private readonly queue: WorkQueue) {}

  /** True when `key` has writes in flight: the caller's sync waits for them. */
  holds(key: string): boolean {
    if ((this.writing.get(key) ?? 0) === 0) return false;
    this.held.add(key);
    return true;
  }

  started(key: string): void {
    this.writing.set(key, (this.writing.get(key) ?? 0) + 1);
  }

  done(key: string): void {
    const left = (this.writing.get(key) ?? 1) - 1;
    if (left > 0) return void this.writing.set(key, left);
    this.writing.delete(key);
    if (this.held.delete(key)) this.queue.add(key);
  }
}

export function splitKey(key: string): [string | undefined, string] {
  const slash = key.indexOf('/');
  return slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
}

/** The controller owner reference of an object, if any. */
export function controllerOf(object: KubeObject): { kind: string; name: string; uid: string } | undefined {
  return object.metadata.ownerReferences?.find((r) => r.controller);
}
