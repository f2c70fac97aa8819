// What the Job controller reads from pods and writes into a Job's status: the tracking
// finalizer, which pods count as failed, the conditions and the counters as the API
// serializes them (pkg/controller/job/job_controller.go).
import type { JobCondition, JobStatus } from '../../base/apiObjects';
import type { Job, Pod } from '../store/kinds';
import { rfc3339 } from '../store/naming';

export const jobTrackingFinalizer = 'batch.kubernetes.io/job-tracking';

/** A condition the Job is heading for, before its times are set. */
export interface Condition {
  readonly type: string;
  readonly reason: string;
  readonly message: string;
}

export const completionsReached = {
  reason: 'CompletionsReached',
  message: 'Reached expected number of succeeded pods',
};

/** The uids of finished pods not yet counted, as status.uncountedTerminatedPods holds them. */
export interface Uncounted {
  succeeded: string[];
  failed: string[];
}

export function hasTrackingFinalizer(pod: Pod): boolean {
  return pod.metadata.finalizers?.includes(jobTrackingFinalizer) ?? false;
}

/** isPodFailed: Failed, or deleted before it could succeed (the Job's default podReplacementPolicy). */
export function isPodFailed(pod: Pod): boolean {
  return (
    pod.status?.phase === 'Failed' ||
    (pod.metadata.deletionTimestamp !== undefined && pod.status?.phase !== 'Succeeded')
  );
}

/** Complete or Failed is set: the Job is done. */
export function finishedCondition(job: Job): boolean {
  return (job.status?.conditions ?? []).some(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
}

/** restartPolicy OnFailure: the restarts of the running pods' containers count against backoffLimit. */
export function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[], backoffLimit: number): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])])
      restarts += s.restartCount ?? 0;
  }
  return backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit;
}

export function newCondition(type: string, c: Condition, now: number): JobCondition {
  const time = rfc3339(now);
  return { type, status: 'True', lastProbeTime: time, lastTransitionTime: time, reason: c.reason, message: c.message };
}

/** succeeded and failed are omitted while zero, as the API serializes them. */
export function counters(succeeded: number, failed: number): Pick<JobStatus, 'succeeded' | 'failed'> {
  return { ...(succeeded > 0 ? { succeeded } : {}), ...(failed > 0 ? { failed } : {}) };
}

export function uncountedJson(u: Uncounted): NonNullable<JobStatus['uncountedTerminatedPods']> {
  return {
    ...(u.succeeded.length > 0 ? { succeeded: u.succeeded } : {}),
    ...(u.failed.length > 0 ? { failed: u.failed } : {}),
  };
}
