// Traces for the timeline's browser tests, made in the test process with the real simulator
// and sent as the host sends them: traceReset, eventsAppended chunks in the compact form,
// traceFinished.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HostToWebviewMessage, ReportData, TraceMeta } from '../../src/protocol/messages';
import { parseManifestText } from '../../src/core/manifest/base/parse';
import { defaultProfile } from '../../src/core/sim/profile/profile';
import { parseScenario, type ScenarioAction } from '../../src/core/sim/scenario/scenario';
import {
  manifestObjects,
  summaryLine,
  traceInSimulator,
  type SimulatedTrace,
} from '../../src/core/trace/simulatedTrace';
import type { TraceEvent } from '../../src/core/trace/model/traceEvent';
import { TraceChunkEncoder } from '../../src/protocol/traceChunkEncoder';
import type { PodRow, WindowRow } from '../../src/protocol/traceColumns';

// This file runs from out/test/webview/, three levels below the repository's root.
export const repoRoot = path.resolve(__dirname, '../../..');

export interface TraceCase {
  readonly trace: SimulatedTrace;
  readonly events: readonly TraceEvent[];
  readonly files: readonly string[];
}

export interface CaseOptions {
  readonly untilMs?: number;
  readonly actions?: readonly ScenarioAction[];
}

/** Runs manifests (paths from the repository's root) in a fresh simulated cluster of three nodes, seed 1. */
export function simulate(files: readonly string[], options: CaseOptions = {}): TraceCase {
  const parsed = files.map((f) => ({
    name: f,
    file: parseManifestText(fs.readFileSync(path.join(repoRoot, f), 'utf8')),
  }));
  const trace = traceInSimulator({
    files: parsed,
    objects: manifestObjects(parsed),
    seed: 1,
    profile: defaultProfile,
    version: '1.35',
    nodes: 3,
    nodesGiven: false,
    untilMs: options.untilMs,
    actions: options.actions,
  });
  return { trace, events: trace.events, files };
}

/** examples/web: a Deployment of three replicas behind a Service and an Ingress. */
export function webCase(): TraceCase {
  return simulate(['examples/web/deployment.yaml', 'examples/web/service.yaml', 'examples/web/ingress.yaml']);
}

/** An image that fails to pull and a readiness probe on a port nothing listens on. */
export function warningsCase(): TraceCase {
  return simulate(['test/fixtures/webview/warnings.yaml'], {
    untilMs: 60_000,
    actions: [{ type: 'missingImage', at: 0, image: 'nginx:1.277' }],
  });
}

/** Scaling a Deployment down without a preStop delay: kube-proxies still route to the pod after SIGTERM. */
export function routingWindowCase(): TraceCase {
  const dir = 'test/fixtures/trace/deletion-routing-window';
  const scenario = fs.readFileSync(path.join(repoRoot, dir, 'scenario.yaml'), 'utf8');
  const actions = parseScenario(scenario, (f) => fs.readFileSync(path.join(repoRoot, dir, f), 'utf8'));
  return simulate([`${dir}/manifests.yaml`], { actions });
}

export interface MessageOptions {
  /** Events per chunk; default all in one. */
  readonly chunkSize?: number;
  readonly live?: boolean;
  /** Leave traceFinished out (a trace still streaming). */
  readonly unfinished?: boolean;
  /** Rewrites each event before it is encoded (hostile strings). */
  readonly mapEvent?: (event: TraceEvent) => TraceEvent;
  readonly mapPod?: (pod: PodRow) => PodRow;
  readonly title?: string;
}

export function traceMeta(c: TraceCase): TraceMeta {
  return {
    target: 'embedded simulator',
    kubernetesVersion: '1.35',
    seed: 1,
    profile: 'default',
    nodes: 3,
    files: [...c.files],
  };
}

/** The host's messages for the case: a reset, the chunks (pods and windows with the last), the end. */
export function hostMessages(c: TraceCase, options: MessageOptions = {}): HostToWebviewMessage[] {
  const { trace } = c;
  const encoder = new TraceChunkEncoder((e) => trace.sourceOf(trace.events[e.id]));
  const events = options.mapEvent ? c.events.map(options.mapEvent) : c.events;
  const size = options.chunkSize ?? Math.max(1, events.length);
  const pods: PodRow[] = trace.pods.map((p) => (options.mapPod ? options.mapPod(p) : p));
  const windows: WindowRow[] = trace.windows.map(
    (w, index) => ({ index, ...w, eventId: w.eventId ?? null }) as WindowRow,
  );
  const messages: HostToWebviewMessage[] = [
    {
      type: 'traceReset',
      title: options.title ?? `Trace of ${c.files.join(', ')}`,
      meta: traceMeta(c),
      live: options.live ?? false,
    },
  ];
  for (let i = 0; i < events.length; i += size) {
    const last = i + size >= events.length;
    const slice = events.slice(i, i + size);
    const clock = last ? trace.result.time : slice[slice.length - 1].time;
    messages.push({
      type: 'eventsAppended',
      chunk: encoder.encode(slice, last ? pods : [], last ? windows : [], clock),
    });
  }
  if (!options.unfinished) {
    const summary = summaryLine(trace, { seed: 1, profile: 'default', version: '1.35' });
    messages.push({
      type: 'traceFinished',
      stopReason: trace.result.reason === 'quiescent' ? 'quiescent' : 'time-limit',
      endedAtMs: trace.result.time,
      summary,
    });
  }
  return JSON.parse(JSON.stringify(messages)) as HostToWebviewMessage[];
}

export function reportData(messages: readonly HostToWebviewMessage[]): ReportData {
  return { format: 1, messages };
}

/** The first event that matches, by reason and object name; throws naming what it looked for. */
export function findEvent(events: readonly TraceEvent[], reason: string, objectName?: RegExp): TraceEvent {
  const e = events.find((x) => x.reason === reason && (!objectName || objectName.test(x.object.name)));
  if (!e)
    throw new Error(
      `expected an event ${reason}${objectName ? ` on an object matching ${objectName}` : ''} in the trace, found none`,
    );
  return e;
}
