import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimEngine } from '../../src/core/sim/engine/engine';
import { runPaced, type WallScheduler } from '../../src/core/sim/engine/pacedRunner';
import { WorkQueue } from '../../src/core/sim/client/informer';
import { EventQueue } from '../../src/core/sim/engine/eventQueue';
import { ms } from '../../src/core/base/time';

test('events run in (time, sequence) order, simultaneous ones in the order they were queued', () => {
  const engine = new SimEngine(1);
  const seen: string[] = [];
  engine.after(20, () => seen.push('b@20'));
  engine.after(10, () => seen.push('a@10'));
  engine.after(20, () => seen.push('c@20'));
  engine.after(10, () => {
    seen.push('d@10');
    engine.after(0, () => seen.push('e@10'));
  });
  const result = engine.runFast();
  assert.deepEqual(seen, ['a@10', 'd@10', 'e@10', 'b@20', 'c@20']);
  assert.equal(result.reason, 'quiescent');
  assert.equal(engine.now(), 20);
});

test('a heap of many random events pops in order', () => {
  const engine = new SimEngine(7);
  const random = engine.random('t');
  const times: number[] = [];
  for (let i = 0; i < 5000; i++) engine.after(random.int(0, 1000), () => times.push(engine.now()));
  engine.runFast();
  assert.equal(times.length, 5000);
  for (let i = 1; i < times.length; i++) assert.ok(times[i - 1] <= times[i]);
});

test('background events do not keep a fast run alive; a time limit runs them', () => {
  const engine = new SimEngine(1);
  let ticks = 0;
  const tick = (): void => {
    ticks++;
    engine.after(1000, tick, true);
  };
  engine.after(0, tick, true);
  engine.after(2500, () => undefined);
  assert.equal(engine.runFast().reason, 'quiescent');
  assert.equal(ticks, 3);
  const limited = engine.runFast({ untilMs: 10_000 });
  assert.equal(limited.reason, 'time-limit');
  assert.equal(engine.now(), 10_000);
  assert.equal(ticks, 11);
});

test('cancelled events never run', () => {
  const engine = new SimEngine(1);
  let ran = false;
  const handle = engine.after(5, () => (ran = true));
  engine.cancel(handle);
  assert.equal(engine.runFast().reason, 'quiescent');
  assert.equal(ran, false);
});

test('forked random streams are independent and reproducible', () => {
  const a = new SimEngine(42).random('scheduler');
  const b = new SimEngine(42).random('scheduler');
  const c = new SimEngine(42).random('kubelet');
  const draw = (r: { next(): number }) => [r.next(), r.next(), r.next()];
  assert.deepEqual(draw(a), draw(b));
  assert.notDeepEqual(draw(new SimEngine(42).random('scheduler')), draw(c));
});

test('paced mode maps wall time to virtual time by the speed factor, without sleeping', () => {
  const engine = new SimEngine(1);
  const seen: number[] = [];
  engine.after(1000, () => seen.push(engine.now()));
  engine.after(3000, () => seen.push(engine.now()));
  let wallNow = 0;
  const timers: { at: number; run: () => void }[] = [];
  const wall: WallScheduler = {
    now: () => wallNow,
    setTimer: (delay, run) => {
      const timer = { at: wallNow + delay, run };
      timers.push(timer);
      return () => timers.splice(timers.indexOf(timer), 1);
    },
  };
  let done = false;
  runPaced(engine, wall, { speed: 10, onDone: () => (done = true) });
  const advance = (): void => {
    timers.sort((x, y) => x.at - y.at);
    const t = timers.shift()!;
    wallNow = t.at;
    t.run();
  };
  advance();
  assert.deepEqual(seen, []);
  while (!done) advance();
  assert.deepEqual(seen, [1000, 3000]);
  assert.equal(wallNow, 300);
});

test('the queue runs exactly the uncancelled events, in (time, \
sequence) order, whatever is scheduled while it runs', () => {
  const engine = new SimEngine(3);
  const random = engine.random('calendar');
  const expected: { time: number; seq: number }[] = [];
  const ran: number[] = [];
  let seq = 0;
  const schedule = (delay: number): void => {
    const id = seq++;
    const time = engine.now() + delay;
    const handle = engine.after(delay, () => {
      ran.push(id);
      // Some events schedule more, at this very millisecond or later; some cancel a later one.
      if (random.next() < 0.3 && seq < 20_000) schedule(random.int(0, 3));
    });
    if (random.next() < 0.1) engine.cancel(handle);
    else expected.push({ time, seq: id });
  };
  for (let i = 0; i < 5000; i++) schedule(random.int(0, 200));
  engine.runFast();
  // Children are scheduled during the run, so the reference order is checked on what ran.
  const byId = new Map(expected.map((e) => [e.seq, e]));
  assert.equal(ran.length, expected.length);
  for (let i = 1; i < ran.length; i++) {
    const a = byId.get(ran[i - 1])!;
    const b = byId.get(ran[i])!;
    assert.ok(
      a.time < b.time || (a.time === b.time && a.seq < b.seq),
      `event ${a.seq}@${a.time} ran before ${b.seq}@${b.time}`,
    );
  }
});

test('the queue orders what it holds by (time, sequence), whatever it \
gave out before: an earlier millisecond queued late still comes first', () => {
  const queue = new EventQueue();
  const ran: string[] = [];
  queue.push(ms(10), () => ran.push('a@10'));
  queue.push(ms(20), () => ran.push('b@20'));
  queue.push(ms(20), () => ran.push('c@20'));
  queue.pop()!.run();
  assert.equal(queue.peek()?.time, 20);
  queue.pop()!.run();
  queue.push(ms(15), () => ran.push('d@15'));
  queue.push(ms(20), () => ran.push('e@20'));
  for (let e = queue.pop(); e; e = queue.pop()) e.run();
  assert.deepEqual(ran, ['a@10', 'b@20', 'd@15', 'c@20', 'e@20']);
  assert.equal(queue.size, 0);
  assert.equal(queue.foregroundCount, 0);
});

test('cancelling the handle of an event that already ran changes nothing (quiescence still counts right)', () => {
  const engine = new SimEngine(1);
  const ran: string[] = [];
  const first = engine.after(10, () => ran.push('first'));
  engine.after(20, () => {
    ran.push('second');
    engine.cancel(first);
  });
  engine.after(30, () => ran.push('third'));
  const result = engine.runFast();
  assert.deepEqual(ran, ['first', 'second', 'third']);
  assert.equal(result.reason, 'quiescent');
  assert.equal(result.time, 30);
});

test("a work queue's AddAfter keeps one wait per key at its earliest time, as client-go's delaying queue", () => {
  const engine = new SimEngine(1);
  const synced: [string, number][] = [];
  const queue = new WorkQueue(
    engine,
    () => 5,
    (key) => synced.push([key, engine.now()]),
  );
  queue.addAfter('a', 1000);
  engine.after(100, () => queue.addAfter('a', 500)); // earlier: brings the wait forward to 600
  engine.after(200, () => queue.addAfter('a', 3000)); // later: ignored
  queue.addAfter('b', 0); // no delay: an Add now
  engine.runFast();
  assert.deepEqual(synced, [
    ['b', 0],
    ['a', 600],
  ]);
  // A background wait does not keep a run alive; a foreground one at the same time takes its place.
  const late = new SimEngine(1);
  const ran: number[] = [];
  const q2 = new WorkQueue(
    late,
    () => 0,
    () => ran.push(late.now()),
  );
  q2.addAfter('k', 1000, true);
  assert.equal(late.runFast().reason, 'quiescent');
  assert.deepEqual(ran, []);
  q2.addAfter('k', 2000);
  late.runFast();
  assert.deepEqual(ran, [1000]);
});
