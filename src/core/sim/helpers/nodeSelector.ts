// Node selector terms and the node fit of a pod's nodeSelector and required node affinity, shared
// by the scheduler's NodeAffinity filter, the DaemonSet controller and volume node affinity, as
// Kubernetes keeps them in component-helpers/scheduling/corev1/nodeaffinity.
import type { KubeObject } from '../store/objects';

/* eslint-disable @typescript-eslint/no-explicit-any -- node selector terms are loosely typed. */

function matchesTerm(term: any, labels: Record<string, string>, name: string): boolean {
  for (const e of term.matchExpressions ?? []) {
    const v = labels[e.key];
    const values: string[] = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (v === undefined || !values.includes(v)) return false;
        break;
      case 'NotIn':
        if (v !== undefined && values.includes(v)) return false;
        break;
      case 'Exists':
        if (v === undefined) return false;
        break;
      case 'DoesNotExist':
        if (v !== undefined) return false;
        break;
      case 'Gt':
        if (v === undefined || !(Number(v) > Number(values[0]))) return false;
        break;
      case 'Lt':
        if (v === undefined || !(Number(v) < Number(values[0]))) return false;
        break;
      default:
        return false;
    }
  }
  for (const f of term.matchFields ?? [])
    if (f.key === 'metadata.name' && !((f.values ?? []) as string[]).includes(name) === (f.operator === 'In'))
      return false;
  return true;
}

/**
 * Whether NodeSelectorTerms admit the node (any term; none at all admit
 * every node): a pod's required node affinity, a volume's node affinity.
 */
export function nodeSelectorTermsMatch(terms: readonly any[] | undefined, node: KubeObject): boolean {
  if (!terms || terms.length === 0) return true;
  const labels = node.metadata.labels ?? {};
  return terms.some((t) => matchesTerm(t, labels, node.metadata.name));
}

/** Whether the pod's nodeSelector admits the node. */
export function nodeSelectorMatches(pod: KubeObject, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  return true;
}

/** Whether the pod's required node affinity admits the node. */
export function requiredAffinityMatches(pod: KubeObject, node: KubeObject): boolean {
  return nodeSelectorTermsMatch(
    pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
    node,
  );
}

/** Whether the pod's nodeSelector and required node affinity admit the node. */
export function nodeSelectedBy(pod: KubeObject, node: KubeObject): boolean {
  return nodeSelectorMatches(pod, node) && requiredAffinityMatches(pod, node);
}
