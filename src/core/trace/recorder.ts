// Collects TraceEvents as the simulator emits them. Events are appended in emission
// order, which is virtual-time order because the engine only moves forward; ids are
// their index, so `causes` are cheap integer references.
import { flat } from '../base/flatString';
import type { EventSeverity, Lane, ObjectRef, TraceEvent } from './traceEvent';

export interface EmitInput {
  readonly time: number;
  readonly lane: Lane;
  readonly node: string | null;
  readonly object: ObjectRef;
  readonly fieldPath?: string;
  readonly reason: string;
  readonly message: string;
  readonly severity?: EventSeverity;
  readonly causes?: readonly number[];
  readonly duration?: number;
}

export class TraceRecorder {
  readonly events: TraceEvent[] = [];

  emit(input: EmitInput): number {
    const id = this.events.length;
    const event: { -readonly [K in keyof TraceEvent]: TraceEvent[K] } = {
      id,
      time: input.time,
      lane: input.lane,
      node: input.node,
      object: input.object,
      reason: input.reason,
      message: flat(input.message),
      severity: input.severity ?? 'Normal',
      causes: input.causes ?? noCauses,
    };
    // Optional fields only when set (written, not spread: hundreds of thousands of events).
    if (input.duration !== undefined) event.duration = input.duration;
    if (input.fieldPath !== undefined) event.fieldPath = input.fieldPath;
    this.events.push(event);
    return id;
  }
}

const noCauses: readonly number[] = Object.freeze([]);
