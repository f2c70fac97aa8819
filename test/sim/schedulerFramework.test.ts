// The scheduling framework on its own: a profile table with test plugins, run by one
// scheduling cycle over a cache of four nodes, without a cluster around it.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../src/core/base/random';
import { StateKey } from '../../src/core/sim/scheduler/cycleState';
import type { ClusterEvent, FilterFailure, Plugin } from '../../src/core/sim/scheduler/framework';
import { Framework, type ProfileRow } from '../../src/core/sim/scheduler/frameworkRuntime';
import { SchedulerCache } from '../../src/core/sim/scheduler/schedulerCache';
import { ScheduleOne, type CycleFailure, type CycleHost } from '../../src/core/sim/scheduler/scheduleOne';
import { SchedulingQueue, type QueuedPod } from '../../src/core/sim/scheduler/schedulingQueue';
import type { SimEngine } from '../../src/core/sim/engine/engine';
import type { Node, Pod } from '../../src/core/sim/store/kinds';

const node = (name: string, zone: string): Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, zone } },
  status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' } },
});

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', uid: 'u1' },
  spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] },
};

function cacheOf(zones: Record<string, string>): SchedulerCache {
  const cache = new SchedulerCache({ labels: () => undefined, names: () => [] });
  for (const [name, zone] of Object.entries(zones)) cache.setNode('ADDED', node(name, zone), undefined);
  return cache;
}

/** Runs one cycle of `rows` for `pod`, and says what the host was told. */
function runCycle(rows: readonly ProfileRow<null>[], cache: SchedulerCache) {
  let bound: string | undefined;
  let failed: CycleFailure | undefined;
  const host: CycleHost = {
    cache,
    random: new SeededRandom(1),
    bind: (_pod, _entry, info) => (bound = info.node.metadata.name),
    fail: (_entry, failure) => (failed = failure),
  };
  const framework = new Framework(rows, null);
  const entry: QueuedPod = { key: 'default/p', priority: 0, attempts: 0, arrival: 0 };
  new ScheduleOne(framework, host).run(entry, pod);
  return { bound, failed };
}

/** A plugin at every extension point that writes each call to `calls`: it rejects zone b and scores by `scores`. */
function recorder(calls: string[], scores: Record<string, number>): Plugin {
  const seen = new StateKey<string>('TestRecorder/preFilter');
  const rejected: FilterFailure = {
    plugin: 'NodeAffinity',
    field: 'nodeSelector',
    reasons: ['node(s) are in zone b'],
    unresolvable: true,
  };
  return {
    name: 'TestRecorder',
    events: [],
    preFilter: (state) => {
      calls.push('PreFilter');
      state.write(seen, 'written at PreFilter');
      return { kind: 'success' };
    },
    filter: (state, _pod, info) => {
      calls.push(`Filter ${info.node.metadata.name} (${state.read(seen)})`);
      return info.node.metadata.labels?.zone === 'b' ? rejected : undefined;
    },
    postFilter: () => {
      calls.push('PostFilter');
      return { message: 'preemption: test.' };
    },
    preScore: (_state, _pod, feasible) => {
      calls.push(`PreScore ${feasible.count}`);
      return true;
    },
    score: (_state, _pod, info) => {
      calls.push(`Score ${info.node.metadata.name}`);
      return scores[info.node.metadata.name] ?? 0;
    },
    normalizeScore: (_state, _pod, feasible, out) => {
      calls.push('NormalizeScore');
      for (let i = 0; i < feasible.count; i++) out[i] *= 10;
    },
    reserve: (_state, _pod, info) => calls.push(`Reserve ${info.node.metadata.name}`),
    unreserve: (_state, _pod, info) => calls.push(`Unreserve ${info.node.metadata.name}`),
    preBind: (_state, _pod, info, done) => {
      calls.push(`PreBind ${info.node.metadata.name}`);
      done(undefined);
    },
  };
}

const every = [
  'PreFilter',
  'Filter',
  'PostFilter',
  'PreScore',
  'Score',
  'NormalizeScore',
  'Reserve',
  'PreBind',
] as const;

test('a cycle runs the extension points in upstream order, and the profile weights the normalized scores', () => {
  const calls: string[] = [];
  // The recorder prefers n4 (raw 5 against 1 and 2, ×10 when normalized, weight 1); a second
  // plugin with weight 3 prefers n1 by 20 points, which outweighs it: 10 + 60 = 70 for n1
  // against 50 for n4.
  const second: Plugin = {
    name: 'TestWeighted',
    events: [],
    score: (_state, _pod, info) => (info.node.metadata.name === 'n1' ? 20 : 0),
  };
  const rows: ProfileRow<null>[] = [
    { name: 'TestRecorder', points: every, weight: 1, make: () => recorder(calls, { n1: 1, n2: 2, n4: 5 }) },
    { name: 'TestWeighted', points: ['Score'], weight: 3, make: () => second },
  ];
  const cache = cacheOf({ n1: 'a', n2: 'a', n3: 'b', n4: 'a' });
  const { bound, failed } = runCycle(rows, cache);
  assert.equal(failed, undefined);
  assert.equal(bound, 'n1');
  assert.deepEqual(calls, [
    'PreFilter',
    'Filter n1 (written at PreFilter)',
    'Filter n2 (written at PreFilter)',
    'Filter n3 (written at PreFilter)',
    'Filter n4 (written at PreFilter)',
    'PreScore 3',
    'Score n1',
    'Score n2',
    'Score n4',
    'NormalizeScore',
    'Reserve n1',
    'PreBind n1',
  ]);
  assert.ok(cache.placed.has('default/p'), 'the pod is assumed on its node before the binding');
});

test('with weight 1 on the second plugin the recorder’s own choice wins', () => {
  const calls: string[] = [];
  const second: Plugin = {
    name: 'TestWeighted',
    events: [],
    score: (_s, _p, i) => (i.node.metadata.name === 'n1' ? 20 : 0),
  };
  const rows: ProfileRow<null>[] = [
    { name: 'TestRecorder', points: every, weight: 1, make: () => recorder(calls, { n1: 1, n2: 2, n4: 5 }) },
    { name: 'TestWeighted', points: ['Score'], weight: 1, make: () => second },
  ];
  assert.equal(runCycle(rows, cacheOf({ n1: 'a', n2: 'a', n3: 'b', n4: 'a' })).bound, 'n4');
});

test('no node fits: PostFilter runs, its message ends FailedScheduling, and the rejecting plugin is remembered', () => {
  const calls: string[] = [];
  const rows: ProfileRow<null>[] = [
    { name: 'TestRecorder', points: every, weight: 1, make: () => recorder(calls, {}) },
  ];
  const { bound, failed } = runCycle(rows, cacheOf({ n1: 'b', n2: 'b' }));
  assert.equal(bound, undefined);
  assert.deepEqual(calls, [
    'PreFilter',
    'Filter n1 (written at PreFilter)',
    'Filter n2 (written at PreFilter)',
    'PostFilter',
  ]);
  assert.equal(failed?.message, '0/2 nodes are available: 2 node(s) are in zone b. preemption: test..');
  assert.deepEqual([...(failed?.rejectedBy ?? [])], ['TestRecorder']);
  assert.equal(failed?.conditionReason, 'Unschedulable');
});

test('PreFilter Skip keeps a Filter from running; a PreFilterResult narrows the nodes, the rest fail', () => {
  const filtered: string[] = [];
  const skipping: Plugin = {
    name: 'TestSkip',
    events: [],
    preFilter: () => ({ kind: 'skip' }),
    filter: () => assert.fail('a skipped Filter ran'),
  };
  const narrowing: Plugin = {
    name: 'TestNarrow',
    events: [],
    preFilter: () => ({
      kind: 'success',
      nodeNames: new Set(['n2']),
      rejection: { plugin: 'NodeAffinity', field: 'nodeAffinity' },
    }),
    filter: (_state, _pod, info) => {
      filtered.push(info.node.metadata.name);
      return { plugin: 'NodeAffinity', field: 'nodeAffinity', reasons: ['node(s) are busy'], unresolvable: false };
    },
  };
  const rows: ProfileRow<null>[] = [
    { name: 'TestSkip', points: ['PreFilter', 'Filter'], make: () => skipping },
    { name: 'TestNarrow', points: ['PreFilter', 'Filter'], make: () => narrowing },
  ];
  const { failed } = runCycle(rows, cacheOf({ n1: 'a', n2: 'a', n3: 'a' }));
  assert.deepEqual(filtered, ['n2']);
  assert.equal(
    failed?.message,
    "0/3 nodes are available: 1 node(s) are busy, 2 node(s) didn't satisfy plugin(s) [TestNarrow].",
  );
  assert.deepEqual([...(failed?.rejectedBy ?? [])].sort(), ['TestNarrow']);
});

test('a PreFilter rejection ends the cycle before any Filter, with the plugin’s message', () => {
  const rejecting: Plugin = {
    name: 'TestReject',
    events: [],
    preFilter: () => ({
      kind: 'rejected',
      message: 'claim "x" not found',
      rejection: { plugin: 'VolumeBinding', volume: 'x' },
    }),
    filter: () => assert.fail('Filter ran after a PreFilter rejection'),
  };
  const { failed } = runCycle(
    [{ name: 'TestReject', points: ['PreFilter', 'Filter'], make: () => rejecting }],
    cacheOf({ n1: 'a' }),
  );
  assert.equal(
    failed?.message,
    '0/1 nodes are available: claim "x" not found. ' +
      'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..',
  );
  assert.deepEqual(failed?.cause, { kind: 'scheduling', rejections: [{ plugin: 'VolumeBinding', volume: 'x' }] });
});

test('a PreBind error unreserves and forgets the assumed pod, and fails the pod with a SchedulerError', () => {
  const calls: string[] = [];
  const plugin = recorder(calls, {});
  const failing: Plugin = {
    ...plugin,
    preBind: (_state, _pod, _info, done) =>
      done({ message: 'binding volumes: timed out', rejection: { plugin: 'VolumeBinding', volume: 'data' } }),
  };
  const cache = cacheOf({ n1: 'a' });
  const { failed } = runCycle([{ name: 'TestRecorder', points: every, weight: 1, make: () => failing }], cache);
  assert.deepEqual(calls.slice(-2), ['Reserve n1', 'Unreserve n1']);
  assert.equal(failed?.message, 'running PreBind plugin "TestRecorder": binding volumes: timed out');
  assert.equal(failed?.conditionReason, 'SchedulerError');
  assert.equal(cache.placed.size, 0);
  assert.equal(cache.nodes.get('n1')?.pods, 0);
});

test('the profile table is checked: an extension point a plugin lacks, and a weight without Score, are errors', () => {
  const bare: Plugin = { name: 'TestBare', events: [] };
  assert.throws(
    () => new Framework([{ name: 'TestBare', points: ['Filter'], make: () => bare }], null),
    /TestBare is enabled at Filter but does not implement it/,
  );
  assert.throws(
    () => new Framework([{ name: 'TestBare', points: [], weight: 2, make: () => bare }], null),
    /TestBare needs a weight exactly when enabled at Score/,
  );
});

test('an event moves only the waiting pods a plugin registered for it rejected; a hint can hold one back', () => {
  const moved: string[] = [];
  // An engine whose timers never fire: the pods wait until the event, long after their backoff.
  let now = 0;
  const engine = { now: () => now, after: () => 0, cancel: () => undefined } as unknown as SimEngine;
  const hinted: Plugin = {
    name: 'TestHinted',
    events: [
      {
        event: { resource: 'Node', actions: ['Add'] },
        hint: (key) => (key === 'default/held' ? 'QueueSkip' : 'Queue'),
      },
    ],
  };
  const other: Plugin = { name: 'TestOther', events: [{ event: { resource: 'AssignedPod', actions: ['Delete'] } }] };
  const framework = new Framework(
    [
      { name: 'TestHinted', points: [], make: () => hinted },
      { name: 'TestOther', points: [], make: () => other },
    ],
    null,
  );
  const queue = new SchedulingQueue(engine, () => undefined);
  const wait = (key: string, rejectedBy: string[]) => {
    queue.add(key, 0);
    const entry = queue.pop()!;
    entry.rejectedBy = new Set(rejectedBy as never[]);
    queue.markUnschedulable(entry);
  };
  wait('default/held', ['TestHinted']);
  wait('default/free', ['TestHinted']);
  wait('default/elsewhere', ['TestOther']);
  now = 60_000;
  const event: ClusterEvent = { resource: 'Node', action: 'Add' };
  assert.deepEqual([...framework.interestIn(event).keys()], ['TestHinted']);
  queue.moveAll(framework.interestIn(event), event);
  for (let entry = queue.pop(); entry; entry = queue.pop()) moved.push(entry.key);
  assert.deepEqual(moved, ['default/free']);
});

/** Runs one cycle per pod of `pods` on one framework of `rows`, and names the node each was bound to. */
function runCycles(rows: readonly ProfileRow<null>[], cache: SchedulerCache, pods: readonly Pod[]): string[] {
  const bound: string[] = [];
  const host: CycleHost = {
    cache,
    random: new SeededRandom(1),
    bind: (_pod, _entry, info) => bound.push(info.node.metadata.name),
    fail: (_entry, failure) => assert.fail(`a cycle failed: ${failure.message}`),
  };
  const cycle = new ScheduleOne(new Framework(rows, null), host);
  for (const p of pods) {
    const key = `default/${p.metadata.name}`;
    cycle.run({ key, priority: 0, attempts: 0, arrival: 0 }, p);
  }
  return bound;
}

const named = (name: string): Pod => ({ ...pod, metadata: { ...pod.metadata, name, uid: name } });

/** A Filter that passes every node and a Score that depends on the node alone (fewest pods best), recorded. */
function localScorer(calls: string[], preScore: boolean): Plugin {
  return {
    name: 'TestLocal',
    events: [],
    filter: (_state, _pod, info) => {
      calls.push(`Filter ${info.node.metadata.name}`);
      return undefined;
    },
    ...(preScore
      ? {
          preScore: (_state, _pod, feasible) => {
            calls.push(`PreScore ${feasible.count}`);
            return true;
          },
        }
      : {}),
    scoreShape: () => 'one shape',
    score: (_state, _pod, info) => {
      calls.push(`Score ${info.node.metadata.name}`);
      return 10 - info.pods;
    },
  };
}

test('a node-local score comes as Filter passes the node, and is kept until the node changes', () => {
  const calls: string[] = [];
  const rows: ProfileRow<null>[] = [
    { name: 'TestLocal', points: ['Filter', 'Score'], weight: 1, make: () => localScorer(calls, false) },
  ];
  const cache = cacheOf({ n1: 'a', n2: 'a', n3: 'a' });
  const bound = runCycles(rows, cache, [named('p1'), named('p2')]);
  // The first pod takes one of three equal nodes; the second, started where the first cycle
  // stopped, finds the same nodes with only the one that took a pod scored again.
  assert.equal(bound.length, 2);
  assert.notEqual(bound[0], bound[1], 'the second pod avoids the node the first one took');
  assert.deepEqual(calls.slice(0, 6), ['Filter n1', 'Score n1', 'Filter n2', 'Score n2', 'Filter n3', 'Score n3']);
  assert.deepEqual(
    calls.slice(6).filter((c) => c.startsWith('Score')),
    [`Score ${bound[0]}`],
  );
});

test('a node-local score whose plugin runs PreScore waits for Filter to end', () => {
  const calls: string[] = [];
  const rows: ProfileRow<null>[] = [
    {
      name: 'TestLocal',
      points: ['Filter', 'PreScore', 'Score'],
      weight: 1,
      make: () => localScorer(calls, true),
    },
  ];
  runCycles(rows, cacheOf({ n1: 'a', n2: 'a' }), [named('p1')]);
  assert.deepEqual(calls, ['Filter n1', 'Filter n2', 'PreScore 2', 'Score n1', 'Score n2']);
});

test('a Filter that judges plain nodes by slot sends the ones it turns down, and tainted ones, to Filter', () => {
  const filtered: string[] = [];
  const quick: Plugin = {
    name: 'TestQuick',
    events: [],
    passesOnPlainNodes: false,
    fitsPlainSlot: (_state, _pod, slot) => slot !== 1,
    filter: (_state, _pod, info) => {
      filtered.push(info.node.metadata.name);
      return info.node.metadata.name === 'n2'
        ? { plugin: 'NodeAffinity', field: 'nodeSelector', reasons: ['node(s) are full'], unresolvable: false }
        : undefined;
    },
  };
  const cache = cacheOf({ n1: 'a', n2: 'a', n3: 'a' });
  cache.setNode(
    'ADDED',
    { ...node('n4', 'a'), spec: { taints: [{ key: 'k', value: 'v', effect: 'PreferNoSchedule' }] } },
    undefined,
  );
  const rows: ProfileRow<null>[] = [{ name: 'TestQuick', points: ['Filter'], make: () => quick }];
  const { bound } = runCycle(rows, cache);
  assert.ok(bound !== undefined && bound !== 'n2', `bound to ${bound}`);
  assert.deepEqual(filtered, ['n2', 'n4']);
  // With a second Filter that plain nodes need, every node goes through Filter.
  filtered.length = 0;
  const other: Plugin = { name: 'TestOther', events: [], filter: () => undefined };
  runCycle([...rows, { name: 'TestOther', points: ['Filter'], make: () => other }], cacheOf({ n1: 'a', n2: 'a' }));
  assert.deepEqual(filtered, ['n1', 'n2']);
});
