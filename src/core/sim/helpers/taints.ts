// Taints and tolerations, shared by the scheduler's TaintToleration filter, the DaemonSet
// controller's node fit and the taint-eviction part of the node lifecycle controller, as
// Kubernetes keeps them in component-helpers/scheduling/corev1 (TolerationsTolerateTaint,
// FindMatchingUntoleratedTaint).
import type { KubeObject } from '../store/objects';

/* eslint-disable @typescript-eslint/no-explicit-any -- taints and tolerations are loosely typed. */

/** v1helper.TolerationsTolerateTaint for one toleration. */
export function tolerates(t: any, taint: any): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return t.key === undefined || t.key === '' || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/**
 * The first NoSchedule or NoExecute taint of the node that the pod
 * does not tolerate; with `onlyNoExecute`, the first NoExecute one.
 */
export function untoleratedTaint(pod: KubeObject, node: KubeObject, onlyNoExecute = false): any {
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect !== 'NoExecute' && (onlyNoExecute || taint.effect !== 'NoSchedule')) continue;
    if (!(pod.spec.tolerations ?? []).some((t: any) => tolerates(t, taint))) return taint;
  }
  return undefined;
}
