// kube-scheduler: one pod at a time from the queue through a scheduling cycle of the default
// profile (scheduleOne.ts, defaultProfile.ts), then the binding cycle binds it asynchronously
// and reports `Scheduled`; a pod that fits nowhere gets FailedScheduling and PodScheduled=False
// and waits in the queue for an event that a plugin which rejected it registered for.
import { minorOf } from '../../base/kubernetesVersion';
import { sameValue } from '../../base/sameValue';
import type { SimContext } from '../client/context';
import type { Informer } from '../client/informer';
import { isPodTerminal } from '../helpers/podUtil';
import { Latencies } from '../profile/profile';
import { rfc3339 } from '../store/naming';
import { keyOf } from '../store/objects';
import type { Node, Pod } from '../store/kinds';
import { defaultProfile, type DefaultHandle } from './defaultProfile';
import type { ClusterEvent, SchedulingPod } from './framework';
import { Framework } from './frameworkRuntime';
import { schedulerSource, schedulerUser } from './identity';
import type { NodeInfo } from './nodeInfo';
import { SchedulerCache } from './schedulerCache';
import { ScheduleOne, type CycleFailure, type CycleHost } from './scheduleOne';
import { SchedulingQueue, type QueuedPod } from './schedulingQueue';
import { VolumeBinding } from './volumeBinding';

export class Scheduler {
  private readonly cache: SchedulerCache;
  private readonly pods: Informer<Pod>;
  private readonly queue: SchedulingQueue;
  private readonly framework: Framework<DefaultHandle>;
  private readonly cycle: ScheduleOne<DefaultHandle>;
  private readonly latencies: Latencies;
  private busy = false;

  constructor(private readonly ctx: SimContext) {
    this.latencies = new Latencies(ctx.profile, ctx.engine.random('scheduler'));
    const random = ctx.engine.random('scheduler-tiebreak');
    this.cache = new SchedulerCache({
      labels: (namespace) => ctx.store.get('namespaces', undefined, namespace)?.metadata.labels,
      names: () => ctx.store.list('namespaces').map((n) => n.metadata.name),
    });
    this.queue = new SchedulingQueue(ctx.engine, () => this.kick());
    // The informers are made in this order, claims, volumes and classes first (their events move
    // pods that failed on storage), so that their events reach the scheduler in a fixed order.
    const binder = new VolumeBinding(ctx, (event) => this.onEvent(event));
    ctx.informers.get('nodes').onChange((e, old) => this.onNode(e.type, e.object, old));
    this.pods = ctx.informers.get('pods').onChange((e, old) => {
      // A status write leaves the spec (the same object) and changes nothing here unless the pod has finished.
      // (Its labels and its deletion still matter to the pods it is counted for.)
      if (
        e.type === 'MODIFIED' &&
        old !== undefined &&
        old.spec === e.object.spec &&
        !isPodTerminal(e.object) &&
        old.metadata.labels === e.object.metadata.labels &&
        old.metadata.deletionTimestamp === e.object.metadata.deletionTimestamp
      )
        return;
      this.onPod(e.type, e.object);
    });
    const listers = {
      services: ctx.informers.get('services'),
      replicaSets: ctx.informers.get('replicasets'),
      statefulSets: ctx.informers.get('statefulsets'),
    };
    this.framework = new Framework(defaultProfile, {
      ctx,
      cache: this.cache,
      pods: this.pods,
      binder,
      listers,
      tooLargeUnresolvable: minorOf(ctx.version) >= 34,
    });
    const host: CycleHost = {
      cache: this.cache,
      random,
      bind: (pod, entry, node) => this.bind(pod, entry, node),
      fail: (entry, failure, pod) => this.fail(entry, failure, pod),
    };
    this.cycle = new ScheduleOne(this.framework, host);
  }

  /**
   * A cluster event: the unschedulable pods that a plugin registered for it rejected move to the
   * active or backoff queue.
   */
  private onEvent(event: ClusterEvent): void {
    this.queue.moveAll(this.framework.interestIn(event), event);
  }

  private onNode(type: string, node: Node, old: Node | undefined): void {
    this.cache.setNode(type, node, old);
    if (type === 'DELETED') return;
    // Node added, or a change that can make pods fit: unschedulable, taints, labels, allocatable.
    if (!old) this.onEvent({ resource: 'Node', action: 'Add' });
    else if (
      old.spec !== node.spec ||
      old.metadata.labels !== node.metadata.labels ||
      !sameValue(old.status?.allocatable, node.status?.allocatable)
    )
      this.onEvent({ resource: 'Node', action: 'Update' });
  }

  private onPod(type: string, pod: Pod): void {
    const key = keyOf(pod);
    const placed = this.cache.placed.get(key);
    const terminating = Boolean(pod.metadata.deletionTimestamp);
    const relabelled = placed !== undefined && placed.labels !== pod.metadata.labels;
    if (placed && type !== 'DELETED' && (relabelled || placed.terminating !== terminating)) {
      // Relabelled (affinity sees the new labels too) or being deleted.
      this.cache.spread.change(placed, pod.metadata.labels, terminating);
      if (relabelled) this.onEvent({ resource: 'AssignedPod', action: 'UpdatePodLabel' });
    }
    if (type === 'DELETED' || isPodTerminal(pod)) {
      this.queue.delete(key);
      this.cache.nominations.delete(key);
      if (placed) {
        this.cache.unplace(key);
        this.onEvent({ resource: 'AssignedPod', action: 'Delete' });
      }
      return;
    }
    if (pod.spec!.nodeName) {
      if (!placed) this.cache.place(key, pod, pod.spec!.nodeName);
      return;
    }
    if ((pod.spec!.schedulerName ?? 'default-scheduler') !== 'default-scheduler' || pod.metadata.deletionTimestamp)
      return;
    if (type === 'ADDED') this.queue.add(key, pod.spec!.priority ?? 0);
  }

  private kick(): void {
    if (this.busy || this.queue.activeCount === 0) return;
    this.busy = true;
    this.ctx.engine.after(this.latencies.of('scheduling'), () => {
      this.busy = false;
      const entry = this.queue.pop();
      if (entry) this.scheduleOne(entry);
      this.kick();
    });
  }

  private scheduleOne(entry: QueuedPod): void {
    const pod = this.pods.cache.get(entry.key);
    if (!pod || pod.spec!.nodeName || pod.metadata.deletionTimestamp) return this.queue.done(entry.key);
    this.cycle.run(entry, pod);
  }

  /** The binding cycle: pods/binding, then `Scheduled`. */
  private bind(pod: SchedulingPod, entry: QueuedPod, chosen: NodeInfo): void {
    const name = chosen.node.metadata.name;
    const { namespace, name: podName, uid } = pod.pod.metadata;
    this.ctx.engine.after(this.latencies.of('binding'), () =>
      this.ctx.api.bind(namespace!, podName, name, schedulerUser, {
        onDone: (bound, error) => {
          this.queue.done(entry.key);
          if (bound) {
            const cause = this.ctx.api.lastWrite.get(uid!);
            this.ctx.events.record(
              schedulerSource,
              bound,
              'Normal',
              'Scheduled',
              `Successfully assigned ${namespace}/${podName} to ${name}`,
              { lane: 'scheduler', node: name, action: 'Binding', causes: cause === undefined ? [] : [cause] },
            );
          } else if (error && error.code !== 404) {
            this.cache.unplace(entry.key);
            this.queue.markUnschedulable(entry);
            // podtrace moves every waiting pod after a failed binding, whatever rejected it.
            this.queue.moveAll();
          }
        },
      }),
    );
  }

  /**
   * FailedScheduling and PodScheduled=False (or, for a pod that is gone meanwhile, nothing but
   * leaving the queue); the pod then waits for an event that may help it.
   */
  private fail(entry: QueuedPod, failure: CycleFailure, seen: Pod | undefined): void {
    const pod = seen ?? this.pods.cache.get(entry.key);
    if (!pod) return this.queue.done(entry.key);
    const write = this.ctx.api.lastWrite.get(pod.metadata.uid!);
    this.ctx.events.record(schedulerSource, pod, 'Warning', 'FailedScheduling', failure.message, {
      lane: 'scheduler',
      node: null,
      action: 'Scheduling',
      causes: write === undefined ? [] : [write],
      cause: failure.cause,
    });
    const time = rfc3339(this.ctx.engine.now());
    this.ctx.api.patch(
      'pods',
      pod.metadata.namespace,
      pod.metadata.name,
      (cur) => {
        const others = (cur.status?.conditions ?? []).filter((c: { type: string }) => c.type !== 'PodScheduled');
        const prev = (cur.status?.conditions ?? []).find((c: { type: string }) => c.type === 'PodScheduled');
        const condition = {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: prev?.status === 'False' ? prev.lastTransitionTime : time,
          reason: failure.conditionReason,
          message: failure.message,
        };
        const status = { phase: 'Pending', ...cur.status, conditions: [...others, condition] };
        if (failure.nominatedNodeName) status.nominatedNodeName = failure.nominatedNodeName;
        return { ...cur, status };
      },
      schedulerUser,
    );
    entry.rejectedBy = failure.rejectedBy;
    this.queue.markUnschedulable(entry);
  }
}
