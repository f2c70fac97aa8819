import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { SimCluster } from '../../src/core/sim/cluster';
import { goDuration } from '../../src/core/sim/helpers/goDuration';
import { Backoff } from '../../src/core/sim/kubelet/imageManager';
import { parseAllObjects } from '../../src/core/sim/scenario/scenario';
import type { KubeObject } from '../../src/core/sim/store/objects';
import { crasherPod } from './crasher';
import { traceCase } from './traceCase';

test('Go duration strings as the kubelet prints them', () => {
  assert.deepEqual([890, 1210, 27880, 10_000, 80_000, 160_000, 300_000].map(goDuration), [
    '890ms',
    '1.21s',
    '27.88s',
    '10s',
    '1m20s',
    '2m40s',
    '5m0s',
  ]);
});

test('flowcontrol back-off: 10 s doubling to 300 s, forgotten after twice the maximum', () => {
  const b = new Backoff(10_000, 300_000);
  const periods: number[] = [];
  let t = 0;
  for (let i = 0; i < 7; i++) {
    periods.push(b.next('k', t));
    t += 1000;
  }
  assert.deepEqual(periods, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
  assert.equal(b.isInBackOffSince('k', t, t + 299_000), true);
  assert.equal(b.next('k', t + 700_000), 10_000);
});

function crashTimes(seed: number): number[] {
  const cluster = new SimCluster({ seed, version: '1.35', nodeCount: 1 });
  cluster.apply(parseAllObjects(crasherPod) as KubeObject[]);
  cluster.run({ untilMs: 400_000 });
  return cluster.ctx.trace.events.filter((e) => e.reason === 'Started').map((e) => e.time);
}

test('CrashLoopBackOff: the first restart is immediate, then \
10 s, 20 s, 40 s, 80 s, 160 s between exit and restart', () => {
  const starts = crashTimes(5);
  assert.ok(starts.length >= 6, `expected at least 6 starts, got ${starts.length}`);
  // Each run lasts 1 s; the gap after it is the back-off plus the PLEG relist and the sync's jitter.
  const waits = starts.slice(1).map((s, i) => s - starts[i] - 1000);
  assert.ok(waits[0] < 2000, `first restart should be immediate, waited ${waits[0]} ms`);
  for (const [i, expected] of [10_000, 20_000, 40_000, 80_000].entries()) {
    assert.ok(
      waits[i + 1] >= expected && waits[i + 1] < expected + 16_000,
      `restart ${i + 2}: waited ${waits[i + 1]} ms, expected about ${expected} ms`,
    );
  }
});

test('readiness probes keep their period through a quiet stretch: a failure \
injected later is found at the next tick, and readiness comes back', () => {
  const trace = JSON.parse(traceCase(path.join(__dirname, '../../../test/fixtures/trace/probe-failure-recovery')));
  const events = trace.events as { time: number; reason: string; message: string }[];
  const firstSuccess = events.find((e) => e.reason === 'ProbeSucceeded')!.time;
  const failures = events
    .filter((e) => e.reason === 'Unhealthy' && e.message.includes('statuscode: 500'))
    .map((e) => e.time);
  // periodSeconds 5 from the worker's start; the scenario makes the probe fail from 30 s for 20 s.
  assert.deepEqual(failures.length, 4, `failures at ${failures}`);
  assert.ok(failures[0] >= 30_000 && failures[0] < 35_100, `first failure at ${failures[0]}`);
  for (const t of failures) {
    const phase = (t - firstSuccess) % 5000;
    assert.ok(phase < 100 || phase > 4900, `failure at ${t} is off the 5 s period that started at ${firstSuccess}`);
  }
  const threshold = events.find((e) => e.reason === 'ProbeFailedThreshold')!;
  assert.equal(threshold.time, failures[2], 'not ready after failureThreshold (3) failures');
  const back = events.filter((e) => e.reason === 'ProbeSucceeded').map((e) => e.time);
  assert.equal(back.length, 2);
  assert.ok(back[1] >= 50_000 && back[1] < 55_100, `ready again at ${back[1]}`);
  const slices = events.filter((e) => e.reason === 'EndpointSliceUpdated').map((e) => `${e.message.split(': ')[1]}`);
  assert.deepEqual(slices.slice(-2), ['1 endpoint(s), 0 ready', '1 endpoint(s), 1 ready']);
});
