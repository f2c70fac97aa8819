// A real cluster's trace, from watches: fed by a simulated cluster's store through the same
// list and watch calls a kubeconfig target makes, the watch mapping gives the lanes, reasons
// and pod phases the simulator itself records for what a real cluster lets one observe (its
// Events, object writes, pod status, EndpointSlices). A dropped watch resumes from its last
// resourceVersion and a 410 relists, and either way nothing is lost or handed on twice.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TargetTraceStep } from '../../src/core/cluster/clusterTarget';
import type { WatchTimers } from '../../src/core/cluster/resumableWatch';
import { objectKey, SimTraceFollower } from '../../src/core/cluster/simTraceFollower';
import { startWatchTrace } from '../../src/core/cluster/watchTraceStream';
import { SimCluster } from '../../src/core/sim/cluster';
import { epochMs } from '../../src/core/sim/store/naming';
import type { TraceEvent } from '../../src/core/trace/model/traceEvent';
import type { PodSummary } from '../../src/core/trace/podSummary';
import { appObjects } from './appManifest';
import { SimWatchClient } from './simWatchClient';

/** Timers on the simulator's clock, as background work (they never keep a run from settling). */
function engineTimers(cluster: SimCluster): WatchTimers {
  return {
    now: () => epochMs + cluster.engine.now(),
    setTimer: (delayMs, run) => {
      const handle = cluster.engine.after(delayMs, run, true);
      return () => cluster.engine.cancel(handle);
    },
  };
}

interface Run {
  readonly native: TraceEvent[];
  readonly watched: TraceEvent[];
  readonly nativePods: Map<string, PodSummary>;
  readonly watchedPods: Map<string, PodSummary>;
  readonly client: SimWatchClient;
  readonly lists: number;
  readonly resumes: number;
}

/**
 * Applies the app to a fresh cluster, follows it natively and through watches, and runs to
 * quiescence; `disturb` runs once, `disturbAtMs` into the run.
 */
/** Runs the engine to `untilMs` in slices, letting the watches' promise callbacks run between them. */
async function runTo(cluster: SimCluster, untilMs: number, settle: boolean): Promise<void> {
  for (;;) {
    const end = Math.min(untilMs, cluster.engine.now() + 50);
    const r = cluster.engine.runFast({ untilMs: end, stopAtQuiescence: settle });
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (r.reason === 'quiescent' || end >= untilMs) return;
  }
}

async function run(disturb?: (client: SimWatchClient) => void, disturbAtMs = 4_000): Promise<Run> {
  const cluster = new SimCluster({ seed: 7, version: '1.35', nodeCount: 3, storeEvents: true });
  cluster.observer.trackChanges();
  const objects = appObjects();
  const keys = new Set(objects.map((o) => objectKey(o.kind, 'default', o.metadata.name)));
  const follower = new SimTraceFollower(cluster, keys);
  const client = new SimWatchClient(cluster);
  const steps: TargetTraceStep[] = [];
  const stream = startWatchTrace(
    { client, objects, defaultNamespace: 'default', timers: engineTimers(cluster) },
    { onStep: (s) => steps.push(s), onEnd: (e) => assert.fail(`the stream ended: ${JSON.stringify(e)}`) },
  );
  const nativeSteps: TargetTraceStep[] = [];
  // The watches list first (a promise), then the apply starts.
  await runTo(cluster, 1, false);
  cluster.apply(objects);
  if (disturb) {
    await runTo(cluster, disturbAtMs, false);
    nativeSteps.push(follower.collect(cluster.observer.takeChanged()));
    disturb(client);
  }
  await runTo(cluster, 120_000, true);
  // A second of background work: the stream's last tick, and watch deliveries still due.
  await runTo(cluster, cluster.engine.now() + 1_000, false);
  nativeSteps.push(follower.collect(cluster.observer.takeChanged()));
  stream.stop();
  const pods = (list: TargetTraceStep[]) => {
    const m = new Map<string, PodSummary>();
    for (const s of list) for (const p of s.pods) m.set(p.uid, p);
    return m;
  };
  return {
    native: nativeSteps.flatMap((s) => s.events),
    watched: steps.flatMap((s) => s.events),
    nativePods: pods(nativeSteps),
    watchedPods: pods(steps),
    client,
    lists: stream.watches.reduce((n, w) => n + w.lists, 0),
    resumes: stream.watches.reduce((n, w) => n + w.resumes, 0),
  };
}

/** What a real cluster lets one see: its Events' reasons, and the writes, status patches and slices podtrace reads. */
const inferred = new Set(['etcd Stored', 'etcd Deleted', 'kubelet StatusPatched', 'endpoints EndpointSliceUpdated']);

function observableKinds(events: readonly TraceEvent[], eventReasons: ReadonlySet<string>): string[] {
  return [
    ...new Set(
      events
        .filter((e) => inferred.has(`${e.lane} ${e.reason}`) || eventReasons.has(e.reason))
        .map((e) => `${e.lane} ${e.reason} ${e.object.kind}`),
    ),
  ].sort();
}

function identities(events: readonly TraceEvent[]): string[] {
  return events.map((e) => `${e.lane} ${e.reason} ${e.object.kind} ${e.object.name} ${e.message}`);
}

test('the watches give the lanes, reasons and pod phases the simulator records', async () => {
  const r = await run();
  const eventReasons = new Set(r.watched.filter((e) => e.observed !== false).map((e) => e.reason));
  for (const reason of [
    'ScalingReplicaSet',
    'SuccessfulCreate',
    'Scheduled',
    'Pulling',
    'Pulled',
    'Created',
    'Started',
  ])
    assert.ok(eventReasons.has(reason), `expected the Event ${reason} among ${[...eventReasons].join(', ')}`);
  assert.deepEqual(
    [...new Set(r.watched.map((e) => `${e.lane} ${e.reason} ${e.object.kind}`))].sort(),
    observableKinds(r.native, eventReasons),
  );
  assert.deepEqual(
    r.watched.map((e) => e.id),
    r.watched.map((_, i) => i),
  );
  assert.equal(r.watchedPods.size, 2);
  for (const [uid, native] of r.nativePods) {
    const watched = r.watchedPods.get(uid);
    assert.ok(watched, `pod ${native.name} is in the watched trace`);
    for (const [phase, t] of Object.entries(native.phases)) {
      const w: number | null = watched.phases[phase as keyof typeof native.phases];
      assert.equal(w === null, t === null, `${native.name} ${phase}: native ${t}, watched ${w}`);
      // Condition times have whole seconds; a phase is seen when its write arrives.
      if (t !== null && w !== null)
        assert.ok(Math.abs(w - t) <= 1_000, `${native.name} ${phase}: native ${t}, watched ${w}`);
    }
    assert.equal(watched.heldBy?.step, native.heldBy?.step, `${native.name}: held by the same step`);
  }
});

test('a dropped watch resumes from its last resourceVersion, losing and repeating nothing', async () => {
  const plain = await run();
  const dropped = await run((client) => client.dropAll());
  assert.ok(dropped.resumes >= 6, `every watch resumed (${dropped.resumes})`);
  assert.ok(
    dropped.client.requests.some((r) => /^watch \S+pods \d+$/.test(r) && !r.endsWith(' 0')),
    dropped.client.requests.join('\n'),
  );
  const ids = identities(dropped.watched);
  assert.equal(new Set(ids.map((id, i) => `${id} ${dropped.watched[i].time}`)).size, ids.length, 'nothing twice');
  assert.deepEqual([...new Set(ids)].sort(), [...new Set(identities(plain.watched))].sort());
});

test('a watch answered 410 Gone lists again and hands on only what changed', async () => {
  const plain = await run();
  const gone = await run((client) => {
    // The next watch of each collection finds its version compacted away, as the apiserver says it.
    const watch = client.watch.bind(client);
    const answered = new Set<string>();
    client.watch = (path, rv, onEvent, onClose) => {
      if (answered.has(path)) return watch(path, rv, onEvent, onClose);
      answered.add(path);
      const status = { kind: 'Status', code: 410, reason: 'Expired', message: `too old resource version: ${rv} (999)` };
      queueMicrotask(() => onEvent('ERROR', status));
      return { abort: () => undefined };
    };
    client.dropAll();
  });
  assert.ok(gone.lists > plain.lists, `listed again after 410 (${gone.lists} lists, ${plain.lists} without)`);
  const ids = identities(gone.watched);
  assert.equal(new Set(ids.map((id, i) => `${id} ${gone.watched[i].time}`)).size, ids.length, 'nothing twice');
  assert.deepEqual([...new Set(ids)].sort(), [...new Set(identities(plain.watched))].sort());
});
