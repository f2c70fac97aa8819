// The external provisioner of kind's default StorageClass: rancher.io/local-path
// (local-path-provisioner on sig-storage-lib-external-provisioner). It takes claims the
// persistentvolume controller annotated with its name, once the scheduler has selected a
// node (it can only make a directory on one node), says `Provisioning`, creates the
// directory through a helper pod (the profile's volumeProvision time), then creates the
// PersistentVolume `pvc-<claim uid>`: a hostPath under /var/local-path-provisioner, pinned
// to the node by node affinity, pre-bound to the claim; and says `ProvisioningSucceeded`.
// A Released volume it made, with reclaim policy Delete, is cleaned up and deleted.
import type { SimContext } from '../client/context';
import { nameAlphabet } from '../store/naming';
import { Latencies } from '../profile/profile';
import { keyOf } from '../store/objects';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../store/kinds';
import { Informer, WorkQueue, splitKey } from '../client/informer';
import {
  provisionedByAnnotation,
  provisionerAnnotation,
  selectedNodeAnnotation,
  storageClassCause,
} from '../helpers/volumeUtil';

export const localPathProvisioner = 'rancher.io/local-path';
const user = 'system:serviceaccount:local-path-storage:local-path-provisioner-service-account';
const basePath = '/var/local-path-provisioner';

export class LocalPathProvisioner {
  private readonly claims: Informer<PersistentVolumeClaim>;
  private readonly classes: Informer<StorageClass>;
  private readonly volumes: Informer<PersistentVolume>;
  private readonly queue: WorkQueue;
  private readonly latencies: Latencies;
  /** Claims being provisioned and volumes being deleted. */
  private readonly busy = new Set<string>();
  /** The event source: `<provisioner>_<its pod>_<a uuid>`, as the library names its recorder. */
  private readonly component: string;

  constructor(private readonly ctx: SimContext) {
    this.latencies = new Latencies(ctx.profile, ctx.engine.random('local-path-provisioner'));
    const random = ctx.engine.random('local-path-provisioner-identity');
    const hex = '0123456789abcdef';
    this.component =
      `${localPathProvisioner}_local-path-provisioner-${random.chars(10, '0123456789bcdfghjklmnpqrstvwxz')}` +
      `-${random.chars(5, nameAlphabet)}_${random.chars(8, hex)}-${random.chars(4, hex)}` +
      `-${random.chars(4, hex)}-${random.chars(4, hex)}-${random.chars(12, hex)}`;
    this.queue = new WorkQueue(
      ctx.engine,
      () => this.latencies.of('controllerSync'),
      (key) => this.sync(key),
    );
    this.classes = ctx.informers.get('storageclasses');
    this.claims = ctx.informers.get('persistentvolumeclaims').onChange((e) => {
      if (e.type !== 'DELETED' && e.object.metadata.annotations?.[provisionerAnnotation] === localPathProvisioner)
        this.queue.add(`claim:${keyOf(e.object)}`);
    });
    this.volumes = ctx.informers.get('persistentvolumes').onChange((e) => {
      if (e.type !== 'DELETED' && e.object.status?.phase === 'Released')
        this.queue.add(`volume:${e.object.metadata.name}`);
    });
  }

  private sync(item: string): void {
    if (this.busy.has(item)) return;
    if (item.startsWith('claim:')) this.syncClaim(item);
    else this.syncVolume(item);
  }

  /** shouldProvision: annotated for this provisioner, not bound, no volume made for it yet. */
  private syncClaim(item: string): void {
    const [namespace, name] = splitKey(item.slice('claim:'.length));
    const claim = this.claims.get(namespace, name);
    if (!claim || claim.metadata.deletionTimestamp || claim.spec?.volumeName) return;
    if (claim.metadata.annotations?.[provisionerAnnotation] !== localPathProvisioner) return;
    const volumeName = `pvc-${claim.metadata.uid}`;
    if (this.volumes.get(undefined, volumeName)) return;
    const storageClass = this.classes.get(undefined, claim.spec?.storageClassName ?? '');
    if (!storageClass) return;
    const claimName = `${claim.metadata.namespace}/${claim.metadata.name}`;
    const node = claim.metadata.annotations?.[selectedNodeAnnotation];
    this.record(
      claim,
      'Normal',
      'Provisioning',
      `External provisioner is provisioning volume for claim "${claimName}"`,
    );
    if (!node) {
      // Local volumes live on one node: without the scheduler's choice there is nowhere to make one.
      this.record(
        claim,
        'Warning',
        'ProvisioningFailed',
        `failed to provision volume with StorageClass "${storageClass.metadata.name}": ` +
          'configuration error, no node was specified',
      );
      return;
    }
    this.busy.add(item);
    const took = this.latencies.of('volumeProvision');
    this.ctx.engine.after(took, () => {
      // Validation requires a claim's storage request, so the volume's capacity always has one.
      const storage = claim.spec?.resources?.requests?.storage;
      const volume: PersistentVolume = {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: {
          name: volumeName,
          annotations: {
            'local.path.provisioner/selected-node': node,
            [provisionedByAnnotation]: localPathProvisioner,
          },
        },
        spec: {
          accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
          capacity: { storage: storage! },
          claimRef: {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            name: claim.metadata.name,
            namespace: claim.metadata.namespace,
            resourceVersion: claim.metadata.resourceVersion,
            uid: claim.metadata.uid,
          },
          hostPath: {
            path: `${basePath}/${volumeName}_${claim.metadata.namespace}_${claim.metadata.name}`,
            type: 'DirectoryOrCreate',
          },
          nodeAffinity: {
            required: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] },
              ],
            },
          },
          persistentVolumeReclaimPolicy: storageClass.reclaimPolicy ?? 'Delete',
          storageClassName: storageClass.metadata.name,
          volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
        },
      };
      this.ctx.api.create('persistentvolumes', volume, user, {
        traceSteps: true,
        causes: this.ctx.api.causesOf(claim),
        onDone: (_created, error) => {
          this.busy.delete(item);
          if (error)
            return this.record(
              claim,
              'Warning',
              'ProvisioningFailed',
              `failed to provision volume with StorageClass "${storageClass.metadata.name}": ${error.message}`,
            );
          this.record(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${volumeName}`, took);
        },
      });
    });
  }

  /**
   * A Released volume of ours with reclaim policy Delete: its
   * directory is removed (a helper pod again), then the object.
   */
  private syncVolume(item: string): void {
    const volume = this.volumes.get(undefined, item.slice('volume:'.length));
    if (!volume || volume.metadata.deletionTimestamp || volume.status?.phase !== 'Released') return;
    if (
      volume.metadata.annotations?.[provisionedByAnnotation] !== localPathProvisioner ||
      volume.spec?.persistentVolumeReclaimPolicy !== 'Delete'
    )
      return;
    this.busy.add(item);
    this.ctx.engine.after(this.latencies.of('volumeProvision'), () => {
      this.ctx.api.delete(
        'persistentvolumes',
        undefined,
        volume.metadata.name,
        user,
        {},
        { traceSteps: true, onDone: () => this.busy.delete(item) },
      );
    });
  }

  /** An event of the provisioner on a claim: what it does follows from the claim's class. */
  private record(
    claim: PersistentVolumeClaim,
    severity: 'Normal' | 'Warning',
    reason: string,
    message: string,
    duration?: number,
  ): void {
    this.ctx.events.record({ component: this.component }, claim, severity, reason, message, {
      lane: 'csi',
      node: null,
      causes: this.ctx.api.causesOf(claim),
      cause: storageClassCause,
      duration,
    });
  }
}
