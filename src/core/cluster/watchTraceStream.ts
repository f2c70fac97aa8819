// A real cluster's trace stream: the watches of the plan (watchPlan.ts), each resumed after a
// drop and relisted after a 410 (resumableWatch.ts), feeding one mapper (watchTraceMapper.ts),
// whose new events and pods go to the sink every tick. A watch the server refuses for good
// (401, 403) ends the stream with the reason. Nothing here imports client-node: the client is
// handed in.
import type { KubeObject } from '../sim/store/objects';
import type { TraceSink, TraceStream } from './clusterTarget';
import { ResumableWatch, type WatchClient, type WatchTimers } from './resumableWatch';
import { watchPlan } from './watchPlan';
import { followedKeys, WatchTraceMapper } from './watchTraceMapper';

export interface WatchTraceOptions {
  readonly client: WatchClient;
  readonly objects: readonly KubeObject[];
  readonly defaultNamespace: string;
  /** Wall time in epoch ms and timers (the system's in use; a simulated clock in tests). */
  readonly timers: WatchTimers;
  /** Wall ms between steps (default 100). */
  readonly tickMs?: number;
}

export interface WatchTraceStream extends TraceStream {
  /** The watches, for tests and diagnostics (how often each listed and resumed). */
  readonly watches: readonly ResumableWatch[];
}

export function startWatchTrace(options: WatchTraceOptions, sink: TraceSink): WatchTraceStream {
  const { timers } = options;
  const mapper = new WatchTraceMapper(followedKeys(options.objects, options.defaultNamespace), timers.now());
  let stopped = false;
  let cancelTick: (() => void) | undefined;
  const stopAll = () => {
    stopped = true;
    cancelTick?.();
    for (const w of watches) w.stop();
  };
  const watches = watchPlan(options.objects, options.defaultNamespace).map(
    (c) =>
      new ResumableWatch({
        client: options.client,
        path: c.path,
        kind: c.kind,
        apiVersion: c.apiVersion,
        timers,
        onChange: (change) => {
          if (!stopped) mapper.handle(change);
        },
        onFatal: (message) => {
          if (stopped) return;
          flush();
          stopAll();
          sink.onEnd({ reason: 'failed', message });
        },
      }),
  );
  const flush = () => {
    const step = mapper.takeStep(timers.now());
    if (step.events.length > 0 || step.pods.length > 0) sink.onStep(step);
  };
  const tick = () => {
    cancelTick = undefined;
    if (stopped) return;
    flush();
    cancelTick = timers.setTimer(options.tickMs ?? 100, tick);
  };
  for (const w of watches) w.start();
  cancelTick = timers.setTimer(0, tick);
  return {
    lineage: mapper.lineage,
    watches,
    stop: stopAll,
  };
}
