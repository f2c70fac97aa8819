// Claim and volume predicates shared by the persistentvolume controller, the external
// provisioner, the protection controllers, the scheduler's VolumeBinding plugin and the
// kubelet, mirroring component-helpers/storage/volume and pkg/controller/volume/persistentvolume/util.
import { fieldsCause } from '../../trace/model/eventCause';
import { compareQuantities, parseQuantity, zeroQuantity, type Quantity } from '../../base/quantity';
import { nodeSelectorTermsMatch } from './nodeSelector';
import type { ObjectReference, PodSpec } from '../../base/apiObjects';
import type { Node, PersistentVolume, PersistentVolumeClaim, Pod } from '../store/kinds';

export const selectedNodeAnnotation = 'volume.kubernetes.io/selected-node';
export const provisionerAnnotation = 'volume.kubernetes.io/storage-provisioner';
export const betaProvisionerAnnotation = 'volume.beta.kubernetes.io/storage-provisioner';
export const bindCompletedAnnotation = 'pv.kubernetes.io/bind-completed';
export const boundByControllerAnnotation = 'pv.kubernetes.io/bound-by-controller';
export const provisionedByAnnotation = 'pv.kubernetes.io/provisioned-by';
export const pvcProtectionFinalizer = 'kubernetes.io/pvc-protection';
export const pvProtectionFinalizer = 'kubernetes.io/pv-protection';

/** What a claim's class decides (binding mode, provisioner, whether it exists) is caused by its storageClassName. */
export const storageClassCause = fieldsCause('spec.storageClassName');
/** What follows from the volume a claim names. */
export const volumeNameCause = fieldsCause('spec.volumeName');

/** GetPersistentVolumeClaimClass: spec.storageClassName, else the beta annotation, else "". */
export function claimClass(claim: PersistentVolumeClaim): string {
  const beta = claim.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'];
  if (beta !== undefined) return beta;
  return claim.spec?.storageClassName ?? '';
}

/** GetPersistentVolumeClass: spec.storageClassName, else the beta annotation, else "". */
export function volumeClass(volume: PersistentVolume): string {
  const beta = volume.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'];
  if (beta !== undefined) return beta;
  return volume.spec?.storageClassName ?? '';
}

/** The storage the claim asks for, as written (a quantity). */
export function claimRequest(claim: PersistentVolumeClaim): unknown {
  return claim.spec?.resources?.requests?.storage;
}

/** A storage quantity field, zero when absent (the validator refuses unreadable ones first). */
function storageOf(value: unknown): Quantity {
  return parseQuantity(value) ?? zeroQuantity;
}

/**
 * Bound as the scheduler's and the kubelet's checks see it: a volume name and the binder's bind-completed annotation.
 */
export function isClaimBound(claim: PersistentVolumeClaim): boolean {
  return (
    Boolean(claim.spec?.volumeName) &&
    claim.metadata.annotations?.[bindCompletedAnnotation] === 'yes' &&
    claim.status?.phase === 'Bound'
  );
}

/** Whether the volume's claimRef names the claim (by namespace and name, and by uid when the ref has one). */
export function volumeClaimedBy(volume: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = volume.spec?.claimRef;
  if (!ref) return false;
  return (
    ref.name === claim.metadata.name &&
    (ref.namespace ?? '') === (claim.metadata.namespace ?? '') &&
    (!ref.uid || ref.uid === claim.metadata.uid)
  );
}

/**
 * The claimRef that binds a volume to the claim, as the binder and the scheduler's volume binding
 * write it (the key order is the one the trace's JSON shows).
 */
export function claimRefTo(claim: PersistentVolumeClaim): ObjectReference {
  return {
    kind: 'PersistentVolumeClaim',
    namespace: claim.metadata.namespace,
    name: claim.metadata.name,
    uid: claim.metadata.uid,
    apiVersion: 'v1',
    resourceVersion: claim.metadata.resourceVersion,
  };
}

/** The node-affinity terms of a volume (local and provisioned host-path volumes have them) admit the node. */
export function volumeFitsNode(volume: PersistentVolume, node: Node): boolean {
  return nodeSelectorTermsMatch(volume.spec?.nodeAffinity?.required?.nodeSelectorTerms, node);
}

/**
 * Whether an unbound (or pre-bound to this claim) volume can satisfy the claim: same class,
 * volume mode and label selector, the claim's access modes among the volume's, enough
 * capacity (FindMatchingVolume's checks, capacity last to pick the smallest).
 */
export function volumeSatisfies(volume: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  if (volume.metadata.deletionTimestamp) return false;
  if (volume.spec?.claimRef && !volumeClaimedBy(volume, claim)) return false;
  if (volumeClass(volume) !== claimClass(claim)) return false;
  if ((volume.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return false;
  const modes: readonly string[] = volume.spec?.accessModes ?? [];
  if (!(claim.spec?.accessModes ?? []).every((m) => modes.includes(m))) return false;
  const selector = claim.spec?.selector;
  if (selector) {
    const labels = volume.metadata.labels ?? {};
    for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  }
  return compareQuantities(storageOf(volume.spec?.capacity?.storage), storageOf(claimRequest(claim))) >= 0;
}

/**
 * The smallest volume that satisfies the claim (a volume pre-bound
 * to it first), optionally only volumes that fit a node.
 */
export function bestVolumeFor(
  claim: PersistentVolumeClaim,
  volumes: Iterable<PersistentVolume>,
  node?: Node,
): PersistentVolume | undefined {
  let best: PersistentVolume | undefined;
  let bestSize: Quantity | undefined;
  for (const volume of volumes) {
    if (!volumeSatisfies(volume, claim)) continue;
    if (node && !volumeFitsNode(volume, node)) continue;
    if (volume.spec?.claimRef) return volume;
    const size = storageOf(volume.spec?.capacity?.storage);
    const order = bestSize ? compareQuantities(size, bestSize) : -1;
    if (order < 0 || (order === 0 && best && volume.metadata.name < best.metadata.name)) {
      best = volume;
      bestSize = size;
    }
  }
  return best;
}

/**
 * A claim a pod's volume uses: a persistentVolumeClaim volume's, or a generic ephemeral volume's (`<pod>-<volume>`).
 */
export interface PodClaim {
  readonly name: string;
  /** The pod volume it backs. */
  readonly volume: string;
  readonly ephemeral: boolean;
}

interface ClaimVolume {
  readonly volume: string;
  /** The claim name of a persistentVolumeClaim volume; undefined for an ephemeral one (named after the pod). */
  readonly claimName: string | undefined;
}

const noVolumes: readonly ClaimVolume[] = Object.freeze([]);
const noClaims: readonly PodClaim[] = Object.freeze([]);
const noNames: readonly string[] = Object.freeze([]);
const claimVolumesBySpec = new WeakMap<object, readonly ClaimVolume[]>();

/** The volumes of a spec that are backed by claims, kept per spec object (the pods of a template share it). */
function claimVolumes(spec: PodSpec): readonly ClaimVolume[] {
  let found = claimVolumesBySpec.get(spec);
  if (found === undefined) {
    const list: ClaimVolume[] = [];
    for (const v of spec.volumes ?? []) {
      if (v?.persistentVolumeClaim?.claimName)
        list.push({ volume: v.name, claimName: v.persistentVolumeClaim.claimName });
      else if (v?.ephemeral?.volumeClaimTemplate) list.push({ volume: v.name, claimName: undefined });
    }
    found = list.length === 0 ? noVolumes : list;
    claimVolumesBySpec.set(spec, found);
  }
  return found;
}

/** The claims a pod's volumes use (ephemeral.VolumeClaimName: `<pod>-<volume>` for generic ephemeral volumes). */
export function podClaims(pod: Pod): readonly PodClaim[] {
  const spec = pod.spec;
  if (!spec) return noClaims;
  const volumes = claimVolumes(spec);
  if (volumes.length === 0) return noClaims;
  return volumes.map((v) => ({
    name: v.claimName ?? `${pod.metadata.name}-${v.volume}`,
    volume: v.volume,
    ephemeral: v.claimName === undefined,
  }));
}

/** The names of the claims a pod's volumes use. */
export function podClaimNames(pod: Pod): readonly string[] {
  const spec = pod.spec;
  if (!spec || claimVolumes(spec).length === 0) return noNames;
  return podClaims(pod).map((c) => c.name);
}

/** ephemeral.VerifyPVC: a generic ephemeral volume's claim must be owned by the pod (its controller reference). */
export function ownedByPod(claim: PersistentVolumeClaim, pod: Pod): boolean {
  return (claim.metadata.ownerReferences ?? []).some(
    (r) => r.controller && r.kind === 'Pod' && r.uid === pod.metadata.uid,
  );
}
