// The rows of ConfigMaps, Secrets, PersistentVolumeClaims, PersistentVolumes and
// PodDisruptionBudgets, after pkg/printers/internalversion/printers.go: access modes as RWO, ROX,
// RWX and RWOP; `Terminating` for a claim or volume being deleted; `N/A` for an unset budget field.
import { ageSince } from './age';
import type { Printer } from './printerTypes';
import { ageColumn, at, column, int, list, nameColumn, record, text } from './printerTypes';

const accessModeNames: Readonly<Record<string, string>> = {
  ReadWriteOnce: 'RWO',
  ReadOnlyMany: 'ROX',
  ReadWriteMany: 'RWX',
  ReadWriteOncePod: 'RWOP',
};

/** GetAccessModesAsString: each mode once, in upstream's fixed order. */
function accessModes(modes: unknown): string {
  const present = new Set(list(modes).map(String));
  return Object.keys(accessModeNames)
    .filter((m) => present.has(m))
    .map((m) => accessModeNames[m])
    .join(',');
}

function phaseOrTerminating(o: unknown): string {
  return at(o, 'metadata', 'deletionTimestamp') !== undefined ? 'Terminating' : text(at(o, 'status', 'phase'));
}

/** The claim's class: spec.storageClassName, or the beta annotation older objects carry. */
function storageClassOf(o: unknown): string {
  return text(
    at(o, 'spec', 'storageClassName'),
    text(at(o, 'metadata', 'annotations', 'volume.beta.kubernetes.io/storage-class')),
  );
}

const volumeModeColumn = column(
  'VolumeMode',
  'string',
  'volumeMode defines what type of volume is required by the claim.',
  { wide: true },
);
const attributesClassColumn = column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv');

export const configMapPrinter: Printer = {
  columns: [nameColumn, column('Data', 'string', 'Data contains the configuration data.'), ageColumn],
  cells(cm, { nowMs }) {
    const count = Object.keys(record(at(cm, 'data'))).length + Object.keys(record(at(cm, 'binaryData'))).length;
    return [text(at(cm, 'metadata', 'name')), count, ageSince(at(cm, 'metadata', 'creationTimestamp'), nowMs)];
  },
};

export const secretPrinter: Printer = {
  columns: [
    nameColumn,
    column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    column('Data', 'string', 'Data contains the secret data.'),
    ageColumn,
  ],
  cells(s, { nowMs }) {
    return [
      text(at(s, 'metadata', 'name')),
      text(at(s, 'type'), 'Opaque'),
      Object.keys(record(at(s, 'data'))).length,
      ageSince(at(s, 'metadata', 'creationTimestamp'), nowMs),
    ];
  },
};

export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    column('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    column('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    column('Access Modes', 'string', 'accessModes contains the desired access modes the volume should have.'),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    attributesClassColumn,
    ageColumn,
    volumeModeColumn,
  ],
  cells(pvc, { nowMs }) {
    const bound = text(at(pvc, 'spec', 'volumeName')) !== '';
    return [
      text(at(pvc, 'metadata', 'name')),
      phaseOrTerminating(pvc),
      text(at(pvc, 'spec', 'volumeName')),
      bound ? text(at(pvc, 'status', 'capacity', 'storage')) : '',
      bound ? accessModes(at(pvc, 'status', 'accessModes')) : '',
      storageClassOf(pvc),
      text(at(pvc, 'spec', 'volumeAttributesClassName'), '<unset>'),
      ageSince(at(pvc, 'metadata', 'creationTimestamp'), nowMs),
      text(at(pvc, 'spec', 'volumeMode'), '<unset>'),
    ];
  },
};

export const persistentVolumePrinter: Printer = {
  columns: [
    nameColumn,
    column('Capacity', 'string', "capacity is the description of the persistent volume's resources and capacity."),
    column('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    column(
      'Reclaim Policy',
      'string',
      'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.',
    ),
    column('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    column(
      'Claim',
      'string',
      'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.',
    ),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    attributesClassColumn,
    column('Reason', 'string', 'reason is a brief CamelCase string that describes any failure.'),
    ageColumn,
    volumeModeColumn,
  ],
  cells(pv, { nowMs }) {
    const claim = at(pv, 'spec', 'claimRef');
    return [
      text(at(pv, 'metadata', 'name')),
      text(at(pv, 'spec', 'capacity', 'storage')),
      accessModes(at(pv, 'spec', 'accessModes')),
      text(at(pv, 'spec', 'persistentVolumeReclaimPolicy')),
      phaseOrTerminating(pv),
      claim ? `${text(at(claim, 'namespace'))}/${text(at(claim, 'name'))}` : '',
      storageClassOf(pv),
      text(at(pv, 'spec', 'volumeAttributesClassName'), '<unset>'),
      text(at(pv, 'status', 'reason')),
      ageSince(at(pv, 'metadata', 'creationTimestamp'), nowMs),
      text(at(pv, 'spec', 'volumeMode'), '<unset>'),
    ];
  },
};

function intOrStringText(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : 'N/A';
}

export const podDisruptionBudgetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn,
  ],
  cells(pdb, { nowMs }) {
    return [
      text(at(pdb, 'metadata', 'name')),
      intOrStringText(at(pdb, 'spec', 'minAvailable')),
      intOrStringText(at(pdb, 'spec', 'maxUnavailable')),
      int(at(pdb, 'status', 'disruptionsAllowed')),
      ageSince(at(pdb, 'metadata', 'creationTimestamp'), nowMs),
    ];
  },
};
