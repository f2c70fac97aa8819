// The scheduler's VolumeBinding plugin (pkg/scheduler/framework/plugins/volumebinding).
// PreFilter: every claim the pod uses must exist, not be being deleted, and be bound unless
// its class binds WaitForFirstConsumer. Filter: a bound volume's node affinity must admit the
// node; an unbound claim needs a free volume that fits the node, or a class that provisions.
// PreBind, once a node is chosen: a free volume is pre-bound to the claim (its claimRef), or
// the claim is annotated with the selected node for its provisioner; then the pod waits,
// before its binding, until the persistentvolume controller has bound every claim, for at
// most bindTimeoutSeconds (600).
import type { SimContext } from '../client/context';
import { Informer } from '../client/informer';
import {
  claimRefTo,
  bestVolumeFor,
  boundByControllerAnnotation,
  claimClass,
  isClaimBound,
  ownedByPod,
  podClaims,
  selectedNodeAnnotation,
  volumeClaimedBy,
  volumeFitsNode,
} from '../helpers/volumeUtil';
import { keyOf } from '../store/objects';
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../store/kinds';
import type { ClusterEvent, EventResource, FilterFailure } from './framework';

const user = 'system:kube-scheduler';
const bindTimeoutMs = 600_000;

/**
 * What PreFilter found for a pod with claims: the PersistentVolumes of its bound claims, and
 * the claims still to bind, each with the pod volume that uses it (what a rejection names).
 */
export interface PodVolumes {
  readonly bound: readonly { readonly volume: PersistentVolume; readonly podVolume: string }[];
  readonly unbound: readonly {
    readonly claim: PersistentVolumeClaim;
    readonly provisioner: string | undefined;
    readonly podVolume: string;
  }[];
  /** The pod volume of a bound claim whose PersistentVolume does not exist: no node can run the pod. */
  readonly missingVolume: string | undefined;
}

/**
 * A PreFilter rejection (UnschedulableAndUnresolvable): the
 * plugin's message, and the pod volume whose claim it is about.
 */
export interface VolumeRejection {
  readonly message: string;
  readonly podVolume: string;
}

interface Waiter {
  /** The claims waited for (by store key), each with the pod volume that uses it. */
  readonly claims: readonly { readonly key: string; readonly podVolume: string }[];
  readonly node: Node;
  readonly done: (error: VolumeRejection | undefined) => void;
  readonly timer: ReturnType<SimContext['engine']['after']>;
}

export class VolumeBinding {
  private readonly claims: Informer<PersistentVolumeClaim>;
  private readonly volumes: Informer<PersistentVolume>;
  private readonly classes: Informer<StorageClass>;
  private readonly waiters = new Set<Waiter>();
  /**
   * The assume cache: the node a claim was selected for by this scheduler, before the
   * annotation comes back through the watch, so that the next pod's Filter sees it at once.
   */
  private readonly assumedNode = new Map<string, string>();

  constructor(
    private readonly ctx: SimContext,
    /** Called on every claim, volume or class change: pods that failed on storage may fit now. */
    onChange: (event: ClusterEvent) => void,
  ) {
    const changed =
      (resource: EventResource) =>
      ({ type }: { type: string }): void => {
        this.checkWaiters();
        onChange({ resource, action: type === 'ADDED' ? 'Add' : type === 'DELETED' ? 'Delete' : 'Update' });
      };
    this.claims = ctx.informers.get('persistentvolumeclaims').onChange(changed('PersistentVolumeClaim'));
    this.volumes = ctx.informers.get('persistentvolumes').onChange(changed('PersistentVolume'));
    this.classes = ctx.informers.get('storageclasses').onChange(changed('StorageClass'));
  }

  /** PreFilter: undefined for a pod without claims; a rejection when no node can do (UnschedulableAndUnresolvable). */
  preFilter(pod: Pod): PodVolumes | VolumeRejection | undefined {
    const claims = podClaims(pod);
    if (claims.length === 0) return undefined;
    const namespace = pod.metadata.namespace;
    const bound: { volume: PersistentVolume; podVolume: string }[] = [];
    const unbound: { claim: PersistentVolumeClaim; provisioner: string | undefined; podVolume: string }[] = [];
    let missingVolume: string | undefined;
    for (const { name, ephemeral, volume: podVolume } of claims) {
      const claim = this.claims.get(namespace, name);
      const reject = (message: string): VolumeRejection => ({ message, podVolume });
      // podHasPVCs: a generic ephemeral volume's claim is normally still being created just after the pod.
      if (!claim)
        return reject(
          ephemeral
            ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${name}"`
            : `persistentvolumeclaim "${name}" not found`,
        );
      if (claim.metadata.deletionTimestamp) return reject(`persistentvolumeclaim "${name}" is being deleted`);
      if (ephemeral && !ownedByPod(claim, pod))
        return reject(
          `PVC ${namespace}/${name} was not created for pod ${namespace}/${pod.metadata.name} (pod is not owner)`,
        );
      const volumeName: string | undefined = claim.spec?.volumeName;
      if (volumeName && isClaimBound(claim)) {
        const volume = this.volumes.get(undefined, volumeName);
        if (volume) bound.push({ volume, podVolume });
        else missingVolume ??= podVolume;
        continue;
      }
      const storageClass = this.classes.get(undefined, claimClass(claim));
      if (storageClass?.volumeBindingMode !== 'WaitForFirstConsumer')
        return reject('pod has unbound immediate PersistentVolumeClaims');
      const provisioner = typeof storageClass.provisioner === 'string' ? storageClass.provisioner : undefined;
      unbound.push({
        claim,
        provisioner: provisioner && provisioner !== 'kubernetes.io/no-provisioner' ? provisioner : undefined,
        podVolume,
      });
    }
    return { bound, unbound, missingVolume };
  }

  /**
   * Filter: the node can hold the pod's bound volumes and bind or
   * provision the others; a failure names the first volume that cannot.
   */
  filter(state: PodVolumes, node: Node): FilterFailure | undefined {
    if (state.missingVolume !== undefined)
      return {
        plugin: 'VolumeBinding',
        volume: state.missingVolume,
        reasons: ['node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)'],
        unresolvable: true,
      };
    const reasons: string[] = [];
    let first: string | undefined;
    for (const { volume, podVolume } of state.bound) {
      if (!volumeFitsNode(volume, node)) {
        reasons.push('node(s) had volume node affinity conflict');
        first = podVolume;
        break;
      }
    }
    for (const { claim, provisioner, podVolume } of state.unbound) {
      // checkVolumeProvisions: a claim already being provisioned for another node binds there only.
      const selected = this.assumedNode.get(keyOf(claim)) ?? claim.metadata.annotations?.[selectedNodeAnnotation];
      const elsewhere = selected !== undefined && selected !== node.metadata.name;
      if (!elsewhere && (provisioner !== undefined || bestVolumeFor(claim, this.volumes.cache.values(), node)))
        continue;
      reasons.push("node(s) didn't find available persistent volumes to bind");
      first ??= podVolume;
      break;
    }
    return first !== undefined ? { plugin: 'VolumeBinding', volume: first, reasons, unresolvable: true } : undefined;
  }

  /**
   * PreBind on the chosen node: pre-bind a free volume or select the node for provisioning,
   * then call `done` once every claim is bound (or with the error that ends the wait).
   */
  preBind(state: PodVolumes, pod: Pod, node: Node, done: (error: VolumeRejection | undefined) => void): void {
    if (state.unbound.length === 0) return done(undefined);
    const nodeName = node.metadata.name;
    const claims: { key: string; podVolume: string }[] = [];
    for (const { claim, podVolume } of state.unbound) {
      claims.push({ key: keyOf(claim), podVolume });
      const volume = bestVolumeFor(claim, this.volumes.cache.values(), node);
      if (volume) {
        if (volumeClaimedBy(volume, claim)) continue;
        const claimRef = claimRefTo(claim);
        this.ctx.api.patchObject(
          'persistentvolumes',
          volume,
          (cur) =>
            cur.spec?.claimRef
              ? cur
              : {
                  ...cur,
                  metadata: {
                    ...cur.metadata,
                    annotations: { ...(cur.metadata.annotations ?? {}), [boundByControllerAnnotation]: 'yes' },
                  },
                  spec: { ...cur.spec, claimRef },
                },
          user,
        );
        this.note(
          claim,
          'VolumePreBound',
          `PersistentVolume ${volume.metadata.name} pre-bound to the claim for ` +
            `pod ${pod.metadata.namespace}/${pod.metadata.name} on ${nodeName}`,
        );
      } else {
        // Already selected for this node (another pod of the claim): nothing to write.
        if ((this.assumedNode.get(keyOf(claim)) ?? claim.metadata.annotations?.[selectedNodeAnnotation]) === nodeName)
          continue;
        this.assumedNode.set(keyOf(claim), nodeName);
        this.ctx.api.patchObject(
          'persistentvolumeclaims',
          claim,
          (cur) =>
            cur.metadata.annotations?.[selectedNodeAnnotation] === nodeName
              ? cur
              : {
                  ...cur,
                  metadata: {
                    ...cur.metadata,
                    annotations: { ...(cur.metadata.annotations ?? {}), [selectedNodeAnnotation]: nodeName },
                  },
                },
          user,
        );
        this.note(
          claim,
          'SelectedNode',
          `annotated ${selectedNodeAnnotation}=${nodeName}: ` +
            `the claim's volume is provisioned there before the pod is bound`,
        );
      }
    }
    const waiter: Waiter = {
      claims,
      node,
      done,
      timer: this.ctx.engine.after(bindTimeoutMs, () => {
        if (!this.waiters.delete(waiter)) return;
        // The wait is for the first claim still not bound.
        const waited = claims.find((c) => !this.boundVolume(c.key)) ?? claims[0];
        done({ message: 'binding volumes: context deadline exceeded', podVolume: waited.podVolume });
      }),
    };
    this.waiters.add(waiter);
  }

  /**
   * Waiters whose claims are all bound (the binder's bind-completed and a volume whose claimRef names the claim) go on.
   */
  private checkWaiters(): void {
    for (const waiter of this.waiters) {
      let ready = true;
      let error: VolumeRejection | undefined;
      for (const { key, podVolume } of waiter.claims) {
        const volume = this.boundVolume(key);
        if (!volume) {
          ready = false;
          break;
        }
        this.assumedNode.delete(key);
        // checkBindings: a volume bound meanwhile on another node's terms cannot serve this pod here.
        if (!volumeFitsNode(volume, waiter.node)) {
          error = {
            message:
              `binding volumes: pv "${volume.metadata.name}" node affinity doesn't ` +
              `match node "${waiter.node.metadata.name}": no matching NodeSelectorTerms`,
            podVolume,
          };
          break;
        }
      }
      if (!ready && error === undefined) continue;
      this.waiters.delete(waiter);
      this.ctx.engine.cancel(waiter.timer);
      waiter.done(error);
    }
  }

  /** The PersistentVolume a claim (by store key) is bound to, both ways; undefined while it is not. */
  private boundVolume(key: string): PersistentVolume | undefined {
    const claim = this.claims.cache.get(key);
    const volume = claim && isClaimBound(claim) ? this.volumes.get(undefined, claim.spec!.volumeName!) : undefined;
    return claim && volume && volumeClaimedBy(volume, claim) ? volume : undefined;
  }

  private note(claim: PersistentVolumeClaim, reason: string, message: string): void {
    this.ctx.trace.emit({
      time: this.ctx.engine.now(),
      lane: 'scheduler',
      node: null,
      object: this.ctx.trace.refs.of(claim),
      reason,
      message,
      causes: this.ctx.api.causesOf(claim),
    });
  }
}
