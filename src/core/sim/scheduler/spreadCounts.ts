// PodTopologySpread's counting: the placed pods matching each selector the plugin has asked
// about, per node slot, kept as pods are placed, relabelled, start terminating and go, so a
// scheduling cycle reads a number per node instead of matching every pod there.
import { doubled } from '../../base/typedArrays';
import { type LabelSelector, selectorMatches } from '../store/objects';

/** A selector as the scheduler builds it: every part must match (labels.Selector with requirements added). */
export type SpreadSelector = readonly LabelSelector[];

/** Whether every part of the selector matches the labels; an empty selector matches nothing. */
export function matchesAll(selector: SpreadSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (selector.length === 0) return false;
  for (const part of selector) if (!selectorMatches(part, labels)) return false;
  return true;
}

/** A placed pod as spread counting sees it: where it is, its labels, and the counts it is in. */
export interface SpreadMember {
  readonly namespace: string;
  labels: Readonly<Record<string, string>> | undefined;
  /** Its node's slot in the scheduler's node order; -1 for a node the scheduler does not know. */
  slot: number;
  /** Being deleted: countPodsMatchSelector passes over it. */
  terminating: boolean;
  /** The counts it adds one to. */
  counted: SelectorCount[];
}

/** The pods of one namespace that one selector matches, per node slot. */
export class SelectorCount {
  perSlot: Int32Array;

  constructor(
    readonly namespace: string,
    readonly selector: SpreadSelector,
    size: number,
  ) {
    this.perSlot = new Int32Array(Math.max(16, size));
  }

  at(slot: number): number {
    return slot < this.perSlot.length ? this.perSlot[slot] : 0;
  }

  add(slot: number, sign: 1 | -1): void {
    if (slot < 0) return;
    while (slot >= this.perSlot.length) this.perSlot = doubled(this.perSlot);
    this.perSlot[slot] += sign;
  }
}

interface NamespaceCounts {
  /** Counts by the first `key=value` their selector requires: a pod can only be in those its labels name. */
  readonly countsByPair: Map<string, SelectorCount[]>;
  /** Counts whose selector requires no exact label. */
  readonly otherCounts: SelectorCount[];
  /** The namespace's placed pods, and the same by each `key=value` of their labels. */
  readonly members: Set<SpreadMember>;
  readonly membersByPair: Map<string, Set<SpreadMember>>;
}

const pairKey = (key: string, value: string) => `${key}\u0000${value}`;

/** The first label value the selector requires, if any. */
function firstPair(selector: SpreadSelector): string | undefined {
  for (const part of selector) for (const k in part.matchLabels ?? {}) return pairKey(k, part.matchLabels![k]);
  return undefined;
}

/**
 * The placed pods, by namespace and label, and every selector count the scheduler has asked
 * for, kept as pods are placed, relabelled, start terminating and go.
 */
export class SpreadCounts {
  private readonly byNamespace = new Map<string, NamespaceCounts>();
  private readonly byKey = new Map<string, SelectorCount>();
  /** The same counts by selector object, for the selector of a controller that is asked again and again. */
  private readonly byObject = new WeakMap<LabelSelector, SelectorCount>();
  private size = 0;

  /** The count for a selector in a namespace, made on first use from the pods placed so far. */
  countFor(namespace: string, selector: SpreadSelector): SelectorCount {
    const single = selector.length === 1 ? selector[0] : undefined;
    const known = single ? this.byObject.get(single) : undefined;
    if (known && known.namespace === namespace) return known;
    const cacheKey = `${namespace}\u0000${JSON.stringify(selector)}`;
    let count = this.byKey.get(cacheKey);
    if (!count) {
      count = new SelectorCount(namespace, selector, this.size);
      this.byKey.set(cacheKey, count);
      const ns = this.namespace(namespace);
      const pair = firstPair(selector);
      if (pair === undefined) ns.otherCounts.push(count);
      else {
        const list = ns.countsByPair.get(pair);
        if (list) list.push(count);
        else ns.countsByPair.set(pair, [count]);
      }
      // Only the pods that have the label value the selector requires can match.
      const candidates = pair === undefined ? ns.members : (ns.membersByPair.get(pair) ?? []);
      for (const m of candidates) if (!m.terminating) this.tryJoin(count, m);
    }
    if (single) this.byObject.set(single, count);
    return count;
  }

  private namespace(namespace: string): NamespaceCounts {
    let ns = this.byNamespace.get(namespace);
    if (!ns)
      this.byNamespace.set(
        namespace,
        (ns = { countsByPair: new Map(), otherCounts: [], members: new Set(), membersByPair: new Map() }),
      );
    return ns;
  }

  /** A pod placed: it is indexed by its labels and joins the counts whose selector matches it. */
  add(m: SpreadMember): void {
    const ns = this.namespace(m.namespace);
    ns.members.add(m);
    this.index(ns, m, 1);
    this.join(ns, m);
  }

  /** A pod gone from its node: it leaves every count it is in. */
  remove(m: SpreadMember): void {
    const ns = this.namespace(m.namespace);
    this.leave(m);
    ns.members.delete(m);
    this.index(ns, m, -1);
  }

  /** A placed pod relabelled or terminating: counted again as it is now (a terminating pod counts for no spread). */
  change(m: SpreadMember, labels: Readonly<Record<string, string>> | undefined, terminating: boolean): void {
    const ns = this.namespace(m.namespace);
    this.leave(m);
    if (labels !== m.labels) {
      this.index(ns, m, -1);
      m.labels = labels;
      this.index(ns, m, 1);
    }
    m.terminating = terminating;
    this.join(ns, m);
  }

  private index(ns: NamespaceCounts, m: SpreadMember, sign: 1 | -1): void {
    const labels = m.labels ?? {};
    for (const k in labels) {
      const key = pairKey(k, labels[k]);
      let set = ns.membersByPair.get(key);
      if (sign > 0) {
        if (!set) ns.membersByPair.set(key, (set = new Set()));
        set.add(m);
      } else if (set) {
        set.delete(m);
        if (set.size === 0) ns.membersByPair.delete(key);
      }
    }
  }

  private join(ns: NamespaceCounts, m: SpreadMember): void {
    if (m.terminating) return;
    const labels = m.labels ?? {};
    if (ns.countsByPair.size > 0) {
      for (const k in labels) {
        const list = ns.countsByPair.get(pairKey(k, labels[k]));
        if (list) for (const c of list) this.tryJoin(c, m);
      }
    }
    for (const c of ns.otherCounts) this.tryJoin(c, m);
  }

  private tryJoin(c: SelectorCount, m: SpreadMember): void {
    if (!matchesAll(c.selector, m.labels)) return;
    c.add(m.slot, 1);
    m.counted.push(c);
  }

  private leave(m: SpreadMember): void {
    for (const c of m.counted) c.add(m.slot, -1);
    m.counted = [];
  }

  /** The nodes were renumbered (`slotOf` gives each pod's new slot): every count is made again. */
  renumber(size: number, slotOf: (m: SpreadMember) => number): void {
    this.size = size;
    for (const c of this.byKey.values()) c.perSlot = new Int32Array(Math.max(16, size));
    for (const ns of this.byNamespace.values()) {
      for (const m of ns.members) {
        m.slot = slotOf(m);
        for (const c of m.counted) c.add(m.slot, 1);
      }
    }
  }
}
