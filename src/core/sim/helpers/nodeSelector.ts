// Node selector terms and the node fit of a pod's nodeSelector and required node affinity, shared
// by the scheduler's NodeAffinity filter, the DaemonSet controller and volume node affinity, as
// Kubernetes keeps them in component-helpers/scheduling/corev1/nodeaffinity.
import type { NodeSelectorTerm } from '../../base/apiObjects';
import type { Node, Pod } from '../store/kinds';

function matchesTerm(term: NodeSelectorTerm, labels: Readonly<Record<string, string>>, name: string): boolean {
  for (const e of term.matchExpressions ?? []) {
    const v = labels[e.key];
    const values: readonly string[] = e.values ?? [];
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
    if (f.key === 'metadata.name' && !(f.values ?? []).includes(name) === (f.operator === 'In')) return false;
  return true;
}

/**
 * Whether NodeSelectorTerms admit the node (any term; none at all admit
 * every node): a pod's required node affinity, a volume's node affinity.
 */
export function nodeSelectorTermsMatch(terms: readonly NodeSelectorTerm[] | undefined, node: Node): boolean {
  if (!terms || terms.length === 0) return true;
  const labels = node.metadata.labels ?? {};
  return terms.some((t) => matchesTerm(t, labels, node.metadata.name));
}

/** Whether the pod's nodeSelector admits the node. */
export function nodeSelectorMatches(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  return true;
}

/** Whether the pod's required node affinity admits the node. */
export function requiredAffinityMatches(pod: Pod, node: Node): boolean {
  return nodeSelectorTermsMatch(
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
    node,
  );
}

/** Whether the pod's nodeSelector and required node affinity admit the node. */
export function nodeSelectedBy(pod: Pod, node: Node): boolean {
  return nodeSelectorMatches(pod, node) && requiredAffinityMatches(pod, node);
}
