// OTLP JSON (OpenTelemetry's trace format, which Jaeger imports since 1.55): one trace per
// object that nothing owns — a Deployment, a Service, a bare Pod, a Node — on one line
// each (`{"resourceSpans":[…]}`; the OTLP file format is JSON Lines, and Jaeger has failed
// to import multi-line files). In a trace, every object is a span under its controller owner
// (a Deployment's ReplicaSets, their pods), a pod's phases are spans from created to routable
// (the step that held it back marked), every event is a span of its component (the lane is
// the service) under its object's span, a warning has error status, causes are span links,
// and a routing window is an error span under the pod it routed to.
//
// The ids are hashes of stable things (after kspan): a trace's of its root object's kind,
// namespace, name and uid, a span's of what it stands for (an event's id, an object's uid, a
// pod's phase), so the same trace gives the same bytes. The simulator's times are virtual
// milliseconds from its start; they become real timestamps from a fixed epoch.
import { podPhaseNames, type PodPhase } from './model/podObserver';
import { attributes, oneLine, spanIdOf, spanJson, traceIdOf, unixNanos, type AttributeValue } from './otlpEncoding';
import { stepInto } from './podSummary';
import type { TraceSource } from './sourceMapping';
import { TraceObjects, type OwnerOf, type TraceObject } from './traceObjects';
import type { TraceEvent } from './model/traceEvent';

/**
 * The instant virtual time 0 becomes: 2000-01-01T00:00:00Z. Fixed, so that two runs give the
 * same bytes; far from today, so that nobody mistakes the times for wall-clock times.
 */
export const otlpEpochMs = Date.UTC(2000, 0, 1);

/** What the OTLP writer needs of a pod's summary (PodSummary and the compact form's PodRow both fit). */
export interface OtlpPod {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly node: string | null;
  readonly phases: Readonly<Record<PodPhase, number | null>>;
  readonly restarts: number;
  readonly heldBy: { readonly step: string; readonly ms: number | null; readonly detail: string | null } | null;
}

/** What the OTLP writer needs of a routing window (RoutingWindow and WindowRow both fit). */
export interface OtlpWindow {
  readonly consumer: string;
  readonly lane: string;
  readonly node: string | null;
  readonly service: string;
  readonly pod: string;
  readonly podUid: string;
  readonly ip: string;
  readonly why: string;
  readonly start: number;
  readonly end: number | null;
  readonly eventId: number | null;
}

export interface OtlpTraceInput {
  readonly events: readonly TraceEvent[];
  readonly pods: readonly OtlpPod[];
  readonly windows: readonly OtlpWindow[];
  /** The YAML range that caused an event, when known (code.file.path and friends on its span). */
  readonly sourceOf: (event: TraceEvent) => TraceSource | undefined;
  /** An object's controller owner: the simulator's store knows it (`ownersFromLineage`). */
  readonly ownerOf: OwnerOf;
  /** When the trace ended (virtual ms): open spans (a window still open, a step never done) end there. */
  readonly endedAtMs: number;
  /** The Unix time of virtual time 0, in ms; default `otlpEpochMs`. */
  readonly epochMs?: number;
  /** The instrumentation scope's version: podtrace's. */
  readonly version?: string;
}

/** The service of spans that stand for objects and their phases rather than a component's work. */
const objectService = 'podtrace';

/** OpenTelemetry's semantic-convention prefix for kinds that have one (`k8s.pod.name`, `k8s.pod.uid`). */
const semanticKinds: Readonly<Record<string, string>> = {
  Pod: 'k8s.pod',
  ReplicaSet: 'k8s.replicaset',
  Deployment: 'k8s.deployment',
  StatefulSet: 'k8s.statefulset',
  DaemonSet: 'k8s.daemonset',
  Job: 'k8s.job',
  CronJob: 'k8s.cronjob',
  Node: 'k8s.node',
  Namespace: 'k8s.namespace',
};

function objectName(o: TraceObject<OtlpPod>): string {
  return o.ref.namespace ? `${o.ref.kind} ${o.ref.namespace}/${o.ref.name}` : `${o.ref.kind} ${o.ref.name}`;
}

/** One trace's spans, grouped by the resource (service and node) they belong to, in order of first use. */
class TraceLine {
  private readonly resources = new Map<
    string,
    { readonly service: string; readonly node: string | null; readonly spans: string[] }
  >();

  add(service: string, node: string | null, span: string): void {
    const key = `${service}\u0000${node ?? ''}`;
    let resource = this.resources.get(key);
    if (!resource) this.resources.set(key, (resource = { service, node, spans: [] }));
    resource.spans.push(span);
  }

  json(version: string | undefined): string {
    const scope =
      version === undefined ? '{"name":"podtrace"}' : `{"name":"podtrace","version":${JSON.stringify(version)}}`;
    const parts = [...this.resources.values()].map((r) => {
      const resource = attributes([
        ['service.name', r.service],
        ['k8s.node.name', r.node],
        ['host.name', r.node],
      ]);
      return `{"resource":{"attributes":${resource}},"scopeSpans":[{"scope":${scope},"spans":[${r.spans.join(',')}]}]}`;
    });
    return `${oneLine(`{"resourceSpans":[${parts.join(',')}]}`)}\n`;
  }
}

/** The OTLP JSON Lines of a trace: one line per root object, in the order their first events came. */
export function* otlpTraceLines(input: OtlpTraceInput): Generator<string> {
  const epochMs = input.epochMs ?? otlpEpochMs;
  const nanos = (ms: number) => unixNanos(epochMs, ms);
  const objects = new TraceObjects(input.events, input.pods, input.windows, input.ownerOf, input.endedAtMs);
  const traceIds = new Map<TraceObject<OtlpPod>, string>();
  const traceIdOfRoot = (root: TraceObject<OtlpPod>): string => {
    let id = traceIds.get(root);
    if (id === undefined) {
      const { kind, namespace, name, uid } = root.ref;
      traceIds.set(root, (id = traceIdOf(`${kind}\u0000${namespace ?? ''}\u0000${name}\u0000${uid ?? ''}`)));
    }
    return id;
  };
  // Each event's span id, made once: causes name events again.
  const eventSpanIds = new Array<string | undefined>(input.events.length);
  const eventSpanId = (id: number) => (eventSpanIds[id] ??= spanIdOf(`event\u0000${id}`));
  const eventTraceId = (id: number) => traceIdOfRoot(objects.ofEvent(id).root);

  for (const trace of objects.traces()) {
    const line = new TraceLine();
    const traceId = traceIdOfRoot(trace.root);
    for (const o of trace.objects) {
      const prefix = semanticKinds[o.ref.kind];
      const pod = o.pod;
      line.add(
        objectService,
        null,
        spanJson({
          traceId,
          spanId: o.spanId,
          parentSpanId: o.owner?.spanId,
          name: objectName(o),
          startNanos: nanos(o.start),
          endNanos: nanos(o.end),
          attributes: attributes([
            ['k8s.namespace.name', o.ref.namespace],
            [`${prefix}.name`, prefix ? o.ref.name : undefined],
            [`${prefix}.uid`, prefix ? o.ref.uid : undefined],
            ['podtrace.object.kind', o.ref.kind],
            ['podtrace.object.name', prefix ? undefined : o.ref.name],
            ['podtrace.object.uid', prefix ? undefined : o.ref.uid],
            ['k8s.node.name', pod?.node],
            ['podtrace.pod.restarts', pod?.restarts],
            ['podtrace.pod.held_by', pod?.heldBy ? heldByText(pod.heldBy) : undefined],
          ]),
        }),
      );
      if (pod) for (const span of phaseSpans(pod, o, traceId, nanos)) line.add(objectService, null, span);
    }
    for (const id of trace.events) {
      const e = input.events[id];
      const source = input.sourceOf(e);
      const pairs: [string, AttributeValue | undefined][] = [
        ['podtrace.event.id', e.id],
        ['podtrace.event.reason', e.reason],
        ['podtrace.event.message', e.message],
        ['podtrace.event.field_path', e.fieldPath],
        ['podtrace.event.inferred', e.observed === false ? true : undefined],
      ];
      if (source)
        pairs.push(
          ['code.file.path', source.file],
          ['code.line.number', source.line],
          ['code.column.number', source.column],
          ['podtrace.source.path', source.path],
        );
      line.add(
        e.lane,
        e.node,
        spanJson({
          traceId,
          spanId: eventSpanId(e.id),
          parentSpanId: objects.ofEvent(e.id).spanId,
          name: `${e.object.kind}.${e.reason}`,
          startNanos: nanos(e.time - (e.duration ?? 0)),
          endNanos: nanos(e.time),
          attributes: attributes(pairs),
          links: e.causes.map((c) => ({ traceId: eventTraceId(c), spanId: eventSpanId(c) })),
          error: e.severity === 'Warning' ? e.message : undefined,
        }),
      );
    }
    for (const { window: w, index } of trace.windows) {
      const pod = objects.ofPod(w.podUid);
      const eventReason = w.eventId === null ? undefined : input.events[w.eventId]?.reason;
      line.add(
        w.lane,
        w.node,
        spanJson({
          traceId,
          spanId: spanIdOf(`window\u0000${index}`),
          parentSpanId: pod.spanId,
          name: eventReason ?? 'RoutingWindow',
          startNanos: nanos(w.start),
          endNanos: nanos(w.end ?? Math.max(w.start, input.endedAtMs)),
          attributes: attributes([
            ['podtrace.window.consumer', w.consumer],
            ['podtrace.window.service', w.service],
            ['podtrace.window.ip', w.ip],
            ['podtrace.window.why', w.why],
            ['podtrace.window.open', w.end === null ? true : undefined],
          ]),
          links:
            w.eventId === null || w.eventId >= input.events.length
              ? []
              : [{ traceId: eventTraceId(w.eventId), spanId: eventSpanId(w.eventId) }],
          error: `${w.consumer} still routed ${w.service} to ${w.pod} (${w.ip}) after ${w.why}`,
        }),
      );
    }
    yield line.json(input.version);
  }
}

function heldByText(h: NonNullable<OtlpPod['heldBy']>): string {
  if (h.ms !== null) return `${h.step} (${(h.ms / 1000).toFixed(3)}s)`;
  return h.detail ? `${h.step} (never done: ${h.detail})` : `${h.step} (never done)`;
}

/**
 * A pod's steps, each a span from the phase before to the phase it reached (scheduling from
 * created to scheduled, …); the step that held it back is marked critical. A step it never
 * finished runs to the pod's last moment in the trace, with error status when a warning held
 * it (an image that does not pull, a probe that never passes).
 */
function* phaseSpans(
  pod: OtlpPod,
  o: TraceObject<OtlpPod>,
  traceId: string,
  nanos: (ms: number) => string,
): Generator<string> {
  const heldBy = pod.heldBy;
  let previous: number | undefined;
  let criticalSeen = false;
  for (const phase of podPhaseNames) {
    const time = pod.phases[phase];
    const step = stepInto[phase];
    const span = (start: number, end: number, pairs: [string, AttributeValue | undefined][], error?: string) =>
      spanJson({
        traceId,
        spanId: spanIdOf(`phase\u0000${o.key}\u0000${phase}`),
        parentSpanId: o.spanId,
        name: step,
        startNanos: nanos(start),
        endNanos: nanos(end),
        attributes: attributes([['podtrace.phase', phase], ...pairs]),
        error,
      });
    if (time === null) {
      // Phases a pod need not reach (in endpoints without a Service) are skipped; the first it
      // should have reached and did not is the step that held it back.
      if (previous === undefined || heldBy === null || heldBy.ms !== null || heldBy.step !== step) continue;
      yield span(
        previous,
        Math.max(previous, o.ownEnd),
        [
          ['podtrace.phase.reached', false],
          ['podtrace.critical', true],
        ],
        heldBy.detail ?? undefined,
      );
      break;
    }
    if (previous !== undefined) {
      const critical: boolean =
        !criticalSeen && heldBy !== null && heldBy.step === step && heldBy.ms === time - previous;
      criticalSeen ||= critical;
      yield span(previous, time, [
        ['podtrace.phase.reached', true],
        ['podtrace.critical', critical ? true : undefined],
      ]);
    }
    previous = time;
  }
}
