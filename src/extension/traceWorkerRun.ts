// What the trace worker does, apart from the thread it runs on (traceWorker.ts wires it to
// worker_threads; tests drive it directly): on `start` it parses the manifests, starts the
// simulated cluster as `podtrace trace` does, runs it paced (virtual ms per wall ms = the
// speed setting), posts each step as a chunk in the compact form, and ends with the summary
// line, the text timeline and the runtime findings. `skipToEnd` drops the pacing. This module
// must not import 'vscode'.
import { parseManifestText } from '../core/manifest/base/parse';
import type { WallScheduler } from '../core/sim/engine/pacedRunner';
import { defaultProfile } from '../core/sim/profile/profile';
import { PacedTrace } from '../core/trace/pacedTrace';
import { runtimeFindings } from '../core/trace/runtimeFindings';
import { ownersFromLineage } from '../core/trace/traceObjects';
import { manifestObjects, SimulatedTraceRun, summaryLine, type TraceStep } from '../core/trace/simulatedTrace';
import { formatTimeline } from '../core/trace/timelineText';
import { TraceLimitError, type TraceLimits } from '../core/trace/traceLimits';
import { TraceChunkEncoder } from '../protocol/traceChunkEncoder';
import type { TraceChunk } from '../protocol/traceColumns';
import { parseHostToWorker, type StartTraceRequest, type WorkerToHostMessage } from './workerMessages';

export interface TraceWorkerLimits {
  /** Trace events per chunk at most. */
  readonly maxChunkEvents: number;
  /** The engine's events per slice of work at most, so the worker reads its messages between slices. */
  readonly maxSliceEvents: number;
  /** Wall ms between chunks while paced. */
  readonly tickMs: number;
  /** The most the trace may reach (pods, nodes, events, virtual time); podtrace trace's defaults when not given. */
  readonly trace?: TraceLimits;
}

/**
 * Chunks of at most 5,000 events: the host checks and forwards each in a few milliseconds, so
 * that the burst at the start of a large apply (thousands of pods created within a tick) is
 * handed on as several messages with the host's other work in between, not as one long task.
 */
export const defaultWorkerLimits: TraceWorkerLimits = { maxChunkEvents: 5_000, maxSliceEvents: 20_000, tickMs: 100 };

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}

export class TraceWorkerRun {
  private paced: PacedTrace | undefined;
  private started = false;
  /** Posts what the run recorded and has not handed out yet, as chunks. */
  private flush: (() => void) | undefined;

  constructor(
    private readonly post: (message: WorkerToHostMessage) => void,
    private readonly wall: WallScheduler,
    private readonly limits: TraceWorkerLimits = defaultWorkerLimits,
  ) {}

  /** A line for the host's output channel. */
  private log(line: string): void {
    this.post({ type: 'log', line });
  }

  /** Handles one message from the host; one that does not validate is dropped with its reason. */
  handle(raw: unknown): void {
    const parsed = parseHostToWorker(raw);
    if (!parsed.ok) {
      this.log(`podtrace trace worker: dropped a message from the host: ${parsed.reason}`);
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'start':
        if (this.started) {
          this.log('podtrace trace worker: dropped a second start: a worker runs one trace');
          return;
        }
        this.started = true;
        this.guard(() => this.start(message));
        return;
      case 'skipToEnd':
        this.paced?.skipToEnd();
        return;
    }
  }

  /**
   * Runs `work`; an exception becomes a `failed` message that says what broke, and stops the
   * run. A limit reached is no fault of podtrace's: its message alone, which names the limit
   * and what reached it, goes to the panel's summary and the notification.
   */
  private guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.paced?.stop();
      if (error instanceof TraceLimitError) {
        // The trace up to the limit is shown, so the panel says what grew past it.
        try {
          this.flush?.();
        } catch {
          // Showing it is a courtesy: the limit's message below is what matters.
        }
        this.post({ type: 'failed', message: `the trace stopped: ${error.message}` });
        return;
      }
      this.post({ type: 'failed', message: `the simulated run failed: ${describe(error)}` });
    }
  }

  /**
   * The wall clock with every timer's work guarded: a paced step that throws (a limit reached)
   * fails the run, not the thread.
   */
  private guardedWall(): WallScheduler {
    return {
      now: () => this.wall.now(),
      setTimer: (delayMs, run) => this.wall.setTimer(delayMs, () => this.guard(run)),
    };
  }

  private start(request: StartTraceRequest): void {
    const { settings } = request;
    const files = request.manifests.map((m) => ({ name: m.name, file: parseManifestText(m.text) }));
    const objects = manifestObjects(files);
    if (objects.length === 0) {
      // As `kubectl apply` says "no objects passed to apply".
      this.post({
        type: 'failed',
        message:
          `no objects to apply: ${files.map((f) => f.name).join(', ')} ` +
          `${files.length === 1 ? 'holds' : 'hold'} no Kubernetes ` +
          'objects (with apiVersion, kind and metadata.name)',
      });
      return;
    }
    const input = {
      files,
      objects,
      seed: settings.seed,
      profile: defaultProfile,
      version: settings.kubernetesVersion,
      nodes: settings.nodes,
      nodesGiven: settings.nodesGiven,
      untilMs: settings.untilMs ?? undefined,
      limits: this.limits.trace,
    };
    const run = new SimulatedTraceRun(input, { streaming: true });
    this.post({ type: 'started', nodes: run.cluster.kubelets.size, profile: defaultProfile.name });
    // Owners travel with the objects, so the app can group pods under their workloads and an
    // export written from the chunks names them as the command line does.
    const encoder = new TraceChunkEncoder(run.sourceOf, ownersFromLineage(run.cluster.ctx.store.lineage));
    const encode = (step: TraceStep): TraceChunk =>
      encoder.encode(
        step.events,
        step.pods,
        step.windows.map((w) => ({ index: w.index, ...w.window })),
        step.clockMs,
      );
    this.flush = () => {
      for (let step = run.takeStep(this.limits.maxChunkEvents); ; step = run.takeStep(this.limits.maxChunkEvents)) {
        if (step.events.length > 0 || step.pods.length > 0 || step.windows.length > 0)
          this.post({ type: 'chunk', chunk: encode(step) });
        if (!step.more) return;
      }
    };
    this.paced = new PacedTrace(run, this.guardedWall(), {
      speed: settings.speed,
      tickMs: this.limits.tickMs,
      maxSliceEvents: this.limits.maxSliceEvents,
      maxStepEvents: this.limits.maxChunkEvents,
      onStep: (step) => this.guard(() => this.post({ type: 'chunk', chunk: encode(step) })),
      onDone: (result) =>
        this.guard(() => {
          if (result.reason !== 'quiescent' && result.reason !== 'time-limit')
            throw new Error(
              `expected the run to settle or reach its time limit, it ended with ${result.reason} at ${result.time} ms`,
            );
          const trace = run.trace();
          const described = { seed: settings.seed, profile: defaultProfile.name, version: settings.kubernetesVersion };
          this.post({
            type: 'done',
            stopReason: result.reason,
            endedAtMs: result.time,
            summary: summaryLine(trace, described),
            timeline: formatTimeline(trace.events, trace.pods, trace.windows, {
              color: false,
              sourceOf: trace.sourceOf,
            }),
            events: trace.events.length,
            pods: trace.pods.length,
            ready: trace.pods.filter((p) => p.phases.ready !== null).length,
            findings: runtimeFindings(trace.events, trace.sourceOf, trace.pods),
          });
        }),
    });
    this.paced.start();
  }
}
