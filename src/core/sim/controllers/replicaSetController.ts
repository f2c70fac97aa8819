// The ReplicaSet controller (pkg/controller/replicaset): keeps `replicas` active pods,
// creating them in slow-start batches (1, 2, 4, ...; at most 500 per sync) named
// `<rs>-<5 chars>` and deleting the lowest-ranked ones, then writes the status.
import type { ReplicaSetStatus } from '../../base/apiObjects';
import { withFields } from '../../base/withFields';
import type { SimContext } from '../client/context';
import { rfc3339 } from '../store/naming';
import { keyOf, objectKey } from '../store/objects';
import type { Pod, ReplicaSet } from '../store/kinds';
import { controllerLatency, controllerOf, Informer, WorkQueue } from '../client/informer';
import { PodControl } from './podControl';
import { compareForDeletion, isPodActive, isPodAvailable, isPodReady } from '../helpers/podUtil';

const source = { component: 'replicaset-controller' };
const burstReplicas = 500;
const user = 'system:serviceaccount:kube-system:replicaset-controller';

export class ReplicaSetController {
  private readonly sets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;
  private readonly queue: WorkQueue;
  private readonly podControl: PodControl;
  /** Pods each set has asked for and not yet seen, so a sync does not create them twice (expectations). */
  private readonly inFlight = new Map<string, number>();
  private readonly podsByOwner = new Map<string, Set<string>>();
  /** Pods this controller asked to delete and has not yet seen terminating (deletion expectations). */
  private readonly deleting = new Set<string>();
  /**
   * Sets whose last creates were refused: how many times in a row, since when, and the error.
   * As upstream, the sync is retried with the work queue's rate limit (5 ms doubling to 1000 s)
   * and the status carries a ReplicaFailure condition until all wanted pods exist.
   */
  private readonly failures = new Map<string, { count: number; since: number; message: string }>();
  /** Per set: active and ready pods and terminating ones, kept up to date from pod events so a sync need not scan. */
  private readonly counts = new Map<string, { active: number; ready: number; terminating: number; deleting: number }>();

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue(ctx.engine, controllerLatency(ctx, 'replicaset-controller'), (key) => this.sync(key));
    this.podControl = new PodControl(ctx, source, user);
    this.sets = ctx.informers.get('replicasets').onChange((e) => this.queue.add(keyOf(e.object)));
    this.pods = ctx.informers.get('pods').onChange((e, old) => this.onPod(e.object, e.type === 'DELETED', old));
  }

  private countsOf(setKey: string) {
    let c = this.counts.get(setKey);
    if (!c) this.counts.set(setKey, (c = { active: 0, ready: 0, terminating: 0, deleting: 0 }));
    return c;
  }

  private tally(setKey: string, pod: Pod, sign: 1 | -1): void {
    const c = this.countsOf(setKey);
    if (pod.metadata.deletionTimestamp) c.terminating += sign;
    if (!isPodActive(pod)) return;
    c.active += sign;
    if (isPodReady(pod)) c.ready += sign;
  }

  private onPod(pod: Pod, deleted: boolean, old: Pod | undefined): void {
    const owner = controllerOf(pod);
    if (!owner || owner.kind !== 'ReplicaSet') return;
    const setKey = objectKey(pod.metadata.namespace, owner.name);
    if (old) this.tally(setKey, old, -1);
    if (!deleted) this.tally(setKey, pod, 1);
    const podKey = keyOf(pod);
    if ((deleted || pod.metadata.deletionTimestamp) && this.deleting.delete(podKey)) this.countsOf(setKey).deleting--;
    let members = this.podsByOwner.get(setKey);
    if (!members) this.podsByOwner.set(setKey, (members = new Set()));
    if (deleted) members.delete(podKey);
    else {
      if (!old) {
        const n = this.inFlight.get(setKey) ?? 0;
        if (n > 0) this.inFlight.set(setKey, n - 1);
      }
      // A member from its first version, or from when it was given this owner (the same reference while unchanged).
      if (!old || controllerOf(old) !== owner) members.add(podKey);
    }
    this.queue.add(setKey);
  }

  private sync(key: string): void {
    const rs = this.sets.cache.get(key);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const c = this.countsOf(key);
    const minReady = rs.spec!.minReadySeconds ?? 0;
    const inFlight = this.inFlight.get(key) ?? 0;
    const active = c.active - c.deleting;
    const diff = active + inFlight - (rs.spec!.replicas ?? 1);
    // A retry after refused creates is background work: what it creates is not.
    if (diff < 0 && inFlight === 0)
      this.ctx.engine.foreground(() => this.createPods(rs, Math.min(-diff, burstReplicas)));
    else if (diff > 0) this.deletePods(rs, this.activePods(key), Math.min(diff, burstReplicas));
    if (diff >= 0) this.failures.delete(key);
    // Availability needs time since readiness: only then is a scan needed.
    const available =
      minReady === 0
        ? c.ready
        : this.activePods(key).filter((p) => isPodAvailable(p, minReady, this.ctx.engine.now())).length;
    this.updateStatus(rs, { replicas: active, ready: c.ready, available, terminating: c.terminating });
  }

  private activePods(key: string): Pod[] {
    const out: Pod[] = [];
    for (const podKey of this.podsByOwner.get(key) ?? []) {
      const pod = this.pods.cache.get(podKey);
      if (pod && isPodActive(pod) && !this.deleting.has(podKey)) out.push(pod);
    }
    return out;
  }

  /** Pods from the template, named `<rs>-<5 chars>`, in slow-start batches. */
  private createPods(rs: ReplicaSet, count: number): void {
    const key = keyOf(rs);
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + count);
    const pod = PodControl.podFromTemplate(rs, rs.spec!.template);
    this.podControl.createInBatches(
      rs,
      count,
      () => pod,
      (n) => this.inFlight.set(key, Math.max(0, (this.inFlight.get(key) ?? 0) - n)),
      (error) => {
        // The condition keeps the first error until the set is whole again (SetCondition only when absent).
        const failure = this.failures.get(key) ?? { count: 0, since: this.ctx.engine.now(), message: error.message };
        failure.count++;
        this.failures.set(key, failure);
        // AddRateLimited: ItemExponentialFailureRateLimiter(5ms, 1000s);
        // background, so a set that keeps failing does not keep a run going.
        this.queue.addAfter(key, Math.min(5 * 2 ** (failure.count - 1), 1_000_000), true);
      },
    );
  }

  private deletePods(rs: ReplicaSet, active: Pod[], count: number): void {
    const perNode = new Map<string, number>();
    for (const p of active) if (p.spec?.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    const ranked = [...active].sort((a, b) =>
      compareForDeletion(a, b, (p) => perNode.get(p.spec?.nodeName ?? '') ?? 0),
    );
    for (const pod of ranked.slice(0, count)) {
      this.deleting.add(keyOf(pod));
      this.countsOf(keyOf(rs)).deleting++;
      this.podControl.deletePod(rs, pod);
    }
  }

  private updateStatus(
    rs: ReplicaSet,
    counts: { replicas: number; ready: number; available: number; terminating: number },
  ): void {
    const minReady = rs.spec!.minReadySeconds ?? 0;
    const failure = this.failures.get(keyOf(rs));
    const status: Record<string, unknown> = {
      replicas: counts.replicas,
      fullyLabeledReplicas: counts.replicas,
      readyReplicas: counts.ready,
      availableReplicas: counts.available,
      terminatingReplicas: counts.terminating,
      observedGeneration: rs.metadata.generation,
    };
    if (failure)
      status.conditions = [
        {
          type: 'ReplicaFailure',
          status: 'True',
          lastTransitionTime: rfc3339(failure.since),
          reason: 'FailedCreate',
          message: failure.message,
        },
      ];
    // A pod that is ready but not yet available becomes available minReadySeconds later: look again then.
    if (minReady > 0 && counts.ready > counts.available) this.queue.addAfter(keyOf(rs), minReady * 1000);
    const old: Partial<ReplicaSetStatus> = rs.status ?? {};
    const sameFailure = (old.conditions?.[0]?.message ?? undefined) === failure?.message;
    if (
      sameFailure &&
      old.replicas === status.replicas &&
      old.readyReplicas === status.readyReplicas &&
      old.availableReplicas === status.availableReplicas &&
      old.terminatingReplicas === status.terminatingReplicas &&
      old.observedGeneration === status.observedGeneration
    )
      return;
    this.ctx.api.patchObject('replicasets', rs, (cur) => withFields(cur, { status }), user);
  }
}
