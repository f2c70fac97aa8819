// The meta.k8s.io/v1 Table that `kubectl get` asks for (Accept: application/json;as=Table;v=v1;
// g=meta.k8s.io): the columns of the resource's printer, one row per object with its cells, and
// the object itself as PartialObjectMetadata, in full, or not at all (includeObject). Resources
// without a printer get NAME and AGE.
import { ageSince } from './age';
import { eventPrinter, namespacePrinter, nodePrinter } from './clusterPrinters';
import { endpointSlicePrinter, ingressPrinter, servicePrinter } from './networkPrinters';
import { podPrinter } from './podPrinter';
import type { CellValue, ColumnDefinition, PrintContext, Printer } from './printerTypes';
import { ageColumn, at, nameColumn, text } from './printerTypes';
import {
  configMapPrinter,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  podDisruptionBudgetPrinter,
  secretPrinter,
} from './storagePrinters';
import {
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  jobPrinter,
  replicaSetPrinter,
  statefulSetPrinter,
} from './workloadPrinters';

/** The printers by group-qualified resource (`deployments.apps`; core resources bare). */
const printers: Readonly<Record<string, Printer>> = {
  pods: podPrinter,
  nodes: nodePrinter,
  namespaces: namespacePrinter,
  events: eventPrinter,
  'events.events.k8s.io': eventPrinter,
  services: servicePrinter,
  configmaps: configMapPrinter,
  secrets: secretPrinter,
  persistentvolumeclaims: persistentVolumeClaimPrinter,
  persistentvolumes: persistentVolumePrinter,
  'deployments.apps': deploymentPrinter,
  'replicasets.apps': replicaSetPrinter,
  'statefulsets.apps': statefulSetPrinter,
  'daemonsets.apps': daemonSetPrinter,
  'jobs.batch': jobPrinter,
  'cronjobs.batch': cronJobPrinter,
  'endpointslices.discovery.k8s.io': endpointSlicePrinter,
  'ingresses.networking.k8s.io': ingressPrinter,
  'poddisruptionbudgets.policy': podDisruptionBudgetPrinter,
};

const defaultPrinter: Printer = {
  columns: [nameColumn, ageColumn],
  cells(o, { nowMs }) {
    return [text(at(o, 'metadata', 'name')), ageSince(at(o, 'metadata', 'creationTimestamp'), nowMs)];
  },
};

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableRow {
  readonly cells: readonly CellValue[];
  readonly object?: Readonly<Record<string, unknown>>;
}

export interface Table {
  readonly kind: 'Table';
  readonly apiVersion: 'meta.k8s.io/v1';
  readonly metadata: {
    readonly resourceVersion?: string;
    readonly continue?: string;
    readonly remainingItemCount?: number;
  };
  readonly columnDefinitions: readonly ColumnDefinition[];
  readonly rows: readonly TableRow[];
}

export interface TableOptions extends PrintContext {
  readonly includeObject?: IncludeObject;
  readonly resourceVersion?: string;
  readonly continueToken?: string;
  readonly remainingItemCount?: number;
}

/** The printer of a resource, by its group-qualified name. */
export function printerFor(qualifiedResource: string): Printer {
  return printers[qualifiedResource] ?? defaultPrinter;
}

/** The includeObject query parameter: Metadata unless given; anything else is an error naming the choices. */
export function includeObjectOf(value: string | null | undefined): IncludeObject {
  if (value === null || value === undefined || value === '') return 'Metadata';
  if (value === 'None' || value === 'Metadata' || value === 'Object') return value;
  throw new Error(`includeObject: Unsupported value: "${value}": supported values: "Metadata", "None", "Object"`);
}

function rowObject(object: Readonly<Record<string, unknown>>, include: IncludeObject): TableRow['object'] {
  if (include === 'None') return undefined;
  if (include === 'Object') return object;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

/** The Table of a list (or of one object, as a list of one) of a resource. */
export function tableOf(
  qualifiedResource: string,
  objects: readonly Readonly<Record<string, unknown>>[],
  options: TableOptions,
): Table {
  const printer = printerFor(qualifiedResource);
  const include = options.includeObject ?? 'Metadata';
  const metadata: Record<string, string | number> = {};
  if (options.resourceVersion !== undefined) metadata.resourceVersion = options.resourceVersion;
  if (options.continueToken) metadata.continue = options.continueToken;
  if (options.remainingItemCount !== undefined) metadata.remainingItemCount = options.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: printer.columns,
    rows: objects.map((object) => {
      const row: { cells: CellValue[]; object?: TableRow['object'] } = { cells: printer.cells(object, options) };
      const shown = rowObject(object, include);
      if (shown !== undefined) row.object = shown;
      return row;
    }),
  };
}

/**
 * Whether an Accept header asks for a Table: the first of its media ranges that names one this
 * server serves, in the client's order, as the apiserver's negotiation picks it. kubectl lists
 * `as=Table;v=v1;g=meta.k8s.io`, then v1beta1, then plain JSON; only v1 is served here.
 */
export function acceptsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  for (const range of accept.split(',')) {
    const [type, ...parameterTexts] = range.split(';').map((s) => s.trim());
    const parameters = new Map(parameterTexts.map((p) => p.split('=').map((s) => s.trim()) as [string, string]));
    if (type !== 'application/json' && type !== '*/*' && type !== 'application/*') continue;
    const as = parameters.get('as');
    if (as === undefined) return false;
    if (as === 'Table' && parameters.get('g') === 'meta.k8s.io' && parameters.get('v') === 'v1') return true;
  }
  return false;
}
