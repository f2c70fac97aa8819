// The Job controller's pod failure back-off (pkg/controller/job/backoff_utils.go): 10 s doubling
// per failure since the last success, at most 10 min, counted from the last failure.
import type { Pod } from '../store/kinds';
import { virtualMsOf } from '../store/naming';

/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff. */
const podFailureBackoffMs = 10_000;
const maxPodFailureBackoffMs = 600_000;

/** Failures since the last success and when the last one finished: what the pod back-off is computed from. */
export interface BackoffRecord {
  readonly failuresAfterLastSuccess: number;
  readonly lastFailureTime: number | undefined;
}

/** When a pod finished: its last container's finishedAt, else now. */
function finishedAt(pod: Pod, now: number): number {
  let latest: number | undefined;
  for (const s of pod.status?.containerStatuses ?? []) {
    const at = s.state?.terminated?.finishedAt;
    if (at) latest = Math.max(latest ?? 0, virtualMsOf(at));
  }
  return latest ?? now;
}

export function nextBackoff(
  old: BackoffRecord | undefined,
  succeeded: readonly Pod[],
  failed: readonly Pod[],
  now: number,
): BackoffRecord {
  const record = old ?? { failuresAfterLastSuccess: 0, lastFailureTime: undefined };
  if (failed.length === 0)
    return succeeded.length === 0 ? record : { failuresAfterLastSuccess: 0, lastFailureTime: undefined };
  const failures = [...failed].map((p) => finishedAt(p, now)).sort((a, b) => a - b);
  if (succeeded.length === 0)
    return {
      failuresAfterLastSuccess: record.failuresAfterLastSuccess + failures.length,
      lastFailureTime: failures[failures.length - 1],
    };
  const lastSuccess = Math.max(...succeeded.map((p) => finishedAt(p, now)));
  const after = failures.filter((t) => t > lastSuccess);
  return after.length === 0
    ? { failuresAfterLastSuccess: 0, lastFailureTime: undefined }
    : { failuresAfterLastSuccess: after.length, lastFailureTime: after[after.length - 1] };
}

/** getRemainingTime: 10 s doubling per failure since the last success, at most 10 min, from the last failure. */
export function remainingBackoff(record: BackoffRecord, now: number): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  let delay = podFailureBackoffMs;
  for (let i = 1; i < record.failuresAfterLastSuccess; i++) delay = Math.min(delay * 2, maxPodFailureBackoffMs);
  const elapsed = now - record.lastFailureTime;
  return delay < elapsed ? 0 : delay - elapsed;
}
