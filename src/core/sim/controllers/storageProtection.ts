// The pvc-protection and pv-protection controllers (pkg/controller/volume/pvcprotection,
// pvprotection): a claim being deleted keeps kubernetes.io/pvc-protection while a pod that
// is on a node uses it, and a volume being deleted keeps kubernetes.io/pv-protection
// while it is Bound; then the finalizer goes and the object with it.
import type { SimContext } from '../client/context';
import { keyOf } from '../store/objects';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from '../store/kinds';
import { controllerLatency, Informer, splitKey, WorkQueue } from '../client/informer';
import { podClaimNames, pvProtectionFinalizer, pvcProtectionFinalizer } from '../helpers/volumeUtil';

const user = 'system:serviceaccount:kube-system:pvc-protection-controller';

export class StorageProtectionController {
  private readonly claims: Informer<PersistentVolumeClaim>;
  private readonly volumes: Informer<PersistentVolume>;
  private readonly pods: Informer<Pod>;
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: SimContext) {
    this.queue = new WorkQueue(ctx.engine, controllerLatency(ctx, 'storage-protection'), (item) => this.sync(item));
    this.claims = ctx.informers.get('persistentvolumeclaims').onChange((e) => {
      if (e.type !== 'DELETED' && e.object.metadata.deletionTimestamp) this.queue.add(`claim:${keyOf(e.object)}`);
    });
    this.volumes = ctx.informers.get('persistentvolumes').onChange((e) => {
      if (e.type !== 'DELETED' && e.object.metadata.deletionTimestamp)
        this.queue.add(`volume:${e.object.metadata.name}`);
    });
    // A pod that goes may free the claims it used.
    this.pods = ctx.informers.get('pods').onChange((e) => {
      if (e.type !== 'DELETED') return;
      const names = podClaimNames(e.object);
      if (names.length === 0) return;
      for (const name of names) {
        const claim = this.claims.get(e.object.metadata.namespace, name);
        if (claim?.metadata.deletionTimestamp) this.queue.add(`claim:${keyOf(claim)}`);
      }
    });
  }

  private sync(item: string): void {
    if (item.startsWith('claim:')) {
      const [namespace, name] = splitKey(item.slice('claim:'.length));
      const claim = this.claims.get(namespace, name);
      if (!claim?.metadata.deletionTimestamp || !(claim.metadata.finalizers ?? []).includes(pvcProtectionFinalizer))
        return;
      if (this.inUse(claim)) return;
      this.removeFinalizer(item, 'persistentvolumeclaims', namespace, name, pvcProtectionFinalizer);
      return;
    }
    const name = item.slice('volume:'.length);
    const volume = this.volumes.get(undefined, name);
    if (!volume?.metadata.deletionTimestamp || !(volume.metadata.finalizers ?? []).includes(pvProtectionFinalizer))
      return;
    if (volume.status?.phase === 'Bound') return;
    this.removeFinalizer(item, 'persistentvolumes', undefined, name, pvProtectionFinalizer);
  }

  /**
   * podUsesPVC: a pod in the claim's namespace, scheduled to a node (a kubelet does not start
   * a pod whose claim is being deleted), with a volume for the claim, finished or not: the
   * claim is free once such pods are gone.
   */
  private inUse(claim: PersistentVolumeClaim): boolean {
    for (const pod of this.pods.inNamespace(claim.metadata.namespace ?? '')) {
      if (pod.spec?.nodeName && podClaimNames(pod).includes(claim.metadata.name)) return true;
    }
    return false;
  }

  /**
   * The finalizer goes; a write that fails for another reason than
   * the object being gone is tried again (the work item `item`).
   */
  private removeFinalizer(
    item: string,
    resource: string,
    namespace: string | undefined,
    name: string,
    finalizer: string,
  ): void {
    this.ctx.api.removeFinalizer(resource, namespace, name, finalizer, user, {
      onDone: (_stored, error) => {
        if (error && error.code !== 404) this.queue.add(item);
      },
    });
  }
}
