// The one event model for simulated and real clusters (DESIGN section 6).
import type { EventCause } from './eventCause';

/** The fixed set of lanes a timeline draws, one per component. */
export const lanes = [
  'apiserver',
  'etcd',
  'controller-manager',
  'scheduler',
  'kubelet',
  'cni',
  'cri',
  'csi',
  'probe',
  'endpoints',
  'kube-proxy',
  'coredns',
  'ingress',
  'mesh',
  'app',
] as const;

export type Lane = (typeof lanes)[number];

export function isLane(value: unknown): value is Lane {
  return typeof value === 'string' && (lanes as readonly string[]).includes(value);
}

/** Severity as Kubernetes events spell it. */
export type EventSeverity = 'Normal' | 'Warning';

export interface ObjectRef {
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly uid: string | null;
}

/** A YAML range an event maps back to: 1-based lines and columns, end exclusive. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface TraceEvent {
  readonly id: number;
  /** Integer milliseconds from the start of the trace. */
  readonly time: number;
  /** For spans (an image pull, a probe run, a termination): its length in milliseconds. */
  readonly duration?: number;
  readonly lane: Lane;
  readonly node: string | null;
  readonly object: ObjectRef;
  /** The part of the object the event is about, as Kubernetes events name it (`spec.containers{web}`). */
  readonly fieldPath?: string;
  readonly reason: string;
  readonly message: string;
  readonly severity: EventSeverity;
  /** Ids of the events that caused this one. */
  readonly causes: readonly number[];
  /**
   * What in the involved object made it happen (the scheduler plugins, the probe, the volume,
   * the fields), when the emitter knows it: what source mapping reads. Not part of the --json
   * document or of the protocol's chunks, which carry the mapped source instead.
   */
  readonly cause?: EventCause;
  /** False when the event was inferred (from a status change) rather than observed. */
  readonly observed?: boolean;
  /**
   * The index of the YAML range that caused the event in the trace
   * document's `sources` table, when a source index is attached.
   */
  readonly source?: number;
}
