// Taints and tolerations, shared by the scheduler's TaintToleration filter, the DaemonSet
// controller's node fit and the taint-eviction part of the node lifecycle controller, as
// Kubernetes keeps them in component-helpers/scheduling/corev1 (TolerationsTolerateTaint,
// FindMatchingUntoleratedTaint).
import type { Taint, Toleration } from '../../base/apiObjects';
import type { Node, Pod } from '../store/kinds';

/** v1helper.TolerationsTolerateTaint for one toleration. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return t.key === undefined || t.key === '' || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/**
 * The first NoSchedule or NoExecute taint of the node that the pod
 * does not tolerate; with `onlyNoExecute`, the first NoExecute one.
 */
export function untoleratedTaint(pod: Pod, node: Node, onlyNoExecute = false): Taint | undefined {
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect !== 'NoExecute' && (onlyNoExecute || taint.effect !== 'NoSchedule')) continue;
    if (!(pod.spec?.tolerations ?? []).some((t) => tolerates(t, taint))) return taint;
  }
  return undefined;
}
