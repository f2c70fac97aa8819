// The scheduler's InterPodAffinity filter (pkg/scheduler/framework/plugins/interpodaffinity),
// required terms only: a pod's podAffinity needs a matching pod in the node's topology domain
// (UnschedulableAndUnresolvable, `node(s) didn't match pod affinity rules`), its
// podAntiAffinity needs none there (Unschedulable, `node(s) didn't match pod anti-affinity
// rules`), and the anti-affinity of pods already placed must not select it there
// (Unschedulable, `node(s) didn't satisfy existing pods anti-affinity rules`). The first pod
// of a group that has affinity to its own labels may go anywhere the topology keys exist.
import type { KubeObject, LabelSelector } from '../store/objects';
import { selectorMatches } from '../store/objects';
import type { FilterFailure } from './plugins';

/* eslint-disable @typescript-eslint/no-explicit-any -- affinity terms are loosely typed. */

/** A pod the scheduler has placed, as affinity needs it. */
export interface PlacedPod {
  readonly node: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>> | undefined;
  /** Its required anti-affinity terms, if any. */
  readonly antiAffinity: readonly any[] | undefined;
}

interface Term {
  readonly topologyKey: string;
  readonly selector: LabelSelector | undefined;
  /** The namespaces the term looks in; undefined for all. */
  readonly namespaces: ReadonlySet<string> | undefined;
}

/** The required terms of a pod's podAffinity or podAntiAffinity. */
export function requiredTerms(pod: KubeObject, kind: 'podAffinity' | 'podAntiAffinity'): readonly any[] | undefined {
  const terms = pod.spec?.affinity?.[kind]?.requiredDuringSchedulingIgnoredDuringExecution;
  return Array.isArray(terms) && terms.length > 0 ? terms : undefined;
}

/**
 * The namespaces a term applies to (GetNamespacesFromPodAffinityTerm): its `namespaces`, and
 * the namespaces its namespaceSelector matches (`{}` is every namespace); neither means the
 * namespace of the pod that has the term.
 */
function termOf(raw: any, ownNamespace: string, namespaceLabels: (ns: string) => Readonly<Record<string, string>> | undefined, allNamespaces: () => readonly string[]): Term {
  const listed: string[] = Array.isArray(raw.namespaces) ? raw.namespaces : [];
  const nsSelector = raw.namespaceSelector;
  let namespaces: Set<string> | undefined;
  if (nsSelector && Object.keys(nsSelector).length === 0) namespaces = undefined;
  else {
    namespaces = new Set(listed);
    if (nsSelector) for (const ns of allNamespaces()) if (selectorMatches(nsSelector, namespaceLabels(ns))) namespaces.add(ns);
    if (listed.length === 0 && !nsSelector) namespaces.add(ownNamespace);
  }
  return { topologyKey: String(raw.topologyKey ?? ''), selector: raw.labelSelector, namespaces };
}

function termMatches(term: Term, namespace: string, labels: Readonly<Record<string, string>> | undefined): boolean {
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
    pod: KubeObject,
    placed: Iterable<PlacedPod>,
    nodeLabels: (node: string) => Readonly<Record<string, string>> | undefined,
    namespaceLabels: (ns: string) => Readonly<Record<string, string>> | undefined,
    allNamespaces: () => readonly string[],
  ) {
    const namespace = pod.metadata.namespace ?? 'default';
    const labels = pod.metadata.labels;
    for (const raw of requiredTerms(pod, 'podAffinity') ?? []) this.affinity.push({ term: termOf(raw, namespace, namespaceLabels, allNamespaces), domains: new Set() });
    for (const raw of requiredTerms(pod, 'podAntiAffinity') ?? []) this.anti.push({ term: termOf(raw, namespace, namespaceLabels, allNamespaces), domains: new Set() });
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
        const term = termOf(raw, p.namespace, namespaceLabels, allNamespaces);
        const value = node[term.topologyKey];
        if (value === undefined || !termMatches(term, namespace, labels)) continue;
        this.forbidden.add(`${term.topologyKey}\u0000${value}`);
        this.forbiddenKeys.add(term.topologyKey);
      }
    }
    this.firstOfGroup = this.affinity.length > 0 && !anyAffinityMatch && this.affinity.every((a) => termMatches(a.term, namespace, labels));
  }

  /** Filter: affinity, then the pod's anti-affinity, then the anti-affinity of the pods already placed. */
  filter(node: KubeObject): FilterFailure | undefined {
    const labels = node.metadata.labels ?? {};
    for (const a of this.affinity) {
      const value = labels[a.term.topologyKey];
      const ok = value !== undefined && (this.firstOfGroup || a.domains.has(value));
      if (!ok) return { reasons: ["node(s) didn't match pod affinity rules"], unresolvable: true };
    }
    for (const a of this.anti) {
      const value = labels[a.term.topologyKey];
      if (value !== undefined && a.domains.has(value)) return { reasons: ["node(s) didn't match pod anti-affinity rules"], unresolvable: false };
    }
    for (const key of this.forbiddenKeys) {
      const value = labels[key];
      if (value !== undefined && this.forbidden.has(`${key}\u0000${value}`)) return { reasons: ["node(s) didn't satisfy existing pods anti-affinity rules"], unresolvable: false };
    }
    return undefined;
  }
}
