// The embedded simulator as a ClusterTarget: one SimCluster that lives as long as the target,
// paced to the wall clock (virtual ms = wall ms × speed), so that applies, deletes and traces
// happen to one cluster one after another, as they would to a real one. Requests go through
// the simulator's apiserver (admission, validation, storage) and answer once the engine has
// run to their commit; the wall clock and its timers are injected, so tests drive it without
// sleeping.
//
// Apply has server-side apply's outcome as far as the simulator keeps objects: a new object
// is created; an existing one gets the applied labels, annotations and top-level fields (spec,
// data, ...) and keeps what the cluster set (status, uid, defaults elsewhere), and applying the
// same configuration again writes nothing (`unchanged`). The simulator keeps no managedFields,
// so `force` changes nothing and no field manager conflicts arise here.
import type { KubernetesVersion } from '../base/kubernetesVersion';
import { checkFields } from '../server/fieldValidation';
import type { JsonObject } from '../server/patch/jsonValue';
import { undeclaredFieldError } from '../server/patch/patchRequest';
import { HttpStatusError } from '../server/status';
import { SimCluster } from '../sim/cluster';
import type { WallScheduler } from '../sim/engine/pacedRunner';
import type { LatencyProfile } from '../sim/profile/profile';
import { ApiError, notFound } from '../sim/store/apiError';
import { resourceForKind, type KubeObject, type ResourceInfo } from '../sim/store/objects';
import {
  targetRefOf,
  type ApplyOptions,
  type ClusterTarget,
  type DeleteOptions,
  type FieldValidation,
  type ObjectOutcome,
  type TargetDescription,
  type TargetObjectRef,
  type TraceRequest,
  type TraceSink,
  type TraceStream,
} from './clusterTarget';
import { appliedObject, sameApplied } from './simApply';
import { objectKey, SimTraceFollower } from './simTraceFollower';
import { statusOfApiError, statusOfHttpError } from './targetStatus';

export interface InProcessTargetOptions {
  readonly seed: number;
  readonly version: KubernetesVersion;
  readonly nodes: number;
  readonly profile?: LatencyProfile;
  /** Virtual milliseconds per wall millisecond (1 = real time). */
  readonly speed: number;
  readonly wall: WallScheduler;
  /** Wall milliseconds between ticks (default 50): how often streams get a step. */
  readonly tickMs?: number;
  /** The engine's events per slice at most (default 20,000), so the thread answers between slices. */
  readonly maxSliceEvents?: number;
}

/** The user the target's requests run as, as the simulator's own apply names it. */
const user = 'kubernetes-admin';

interface OpenStream {
  readonly follower: SimTraceFollower;
  readonly sink: TraceSink;
  /** Whether the stream has seen anything: a stream started before its apply does not end before it. */
  seen: boolean;
}

export class InProcessTarget implements ClusterTarget {
  readonly cluster: SimCluster;
  private readonly streams = new Set<OpenStream>();
  private readonly wallStart: number;
  private readonly virtualStart: number;
  private cancelTimer: (() => void) | undefined;
  private inFlight = 0;
  private closed = false;
  /** Rejects the promises of requests still waiting for the engine, when the target closes. */
  private readonly waiting = new Set<(error: Error) => void>();

  constructor(private readonly options: InProcessTargetOptions) {
    if (!(options.speed > 0 && Number.isFinite(options.speed)))
      throw new Error(`in-process target: expected a speed above 0 (virtual ms per wall ms), got ${options.speed}`);
    this.cluster = new SimCluster({
      seed: options.seed,
      profile: options.profile,
      version: options.version,
      nodeCount: options.nodes,
      storeEvents: true,
    });
    this.cluster.observer.trackChanges();
    this.wallStart = options.wall.now();
    this.virtualStart = this.cluster.engine.now();
    this.schedule(0);
  }

  describe(): TargetDescription {
    return { name: 'embedded simulator', kind: 'simulator', context: null, server: null, namespace: 'default' };
  }

  apply(objects: readonly KubeObject[], options: ApplyOptions = {}): Promise<ObjectOutcome[]> {
    // One after another, as kubectl applies a list: each waits for the answer to the one before.
    const fieldValidation = options.fieldValidation ?? 'Strict';
    return this.inTurn(objects, (object) => this.applyOne(object, options.dryRun === true, fieldValidation));
  }

  dryRun(objects: readonly KubeObject[], options: Omit<ApplyOptions, 'dryRun'> = {}): Promise<ObjectOutcome[]> {
    return this.apply(objects, { ...options, dryRun: true });
  }

  delete(objects: readonly KubeObject[], options: DeleteOptions = {}): Promise<ObjectOutcome[]> {
    return this.inTurn(objects, (object) => this.deleteOne(object, options));
  }

  trace(request: TraceRequest, sink: TraceSink): TraceStream {
    this.checkOpen('trace');
    const keys = new Set(
      request.objects.map((o) => {
        const info = resourceForKind(o.kind);
        const ref = targetRefOf(o, info?.namespaced === false ? null : 'default');
        return objectKey(ref.kind, ref.namespace, ref.name);
      }),
    );
    const stream: OpenStream = { follower: new SimTraceFollower(this.cluster, keys), sink, seen: false };
    this.streams.add(stream);
    return {
      lineage: this.cluster.ctx.store.lineage,
      stop: () => {
        this.streams.delete(stream);
      },
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.streams.clear();
    const error = new Error('the embedded simulator was closed before the request was answered');
    for (const reject of this.waiting) reject(error);
    this.waiting.clear();
  }

  /**
   * Runs `one` for each object in turn. The whole call counts as in flight, so that a stream
   * does not end at the quiescent moment between one object's answer and the next request.
   */
  private async inTurn(
    objects: readonly KubeObject[],
    one: (object: KubeObject) => Promise<ObjectOutcome>,
  ): Promise<ObjectOutcome[]> {
    this.checkOpen('a request');
    const out: ObjectOutcome[] = [];
    this.inFlight++;
    try {
      for (const object of objects) out.push(await one(object));
    } finally {
      this.inFlight--;
    }
    return out;
  }

  private checkOpen(what: string): void {
    if (this.closed) throw new Error(`in-process target: ${what} called after close()`);
  }

  /** The resource of an object's kind, or the apiserver's answer for a kind it does not serve. */
  private resourceOf(object: KubeObject): ResourceInfo | ApiError {
    const info = resourceForKind(object.kind);
    if (info && (object.apiVersion === undefined || object.apiVersion === info.apiVersion)) return info;
    // As kubectl reports a kind the server's discovery does not list.
    return new ApiError(404, 'NotFound', `no matches for kind "${object.kind}" in version "${object.apiVersion}"`);
  }

  private refOf(object: KubeObject, info: ResourceInfo | undefined): TargetObjectRef {
    return targetRefOf(object, info?.namespaced === false ? null : 'default');
  }

  /** Submits one request and waits for the engine to run to its answer. */
  private request<T>(submit: (done: (result: T | undefined, error: ApiError | undefined) => void) => void) {
    this.checkOpen('a request');
    return new Promise<{ result: T | undefined; error: ApiError | undefined }>((resolve, reject) => {
      this.waiting.add(reject);
      submit((result, error) => {
        this.waiting.delete(reject);
        resolve({ result, error });
      });
      // The request was scheduled at the engine's time, which may lag the wall: run it soon.
      this.schedule(0);
    });
  }

  private async applyOne(
    object: KubeObject,
    dryRun: boolean,
    fieldValidation: FieldValidation,
  ): Promise<ObjectOutcome> {
    const info = this.resourceOf(object);
    if (info instanceof ApiError)
      return { ok: false, ref: this.refOf(object, undefined), status: statusOfApiError(info), warnings: [] };
    const ref = this.refOf(object, info);
    // Server-side apply cannot type a configuration with a field the schema does not declare,
    // whatever the fieldValidation: the apiserver answers 500, as podtrace serve does.
    const untyped = undeclaredFieldError(
      object as unknown as JsonObject,
      { apiVersion: object.apiVersion, kind: object.kind, name: ref.name, namespace: ref.namespace ?? undefined },
      this.options.version,
    );
    if (untyped) return { ok: false, ref, status: statusOfApiError(untyped), warnings: [] };
    // fieldValidation as the apiserver decodes the body: Strict refuses unknown fields, Warn drops
    // them and says so.
    const warnings: string[] = [];
    let checked: KubeObject;
    try {
      checked = checkFields({ ...object }, fieldValidation, this.options.version, warnings) as KubeObject;
    } catch (error) {
      if (!(error instanceof HttpStatusError)) throw error;
      return { ok: false, ref, status: statusOfHttpError(error), warnings };
    }
    const existing = this.cluster.ctx.store.get(info.resource, ref.namespace ?? undefined, ref.name);
    const applied = appliedObject(checked, info, ref.namespace);
    if (existing && sameApplied(existing, applied))
      return {
        ok: true,
        ref: { ...ref, uid: existing.metadata.uid ?? null },
        object: existing,
        operation: 'unchanged',
        warnings,
      };
    const next = existing
      ? { ...existing, ...applied, metadata: { ...existing.metadata, ...applied.metadata } }
      : applied;
    const { result, error } = await this.request<KubeObject>((done) => {
      const options = { traceSteps: true, dryRun, onDone: done };
      if (existing) this.cluster.ctx.api.update(info.resource, next, user, options);
      else this.cluster.ctx.api.create(info.resource, next, user, options);
    });
    if (error || !result) return { ok: false, ref, status: statusOfApiError(error ?? unanswered(ref)), warnings };
    return {
      ok: true,
      ref: { ...ref, uid: result.metadata.uid ?? null },
      object: result,
      operation: existing ? 'configured' : 'created',
      warnings,
    };
  }

  private async deleteOne(object: KubeObject, options: DeleteOptions): Promise<ObjectOutcome> {
    const info = this.resourceOf(object);
    if (info instanceof ApiError)
      return { ok: false, ref: this.refOf(object, undefined), status: statusOfApiError(info), warnings: [] };
    const ref = this.refOf(object, info);
    const current = this.cluster.ctx.store.get(info.resource, ref.namespace ?? undefined, ref.name);
    if (options.dryRun) {
      this.checkOpen('delete');
      if (!current)
        return { ok: false, ref, status: statusOfApiError(notFound(info.resource, ref.name)), warnings: [] };
      return {
        ok: true,
        ref: { ...ref, uid: current.metadata.uid ?? null },
        object: current,
        operation: 'deleted',
        warnings: [],
      };
    }
    const { result, error } = await this.request<KubeObject>((done) =>
      this.cluster.ctx.api.delete(
        info.resource,
        ref.namespace ?? undefined,
        ref.name,
        user,
        {
          propagationPolicy: options.propagationPolicy ?? 'Background',
          gracePeriodSeconds: options.gracePeriodSeconds,
        },
        { traceSteps: true, onDone: done },
      ),
    );
    if (error) return { ok: false, ref, status: statusOfApiError(error), warnings: [] };
    // Gone at once, or marked for a graceful deletion: either way the object as last known.
    const last = result ?? current;
    if (!last) return { ok: false, ref, status: statusOfApiError(unanswered(ref)), warnings: [] };
    return {
      ok: true,
      ref: { ...ref, uid: last.metadata.uid ?? null },
      object: last,
      operation: 'deleted',
      warnings: [],
    };
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    this.cancelTimer?.();
    this.cancelTimer = this.options.wall.setTimer(delayMs, this.tick);
  }

  /**
   * Runs the engine up to the wall's time (at most a slice of events), then hands each stream
   * what is new. A stream ends once it has seen its objects and the cluster is quiescent (only
   * background work left) with no request of this target in flight.
   */
  private readonly tick = (): void => {
    this.cancelTimer = undefined;
    if (this.closed) return;
    const engine = this.cluster.engine;
    const target = Math.floor(this.virtualStart + (this.options.wall.now() - this.wallStart) * this.options.speed);
    const slice = this.options.maxSliceEvents ?? 20_000;
    let r = engine.runFast({ untilMs: target, maxEvents: slice, stopAtQuiescence: true });
    const quiescent = r.reason === 'quiescent' && this.inFlight === 0;
    // Background work (leases, probes of settled pods) still runs: the cluster lives on.
    if (r.reason === 'quiescent') r = engine.runFast({ untilMs: target, maxEvents: slice, stopAtQuiescence: false });
    this.deliver(quiescent);
    this.schedule(r.reason === 'event-limit' ? 0 : (this.options.tickMs ?? 50));
  };

  private deliver(quiescent: boolean): void {
    const changed = this.cluster.observer.takeChanged();
    for (const stream of [...this.streams]) {
      const step = stream.follower.collect(changed);
      if (step.events.length > 0 || step.pods.length > 0 || step.windows.length > 0) {
        stream.seen = true;
        stream.sink.onStep(step);
      }
      if (quiescent && stream.seen && this.streams.has(stream)) {
        this.streams.delete(stream);
        stream.sink.onEnd({ reason: 'quiescent', clockMs: stream.follower.clockMs });
      }
    }
  }
}

/** A request the simulator answered with neither an object nor an error: a fault of podtrace's. */
function unanswered(ref: TargetObjectRef): ApiError {
  return new ApiError(
    500,
    '',
    `the embedded simulator answered the request for ${ref.kind} ` +
      `${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} with neither an object nor an error`,
  );
}
