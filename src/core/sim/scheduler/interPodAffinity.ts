// The scheduler's InterPodAffinity plugin (pkg/scheduler/framework/plugins/interpodaffinity):
// the pods' terms and its PreFilter and Filter.
// Filter, on required terms: a pod's podAffinity needs a matching pod in the node's topology domain
// (UnschedulableAndUnresolvable, `node(s) didn't match pod affinity rules`), its
// podAntiAffinity needs none there (Unschedulable, `node(s) didn't match pod anti-affinity
// rules`), and the anti-affinity of pods already placed must not select it there
// (Unschedulable, `node(s) didn't satisfy existing pods anti-affinity rules`). The first pod
// of a group that has affinity to its own labels may go anywhere the topology keys exist.
// Score, on preferred terms: the pod's preferred affinity (anti-affinity) adds (subtracts) each
// term's weight in the domains of the pods it selects, the preferred terms of placed pods that
// select it do the same, and their required affinity terms add 1 (hardPodAffinityWeight).
import type { PodAffinityTerm } from '../../base/apiObjects';
import type { LabelSelector } from '../store/objects';
import type { Node, Pod } from '../store/kinds';
import { selectorMatches } from '../store/objects';
import type { FilterFailure } from './framework';

/** The namespace lookups a term's namespaceSelector needs. */
export interface NamespaceLookup {
  labels(namespace: string): Readonly<Record<string, string>> | undefined;
  names(): readonly string[];
}

/** A pod the scheduler has placed, as affinity needs it. */
export interface PlacedPod {
  readonly node: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>> | undefined;
  /** Its required anti-affinity terms, if any. */
  readonly antiAffinity: readonly PodAffinityTerm[] | undefined;
  /** Its terms that scoring reads, if it has any podAffinity or podAntiAffinity at all. */
  readonly scoringTerms: ScoringTerms | undefined;
}

/** A pod's terms as InterPodAffinity's scoring reads them (raw API terms, weighted where preferred). */
export interface ScoringTerms {
  readonly requiredAffinity: readonly PodAffinityTerm[];
  readonly preferredAffinity: readonly WeightedTerm[];
  readonly preferredAntiAffinity: readonly WeightedTerm[];
}

export interface WeightedTerm {
  readonly weight: number;
  readonly term: PodAffinityTerm;
}

function weighted(raw: unknown): WeightedTerm[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((t: { podAffinityTerm?: PodAffinityTerm } | null) => t && t.podAffinityTerm)
    .map((t: { weight?: number; podAffinityTerm: PodAffinityTerm }) => ({
      weight: Number(t.weight ?? 0),
      term: t.podAffinityTerm,
    }));
}

/** The terms scoring reads; undefined for a pod without podAffinity and podAntiAffinity (not in PodsWithAffinity). */
export function scoringTermsOf(pod: Pod): ScoringTerms | undefined {
  const affinity = pod.spec?.affinity;
  if (!affinity?.podAffinity && !affinity?.podAntiAffinity) return undefined;
  return {
    requiredAffinity: requiredTerms(pod, 'podAffinity') ?? [],
    preferredAffinity: weighted(affinity.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: weighted(affinity.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
  };
}

export interface Term {
  readonly topologyKey: string;
  readonly selector: LabelSelector | undefined;
  /** The namespaces the term looks in; undefined for all. */
  readonly namespaces: ReadonlySet<string> | undefined;
}

const affinityReasons: readonly string[] = Object.freeze(["node(s) didn't match pod affinity rules"]);
const antiAffinityReasons: readonly string[] = Object.freeze(["node(s) didn't match pod anti-affinity rules"]);
/** A node where a placed pod's anti-affinity selects this pod: no term of the pod's own is at fault. */
const existingAntiAffinity: FilterFailure = Object.freeze({
  plugin: 'InterPodAffinity',
  rule: 'existingAntiAffinity',
  term: -1,
  reasons: Object.freeze(["node(s) didn't satisfy existing pods anti-affinity rules"]),
  unresolvable: false,
});

/** The required terms of a pod's podAffinity or podAntiAffinity. */
export function requiredTerms(
  pod: Pod,
  kind: 'podAffinity' | 'podAntiAffinity',
): readonly PodAffinityTerm[] | undefined {
  const terms = pod.spec?.affinity?.[kind]?.requiredDuringSchedulingIgnoredDuringExecution;
  return Array.isArray(terms) && terms.length > 0 ? terms : undefined;
}

/**
 * The namespaces a term applies to (GetNamespacesFromPodAffinityTerm): its `namespaces`, and
 * the namespaces its namespaceSelector matches (`{}` is every namespace); neither means the
 * namespace of the pod that has the term.
 */
export function termOf(raw: PodAffinityTerm, ownNamespace: string, lookup: NamespaceLookup): Term {
  const listed: readonly string[] = Array.isArray(raw.namespaces) ? (raw.namespaces as string[]) : [];
  const nsSelector = raw.namespaceSelector;
  let namespaces: Set<string> | undefined;
  if (nsSelector && Object.keys(nsSelector).length === 0) namespaces = undefined;
  else {
    namespaces = new Set(listed);
    if (nsSelector)
      for (const ns of lookup.names()) if (selectorMatches(nsSelector, lookup.labels(ns))) namespaces.add(ns);
    if (listed.length === 0 && !nsSelector) namespaces.add(ownNamespace);
  }
  return { topologyKey: String(raw.topologyKey ?? ''), selector: raw.labelSelector ?? undefined, namespaces };
}

export function termMatches(
  term: Term,
  namespace: string,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  if (term.namespaces && !term.namespaces.has(namespace)) return false;
  // A term without a label selector selects no pod.
  return term.selector !== undefined && term.selector !== null && selectorMatches(term.selector, labels);
}

/** PreFilter's state for one pod: which topology domains hold the pods its terms (and others' terms) care about. */
export class InterPodAffinityState {
  private readonly affinity: { term: Term; domains: Set<string> }[] = [];
  private readonly anti: { term: Term; domains: Set<string> }[] = [];
  /** Domains (`key\0value`) where a placed pod's anti-affinity selects this pod. */
  private readonly forbidden = new Set<string>();
  private readonly forbiddenKeys = new Set<string>();
  /** No pod matches the pod's affinity terms anywhere, and the pod matches them itself. */
  private readonly firstOfGroup: boolean;

  constructor(
    pod: Pod,
    placed: Iterable<PlacedPod>,
    nodeLabels: (node: string) => Readonly<Record<string, string>> | undefined,
    lookup: NamespaceLookup,
  ) {
    const namespace = pod.metadata.namespace ?? 'default';
    const labels = pod.metadata.labels;
    for (const raw of requiredTerms(pod, 'podAffinity') ?? [])
      this.affinity.push({ term: termOf(raw, namespace, lookup), domains: new Set() });
    for (const raw of requiredTerms(pod, 'podAntiAffinity') ?? [])
      this.anti.push({ term: termOf(raw, namespace, lookup), domains: new Set() });
    let anyAffinityMatch = false;
    for (const p of placed) {
      const node = nodeLabels(p.node);
      if (!node) continue;
      for (const a of this.affinity) {
        if (!termMatches(a.term, p.namespace, p.labels)) continue;
        anyAffinityMatch = true;
        const value = node[a.term.topologyKey];
        if (value !== undefined) a.domains.add(value);
      }
      for (const a of this.anti) {
        const value = node[a.term.topologyKey];
        if (value !== undefined && termMatches(a.term, p.namespace, p.labels)) a.domains.add(value);
      }
      for (const raw of p.antiAffinity ?? []) {
        const term = termOf(raw, p.namespace, lookup);
        const value = node[term.topologyKey];
        if (value === undefined || !termMatches(term, namespace, labels)) continue;
        this.forbidden.add(`${term.topologyKey}\u0000${value}`);
        this.forbiddenKeys.add(term.topologyKey);
      }
    }
    this.firstOfGroup =
      this.affinity.length > 0 &&
      !anyAffinityMatch &&
      this.affinity.every((a) => termMatches(a.term, namespace, labels));
  }

  /**
   * Filter: affinity, then the pod's anti-affinity, then the anti-affinity of the pods already
   * placed; a failure names the pod's term that failed (its index among the required terms).
   */
  filter(node: Node): FilterFailure | undefined {
    const labels = node.metadata.labels ?? {};
    for (let term = 0; term < this.affinity.length; term++) {
      const a = this.affinity[term];
      const value = labels[a.term.topologyKey];
      const ok = value !== undefined && (this.firstOfGroup || a.domains.has(value));
      if (!ok)
        return { plugin: 'InterPodAffinity', rule: 'podAffinity', term, reasons: affinityReasons, unresolvable: true };
    }
    for (let term = 0; term < this.anti.length; term++) {
      const a = this.anti[term];
      const value = labels[a.term.topologyKey];
      if (value !== undefined && a.domains.has(value))
        return {
          plugin: 'InterPodAffinity',
          rule: 'podAntiAffinity',
          term,
          reasons: antiAffinityReasons,
          unresolvable: false,
        };
    }
    for (const key of this.forbiddenKeys) {
      const value = labels[key];
      if (value !== undefined && this.forbidden.has(`${key}\u0000${value}`)) return existingAntiAffinity;
    }
    return undefined;
  }
}
