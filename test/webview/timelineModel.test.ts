// The timeline's model under plain Node: the trace store (columns, causes and their
// reverse, tracks), the levels of detail, filtered views, the rows' order, a pod's phase
// steps and critical path, the viewport and the ruler. The browser tests show the same
// through the canvas; these pin the arithmetic down exactly.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { lanes } from '../../src/core/trace/model/traceEvent';
import { TraceChunkEncoder } from '../../src/protocol/traceChunkEncoder';
import { criticalPath } from '../../src/webview/criticalPath';
import { EventFilter } from '../../src/webview/eventFilter';
import { LevelOfDetailCache } from '../../src/webview/levelOfDetail';
import { phaseSteps } from '../../src/webview/podPhases';
import { RowLayout } from '../../src/webview/rowLayout';
import { formatTick, rulerTicks, tickStep } from '../../src/webview/timeFormat';
import { FilteredTrack, Track } from '../../src/webview/track';
import { TraceStore } from '../../src/webview/traceStore';
import { Viewport } from '../../src/webview/viewport';
import { warningsCase, webCase, type TraceCase } from './traces';

function storeOf(c: TraceCase, chunkSize = 25): TraceStore {
  const store = new TraceStore();
  const encoder = new TraceChunkEncoder((e) => c.trace.sourceOf(e));
  for (let i = 0; i < c.events.length; i += chunkSize) {
    const last = i + chunkSize >= c.events.length;
    const windows = c.trace.windows.map((w, index) => ({ index, ...w }));
    store.append(
      encoder.encode(
        c.events.slice(i, i + chunkSize),
        last ? c.trace.pods : [],
        last ? windows : [],
        c.trace.result.time,
      ),
    );
  }
  return store;
}

/** A seeded stream of numbers in [0, 1) (mulberry32), so that the random cases repeat. */
function random(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('the store keeps every event, its causes, and their reverse (effects)', () => {
  const web = webCase();
  const store = storeOf(web);
  assert.equal(store.count, web.events.length);
  for (const e of web.events) {
    assert.equal(store.time[e.id], e.time);
    assert.equal(store.strings[store.reason[e.id]], e.reason);
    assert.deepEqual(store.causesOf(e.id), [...e.causes]);
    const effects = web.events.filter((x) => x.causes.includes(e.id)).map((x) => x.id);
    assert.deepEqual(store.effectsOf(e.id), effects, `effects of event ${e.id}`);
  }
  // A pod's apiserver events (before it had a uid) and its later ones are one row.
  const pod = web.trace.pods[0];
  const entity = store.entities.byUidOf(pod.uid)!;
  assert.equal(
    entity.track.length,
    web.events.filter((e) => e.object.kind === 'Pod' && e.object.name === pod.name).length,
  );
  for (let l = 0; l < lanes.length; l++)
    assert.equal(store.laneTracks[l].length, web.events.filter((e) => e.lane === lanes[l]).length);
});

test('a track stays sorted by end time when events arrive late, and says so with its version', () => {
  const track = new Track(0);
  const next = random(7);
  const ends: number[] = [];
  for (let id = 0; id < 500; id++) {
    const end = Math.floor(next() * 1000);
    ends.push(end);
    track.add(id, end, -1);
  }
  assert.ok(track.version > 0);
  assert.deepEqual(
    Array.from(track.ends.subarray(0, 500)),
    [...ends].sort((a, b) => a - b),
  );
  assert.deepEqual(
    Array.from(track.ids.subarray(0, 500)).sort((a, b) => a - b),
    ends.map((_, i) => i),
  );
});

test('each level of detail covers every event of its track with at most one bucket per 2^level ms', () => {
  const next = random(11);
  const track = new Track(0);
  const n = 3000;
  const duration = new Float64Array(n);
  const flags = new Uint8Array(n);
  for (let id = 0; id < n; id++) {
    duration[id] = next() < 0.3 ? Math.floor(next() * 400) : -1;
    flags[id] = next() < 0.05 ? 1 : 0;
    track.add(id, Math.floor(id * 7 + next() * 5), duration[id]);
  }
  const cache = new LevelOfDetailCache();
  for (const level of [0, 3, 6, 10]) {
    const l = cache.level(track, level, { duration, flags });
    const width = 2 ** level;
    let total = 0;
    for (let b = 0; b < l.length; b++) {
      if (b > 0) assert.ok(l.keys[b] > l.keys[b - 1], 'expected one bucket per key, in order');
      total += l.count[b];
    }
    assert.equal(total, n, `level ${level} counts every event once`);
    for (let i = 0; i < n; i++) {
      const id = track.ids[i];
      const end = track.ends[i];
      const b = l.keys.subarray(0, l.length).indexOf(Math.floor(end / width));
      assert.ok(b >= 0, `event ${id} has its bucket at level ${level}`);
      const start = duration[id] > 0 ? end - duration[id] : end;
      assert.ok(l.minStart[b] <= start && end <= l.maxEnd[b], `event ${id} lies inside its bucket's rectangle`);
      if (flags[id]) assert.equal(l.warning[b], 1, `the bucket of warning ${id} is flagged`);
    }
  }
  // Extended as the track grows, a level equals one built from scratch.
  const grown = cache.level(track, 4, { duration, flags });
  const before = grown.length;
  track.add(n, track.ends[n - 1] + 100, -1);
  const extended = cache.level(track, 4, {
    duration: Float64Array.from([...duration, -1]),
    flags: Uint8Array.from([...flags, 0]),
  });
  assert.equal(extended.length, before + 1);
  const fresh = new LevelOfDetailCache().level(track, 4, {
    duration: Float64Array.from([...duration, -1]),
    flags: Uint8Array.from([...flags, 0]),
  });
  assert.deepEqual(
    Array.from(extended.keys.subarray(0, extended.length)),
    Array.from(fresh.keys.subarray(0, fresh.length)),
  );
});

test('a filtered view holds exactly the visible entries and follows its track as it grows', () => {
  const track = new Track(0);
  const duration = new Float64Array(100).fill(-1);
  const visible = new Uint8Array(100);
  for (let id = 0; id < 60; id++) {
    track.add(id, id * 10, -1);
    visible[id] = id % 3 === 0 ? 1 : 0;
  }
  const view = new FilteredTrack();
  view.update(track, 1, visible, duration);
  assert.deepEqual(
    Array.from(view.ids.subarray(0, view.length)),
    Array.from({ length: 20 }, (_, i) => i * 3),
  );
  for (let id = 60; id < 100; id++) {
    track.add(id, id * 10, -1);
    visible[id] = 1;
  }
  view.update(track, 1, visible, duration);
  assert.equal(view.length, 60);
  visible.fill(0);
  view.update(track, 2, visible, duration);
  assert.equal(view.length, 0, 'new filters (a new generation) rebuild the view');
});

test('the rows: lanes in the trace model’s order, workloads \
with their ReplicaSets, pods by creation, then Services', () => {
  const web = webCase();
  const store = storeOf(web);
  const filter = new EventFilter();
  filter.set({ hiddenLanes: [], severity: 'all', text: '', object: '' }, store);
  const layout = new RowLayout();
  layout.build(store, filter);
  const rows = layout.rows.map((r) => `${r.kind}:${r.label}`);
  const used = lanes.filter((l) => web.events.some((e) => e.lane === l));
  const rs = web.events.find((e) => e.object.kind === 'ReplicaSet')!.object.name;
  assert.deepEqual(rows, [
    `section:Components (${used.length})`,
    ...used.map((l) => `lane:${l}`),
    'section:Workloads (2)',
    'object:Deployment default/web',
    `object:ReplicaSet default/${rs}`,
    'section:Pods (3)',
    ...web.trace.pods.map((p) => `pod:Pod default/${p.name}`),
    'section:Services and endpoints (3)',
    // By their first event: the Ingress and the Service as applied, then the EndpointSlice its controller made.
    ...['Service', 'Ingress', 'EndpointSlice']
      .map((k) => web.events.find((x) => x.object.kind === k)!)
      .sort((a, b) => a.time - b.time || a.id - b.id)
      .map((e) => `object:${e.object.kind} default/${e.object.name}`),
  ]);
  // Warnings only: the rows without a warning go, lanes too.
  const warnings = warningsCase();
  const wstore = storeOf(warnings);
  filter.set({ hiddenLanes: ['kubelet'], severity: 'warning', text: '', object: '' }, wstore);
  layout.build(wstore, filter);
  const shown = new Set(
    warnings.events.filter((e) => e.severity === 'Warning' && e.lane !== 'kubelet').map((e) => e.lane),
  );
  assert.deepEqual(
    layout.rows.filter((r) => r.kind === 'lane').map((r) => r.label),
    lanes.filter((l) => shown.has(l)),
  );
  for (const r of layout.rows.filter((x) => x.entity))
    assert.ok(filter.entityCount[r.entity!.index] > 0, `${r.label} has a visible warning`);
});

test('a pod’s steps name the one that held it back, and its critical path runs through its phases', () => {
  const warnings = warningsCase();
  const store = storeOf(warnings);
  for (const pod of warnings.trace.pods) {
    const steps = phaseSteps(pod);
    const held = steps.filter((s) => s.held);
    assert.equal(held.length, pod.heldBy ? 1 : 0, `${pod.name}: one held step`);
    if (pod.heldBy?.ms === null) assert.equal(held[0].endMs, null, `${pod.name} never finished its ${pod.heldBy.step}`);
  }
  const web = webCase();
  const webStore = storeOf(web);
  const pod = web.trace.pods[0];
  const path = criticalPath(webStore, webStore.entities.byUidOf(pod.uid)!);
  for (const id of Object.values(pod.phaseEvents)) assert.ok(path.includes(id), `phase event ${id} is on the path`);
  for (let i = 1; i < path.length; i++)
    assert.ok(webStore.time[path[i]] >= webStore.time[path[i - 1]], 'the path runs forward in time');
  assert.ok(store.count > 0);
});

test('the viewport zooms around the pointer, pans, fits, and follows a clock', () => {
  const vp = new Viewport();
  vp.x0 = 100;
  vp.width = 800;
  vp.set({ startMs: 0, endMs: 8000 });
  const t = vp.timeAt(300);
  vp.zoomAround(300, 0.5);
  assert.ok(Math.abs(vp.timeAt(300) - t) < 1e-9, 'the time under the pointer stays there');
  assert.ok(Math.abs(vp.spanMs - 4000) < 1e-9, 'half the span');
  vp.panPx(80);
  assert.ok(Math.abs(vp.startMs - (t - 1000 + 400)) < 1e-9);
  vp.fit(5000);
  assert.deepEqual(vp.window(), { startMs: 0, endMs: 5100 });
  vp.follow(9000);
  assert.ok(vp.startMs <= 9000 && 9000 <= vp.endMs && vp.spanMs === 5100);
});

test('the ruler ticks at 1, 2 or 5 × 10ⁿ ms, at least the asked distance apart, labelled in ms or s', () => {
  for (const msPerPx of [0.001, 0.013, 0.4, 3, 14.6, 250, 9000]) {
    const step = tickStep(msPerPx, 90);
    const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
    assert.ok(
      [1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6),
      `step ${step} is 1, 2 or 5 × 10ⁿ`,
    );
    assert.ok(step / msPerPx >= 90 && step / msPerPx < 90 * 2.5 + 1e-6, `step ${step} at ${msPerPx} ms/px`);
  }
  const ticks = rulerTicks(0, 1000, 200);
  assert.deepEqual(
    ticks.filter((k) => k.major).map((k) => k.ms),
    [0, 200, 400, 600, 800, 1000],
  );
  assert.equal(formatTick(0, 200, 900), '0');
  assert.equal(formatTick(250, 50, 900), '250 ms');
  assert.equal(formatTick(12_500, 500, 20_000), '12.5 s');
  assert.equal(formatTick(4000, 2000, 20_000), '4 s');
  assert.equal(formatTick(12_001, 1, 12_100), '12.001 s');
});
