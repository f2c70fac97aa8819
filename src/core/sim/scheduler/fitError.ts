// The FailedScheduling text (framework.FitError.Error and DefaultPreemption's message):
// `0/<n> nodes are available: <histogram>.` where the histogram counts each reason over
// all nodes and is sorted as whole strings (sort.Strings, so the counts take part), then
// ` preemption: 0/<n> nodes are available: <histogram>.` appended with a `" %v."`
// separator, which is why real messages end in two dots.
import type { FilterFailure } from './plugins';

export function histogram(reasons: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort().join(', ');
}

/**
 * FitError.Error: the filters' histogram, then what PostFilter (preemption) said, if it said
 * anything (a preemption that found its victims says nothing).
 */
export function fitErrorMessage(totalNodes: number, failures: readonly FilterFailure[], postFilter?: string): string {
  if (totalNodes === 0) return 'no nodes available to schedule pods';
  let message = `0/${totalNodes} nodes are available: ${histogram(failures.flatMap((f) => f.reasons))}.`;
  if (postFilter) message += ` ${postFilter}.`;
  // validation.NoteLengthLimit: event notes are cut to 1024 characters.
  return message.length > 1024 ? `${message.slice(0, 1020)} ...` : message;
}

/** DefaultPreemption's message when no node has victims: its own FitError over the nodes' verdicts. */
export function preemptionMessage(totalNodes: number, reasons: Iterable<string>): string {
  return `preemption: 0/${totalNodes} nodes are available: ${histogram(reasons)}.`;
}

/**
 * A PreFilter rejection (VolumeBinding's `persistentvolumeclaim "data" not found`): the
 * plugin's message takes the histogram's place, and every node counts as one where
 * preemption is not helpful.
 */
export function preFilterErrorMessage(totalNodes: number, reason: string): string {
  if (totalNodes === 0) return 'no nodes available to schedule pods';
  const message = `0/${totalNodes} nodes are available: ${reason}. preemption: 0/${totalNodes} nodes are available: ${totalNodes} Preemption is not helpful for scheduling..`;
  return message.length > 1024 ? `${message.slice(0, 1020)} ...` : message;
}
