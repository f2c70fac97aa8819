// The ReplicaSet controller (pkg/controller/replicaset): keeps `replicas` active pods,
// creating them in slow-start batches (1, 2, 4, ...; at most 500 per sync) named
// `<rs>-<5 chars>` and deleting the lowest-ranked ones, then writes the status.
import type { SimContext } from '../context';
import { refOf } from '../context';
import { Latencies } from '../profile/profile';
import { keyOf, selectorMatches, type KubeObject } from '../store/objects';
import { Informer, WorkQueue, controllerOf, splitKey } from './informer';
import { compareForDeletion, isPodActive, isPodAvailable, isPodReady } from './podUtil';

const source = { component: 'replicaset-controller' };
const burstReplicas = 500;
const user = 'system:serviceaccount:kube-system:replicaset-controller';

export class ReplicaSetController {
  private readonly sets: Informer;
  private readonly pods: Informer;
  private readonly queue: WorkQueue;
  /** Pods each set has asked for and not yet seen, so a sync does not create them twice (expectations). */
  private readonly inFlight = new Map<string, number>();
  private readonly podsByOwner = new Map<string, Set<string>>();

  constructor(private readonly ctx: SimContext) {
    const latencies = new Latencies(ctx.profile, ctx.engine.random('replicaset-controller'));
    this.queue = new WorkQueue(ctx.engine, () => latencies.of('controllerSync'), (key) => this.sync(key));
    this.sets = new Informer(ctx.store, 'replicasets').onChange((e) => this.queue.add(keyOf(e.object)));
    this.pods = new Informer(ctx.store, 'pods').onChange((e, old) => this.onPod(e.object, e.type === 'DELETED', old));
  }

  private onPod(pod: KubeObject, deleted: boolean, old: KubeObject | undefined): void {
    const owner = controllerOf(pod);
    if (!owner || owner.kind !== 'ReplicaSet') return;
    const setKey = `${pod.metadata.namespace}/${owner.name}`;
    let members = this.podsByOwner.get(setKey);
    if (!members) this.podsByOwner.set(setKey, (members = new Set()));
    if (deleted) members.delete(keyOf(pod));
    else {
      if (!old) {
        const n = this.inFlight.get(setKey) ?? 0;
        if (n > 0) this.inFlight.set(setKey, n - 1);
      }
      members.add(keyOf(pod));
    }
    this.queue.add(setKey);
  }

  private podsOf(key: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const podKey of this.podsByOwner.get(key) ?? []) {
      const pod = this.pods.cache.get(podKey);
      if (pod) out.push(pod);
    }
    return out;
  }

  private sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const rs = this.sets.get(namespace, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const all = this.podsOf(key).filter((p) => selectorMatches(rs.spec.selector, p.metadata.labels));
    const active = all.filter(isPodActive);
    const inFlight = this.inFlight.get(key) ?? 0;
    const diff = active.length + inFlight - (rs.spec.replicas ?? 1);
    if (diff < 0 && inFlight === 0) this.createPods(rs, Math.min(-diff, burstReplicas));
    else if (diff > 0) this.deletePods(rs, active, Math.min(diff, burstReplicas));
    this.updateStatus(rs, all, active);
  }

  /** slowStartBatch: batches of 1, 2, 4, ... each started when the previous one succeeded. */
  private createPods(rs: KubeObject, count: number): void {
    const key = keyOf(rs);
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + count);
    const template = rs.spec.template;
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true };
    let remaining = count;
    const batch = (size: number): void => {
      let pending = size;
      remaining -= size;
      for (let i = 0; i < size; i++) {
        const pod: KubeObject = {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            name: '',
            generateName: `${rs.metadata.name}-`,
            namespace: rs.metadata.namespace,
            labels: template.metadata?.labels,
            ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
            ownerReferences: [owner],
          },
          spec: template.spec,
        };
        this.ctx.api.create('pods', pod, user, {
          traceSteps: true,
          causes: this.causeFor(rs),
          onDone: (created, error) => {
            if (created) this.ctx.events.record(source, rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, { lane: 'controller-manager', node: null });
            else if (error) {
              this.inFlight.set(key, Math.max(0, (this.inFlight.get(key) ?? 1) - 1));
              this.ctx.events.record(source, rs, 'Warning', 'FailedCreate', `Error creating: ${error.message}`, { lane: 'controller-manager', node: null });
            }
            if (--pending === 0 && remaining > 0 && !error) batch(Math.min(remaining, size * 2));
            else if (pending === 0 && remaining > 0) {
              this.inFlight.set(key, Math.max(0, (this.inFlight.get(key) ?? 0) - remaining));
              remaining = 0;
            }
          },
        });
      }
    };
    batch(Math.min(1, count));
  }

  private deletePods(rs: KubeObject, active: KubeObject[], count: number): void {
    const perNode = new Map<string, number>();
    for (const p of active) if (p.spec?.nodeName) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    const ranked = [...active].sort((a, b) => compareForDeletion(a, b, (p) => perNode.get(p.spec?.nodeName) ?? 0));
    for (const pod of ranked.slice(0, count)) {
      this.ctx.api.delete('pods', pod.metadata.namespace, pod.metadata.name, user, {}, {
        traceSteps: true,
        causes: this.causeFor(rs),
        onDone: (_r, error) => {
          if (!error) this.ctx.events.record(source, rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, { lane: 'controller-manager', node: null });
        },
      });
    }
  }

  private updateStatus(rs: KubeObject, all: KubeObject[], active: KubeObject[]): void {
    const now = this.ctx.engine.now();
    const minReady = rs.spec.minReadySeconds ?? 0;
    const ready = active.filter(isPodReady).length;
    const available = active.filter((p) => isPodAvailable(p, minReady, now)).length;
    const status = {
      replicas: active.length,
      fullyLabeledReplicas: active.length,
      readyReplicas: ready,
      availableReplicas: available,
      terminatingReplicas: all.filter((p) => p.metadata.deletionTimestamp).length,
      observedGeneration: rs.metadata.generation,
    };
    // A pod that is ready but not yet available becomes available minReadySeconds later: look again then.
    if (minReady > 0 && ready > available) this.queue.addAfter(keyOf(rs), minReady * 1000);
    const old = rs.status ?? {};
    if (Object.keys(status).every((k) => (old as Record<string, unknown>)[k] === (status as Record<string, unknown>)[k])) return;
    this.ctx.api.patch('replicasets', rs.metadata.namespace, rs.metadata.name, (cur) => ({ ...cur, status }), user);
  }

  private causeFor(object: KubeObject): number[] {
    const id = this.ctx.api.lastWrite.get(object.metadata.uid ?? '');
    return id === undefined ? [] : [id];
  }
}

export { refOf };
