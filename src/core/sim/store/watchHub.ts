// Watches as the apiserver's watch cache serves them: per-resource history for resume,
// an index on spec.nodeName (a kubelet watches only its node's pods, and a write reaches
// only the watchers it concerns), and the transition rules for selector watches: an object
// that starts matching arrives as ADDED, one that stops matching as DELETED.
import { gone } from './apiError';
import { nodeNameOf, type KubeObject } from './objects';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T extends KubeObject = KubeObject> {
  readonly type: WatchEventType;
  readonly object: T;
  /** The global resourceVersion of this change. */
  readonly rv: number;
}

export type WatchHandler<T extends KubeObject = KubeObject> = (event: WatchEvent<T>) => void;

export interface WatchOptions {
  readonly namespace?: string;
  readonly fieldSelector?: { readonly field: 'spec.nodeName'; readonly value: string };
  readonly labelSelector?: (labels: Readonly<Record<string, string>> | undefined) => boolean;
  /** Resume after this resourceVersion; without it the watch starts with the current objects as ADDED. */
  readonly resourceVersion?: number;
  readonly allowBookmarks?: boolean;
}

export interface Watch {
  stop(): void;
  readonly active: boolean;
}

interface Watcher {
  readonly options: WatchOptions;
  readonly handler: WatchHandler;
  /** No namespace, field or label selector: the watcher sees every change as it is. */
  readonly everything: boolean;
  /** A spec.nodeName selector and nothing else (a kubelet's watch). */
  readonly nodeOnly: boolean;
  active: boolean;
}

interface HistoryEntry {
  readonly event: WatchEvent;
  readonly old: KubeObject | undefined;
  /** When the change happened, in virtual ms. */
  readonly time: number;
}

/**
 * The watch cache's window (k8s.io/apiserver storage/cacher/watch_cache.go): it keeps every
 * change of the last 75 s (eventFreshDuration), and never fewer than 100 changes
 * (defaultLowerBoundCapacity) or more than `historyLimit` (defaultUpperBoundCapacity,
 * 100 × 1024); resuming from before the window is 410 Gone.
 */
const freshMs = 75_000;
const lowerBound = 100;

interface ResourceWatches {
  readonly unindexed: Set<Watcher>;
  /** Watchers by the node they select (a few per node: arrays iterate faster than sets). */
  readonly byNode: Map<string, Watcher[]>;
  /** Changes from `head` on; the slots before it are emptied as they leave the window. */
  readonly history: (HistoryEntry | undefined)[];
  head: number;
  /** The resourceVersion of the newest change dropped from the history: resuming before it is 410 Gone. */
  compactedThrough: number;
}

export class WatchHub {
  private readonly resources = new Map<string, ResourceWatches>();

  constructor(
    private readonly historyLimit: number,
    private readonly deliver: (run: () => void) => void,
    private readonly now: () => number = () => 0,
  ) {}

  private entry(resource: string): ResourceWatches {
    let r = this.resources.get(resource);
    if (!r) {
      r = { unindexed: new Set(), byNode: new Map(), history: [], head: 0, compactedThrough: 0 };
      this.resources.set(resource, r);
    }
    return r;
  }

  open(
    resource: string,
    options: WatchOptions,
    handler: WatchHandler,
    initial: readonly KubeObject[],
    currentRv: number,
  ): Watch {
    const r = this.entry(resource);
    const replay: WatchEvent[] = [];
    if (options.resourceVersion !== undefined) {
      if (options.resourceVersion < r.compactedThrough) throw gone(options.resourceVersion, r.compactedThrough + 1);
      for (let i = r.head; i < r.history.length; i++) {
        const h = r.history[i]!;
        if (h.event.rv <= options.resourceVersion) continue;
        const translated = translate(options, h.event, h.old);
        if (translated) replay.push(translated);
      }
    } else {
      for (const object of initial) replay.push({ type: 'ADDED', object, rv: currentRv });
    }
    const everything = options.namespace === undefined && !options.fieldSelector && !options.labelSelector;
    const nodeOnly = options.fieldSelector !== undefined && options.namespace === undefined && !options.labelSelector;
    const watcher: Watcher = { options, handler, everything, nodeOnly, active: true };
    const node = options.fieldSelector?.value;
    if (node !== undefined) {
      const list = r.byNode.get(node);
      if (list) list.push(watcher);
      else r.byNode.set(node, [watcher]);
    } else r.unindexed.add(watcher);
    if (replay.length > 0) this.deliver(() => replay.forEach((e) => watcher.active && handler(e)));
    return {
      stop: () => {
        watcher.active = false;
        if (node !== undefined) {
          const list = r.byNode.get(node);
          const at = list ? list.indexOf(watcher) : -1;
          if (at >= 0) list!.splice(at, 1);
        } else r.unindexed.delete(watcher);
      },
      get active() {
        return watcher.active;
      },
    };
  }

  publish(resource: string, event: WatchEvent, old: KubeObject | undefined): void {
    const r = this.entry(resource);
    const now = this.now();
    r.history.push({ event, old, time: now });
    const floor = Math.min(lowerBound, this.historyLimit);
    for (
      let live = r.history.length - r.head;
      live > floor && (live > this.historyLimit || r.history[r.head]!.time < now - freshMs);
      live--
    ) {
      r.compactedThrough = r.history[r.head]!.event.rv;
      // Dropped now, not at the next splice: an old version of an object is not kept alive by the window it left.
      r.history[r.head++] = undefined;
    }
    if (r.head > 4096 && r.head * 2 > r.history.length) {
      r.history.splice(0, r.head);
      r.head = 0;
    }
    const targets: { watcher: Watcher; event: WatchEvent }[] = [];
    for (const w of r.unindexed) {
      const t = w.everything ? event : translate(w.options, event, old);
      if (t) targets.push({ watcher: w, event: t });
    }
    if (r.byNode.size > 0) {
      const newNode = nodeNameOf(event.object);
      const oldNode = old && nodeNameOf(old);
      if (newNode !== undefined)
        this.nodeTargets(r, newNode, event, old, targets, event.type === 'MODIFIED' && oldNode === newNode);
      if (oldNode !== undefined && oldNode !== newNode) this.nodeTargets(r, oldNode, event, old, targets, false);
    }
    if (targets.length === 0) return;
    this.deliver(() => {
      for (const t of targets) if (t.watcher.active) t.watcher.handler(t.event);
    });
  }

  /**
   * What the watchers of one node's objects (a kubelet's spec.nodeName watch) see of a change.
   * `stays`: a modification of an object that was and is on this node, which a watch that
   * selects on the node alone sees as it is (most changes: a bound pod's status writes).
   */
  private nodeTargets(
    r: ResourceWatches,
    node: string,
    event: WatchEvent,
    old: KubeObject | undefined,
    targets: { watcher: Watcher; event: WatchEvent }[],
    stays: boolean,
  ): void {
    const watchers = r.byNode.get(node);
    if (watchers === undefined) return;
    for (let i = 0; i < watchers.length; i++) {
      const w = watchers[i];
      const t = stays && w.nodeOnly ? event : translate(w.options, event, old);
      if (t) targets.push({ watcher: w, event: t });
    }
  }

  hasWatchers(resource: string): boolean {
    const r = this.resources.get(resource);
    if (!r) return false;
    if (r.unindexed.size > 0) return true;
    for (const list of r.byNode.values()) if (list.length > 0) return true;
    return false;
  }

  /** Sends a BOOKMARK with the current resourceVersion to every watcher that asked for them. */
  bookmark(resource: string, rv: number): void {
    const r = this.resources.get(resource);
    if (!r) return;
    const all = [...r.unindexed, ...[...r.byNode.values()].flatMap((s) => [...s])].filter(
      (w) => w.options.allowBookmarks,
    );
    if (all.length === 0) return;
    const object = { apiVersion: 'v1', kind: 'Bookmark', metadata: { name: '', resourceVersion: String(rv) } };
    this.deliver(() => all.forEach((w) => w.active && w.handler({ type: 'BOOKMARK', object, rv })));
  }
}

function matches(options: WatchOptions, object: KubeObject | undefined): boolean {
  if (!object) return false;
  if (options.namespace !== undefined && object.metadata.namespace !== options.namespace) return false;
  if (options.fieldSelector && (nodeNameOf(object) ?? '') !== options.fieldSelector.value) return false;
  if (options.labelSelector && !options.labelSelector(object.metadata.labels)) return false;
  return true;
}

/** What a selector watch sees of a change: the event itself, a synthetic ADDED/DELETED, or nothing. */
function translate(options: WatchOptions, event: WatchEvent, old: KubeObject | undefined): WatchEvent | undefined {
  const now = event.type !== 'DELETED' && matches(options, event.object);
  const before = event.type === 'ADDED' ? false : matches(options, old ?? event.object);
  if (event.type === 'DELETED') return before ? event : undefined;
  if (now && before) return event;
  if (now) return event.type === 'ADDED' ? event : { ...event, type: 'ADDED' };
  if (before) return { ...event, type: 'DELETED' };
  return undefined;
}
