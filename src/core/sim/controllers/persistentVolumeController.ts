// The persistentvolume controller (pkg/controller/volume/persistentvolume, "PV binder"):
// it binds claims to volumes. An unbound claim takes the smallest volume that satisfies it;
// a claim whose class binds WaitForFirstConsumer waits until the scheduler picks a node
// (the selected-node annotation); a claim with a class and no volume is handed to the
// class's external provisioner (the storage-provisioner annotations), and is bound to the
// volume the provisioner creates for it. Binding is the upstream four writes: the volume's
// claimRef, its phase, the claim's volumeName, its phase. A volume whose claim is gone is
// Released (and, with reclaim policy Delete, left to its provisioner to delete). Unbound
// claims are synced again every 15 s (--pvclaimbinder-sync-period), which repeats their
// events as a real cluster does.
import type { PersistentVolumeClaimStatus, PersistentVolumeStatus } from '../../base/apiObjects';
import type { EventCause } from '../../trace/model/eventCause';
import type { SimContext } from '../client/context';
import { keyOf, objectKey, type KubeObject } from '../store/objects';
import { isKind, type PersistentVolume, type PersistentVolumeClaim, type Pod, type StorageClass } from '../store/kinds';
import { controllerLatency, Informer, splitKey, WorkQueue } from '../client/informer';
import { localPathProvisioner } from './localPathProvisioner';
import { isPodTerminal } from '../helpers/podUtil';
import {
  claimRefTo,
  betaProvisionerAnnotation,
  bestVolumeFor,
  bindCompletedAnnotation,
  boundByControllerAnnotation,
  claimClass,
  podClaimNames,
  provisionerAnnotation,
  selectedNodeAnnotation,
  storageClassCause,
  volumeClaimedBy,
  volumeNameCause,
} from '../helpers/volumeUtil';

const source = { component: 'persistentvolume-controller' };
const user = 'system:serviceaccount:kube-system:persistent-volume-binder';
const resyncMs = 15_000;

export class PersistentVolumeController {
  private readonly claims: Informer<PersistentVolumeClaim>;
  private readonly volumes: Informer<PersistentVolume>;
  private readonly classes: Informer<StorageClass>;
  private readonly claimQueue: WorkQueue;
  private readonly volumeQueue: WorkQueue;
  private readonly pods: Informer<Pod>;
  /** Objects with binder writes in flight: a sync waits for them (upstream writes synchronously). */
  private readonly writing = new Set<string>();
  private readonly unsimulatedProvisioners = new Set<string>();

  constructor(private readonly ctx: SimContext) {
    const latency = controllerLatency(ctx, 'persistentvolume-controller');
    this.claimQueue = new WorkQueue(ctx.engine, latency, (key) => this.syncClaim(key));
    this.volumeQueue = new WorkQueue(ctx.engine, latency, (name) => this.syncVolume(name));
    this.classes = ctx.informers.get('storageclasses');
    // Read only, for the pods a waiting claim names (a new pod does not queue its claims).
    this.pods = ctx.informers.get('pods');
    this.claims = ctx.informers.get('persistentvolumeclaims').onChange((e) => {
      if (e.type === 'DELETED') {
        // Its volume is released.
        const volumeName = e.object.spec?.volumeName;
        if (volumeName) this.volumeQueue.add(volumeName);
        return;
      }
      this.claimQueue.add(keyOf(e.object));
    });
    this.volumes = ctx.informers.get('persistentvolumes').onChange((e) => {
      if (e.type === 'DELETED') return;
      this.volumeQueue.add(e.object.metadata.name);
      // A new volume may be the one an unbound claim waits for.
      const ref = e.object.spec?.claimRef;
      if (ref?.name) this.claimQueue.add(objectKey(ref.namespace, ref.name));
      else if (e.type === 'ADDED')
        for (const claim of this.claims.cache.values()) if (!claim.spec?.volumeName) this.claimQueue.add(keyOf(claim));
    });
  }

  private syncClaim(key: string): void {
    if (this.writing.has(key)) return;
    const [namespace, name] = splitKey(key);
    const claim = this.claims.get(namespace, name);
    if (!claim || claim.metadata.deletionTimestamp) return;
    // As upstream: a claim is bound once the binder has said so (bind-completed), not when it has a volume name.
    if (claim.metadata.annotations?.[bindCompletedAnnotation] === undefined) this.syncUnboundClaim(claim, key);
    else this.syncBoundClaim(claim);
  }

  /** syncUnboundClaim: bind to a matching volume, or wait for the first consumer, or provision, or report why not. */
  private syncUnboundClaim(claim: PersistentVolumeClaim, key: string): void {
    const requested: string | undefined = claim.spec?.volumeName;
    if (requested) {
      // The user named a volume: bind to it when it is there and free (or already this claim's).
      const volume = this.volumes.get(undefined, requested);
      if (volume && (!volume.spec?.claimRef || volumeClaimedBy(volume, claim))) return this.bind(volume, claim);
      this.claimQueue.addAfter(key, resyncMs, true);
      if (volume)
        this.record(
          claim,
          'Warning',
          'FailedBinding',
          `volume "${requested}" already bound to a different claim.`,
          volumeNameCause,
        );
      return;
    }
    const className = claimClass(claim);
    const storageClass = className ? this.classes.get(undefined, className) : undefined;
    const delayBinding = storageClass?.volumeBindingMode === 'WaitForFirstConsumer';
    const selectedNode = claim.metadata.annotations?.[selectedNodeAnnotation];
    // A volume the scheduler pre-bound (claimRef set) is taken whatever the binding mode.
    const volume = bestVolumeFor(claim, this.volumes.cache.values());
    if (volume && (!delayBinding || volume.spec?.claimRef)) return this.bind(volume, claim);
    // Resynced while it stays unbound (background: a waiting claim does not keep a run going).
    this.claimQueue.addAfter(key, resyncMs, true);
    if (delayBinding && !selectedNode) {
      // emitEventForUnboundDelayBindingClaim: pods that use the claim and wait for a node are named.
      const waiting = this.unscheduledPodsOf(claim);
      if (waiting.length === 1)
        this.record(
          claim,
          'Normal',
          'WaitForPodScheduled',
          `waiting for pod ${waiting[0]} to be scheduled`,
          storageClassCause,
        );
      else if (waiting.length > 1)
        this.record(
          claim,
          'Normal',
          'WaitForPodScheduled',
          `waiting for pods ${waiting.join(',')} to be scheduled`,
          storageClassCause,
        );
      else
        this.record(
          claim,
          'Normal',
          'WaitForFirstConsumer',
          'waiting for first consumer to be created before binding',
          storageClassCause,
        );
      return;
    }
    if (!className) {
      this.record(
        claim,
        'Normal',
        'FailedBinding',
        'no persistent volumes available for this claim and no storage class is set',
      );
      return;
    }
    if (!storageClass) {
      this.record(
        claim,
        'Warning',
        'ProvisioningFailed',
        `storageclass.storage.k8s.io "${className}" not found`,
        storageClassCause,
      );
      return;
    }
    const provisioner = String(storageClass.provisioner ?? '');
    if (provisioner === 'kubernetes.io/no-provisioner') {
      this.record(
        claim,
        'Warning',
        'ProvisioningFailed',
        `no volume plugin matched name: ${provisioner}`,
        storageClassCause,
      );
      return;
    }
    // Handed to the external provisioner: the claim is annotated, then an event says who is expected to act.
    const annotations = claim.metadata.annotations ?? {};
    if (annotations[provisionerAnnotation] !== provisioner || annotations[betaProvisionerAnnotation] !== provisioner) {
      this.write('persistentvolumeclaims', claim, (cur) => ({
        ...cur,
        metadata: {
          ...cur.metadata,
          annotations: {
            ...(cur.metadata.annotations ?? {}),
            [betaProvisionerAnnotation]: provisioner,
            [provisionerAnnotation]: provisioner,
          },
        },
      }));
    }
    this.record(claim, 'Normal', 'ExternalProvisioning', externalProvisioningMessage(provisioner), storageClassCause);
    if (provisioner !== localPathProvisioner) this.noteNotSimulated(claim, provisioner);
  }

  /** syncBoundClaim: keep the binding whole; a claim whose volume is gone is Lost. */
  private syncBoundClaim(claim: PersistentVolumeClaim): void {
    const volumeName: string = claim.spec?.volumeName ?? '';
    const volume = volumeName ? this.volumes.get(undefined, volumeName) : undefined;
    if (!volume) {
      if (claim.status?.phase === 'Lost') return;
      this.writeStatus('persistentvolumeclaims', claim, { ...(claim.status ?? {}), phase: 'Lost' });
      this.record(
        claim,
        'Warning',
        'ClaimLost',
        'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!',
        volumeNameCause,
      );
      return;
    }
    if (!volume.spec?.claimRef || volumeClaimedBy(volume, claim)) {
      if (volume.status?.phase !== 'Bound' || claim.status?.phase !== 'Bound') this.bind(volume, claim);
      return;
    }
    this.record(
      claim,
      'Warning',
      'ClaimMisbound',
      'Two claims are bound to the same volume, this one is bound incorrectly',
      volumeNameCause,
    );
  }

  private syncVolume(name: string): void {
    if (this.writing.has(name)) return;
    const volume = this.volumes.get(undefined, name);
    if (!volume || volume.metadata.deletionTimestamp) return;
    const ref = volume.spec?.claimRef;
    if (!ref) {
      if (volume.status?.phase !== 'Available')
        this.writeStatus('persistentvolumes', volume, { ...(volume.status ?? {}), phase: 'Available' });
      return;
    }
    const claim = this.claims.get(ref.namespace, ref.name!);
    if (claim && (!ref.uid || ref.uid === claim.metadata.uid)) {
      // Pre-bound by the scheduler or the user: the claim's sync completes it.
      if (!claim.spec?.volumeName) this.claimQueue.add(keyOf(claim));
      else if (claim.spec.volumeName === name && volume.status?.phase !== 'Bound')
        this.writeStatus('persistentvolumes', volume, { ...(volume.status ?? {}), phase: 'Bound' });
      return;
    }
    if (!ref.uid) return;
    // The claim is gone: the volume is released, and reclaimed per its policy.
    if (volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed')
      this.writeStatus('persistentvolumes', volume, { ...(volume.status ?? {}), phase: 'Released' });
  }

  /**
   * bind(): the volume's claimRef, the volume Bound, the claim's
   * volumeName, the claim Bound; each write after the last.
   */
  private bind(volume: PersistentVolume, claim: PersistentVolumeClaim): void {
    const claimKey = keyOf(claim);
    const volumeName = volume.metadata.name;
    const claimRef = claimRefTo(claim);
    // Each step reads the resource it names, so the kind checks below always pass; they name the kind for the types.
    type Step = [
      'persistentvolumes' | 'persistentvolumeclaims',
      string,
      (cur: PersistentVolume | PersistentVolumeClaim) => PersistentVolume | PersistentVolumeClaim | undefined,
    ];
    const steps: Step[] = [
      [
        'persistentvolumes',
        volumeName,
        (cur) => {
          if (!isKind(cur, 'PersistentVolume')) return cur;
          const ref = cur.spec?.claimRef;
          if (ref && ref.uid === claim.metadata.uid) return cur;
          const annotations = ref
            ? cur.metadata.annotations
            : { ...(cur.metadata.annotations ?? {}), [boundByControllerAnnotation]: 'yes' };
          return { ...cur, metadata: { ...cur.metadata, annotations }, spec: { ...cur.spec, claimRef } };
        },
      ],
      [
        'persistentvolumes',
        volumeName,
        (cur) =>
          !isKind(cur, 'PersistentVolume') || cur.status?.phase === 'Bound'
            ? cur
            : { ...cur, status: { ...(cur.status ?? {}), phase: 'Bound' } },
      ],
      [
        'persistentvolumeclaims',
        claimKey,
        (cur) => {
          if (!isKind(cur, 'PersistentVolumeClaim')) return cur;
          if (cur.spec?.volumeName === volumeName && cur.metadata.annotations?.[bindCompletedAnnotation] === 'yes')
            return cur;
          const annotations: Record<string, string> = {
            ...(cur.metadata.annotations ?? {}),
            [bindCompletedAnnotation]: 'yes',
          };
          if (!cur.spec?.volumeName) annotations[boundByControllerAnnotation] = 'yes';
          return { ...cur, metadata: { ...cur.metadata, annotations }, spec: { ...cur.spec, volumeName } };
        },
      ],
      [
        'persistentvolumeclaims',
        claimKey,
        (cur) =>
          !isKind(cur, 'PersistentVolumeClaim') || cur.status?.phase === 'Bound'
            ? cur
            : {
                ...cur,
                status: {
                  ...(cur.status ?? {}),
                  phase: 'Bound',
                  accessModes: volume.spec?.accessModes ?? [],
                  capacity: { ...(volume.spec?.capacity ?? {}) },
                },
              },
      ],
    ];
    this.writing.add(claimKey);
    this.writing.add(volumeName);
    let changed = false;
    const next = (i: number): void => {
      if (i >= steps.length) {
        this.writing.delete(claimKey);
        this.writing.delete(volumeName);
        if (changed)
          this.note(
            claim,
            'Normal',
            'VolumeBound',
            `bound to PersistentVolume ${volumeName}: claim and volume are Bound`,
          );
        return;
      }
      const [resource, key, change] = steps[i];
      const [ns, objectName] = splitKey(key);
      const write = (
        cur: PersistentVolume | PersistentVolumeClaim,
      ): PersistentVolume | PersistentVolumeClaim | undefined => {
        const result = change(cur);
        if (result !== cur) changed = true;
        return result;
      };
      this.ctx.api.patch(resource, ns, objectName, write, user, {
        onDone: (_stored, error) => {
          if (!error) return next(i + 1);
          // Gone or changed meanwhile: both are synced again from what the watches show.
          this.writing.delete(claimKey);
          this.writing.delete(volumeName);
          this.claimQueue.add(claimKey);
          this.volumeQueue.add(volumeName);
        },
      });
    };
    // A resync (background work) that binds promotes what follows: the pod waiting on the claim starts.
    this.ctx.engine.foreground(() => next(0));
  }

  /** findNonScheduledPodsByPVC: the names of pods not yet on a node, not finished, that use the claim. */
  private unscheduledPodsOf(claim: PersistentVolumeClaim): string[] {
    const names: string[] = [];
    for (const pod of this.pods.inNamespace(claim.metadata.namespace ?? '')) {
      if (pod.spec?.nodeName || isPodTerminal(pod)) continue;
      if (podClaimNames(pod).includes(claim.metadata.name)) names.push(pod.metadata.name);
    }
    return names;
  }

  /**
   * A claim handed to a provisioner the simulated cluster does not run: said once per provisioner, where the claim is.
   */
  private noteNotSimulated(claim: PersistentVolumeClaim, provisioner: string): void {
    if (this.unsimulatedProvisioners.has(provisioner)) return;
    this.unsimulatedProvisioners.add(provisioner);
    this.note(
      claim,
      'Warning',
      'NotSimulated',
      `podtrace runs one external provisioner, ${localPathProvisioner} (kind's default ` +
        `StorageClass "standard"); no provisioner named ${provisioner} runs in the simulated cluster, ` +
        `so claims of its classes stay Pending and their pods wait in the scheduler's PreBind`,
      storageClassCause,
    );
  }

  /** A step of podtrace's own on the claim (no Kubernetes Event says it). */
  private note(
    claim: PersistentVolumeClaim,
    severity: 'Normal' | 'Warning',
    reason: string,
    message: string,
    cause?: EventCause,
  ): void {
    this.ctx.trace.emit({
      time: this.ctx.engine.now(),
      lane: 'controller-manager',
      node: null,
      object: this.ctx.trace.refs.of(claim),
      reason,
      message,
      severity,
      causes: this.ctx.api.causesOf(claim),
      cause,
    });
  }

  private write(resource: string, object: KubeObject, change: (cur: KubeObject) => KubeObject): void {
    const key = resource === 'persistentvolumes' ? object.metadata.name : keyOf(object);
    this.writing.add(key);
    this.ctx.engine.foreground(() =>
      this.ctx.api.patchObject(resource, object, change, user, { onDone: () => this.writing.delete(key) }),
    );
  }

  private writeStatus(
    resource: string,
    object: KubeObject,
    status: PersistentVolumeStatus | PersistentVolumeClaimStatus,
  ): void {
    this.write(resource, object, (cur) => ({ ...cur, status }));
  }

  private record(
    claim: PersistentVolumeClaim,
    severity: 'Normal' | 'Warning',
    reason: string,
    message: string,
    cause?: EventCause,
  ): void {
    this.ctx.events.record(source, claim, severity, reason, message, {
      lane: 'controller-manager',
      node: null,
      causes: this.ctx.api.causesOf(claim),
      cause,
    });
  }
}

/** The ExternalProvisioning text since 1.28 (pv_controller.go provisionClaimOperationExternal). */
function externalProvisioningMessage(provisioner: string): string {
  return (
    'Waiting for a volume to be created either by the external provisioner ' +
    `'${provisioner}' or manually by the system administrator. If volume creation is delayed, ` +
    'please verify that the provisioner is running and correctly registered.'
  );
}
