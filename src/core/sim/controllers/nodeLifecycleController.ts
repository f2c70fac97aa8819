// The node lifecycle controller (pkg/controller/nodelifecycle) and the taint eviction
// controller (pkg/controller/tainteviction). Every node-monitor-period it looks at each
// node's lease; a node whose kubelet has not renewed it for node-monitor-grace-period turns
// Ready=Unknown ("Kubelet stopped posting node status."), its pods are marked not ready and
// it gets the unreachable taints. Pods on a NoExecute-tainted node are deleted when their
// toleration runs out (300 s by default, from DefaultTolerationSeconds).
import type { NodeCondition, Taint, Toleration } from '../../base/apiObjects';
import { fieldsCause } from '../../trace/model/eventCause';
import type { SimContext } from '../client/context';
import type { TimerHandle } from '../engine/engine';
import { Latencies } from '../profile/profile';
import { rfc3339, virtualMsOf } from '../store/naming';
import { keyOf } from '../store/objects';
import type { Node, Pod } from '../store/kinds';
import { Informer } from '../client/informer';
import { withDisruptionTarget } from '../helpers/podUtil';
import { tolerates } from '../helpers/taints';

/** What decides a taint eviction in the pod: its tolerations. */
const tolerationsCause = fieldsCause('spec.tolerations');
const nodeSource = { component: 'node-controller' };
const evictionSource = { component: 'taint-eviction-controller' };
const user = 'system:serviceaccount:kube-system:node-controller';
const unreachable = 'node.kubernetes.io/unreachable';
const unschedulableTaint = 'node.kubernetes.io/unschedulable';

export class NodeLifecycleController {
  private readonly nodes: Informer<Node>;
  private readonly leases: Informer;
  private readonly pods: Informer<Pod>;
  private readonly podsByNode = new Map<string, Set<string>>();
  /** When this controller last saw each node's lease change (its probeTimestamp). */
  private readonly lastSeen = new Map<string, number>();
  private readonly evictions = new Map<string, TimerHandle>();
  private readonly period: number;
  private readonly grace: number;
  private readonly renew: number;

  constructor(private readonly ctx: SimContext) {
    const latencies = new Latencies(ctx.profile, ctx.engine.random('node-lifecycle-controller'));
    this.period = latencies.constant('nodeMonitorPeriodMs');
    this.grace = latencies.constant('nodeMonitorGraceMs');
    this.renew = latencies.constant('nodeLeaseRenewMs');
    // Nodes registered before the controller started are not announced again.
    const existing = new Set(ctx.store.list('nodes').map((n) => n.metadata.name));
    this.nodes = ctx.informers.get('nodes').onChange((e, old) => {
      if (e.type === 'ADDED') {
        this.lastSeen.set(e.object.metadata.name, ctx.engine.now());
        if (!existing.has(e.object.metadata.name))
          ctx.events.record(
            nodeSource,
            e.object,
            'Normal',
            'RegisteredNode',
            `Node ${e.object.metadata.name} event: Registered Node ${e.object.metadata.name} in Controller`,
            { lane: 'controller-manager', node: e.object.metadata.name },
          );
      }
      if (e.type !== 'DELETED' && JSON.stringify(old?.spec?.taints) !== JSON.stringify(e.object.spec?.taints))
        this.reconcileEvictions(e.object.metadata.name);
      // doNoScheduleTaintingPass: a cordoned node carries the unschedulable taint, an uncordoned one loses it.
      if (e.type !== 'DELETED' && Boolean(e.object.spec?.unschedulable) !== hasTaint(e.object, unschedulableTaint))
        this.setUnschedulableTaint(e.object.metadata.name, Boolean(e.object.spec?.unschedulable));
    });
    this.leases = new Informer(ctx.store, 'leases', { namespace: 'kube-node-lease' }).onChange((e) => {
      if (e.type !== 'DELETED') this.lastSeen.set(e.object.metadata.name, ctx.engine.now());
    });
    this.pods = ctx.informers.get('pods').onChange((e, old) => {
      const node = e.object.spec?.nodeName;
      // A change on the same node (most are status patches) leaves the pod where it was counted.
      if (e.type === 'MODIFIED' && node !== undefined && old?.spec?.nodeName === node) return;
      if (old?.spec?.nodeName && old.spec.nodeName !== node)
        this.podsByNode.get(old.spec.nodeName)?.delete(keyOf(e.object));
      if (!node) return;
      let set = this.podsByNode.get(node);
      if (!set) this.podsByNode.set(node, (set = new Set()));
      if (e.type === 'DELETED') set.delete(keyOf(e.object));
      else if (!set.has(keyOf(e.object))) {
        set.add(keyOf(e.object));
        if (this.taintsOf(node).length > 0) this.reconcileEvictions(node);
      }
    });
    this.schedule();
  }

  /** The monitor loop keeps a run alive only while some node's heartbeat is overdue. */
  private schedule(): void {
    const now = this.ctx.engine.now();
    let suspect = this.evictions.size > 0;
    for (const [node, seen] of this.lastSeen) {
      const ready = readyStatus(this.nodes.get(undefined, node));
      if (ready !== 'Unknown' && now - seen > this.renew + 1000) suspect = true;
    }
    this.ctx.engine.after(this.period, () => this.monitor(), !suspect && this.evictions.size === 0);
  }

  private monitor(): void {
    const now = this.ctx.engine.now();
    for (const node of this.nodes.cache.values()) {
      const name = node.metadata.name;
      const seen = this.lastSeen.get(name) ?? now;
      const ready = readyStatus(node);
      if (now - seen > this.grace && ready !== 'Unknown') this.ctx.engine.foreground(() => this.markUnknown(node));
      else if (now - seen <= this.grace && ready === 'True' && hasTaint(node, unreachable))
        this.ctx.engine.foreground(() => this.setTaints(name, false));
    }
    this.schedule();
  }

  private markUnknown(node: Node): void {
    const name = node.metadata.name;
    const now = this.ctx.engine.now();
    const time = rfc3339(now);
    this.ctx.api.patch(
      'nodes',
      undefined,
      name,
      (cur) => ({
        ...cur,
        status: {
          ...cur.status,
          conditions: (cur.status?.conditions ?? []).map((c: NodeCondition) => ({
            ...c,
            status: 'Unknown',
            reason: 'NodeStatusUnknown',
            message: 'Kubelet stopped posting node status.',
            lastTransitionTime: time,
          })),
        },
      }),
      user,
      {
        onDone: () => {
          this.ctx.events.record(
            nodeSource,
            node,
            'Normal',
            'NodeNotReady',
            `Node ${name} status is now: NodeNotReady`,
            { lane: 'controller-manager', node: name },
          );
          this.markPodsNotReady(name);
          this.setTaints(name, true);
        },
      },
    );
  }

  /** MarkPodsNotReady: every pod on the node gets Ready=False and a NodeNotReady event. */
  private markPodsNotReady(node: string): void {
    const time = rfc3339(this.ctx.engine.now());
    for (const key of this.podsByNode.get(node) ?? []) {
      const pod = this.pods.cache.get(key);
      if (!pod) continue;
      this.ctx.events.record(nodeSource, pod, 'Warning', 'NodeNotReady', 'Node is not ready', {
        lane: 'controller-manager',
        node,
      });
      this.ctx.api.patch(
        'pods',
        pod.metadata.namespace,
        pod.metadata.name,
        (cur) => ({
          ...cur,
          status: {
            ...cur.status,
            conditions: (cur.status?.conditions ?? []).map((c: NodeCondition) =>
              c.type === 'Ready' && c.status !== 'False'
                ? { ...c, status: 'False', lastTransitionTime: time, reason: undefined, message: undefined }
                : c,
            ),
          },
        }),
        user,
      );
    }
  }

  private setTaints(node: string, add: boolean): void {
    const time = rfc3339(this.ctx.engine.now());
    this.ctx.api.patch(
      'nodes',
      undefined,
      node,
      (cur) => {
        const others = (cur.spec?.taints ?? []).filter((t: Taint) => t.key !== unreachable);
        const taints = add
          ? [
              ...others,
              { key: unreachable, effect: 'NoSchedule', timeAdded: time },
              { key: unreachable, effect: 'NoExecute', timeAdded: time },
            ]
          : others;
        return { ...cur, spec: { ...cur.spec, taints } };
      },
      user,
    );
  }

  private setUnschedulableTaint(node: string, add: boolean): void {
    const time = rfc3339(this.ctx.engine.now());
    this.ctx.api.patch(
      'nodes',
      undefined,
      node,
      (cur) => {
        if (Boolean(cur.spec?.unschedulable) !== add || hasTaint(cur, unschedulableTaint) === add) return cur;
        const others = (cur.spec?.taints ?? []).filter((t: Taint) => t.key !== unschedulableTaint);
        return {
          ...cur,
          spec: {
            ...cur.spec,
            taints: add ? [...others, { key: unschedulableTaint, effect: 'NoSchedule', timeAdded: time }] : others,
          },
        };
      },
      user,
    );
  }

  private taintsOf(node: string): Taint[] {
    return (this.nodes.get(undefined, node)?.spec?.taints ?? []).filter((t: Taint) => t.effect === 'NoExecute');
  }

  /** For each pod on the node: evict now, at the end of its tolerationSeconds, or cancel. */
  private reconcileEvictions(node: string): void {
    const taints = this.taintsOf(node);
    for (const key of this.podsByNode.get(node) ?? []) {
      const pod = this.pods.cache.get(key);
      if (!pod || pod.metadata.deletionTimestamp) continue;
      const pending = this.evictions.get(key);
      if (taints.length === 0) {
        if (pending) {
          this.ctx.engine.cancel(pending);
          this.evictions.delete(key);
          this.ctx.events.record(
            evictionSource,
            pod,
            'Normal',
            'TaintManagerEviction',
            `Cancelling deletion of Pod ${key}`,
            { lane: 'controller-manager', node },
          );
        }
        continue;
      }
      if (pending) continue;
      let seconds = Number.POSITIVE_INFINITY;
      for (const taint of taints) {
        const toleration = (pod.spec!.tolerations ?? []).find((t: Toleration) => tolerates(t, taint));
        if (!toleration) seconds = 0;
        else if (toleration.tolerationSeconds !== undefined)
          seconds = Math.min(seconds, Math.max(0, toleration.tolerationSeconds));
      }
      if (seconds === Number.POSITIVE_INFINITY) continue;
      const added = Math.min(
        ...taints.map((t: Taint) => (t.timeAdded ? virtualMsOf(t.timeAdded) : this.ctx.engine.now())),
      );
      const at = Math.max(this.ctx.engine.now(), added + seconds * 1000);
      this.evictions.set(
        key,
        this.ctx.engine.after(at - this.ctx.engine.now(), () => this.evict(key, node)),
      );
    }
  }

  private evict(key: string, node: string): void {
    this.evictions.delete(key);
    const pod = this.pods.cache.get(key);
    if (!pod) return;
    // When the pod goes is decided by its tolerations' tolerationSeconds.
    this.ctx.events.record(evictionSource, pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`, {
      lane: 'controller-manager',
      node,
      cause: tolerationsCause,
    });
    const time = rfc3339(this.ctx.engine.now());
    this.ctx.api.patch(
      'pods',
      pod.metadata.namespace,
      pod.metadata.name,
      (cur) =>
        withDisruptionTarget(cur, 'DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint', time),
      user,
    );
    this.ctx.api.delete('pods', pod.metadata.namespace, pod.metadata.name, user, {}, { traceSteps: true });
  }
}

function readyStatus(node: Node | undefined): string | undefined {
  return node?.status?.conditions?.find((c: NodeCondition) => c.type === 'Ready')?.status;
}

function hasTaint(node: Node, key: string): boolean {
  return (node.spec?.taints ?? []).some((t: Taint) => t.key === key);
}
