// The embedded simulator as a ClusterTarget, on a wall clock the test moves: apply creates,
// applies again without a change, configures on a change and refuses what the apiserver
// refuses with its Status and causes; a dry run stores nothing; the trace stream has the
// events of the applied objects and what they own, renumbered from 0, the pods' phases, and
// ends once the cluster settles; delete terminates the pods gracefully.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TargetTraceStep, TraceEnd } from '../../src/core/cluster/clusterTarget';
import { InProcessTarget } from '../../src/core/cluster/inProcessTarget';
import type { KubeObject } from '../../src/core/sim/store/objects';
import type { PodSummary } from '../../src/core/trace/podSummary';
import { manifestObjects, traceInSimulator } from '../../src/core/trace/simulatedTrace';
import { appManifestText, appObjects, scaledObjects } from './appManifest';
import { ManualWall } from './manualWall';
import { textInput } from '../trace/traceInputs';

function newTarget(wall: ManualWall): InProcessTarget {
  return new InProcessTarget({ seed: 1, version: '1.35', nodes: 3, speed: 1, wall });
}

interface Collected {
  readonly steps: TargetTraceStep[];
  readonly pods: Map<string, PodSummary>;
  end: TraceEnd | undefined;
  readonly ended: Promise<TraceEnd>;
}

function collector(): Collected & {
  readonly sink: { onStep: (s: TargetTraceStep) => void; onEnd: (e: TraceEnd) => void };
} {
  let resolve!: (end: TraceEnd) => void;
  const ended = new Promise<TraceEnd>((r) => (resolve = r));
  const c = {
    steps: [] as TargetTraceStep[],
    pods: new Map<string, PodSummary>(),
    end: undefined as TraceEnd | undefined,
    ended,
    sink: {
      onStep: (s: TargetTraceStep) => {
        c.steps.push(s);
        for (const p of s.pods) c.pods.set(p.uid, p);
      },
      onEnd: (e: TraceEnd) => {
        c.end = e;
        resolve(e);
      },
    },
  };
  return c;
}

test('apply, trace to quiescence, apply again, scale, dry run and delete on the embedded simulator', async () => {
  const wall = new ManualWall();
  const target = newTarget(wall);
  assert.deepEqual(target.describe(), {
    name: 'embedded simulator',
    kind: 'simulator',
    context: null,
    server: null,
    namespace: 'default',
  });
  const c = collector();
  const stream = target.trace({ objects: appObjects() }, c.sink);
  const outcomes = await wall.until(target.apply(appObjects()));
  assert.deepEqual(
    outcomes.map((o) => (o.ok ? `${o.operation} ${o.object.kind} ${o.object.metadata.namespace}` : o.status.message)),
    ['created ConfigMap default', 'created Deployment default', 'created Service default'],
  );
  const end = await wall.until(c.ended);
  assert.equal(end.reason, 'quiescent');
  const events = c.steps.flatMap((s) => s.events);
  assert.deepEqual(
    events.map((e) => e.id),
    events.map((_, i) => i),
    'ids from 0, consecutive',
  );
  for (const e of events)
    for (const cause of e.causes) assert.ok(cause < e.id, `event ${e.id}: cause ${cause} comes before it`);
  const reasons = new Set(events.map((e) => `${e.lane} ${e.reason} ${e.object.kind}`));
  for (const expected of [
    'etcd Stored ConfigMap',
    'controller-manager ScalingReplicaSet Deployment',
    'controller-manager SuccessfulCreate ReplicaSet',
    'scheduler Scheduled Pod',
    'cri Started Pod',
    'endpoints EndpointSliceUpdated Service',
  ])
    assert.ok(reasons.has(expected), `expected ${expected} among ${[...reasons].join(', ')}`);
  assert.ok(!events.some((e) => e.object.kind === 'Node'), 'node events are not about the applied objects');
  const pods = [...c.pods.values()];
  assert.equal(pods.length, 2);
  for (const p of pods) {
    assert.ok(p.phases.ready !== null && p.phases.inEndpoints !== null, `${p.name} ready and in endpoints`);
    assert.ok(p.phaseEvents.scheduled === undefined || events[p.phaseEvents.scheduled].object.uid === p.uid);
    // The lineage leads from each pod to the Deployment through its ReplicaSet.
    const rs = stream.lineage.get(stream.lineage.get(p.uid)?.owner ?? '');
    assert.equal(rs?.kind, 'ReplicaSet');
    assert.equal(stream.lineage.get(rs?.owner ?? '')?.name, 'web');
  }
  stream.stop();

  const again = await wall.until(target.apply(appObjects()));
  assert.deepEqual(
    again.map((o) => o.ok && o.operation),
    ['unchanged', 'unchanged', 'unchanged'],
  );
  const scaled = await wall.until(target.apply(scaledObjects(3)));
  assert.deepEqual(
    scaled.map((o) => o.ok && o.operation),
    ['unchanged', 'configured', 'unchanged'],
  );

  // Thirty seconds on: the third pod runs too.
  for (let i = 0; i < 300; i++) wall.advance(100);
  const bad: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'Bad_Name' },
    spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'y' } } } },
  };
  const [refused] = await wall.until(target.dryRun([bad]));
  assert.ok(!refused.ok);
  assert.equal(refused.status.code, 422);
  assert.equal(refused.status.reason, 'Invalid');
  assert.ok(
    refused.status.causes.some((cause) => cause.field === 'metadata.name'),
    refused.status.causes.map((cause) => cause.field).join(', '),
  );
  const [dry] = await wall.until(target.dryRun([{ ...appObjects()[0], metadata: { name: 'only-dry' } }]));
  assert.ok(dry.ok && dry.operation === 'created');
  assert.equal(
    target.cluster.ctx.store.get('configmaps', 'default', 'only-dry'),
    undefined,
    'a dry run stores nothing',
  );

  const [unknown] = await wall.until(
    target.apply([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }]),
  );
  assert.ok(!unknown.ok);
  assert.equal(unknown.status.code, 404);
  assert.match(unknown.status.message, /no matches for kind "Widget" in version "example.com\/v1"/);

  const d = collector();
  target.trace({ objects: appObjects() }, d.sink);
  const deleted = await wall.until(target.delete(appObjects(), { gracePeriodSeconds: 5 }));
  assert.deepEqual(
    deleted.map((o) => o.ok && o.operation),
    ['deleted', 'deleted', 'deleted'],
  );
  await wall.until(d.ended);
  const killing = d.steps.flatMap((s) => s.events).filter((e) => e.reason === 'Killing');
  assert.equal(killing.length, 3, 'each of the three pods is stopped');
  const [gone] = await wall.until(target.delete([appObjects()[0]]));
  assert.ok(!gone.ok && gone.status.code === 404, 'deleting what is gone is a 404');
  await target.close();
  await assert.rejects(target.apply(appObjects()), /after close\(\)/);
});

test('the stream has the lanes and reasons that podtrace trace records for the same objects', async () => {
  const wall = new ManualWall();
  const target = newTarget(wall);
  const c = collector();
  target.trace({ objects: appObjects() }, c.sink);
  await wall.until(target.apply(appObjects()));
  await wall.until(c.ended);
  const streamed = new Set(c.steps.flatMap((s) => s.events).map((e) => `${e.lane} ${e.reason} ${e.object.kind}`));
  const input = textInput('app.yaml', appManifestText);
  const trace = traceInSimulator({ ...input, objects: manifestObjects(input.files) });
  const traced = new Set(
    trace.events.filter((e) => e.object.kind !== 'Node').map((e) => `${e.lane} ${e.reason} ${e.object.kind}`),
  );
  assert.deepEqual([...streamed].sort(), [...traced].sort());
  await target.close();
});
