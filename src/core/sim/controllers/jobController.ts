// The Job controller (pkg/controller/job, with the 1.31+ terminal-condition flow): runs pods
// to completion. It creates up to `parallelism` pods at a time (never more than the
// completions left) in slow-start batches, each with the batch.kubernetes.io/job-tracking
// finalizer; a finished pod is first listed in status.uncountedTerminatedPods, then its
// finalizer is removed and it is counted in succeeded or failed. Failed pods are replaced
// after a back-off of 10 s doubling to 10 min. Once enough pods succeeded the Job gets
// SuccessCriteriaMet, then Complete (and the `Completed` event); past its backoffLimit or
// activeDeadlineSeconds it gets FailureTarget, its active pods are deleted, then Failed.
// Pod changes reach a sync after the controller's 1 s batch period (syncJobBatchPeriod).
import { fieldsCause, type EventCause } from '../../trace/model/eventCause';
import type { SimContext } from '../client/context';
import { rfc3339, virtualMsOf } from '../store/naming';
import { keyOf, objectKey } from '../store/objects';
import { controllerLatency, controllerOf, Informer, splitKey, WorkQueue, WritesInFlight } from '../client/informer';
import { PodControl } from './podControl';
import { compareForDeletion, isPodActive, isPodReady } from '../helpers/podUtil';
import type { JobCondition, JobSpec, JobStatus, PodTemplateSpec } from '../../base/apiObjects';
import type { Job, Pod } from '../store/kinds';
import { nextBackoff, remainingBackoff, type BackoffRecord } from './jobBackoff';
import {
  completionsReached,
  counters,
  finishedCondition,
  hasTrackingFinalizer,
  isPodFailed,
  jobTrackingFinalizer,
  newCondition,
  pastBackoffLimitOnFailure,
  uncountedJson,
  type Condition,
  type Uncounted,
} from './jobStatus';

const source = { component: 'job-controller' };
const user = 'system:serviceaccount:kube-system:job-controller';
/** syncJobBatchPeriod: pod events reach a sync this long after the first of them. */
const syncBatchMs = 1000;
/** MaxPodCreateDeletePerSync. */
const maxPerSync = 500;

/** The fields that decide a Job's events: how many pods run at once, how many must succeed, the failure bounds. */
const byParallelism = fieldsCause('spec.parallelism', 'spec.completions');
const byCompletions = fieldsCause('spec.completions', 'spec.parallelism');
/** A failed Job's end, by its condition's reason: the bound it crossed. */
const failureCauses: Readonly<Record<string, EventCause>> = {
  BackoffLimitExceeded: fieldsCause('spec.backoffLimit'),
  DeadlineExceeded: fieldsCause('spec.activeDeadlineSeconds'),
};
const completedCause = fieldsCause('spec.completions');

export class JobController {
  private readonly jobs: Informer<Job>;
  private readonly pods: Informer<Pod>;
  private readonly queue: WorkQueue;
  private readonly podControl: PodControl;
  /** Pods each Job asked for and has not yet seen (creation expectations). */
  private readonly inFlight = new Map<string, number>();
  /** Pods whose tracking finalizer this controller is removing (finalizer expectations), by uid. */
  private readonly removing = new Set<string>();
  private readonly backoff = new Map<string, BackoffRecord>();
  /** Jobs with a batched sync already on its way. */
  private readonly batched = new Set<string>();
  private readonly writes: WritesInFlight;

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue(ctx.engine, controllerLatency(ctx, 'job-controller'), (key) => this.sync(key));
    this.podControl = new PodControl(ctx, source, user);
    this.writes = new WritesInFlight(this.queue);
    this.jobs = ctx.informers.get('jobs').onChange((e) => this.queue.add(keyOf(e.object)));
    this.pods = ctx.informers.get('pods').onChange((e, old) => this.onPod(e.object, e.type === 'DELETED', old));
  }

  private onPod(pod: Pod, deleted: boolean, old: Pod | undefined): void {
    const owner = controllerOf(pod);
    if (!owner || owner.kind !== 'Job') return;
    const key = objectKey(pod.metadata.namespace, owner.name);
    if (!old && !deleted) {
      const n = this.inFlight.get(key) ?? 0;
      if (n > 0) this.inFlight.set(key, n - 1);
    }
    if (deleted || !hasTrackingFinalizer(pod)) this.removing.delete(pod.metadata.uid!);
    this.syncBatched(key);
  }

  /** enqueueSyncJobBatched: one sync a batch period after the first of a burst of pod events. */
  private syncBatched(key: string): void {
    if (this.batched.has(key)) return;
    this.batched.add(key);
    this.ctx.engine.after(syncBatchMs, () => {
      this.batched.delete(key);
      this.queue.add(key, 0);
    });
  }

  private podsOf(job: Job): Pod[] {
    const out: Pod[] = [];
    for (const pod of this.pods.inNamespace(job.metadata.namespace!))
      if (controllerOf(pod)?.uid === job.metadata.uid) out.push(pod);
    return out;
  }

  private sync(key: string): void {
    if (this.writes.holds(key)) return;
    const [namespace, name] = splitKey(key);
    const job = this.jobs.get(namespace, name);
    if (!job) return this.releaseOrphans(key);
    if (finishedCondition(job)) {
      this.backoff.delete(key);
      return;
    }
    // Validation makes every Job have a template; an empty spec reads as the defaults.
    const spec: Partial<JobSpec> = job.spec ?? {};
    const status: JobStatus = job.status ?? {};
    const now = this.ctx.engine.now();
    const pods = this.podsOf(job);
    const uncounted: Uncounted = {
      succeeded: [...(status.uncountedTerminatedPods?.succeeded ?? [])],
      failed: [...(status.uncountedTerminatedPods?.failed ?? [])],
    };
    const tracked = (p: Pod) => hasTrackingFinalizer(p) && !this.removing.has(p.metadata.uid!);
    const newSucceeded = pods.filter(
      (p) => tracked(p) && !uncounted.succeeded.includes(p.metadata.uid!) && p.status?.phase === 'Succeeded',
    );
    const newFailed = pods.filter((p) => tracked(p) && !uncounted.failed.includes(p.metadata.uid!) && isPodFailed(p));
    const succeeded = (status.succeeded ?? 0) + newSucceeded.length + uncounted.succeeded.length;
    const failed = (status.failed ?? 0) + newFailed.length + uncounted.failed.length;
    const activePods = pods.filter(isPodActive);
    let active = activePods.length;
    let ready = activePods.filter(isPodReady).length;
    let terminating = pods.filter(
      (p) => p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
    ).length;
    const startTime: string = status.startTime ?? rfc3339(now);
    const backoff = nextBackoff(this.backoff.get(key), newSucceeded, newFailed, now);
    const conditions: JobCondition[] = [...(status.conditions ?? [])];
    const backoffLimit = spec.backoffLimit ?? 6;

    // The condition the Job is heading for, if any: the interim one is written first.
    let finished: Condition | undefined;
    const met = conditions.find((c) => c.type === 'SuccessCriteriaMet' && c.status === 'True');
    const target = conditions.find((c) => c.type === 'FailureTarget' && c.status === 'True');
    if (met) finished = { type: 'SuccessCriteriaMet', reason: met.reason ?? '', message: met.message ?? '' };
    else if (target) finished = { type: 'Failed', reason: target.reason ?? '', message: target.message ?? '' };
    else if (failed > backoffLimit || pastBackoffLimitOnFailure(job, pods, backoffLimit))
      finished = {
        type: 'FailureTarget',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
      };
    else if (
      spec.activeDeadlineSeconds !== undefined &&
      now - virtualMsOf(startTime) >= spec.activeDeadlineSeconds * 1000
    )
      finished = {
        type: 'FailureTarget',
        reason: 'DeadlineExceeded',
        message: 'Job was active longer than specified deadline',
      };
    else if (spec.activeDeadlineSeconds !== undefined)
      this.queue.addAfter(key, spec.activeDeadlineSeconds * 1000 - (now - virtualMsOf(startTime)));

    if (finished && finished.type !== 'SuccessCriteriaMet') {
      // A failing Job stops its active pods; it is declared Failed once they are gone.
      this.deletePods(job, activePods, failureCauses[finished.reason]);
      active = 0;
      ready = 0;
      terminating += activePods.length;
    } else if (!finished) {
      if ((this.inFlight.get(key) ?? 0) === 0 && !job.metadata.deletionTimestamp) {
        const wanted =
          spec.completions === undefined || spec.completions === null
            ? succeeded > 0
              ? active
              : (spec.parallelism ?? 1)
            : Math.max(0, Math.min(spec.completions - succeeded, spec.parallelism ?? 1));
        // The count is the completions left when fewer than parallelism remain, else parallelism.
        const bound =
          spec.completions !== undefined &&
          spec.completions !== null &&
          spec.completions - succeeded < (spec.parallelism ?? 1)
            ? byCompletions
            : byParallelism;
        if (active > wanted) {
          const extra = [...activePods]
            .sort((a, b) => compareForDeletion(a, b, () => 0))
            .slice(0, Math.min(active - wanted, maxPerSync));
          this.deletePods(job, extra, bound);
          active -= extra.length;
          terminating += extra.length;
        } else if (wanted - active > 0) {
          const wait = remainingBackoff(backoff, now);
          if (wait > 0) this.queue.addAfter(key, wait);
          else {
            const count = Math.min(wanted - active, maxPerSync);
            this.createPods(job, count, bound);
            active += count;
          }
        }
      }
      const done =
        spec.completions === undefined || spec.completions === null
          ? succeeded > 0 && active === 0
          : succeeded >= spec.completions && active === 0;
      if (done) finished = { type: 'SuccessCriteriaMet', ...completionsReached };
    }

    // trackJobStatusAndRemoveFinalizers: finished pods go to uncountedTerminatedPods, then
    // lose their finalizer, then are counted.
    const removeFinalizer: Pod[] = [];
    for (const pod of pods) {
      if (!tracked(pod)) continue;
      const podFailed = isPodFailed(pod);
      if (!finished && pod.status?.phase !== 'Succeeded' && !podFailed) continue;
      removeFinalizer.push(pod);
      const uid = pod.metadata.uid!;
      if (pod.status?.phase === 'Succeeded' && !uncounted.failed.includes(uid)) {
        if (!uncounted.succeeded.includes(uid)) uncounted.succeeded.push(uid);
      } else if ((podFailed || (finished && finished.type !== 'SuccessCriteriaMet')) && !uncounted.failed.includes(uid))
        uncounted.failed.push(uid);
    }
    if (finished?.type === 'FailureTarget') {
      conditions.push(newCondition('FailureTarget', finished, now));
      finished = { ...finished, type: 'Failed' };
    } else if (finished?.type === 'SuccessCriteriaMet') {
      if (!met) conditions.push(newCondition('SuccessCriteriaMet', finished, now));
      finished = { ...finished, type: 'Complete' };
    }
    const before = {
      active: status.active ?? 0,
      ready: status.ready ?? 0,
      terminating: status.terminating ?? 0,
      conditions: (status.conditions ?? []).length,
      uncounted:
        (status.uncountedTerminatedPods?.succeeded?.length ?? 0) +
        (status.uncountedTerminatedPods?.failed?.length ?? 0),
    };
    const firstFlush =
      removeFinalizer.length > 0 ||
      before.active !== active ||
      before.ready !== ready ||
      before.terminating !== terminating ||
      before.conditions !== conditions.length ||
      before.uncounted !== uncounted.succeeded.length + uncounted.failed.length ||
      status.startTime === undefined;
    const statusWith = (extra: JobStatus): JobStatus => ({
      startTime,
      ...extra,
      active,
      ready,
      terminating,
    });
    if (firstFlush) {
      this.writeStatus(
        job,
        statusWith({
          conditions: [...conditions],
          ...counters(status.succeeded ?? 0, status.failed ?? 0),
          uncountedTerminatedPods: uncountedJson(uncounted),
        }),
      );
      this.backoff.set(key, backoff);
    }
    for (const pod of removeFinalizer) this.removeTrackingFinalizer(pod);
    // Counted once their finalizers are gone (assumed to succeed: the pods exist in the cache).
    const total = {
      succeeded: (status.succeeded ?? 0) + uncounted.succeeded.length,
      failed: (status.failed ?? 0) + uncounted.failed.length,
    };
    let jobFinished = false;
    let completionTime: string | undefined;
    if (finished && terminating === 0) {
      conditions.push(newCondition(finished.type, finished, now));
      if (finished.type === 'Complete') completionTime = rfc3339(now);
      jobFinished = true;
    }
    if (removeFinalizer.length > 0 || jobFinished) {
      this.writeStatus(
        job,
        statusWith({
          conditions,
          ...counters(total.succeeded, total.failed),
          uncountedTerminatedPods: {},
          ...(completionTime ? { completionTime } : {}),
        }),
        () => {
          if (!jobFinished || !finished) return;
          if (finished.type === 'Complete')
            this.ctx.events.record(source, job, 'Normal', 'Completed', 'Job completed', {
              lane: 'controller-manager',
              node: null,
              cause: completedCause,
            });
          else
            this.ctx.events.record(source, job, 'Warning', finished.reason, finished.message, {
              lane: 'controller-manager',
              node: null,
              cause: failureCauses[finished.reason],
            });
        },
      );
    }
  }

  /**
   * Writes a status computed from the cache. A Job the store already has as finished is left
   * alone: a sync that ran on a cache the finishing write had not reached yet must not finish
   * it (and say so) a second time. `onDone` runs only when the write was made.
   */
  private writeStatus(job: Job, status: JobStatus, onDone?: () => void): void {
    const key = keyOf(job);
    this.writes.started(key);
    let written = false;
    this.ctx.api.patch(
      'jobs',
      job.metadata.namespace,
      job.metadata.name,
      (cur) => {
        if (finishedCondition(cur)) return cur;
        written = true;
        return { ...cur, status };
      },
      user,
      {
        onDone: () => {
          if (written) onDone?.();
          this.writes.done(key);
        },
      },
    );
  }

  private removeTrackingFinalizer(pod: Pod): void {
    this.removing.add(pod.metadata.uid!);
    this.ctx.api.patch(
      'pods',
      pod.metadata.namespace,
      pod.metadata.name,
      (cur) => {
        if (cur.metadata.uid !== pod.metadata.uid || !hasTrackingFinalizer(cur)) return cur;
        return {
          ...cur,
          metadata: {
            ...cur.metadata,
            finalizers: (cur.metadata.finalizers ?? []).filter((f) => f !== jobTrackingFinalizer),
          },
        };
      },
      user,
    );
  }

  /** Pods whose Job is gone keep no tracking finalizer (the orphan queue). */
  private releaseOrphans(key: string): void {
    this.backoff.delete(key);
    const [namespace, name] = splitKey(key);
    for (const pod of this.pods.inNamespace(namespace ?? '')) {
      const owner = controllerOf(pod);
      if (
        owner?.kind === 'Job' &&
        owner.name === name &&
        hasTrackingFinalizer(pod) &&
        !this.removing.has(pod.metadata.uid!)
      )
        this.removeTrackingFinalizer(pod);
    }
  }

  /** Pods from the template with the tracking finalizer, named `<job>-<5 chars>`, in slow-start batches. */
  private createPods(job: Job, count: number, cause: EventCause): void {
    const key = keyOf(job);
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + count);
    const template: PodTemplateSpec = job.spec?.template ?? {};
    const finalizers = [
      ...(template.metadata?.finalizers ?? []).filter((f) => f !== jobTrackingFinalizer),
      jobTrackingFinalizer,
    ];
    const pod = PodControl.podFromTemplate(job, template, finalizers);
    this.podControl.createInBatches(
      job,
      count,
      () => pod,
      (n) => this.inFlight.set(key, Math.max(0, (this.inFlight.get(key) ?? 0) - n)),
      undefined,
      cause,
    );
  }

  private deletePods(job: Job, pods: readonly Pod[], cause: EventCause | undefined): void {
    for (const pod of pods) this.podControl.deletePod(job, pod, undefined, cause);
  }
}
