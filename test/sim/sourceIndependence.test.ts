// Source mapping reads what an event carries (its object, reason, lane, field path and cause),
// never its message: the same manifest traced as Kubernetes 1.32 and 1.35, whose texts
// differ, maps the same events to the same ranges; events whose messages are rewritten map
// the same; an editor asking chunk by chunk while the trace runs gets what it would get at
// the end; and events without a cause (a real cluster's) map by reason and field path.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseManifestText } from '../../src/core/manifest/base/parse';
import { SimCluster } from '../../src/core/sim/cluster';
import type { KubeObject } from '../../src/core/sim/store/objects';
import type { EventCause } from '../../src/core/trace/model/eventCause';
import { manifestObjects } from '../../src/core/trace/simulatedTrace';
import {
  TraceSourceMapper,
  type LineageEntry,
  type OwnerLineage,
  type TraceSource,
} from '../../src/core/trace/sourceMapping';
import type { TraceEvent } from '../../src/core/trace/model/traceEvent';
import { traceManifest } from './sourceCase';

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 80}]
          readinessProbe: {httpGet: {path: /, port: 8080}}
---
apiVersion: v1
kind: Pod
metadata: {name: big}
spec:
  containers:
    - name: app
      image: busybox:1.36
      resources: {requests: {cpu: "6"}}
---
apiVersion: v1
kind: Pod
metadata: {name: mounted}
spec:
  containers: [{name: app, image: busybox:1.36}]
  volumes:
    - name: settings
      configMap: {name: app-settings}
`;

test('the same manifest as Kubernetes 1.32 and 1.35: different messages, the same events at the same ranges', () => {
  const older = traceManifest(manifest, { until: 30, version: '1.32' });
  const newer = traceManifest(manifest, { until: 30, version: '1.35' });
  const shape = (t: typeof older) =>
    t.events.map((e) => `${e.time} ${e.lane} ${e.object.kind}/${e.object.name} ${e.reason}`);
  assert.deepEqual(shape(older), shape(newer), 'both versions run the same events');
  const differing = older.events.filter((e, i) => e.message !== newer.events[i].message);
  // Created and Started lost the container's name in 1.35; preemption's
  // verdict on a request above the whole node changed in 1.34.
  assert.deepEqual([...new Set(differing.map((e) => e.reason))].sort(), ['Created', 'FailedScheduling', 'Started']);
  for (let i = 0; i < older.events.length; i++) {
    const a = older.events[i].source;
    const b = newer.events[i].source;
    assert.deepEqual(
      a && { ...a, file: undefined },
      b && { ...b, file: undefined },
      `${older.events[i].reason}: ${older.events[i].message} / ${newer.events[i].message}`,
    );
  }
  assert.ok(
    differing.every((e) => e.source),
    'every event whose text differs maps somewhere',
  );
});

/**
 * The manifest run in a simulated cluster as podtrace trace runs it, with
 * a mapper asked as the run goes (`ask` after each chunk of engine steps).
 */
function simulate(
  text: string,
  untilMs: number,
  ask?: (mapper: TraceSourceMapper, fresh: readonly TraceEvent[]) => void,
): {
  events: readonly TraceEvent[];
  cluster: SimCluster;
  files: { name: string; file: ReturnType<typeof parseManifestText> }[];
} {
  const files = [{ name: 'manifest.yaml', file: parseManifestText(text) }];
  const cluster = new SimCluster({ seed: 1, version: '1.35', nodeCount: 3, storeEvents: true });
  const mapper = new TraceSourceMapper(files, cluster.ctx.store.lineage);
  cluster.apply(manifestObjects(files) as KubeObject[]);
  let asked = 0;
  for (;;) {
    const result = cluster.engine.runFast({ untilMs, maxEvents: 5, stopAtQuiescence: false });
    const events = cluster.ctx.trace.events;
    ask?.(mapper, events.slice(asked));
    asked = events.length;
    if (result.reason !== 'event-limit') break;
  }
  return { events: cluster.ctx.trace.events, cluster, files };
}

test('asked chunk by chunk while the trace runs, the mapper answers as it does after the run', () => {
  const streamed: (TraceSource | undefined)[] = [];
  let chunks = 0;
  const { events, cluster, files } = simulate(manifest, 30_000, (mapper, fresh) => {
    chunks++;
    for (const e of fresh) streamed.push(mapper.sourceOf(e));
  });
  assert.ok(chunks > 20, `the run came in many chunks (${chunks})`);
  const late = new TraceSourceMapper(files, cluster.ctx.store.lineage);
  const after = events.map((e) => late.sourceOf(e));
  assert.equal(streamed.length, events.length);
  assert.deepEqual(streamed, after);
  assert.ok(after.filter(Boolean).length > events.length / 2, 'most events map somewhere');
});

test('events whose messages are rewritten map to the same ranges as the events themselves', () => {
  const { events, cluster, files } = simulate(manifest, 30_000);
  const original = new TraceSourceMapper(files, cluster.ctx.store.lineage);
  const rewritten = new TraceSourceMapper(files, cluster.ctx.store.lineage);
  for (const e of events) {
    // A copy with every field but the message: the field path and the cause are kept beside the events.
    const copy: TraceEvent = { ...e, fieldPath: e.fieldPath, cause: e.cause, message: `rewritten ${e.id}` };
    assert.deepEqual(rewritten.sourceOf(copy), original.sourceOf(e), `${e.reason}: ${e.message}`);
  }
  assert.ok(
    events.some((e) => e.reason === 'FailedScheduling') &&
      events.some((e) => e.reason === 'Unhealthy') &&
      events.some((e) => e.reason === 'FailedMount'),
  );
});

/**
 * A pod of a Deployment as a real cluster's watch shows it: uids and controller owners, nothing the simulator recorded.
 */
const lineage: OwnerLineage = new Map([
  ['pod-uid', { kind: 'Pod', namespace: 'default', name: 'web-5d8f7c9b4-x2x9k', owner: 'rs-uid' }],
  ['rs-uid', { kind: 'ReplicaSet', namespace: 'default', name: 'web-5d8f7c9b4', owner: 'deployment-uid' }],
  ['deployment-uid', { kind: 'Deployment', namespace: 'default', name: 'web', owner: undefined }],
]);

function podEvent(reason: string, fieldPath: string | undefined, cause?: EventCause): TraceEvent {
  const object = { kind: 'Pod', namespace: 'default', name: 'web-5d8f7c9b4-x2x9k', uid: 'pod-uid' };
  return {
    id: 0,
    time: 0,
    lane: 'kubelet',
    node: 'node-1',
    object,
    fieldPath,
    reason,
    message: 'whatever the cluster said',
    severity: 'Warning',
    causes: [],
    cause,
  };
}

const deployment = parseManifestText(manifest);

test("without a cause (a real cluster's events), a reason and a field path \
map to what they say: the image, else the container, else the template", () => {
  const mapper = new TraceSourceMapper([{ name: 'web.yaml', file: deployment }], lineage);
  const path = (e: TraceEvent) => mapper.sourceOf(e)?.path;
  assert.equal(path(podEvent('Pulling', 'spec.containers{web}')), 'spec.template.spec.containers[0].image');
  assert.equal(path(podEvent('ErrImagePull', 'spec.containers{web}')), 'spec.template.spec.containers[0].image');
  // Unhealthy names its probe only in the message: without a cause, the container.
  assert.equal(path(podEvent('Unhealthy', 'spec.containers{web}')), 'spec.template.spec.containers[0].name');
  // BackOff and Failed are about the image or about something else: only a cause tells.
  assert.equal(path(podEvent('BackOff', 'spec.containers{web}')), 'spec.template.spec.containers[0].name');
  assert.equal(path(podEvent('Failed', 'spec.containers{web}')), 'spec.template.spec.containers[0].name');
  assert.equal(path(podEvent('FailedScheduling', undefined)), 'spec.template');
  // A container the manifest does not have (injected by a webhook): the template.
  assert.equal(path(podEvent('Pulling', 'spec.containers{istio-proxy}')), 'spec.template');
});

test('with a cause, the cause decides, whatever the reason', () => {
  const mapper = new TraceSourceMapper([{ name: 'web.yaml', file: deployment }], lineage);
  const path = (e: TraceEvent) => mapper.sourceOf(e)?.path;
  assert.equal(
    path(podEvent('Unhealthy', 'spec.containers{web}', { kind: 'probe', probe: 'readinessProbe' })),
    'spec.template.spec.containers[0].readinessProbe',
  );
  assert.equal(
    path(podEvent('BackOff', 'spec.containers{web}', { kind: 'image' })),
    'spec.template.spec.containers[0].image',
  );
  assert.equal(
    path(podEvent('Failed', 'spec.containers{web}', { kind: 'image' })),
    'spec.template.spec.containers[0].image',
  );
  // The same reason and field path with another cause gives another range: answers are kept by cause.
  assert.equal(path(podEvent('Failed', 'spec.containers{web}')), 'spec.template.spec.containers[0].name');
  // A cause pointing at what the manifest does not set (no livenessProbe) falls back to the container.
  assert.equal(
    path(podEvent('Killing', 'spec.containers{web}', { kind: 'probe', probe: 'livenessProbe' })),
    'spec.template.spec.containers[0].name',
  );
  assert.equal(
    path(
      podEvent('FailedScheduling', undefined, {
        kind: 'scheduling',
        rejections: [{ plugin: 'TaintToleration' }, { plugin: 'NodeResourcesFit', resources: ['cpu'] }],
      }),
    ),
    'spec.template',
  );
});

test('an event asked before its owners are known is asked again later, not remembered as coming from nowhere', () => {
  const known = new Map<string, LineageEntry>();
  const mapper = new TraceSourceMapper([{ name: 'web.yaml', file: deployment }], known);
  const event = podEvent('Pulling', 'spec.containers{web}');
  assert.equal(mapper.sourceOf(event), undefined, 'nothing is known of the pod yet');
  known.set('pod-uid', lineage.get('pod-uid')!);
  assert.equal(mapper.sourceOf(event), undefined, 'its ReplicaSet is not known yet');
  known.set('rs-uid', lineage.get('rs-uid')!);
  known.set('deployment-uid', lineage.get('deployment-uid')!);
  assert.equal(mapper.sourceOf(event)?.path, 'spec.template.spec.containers[0].image');
});
