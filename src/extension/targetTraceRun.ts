// One trace of a cluster target on the host's side: follows the applied objects through the
// target's trace stream (a real cluster's watches, mapped into the trace model), maps each
// event to the YAML that caused it and encodes each step as the protocol's chunk, the same
// chunks the simulator's worker sends, so the timeline shows both the same way. It settles
// once: when the stream ends by itself, fails, or is cancelled. No 'vscode' here.
import type { ClusterTarget, TargetTraceStep, TraceEnd, TraceStream } from '../core/cluster/clusterTarget';
import type { ParsedManifestFile } from '../core/manifest/base/parse';
import type { KubeObject } from '../core/sim/store/objects';
import { TraceSourceMapper, type OwnerLineage } from '../core/trace/sourceMapping';
import type { OwnerOf } from '../core/trace/traceObjects';
import { TraceChunkEncoder } from '../protocol/traceChunkEncoder';
import type { TraceChunk } from '../protocol/traceColumns';
import type { TraceOutcome } from './traceSession';

export interface TargetTraceListener {
  readonly chunk: (chunk: TraceChunk) => void;
  readonly finished: (outcome: TraceOutcome) => void;
}

export interface TargetTraceInput {
  readonly target: ClusterTarget;
  /** The objects to follow, as applied. */
  readonly objects: readonly KubeObject[];
  /** The manifests they came from, named as the trace names files, for source mapping. */
  readonly files: readonly { readonly name: string; readonly file: ParsedManifestFile }[];
  /** For the summary: `context "staging"`. */
  readonly where: string;
}

/** Owners as the stream has seen them so far; an owner not seen yet is asked for again later. */
function ownersOf(lineage: OwnerLineage): OwnerOf {
  return (object) => {
    const owner = object.uid === null ? undefined : lineage.get(object.uid)?.owner;
    const known = owner === undefined ? undefined : lineage.get(owner);
    return known && owner !== undefined
      ? { kind: known.kind, namespace: known.namespace ?? null, name: known.name, uid: owner }
      : undefined;
  };
}

export class TargetTraceRun {
  /** Settles once, with the outcome `finished` was given. */
  readonly done: Promise<TraceOutcome>;
  private settle!: (outcome: TraceOutcome) => void;
  private outcome: TraceOutcome | undefined;
  private stream: TraceStream | undefined;
  private readonly encoder: TraceChunkEncoder;
  private clock = 0;
  private readonly readiness = new Map<string, boolean>();

  constructor(
    private readonly input: TargetTraceInput,
    private readonly listener: TargetTraceListener,
  ) {
    this.done = new Promise((resolve) => (this.settle = resolve));
    // The stream's lineage exists once trace() returns; the mapper and encoder ask it later.
    const lineage: OwnerLineage = { get: (uid) => this.stream?.lineage.get(uid) };
    const sources = new TraceSourceMapper(input.files, lineage);
    this.encoder = new TraceChunkEncoder((event) => sources.sourceOf(event), ownersOf(lineage));
    this.stream = input.target.trace(
      { objects: input.objects },
      { onStep: (step) => this.step(step), onEnd: (end) => this.ended(end) },
    );
    // A stream that ended while trace() still ran is stopped now that there is one to stop.
    if (!this.live) this.stream.stop();
  }

  get live(): boolean {
    return this.outcome === undefined;
  }

  /** Milliseconds since the stream started. */
  get clockMs(): number {
    return this.clock;
  }

  /** Events so far. */
  get events(): number {
    return this.encoder.encodedEvents;
  }

  /** Stops following; `finished` gets `cancelled` with what arrived so far. */
  cancel(): void {
    this.finish('cancelled', undefined);
  }

  /** Ends the run as failed (the apply it follows failed), with why. */
  fail(why: string): void {
    this.finish('failed', why);
  }

  private step(step: TargetTraceStep): void {
    if (!this.live) return;
    const first = step.events[0];
    if (first !== undefined && first.id !== this.encoder.encodedEvents) {
      this.finish(
        'failed',
        `the target's trace stream skipped or repeated events: ` +
          `expected event ${this.encoder.encodedEvents} next, got ${first.id}`,
      );
      return;
    }
    this.clock = Math.max(this.clock, step.clockMs);
    for (const pod of step.pods) this.readiness.set(pod.uid, pod.phases.ready !== null);
    const windows = step.windows.map((w) => ({ index: w.index, ...w.window }));
    this.listener.chunk(this.encoder.encode(step.events, step.pods, windows, step.clockMs));
  }

  private ended(end: TraceEnd): void {
    if (end.reason === 'quiescent') {
      this.clock = Math.max(this.clock, end.clockMs);
      this.finish('quiescent', undefined);
    } else this.finish('failed', end.message);
  }

  private finish(reason: 'quiescent' | 'cancelled' | 'failed', why: string | undefined): void {
    if (!this.live) return;
    this.stream?.stop();
    const ready = [...this.readiness.values()].filter(Boolean).length;
    const seen = `${this.events} events, ${this.readiness.size} pods (${ready} ready)`;
    const at = `${(this.clock / 1000).toFixed(3)}s`;
    const summary =
      reason === 'quiescent'
        ? `${this.input.where}: ${seen}, settled at ${at}`
        : reason === 'cancelled'
          ? `${this.input.where}: stopped following at ${at}: ${seen}`
          : `${this.input.where}: failed at ${at} (${seen}): ${why ?? 'no reason given'}`;
    const outcome: TraceOutcome = {
      stopReason: reason,
      endedAtMs: this.clock,
      summary,
      timeline: '',
      events: this.events,
      pods: this.readiness.size,
      ready,
      findings: [],
    };
    this.outcome = outcome;
    try {
      this.listener.finished(outcome);
    } finally {
      this.settle(outcome);
    }
  }
}
