// The one-line summary of a pod status patch that the trace shows for the kubelet's status
// manager, made once per distinct phase and conditions.
import { flat } from '../../base/flatString';
import { conditionOrder, type ConditionType } from './podStatus';

/**
 * `phase Running; PodReadyToStartContainers=True, Initialized=True, …`: what a status patch
 * changed, as the trace shows it. Pods go through a handful of these, so each is made once
 * (keyed by a number from the phase and the conditions' types and statuses).
 */
export function statusSummary(status: {
  phase: string;
  conditions: readonly { type: string; status: string }[];
}): string {
  // Digits 1–15 in base 16 (no zero digit, so every sequence has its
  // own number): the phase, then per condition its type and status.
  let code = phases.indexOf(status.phase) + 1;
  if (code === 0 || status.conditions.length > 8) return describeStatus(status);
  for (const c of status.conditions) {
    const type = conditionOrder.indexOf(c.type as ConditionType);
    if (type < 0 || (c.status !== 'True' && c.status !== 'False')) return describeStatus(status);
    code = code * 16 + type * 2 + (c.status === 'True' ? 2 : 1);
  }
  let summary = summaries.get(code);
  if (summary === undefined) summaries.set(code, (summary = describeStatus(status)));
  return summary;
}

const phases = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];
const summaries = new Map<number, string>();

function describeStatus(status: { phase: string; conditions: readonly { type: string; status: string }[] }): string {
  let summary = `phase ${status.phase}; `;
  for (let i = 0; i < status.conditions.length; i++)
    summary += `${i === 0 ? '' : ', '}${status.conditions[i].type}=${status.conditions[i].status}`;
  return flat(summary);
}
