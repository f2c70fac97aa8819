// The scheduler's VolumeBinding plugin (pkg/scheduler/framework/plugins/volumebinding).
// PreFilter: every claim the pod uses must exist, not be being deleted, and be bound unless
// its class binds WaitForFirstConsumer. Filter: a bound volume's node affinity must admit the
// node; an unbound claim needs a free volume that fits the node, or a class that provisions.
// PreBind, once a node is chosen: a free volume is pre-bound to the claim (its claimRef), or
// the claim is annotated with the selected node for its provisioner; then the pod waits,
// before its binding, until the persistentvolume controller has bound every claim, for at
// most bindTimeoutSeconds (600).
import { refOf, type SimContext } from '../context';
import { Informer } from '../controllers/informer';
import { bestVolumeFor, boundByControllerAnnotation, claimClass, isClaimBound, ownedByPod, podClaims, selectedNodeAnnotation, volumeClaimedBy, volumeFitsNode } from '../controllers/volumeUtil';
import { keyOf, type KubeObject } from '../store/objects';
import type { FilterFailure } from './plugins';

const user = 'system:kube-scheduler';
const bindTimeoutMs = 600_000;

/** What PreFilter found for a pod with claims: the volumes of its bound claims, and the claims still to bind. */
export interface PodVolumes {
  readonly bound: readonly KubeObject[];
  readonly unbound: readonly { readonly claim: KubeObject; readonly provisioner: string | undefined }[];
  /** A bound claim whose volume does not exist: no node can run the pod. */
  readonly missingVolume: boolean;
}

interface Waiter {
  readonly claims: readonly string[];
  readonly node: KubeObject;
  readonly done: (error: string | undefined) => void;
  readonly timer: ReturnType<SimContext['engine']['after']>;
}

export class VolumeBinding {
  private readonly claims: Informer;
  private readonly volumes: Informer;
  private readonly classes: Informer;
  private readonly waiters = new Set<Waiter>();
  /**
   * The assume cache: the node a claim was selected for by this scheduler, before the
   * annotation comes back through the watch, so that the next pod's Filter sees it at once.
   */
  private readonly assumedNode = new Map<string, string>();

  constructor(
    private readonly ctx: SimContext,
    /** Called on every claim, volume or class change: pods that failed on storage may fit now. */
    onChange: () => void,
  ) {
    const changed = () => {
      this.checkWaiters();
      onChange();
    };
    this.claims = ctx.informers.get('persistentvolumeclaims').onChange(changed);
    this.volumes = ctx.informers.get('persistentvolumes').onChange(changed);
    this.classes = ctx.informers.get('storageclasses').onChange(changed);
  }

  /** PreFilter: undefined for a pod without claims; a message when no node can do (UnschedulableAndUnresolvable). */
  preFilter(pod: KubeObject): PodVolumes | string | undefined {
    const claims = podClaims(pod);
    if (claims.length === 0) return undefined;
    const namespace = pod.metadata.namespace;
    const bound: KubeObject[] = [];
    const unbound: { claim: KubeObject; provisioner: string | undefined }[] = [];
    let missingVolume = false;
    for (const { name, ephemeral } of claims) {
      const claim = this.claims.get(namespace, name);
      // podHasPVCs: a generic ephemeral volume's claim is normally still being created just after the pod.
      if (!claim) return ephemeral ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${name}"` : `persistentvolumeclaim "${name}" not found`;
      if (claim.metadata.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
      if (ephemeral && !ownedByPod(claim, pod)) return `PVC ${namespace}/${name} was not created for pod ${namespace}/${pod.metadata.name} (pod is not owner)`;
      const volumeName: string | undefined = claim.spec?.volumeName;
      if (volumeName && isClaimBound(claim)) {
        const volume = this.volumes.get(undefined, volumeName);
        if (volume) bound.push(volume);
        else missingVolume = true;
        continue;
      }
      const storageClass = this.classes.get(undefined, claimClass(claim));
      if (storageClass?.volumeBindingMode !== 'WaitForFirstConsumer') return 'pod has unbound immediate PersistentVolumeClaims';
      const provisioner = typeof storageClass.provisioner === 'string' ? storageClass.provisioner : undefined;
      unbound.push({ claim, provisioner: provisioner && provisioner !== 'kubernetes.io/no-provisioner' ? provisioner : undefined });
    }
    return { bound, unbound, missingVolume };
  }

  /** Filter: the node can hold the pod's bound volumes and bind or provision the others. */
  filter(state: PodVolumes, node: KubeObject): FilterFailure | undefined {
    if (state.missingVolume) return { plugin: 'VolumeBinding', reasons: ['node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)'], unresolvable: true };
    const reasons: string[] = [];
    for (const volume of state.bound) {
      if (!volumeFitsNode(volume, node)) {
        reasons.push('node(s) had volume node affinity conflict');
        break;
      }
    }
    for (const { claim, provisioner } of state.unbound) {
      // checkVolumeProvisions: a claim already being provisioned for another node binds there only.
      const selected = this.assumedNode.get(keyOf(claim)) ?? claim.metadata.annotations?.[selectedNodeAnnotation];
      const elsewhere = selected !== undefined && selected !== node.metadata.name;
      if (!elsewhere && (provisioner !== undefined || bestVolumeFor(claim, this.volumes.cache.values(), node))) continue;
      reasons.push("node(s) didn't find available persistent volumes to bind");
      break;
    }
    return reasons.length > 0 ? { plugin: 'VolumeBinding', reasons, unresolvable: true } : undefined;
  }

  /**
   * PreBind on the chosen node: pre-bind a free volume or select the node for provisioning,
   * then call `done` once every claim is bound (or with the error that ends the wait).
   */
  preBind(state: PodVolumes, pod: KubeObject, node: KubeObject, done: (error: string | undefined) => void): void {
    if (state.unbound.length === 0) return done(undefined);
    const nodeName = node.metadata.name;
    const keys: string[] = [];
    for (const { claim } of state.unbound) {
      keys.push(keyOf(claim));
      const volume = bestVolumeFor(claim, this.volumes.cache.values(), node);
      if (volume) {
        if (volumeClaimedBy(volume, claim)) continue;
        const claimRef = { kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion };
        this.ctx.api.patchObject('persistentvolumes', volume, (cur) => (cur.spec?.claimRef ? cur : { ...cur, metadata: { ...cur.metadata, annotations: { ...(cur.metadata.annotations ?? {}), [boundByControllerAnnotation]: 'yes' } }, spec: { ...cur.spec, claimRef } }), user);
        this.note(claim, 'VolumePreBound', `PersistentVolume ${volume.metadata.name} pre-bound to the claim for pod ${pod.metadata.namespace}/${pod.metadata.name} on ${nodeName}`);
      } else {
        // Already selected for this node (another pod of the claim): nothing to write.
        if ((this.assumedNode.get(keyOf(claim)) ?? claim.metadata.annotations?.[selectedNodeAnnotation]) === nodeName) continue;
        this.assumedNode.set(keyOf(claim), nodeName);
        this.ctx.api.patchObject('persistentvolumeclaims', claim, (cur) => (cur.metadata.annotations?.[selectedNodeAnnotation] === nodeName ? cur : { ...cur, metadata: { ...cur.metadata, annotations: { ...(cur.metadata.annotations ?? {}), [selectedNodeAnnotation]: nodeName } } }), user);
        this.note(claim, 'SelectedNode', `annotated ${selectedNodeAnnotation}=${nodeName}: the claim's volume is provisioned there before the pod is bound`);
      }
    }
    const waiter: Waiter = {
      claims: keys,
      node,
      done,
      timer: this.ctx.engine.after(bindTimeoutMs, () => {
        if (!this.waiters.delete(waiter)) return;
        done('binding volumes: context deadline exceeded');
      }),
    };
    this.waiters.add(waiter);
  }

  /** Waiters whose claims are all bound (the binder's bind-completed and a volume whose claimRef names the claim) go on. */
  private checkWaiters(): void {
    for (const waiter of this.waiters) {
      let ready = true;
      let error: string | undefined;
      for (const key of waiter.claims) {
        const claim = this.claims.cache.get(key);
        const volume = claim && isClaimBound(claim) ? this.volumes.get(undefined, claim.spec.volumeName) : undefined;
        if (!claim || !volume || !volumeClaimedBy(volume, claim)) {
          ready = false;
          break;
        }
        this.assumedNode.delete(key);
        // checkBindings: a volume bound meanwhile on another node's terms cannot serve this pod here.
        if (!volumeFitsNode(volume, waiter.node)) {
          error = `binding volumes: pv "${volume.metadata.name}" node affinity doesn't match node "${waiter.node.metadata.name}": no matching NodeSelectorTerms`;
          break;
        }
      }
      if (!ready && error === undefined) continue;
      this.waiters.delete(waiter);
      this.ctx.engine.cancel(waiter.timer);
      waiter.done(error);
    }
  }

  private note(claim: KubeObject, reason: string, message: string): void {
    this.ctx.trace.emit({
      time: this.ctx.engine.now(),
      lane: 'scheduler',
      node: null,
      object: refOf(claim),
      reason,
      message,
      causes: this.ctx.api.causesOf(claim),
    });
  }
}
