import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../src/core/base/random';
import { ms } from '../../src/core/base/time';
import { ApiError } from '../../src/core/sim/store/apiError';
import { isKind, type Pod } from '../../src/core/sim/store/kinds';
import { ObjectStore } from '../../src/core/sim/store/store';
import type { WatchEvent } from '../../src/core/sim/store/watchHub';

function pod(name: string, nodeName?: string, labels?: Record<string, string>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { nodeName, containers: [] },
  };
}

function newStore(historyLimit = 100): ObjectStore {
  const now = ms(0);
  return new ObjectStore({ now: () => now }, new SeededRandom(1), { historyLimit });
}

test('create sets uid, resourceVersion, generation and creationTimestamp; a second create is 409 AlreadyExists', () => {
  const store = newStore();
  const created = store.create('pods', pod('a'));
  assert.match(created.metadata.uid!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(created.metadata.resourceVersion, '1');
  assert.equal(created.metadata.generation, 1);
  assert.equal(created.metadata.creationTimestamp, '2026-01-01T00:00:00Z');
  assert.throws(
    () => store.create('pods', pod('a')),
    (e: ApiError) => e.code === 409 && e.reason === 'AlreadyExists' && e.message === 'pods "a" already exists',
  );
});

test('an update with a stale resourceVersion is 409 Conflict; the generation grows with the spec only', () => {
  const store = newStore();
  const created = store.create('deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: {} },
  });
  const scaled = store.update('deployments', { ...created, spec: { ...created.spec!, replicas: 2 } });
  assert.equal(scaled.metadata.generation, 2);
  const statusOnly = store.update('deployments', { ...scaled, status: { replicas: 2 } });
  assert.equal(statusOnly.metadata.generation, 2);
  assert.throws(
    () => store.update('deployments', { ...created, spec: { ...created.spec!, replicas: 3 } }),
    (e: ApiError) =>
      e.code === 409 &&
      e.message ===
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; ' +
          'please apply your changes to the latest version and try again',
  );
});

test("a node-name watch sees only its node's pods, with ADDED when a pod is bound to it", () => {
  const store = newStore();
  const seen: string[] = [];
  store.watch('pods', { fieldSelector: { field: 'spec.nodeName', value: 'node-1' } }, (e) =>
    seen.push(`${e.type} ${e.object.metadata.name}`),
  );
  const a = store.create('pods', pod('a'));
  store.create('pods', pod('b', 'node-2'));
  store.update('pods', { ...a, spec: { ...a.spec!, nodeName: 'node-1' } });
  store.remove('pods', 'default', 'a');
  assert.deepEqual(seen, ['ADDED a', 'DELETED a']);
});

test('finalizers keep an object with a deletionTimestamp until they are removed', () => {
  const store = newStore();
  const events: string[] = [];
  store.watch('pods', {}, (e) => events.push(e.type));
  store.create('pods', { ...pod('a'), metadata: { name: 'a', namespace: 'default', finalizers: ['example.com/x'] } });
  const marked = store.remove('pods', 'default', 'a');
  assert.ok(marked && isKind(marked, 'Pod'));
  assert.ok(marked.metadata.deletionTimestamp);
  assert.ok(store.get('pods', 'default', 'a'));
  store.update('pods', { ...marked, metadata: { ...marked.metadata, finalizers: [] } });
  assert.equal(store.get('pods', 'default', 'a'), undefined);
  assert.deepEqual(events, ['ADDED', 'MODIFIED', 'DELETED']);
});

test('a watch resumes from a resourceVersion; one older than the history window is 410 Gone', () => {
  const store = newStore(3);
  for (const name of ['a', 'b', 'c', 'd', 'e'])
    store.create('pods', pod(name, undefined, { app: name === 'c' ? 'x' : 'y' }));
  const resumed: WatchEvent[] = [];
  store.watch('pods', { resourceVersion: 3 }, (e) => resumed.push(e));
  assert.deepEqual(
    resumed.map((e) => `${e.type} ${e.object.metadata.name} ${e.rv}`),
    ['ADDED d 4', 'ADDED e 5'],
  );
  assert.throws(
    () => store.watch('pods', { resourceVersion: 1 }, () => undefined),
    (e: ApiError) => e.code === 410 && e.reason === 'Expired',
  );
  const labelled: string[] = [];
  store.watch('pods', { labelSelector: (l) => l?.app === 'x' }, (e) => labelled.push(e.object.metadata.name));
  assert.deepEqual(labelled, ['c']);
});

test('the watch history keeps the last 75 s of changes (at least 100): resuming from before them is 410 Gone', () => {
  let now = 0;
  const store = new ObjectStore({ now: () => ms(now) }, new SeededRandom(1), {});
  for (let i = 0; i < 150; i++) store.create('pods', pod(`early-${i}`));
  now = 80_000;
  store.create('pods', pod('late'));
  // 151 changes; the 150 early ones are older than 75 s, so only the newest 100 stay.
  const resumed: string[] = [];
  store.watch('pods', { resourceVersion: 51 }, (e) => resumed.push(e.object.metadata.name));
  assert.equal(resumed.length, 100);
  assert.equal(resumed[resumed.length - 1], 'late');
  assert.throws(
    () => store.watch('pods', { resourceVersion: 50 }, () => undefined),
    (e: ApiError) => e.code === 410 && e.reason === 'Expired',
  );
  // Within the window nothing is dropped, however many changes there are.
  now = 100_000;
  for (let i = 0; i < 300; i++) store.create('pods', pod(`fresh-${i}`));
  const all: string[] = [];
  store.watch('pods', { resourceVersion: 151 }, (e) => all.push(e.object.metadata.name));
  assert.equal(all.length, 300);
});

test('bookmarks reach only watchers that asked for them', () => {
  const store = newStore();
  const seen: string[] = [];
  store.watch('pods', { allowBookmarks: true }, (e) => seen.push(`${e.type} ${e.object.metadata.resourceVersion}`));
  store.watch('pods', {}, (e) => seen.push(`plain ${e.type}`));
  store.create('pods', pod('a'));
  store.watches.bookmark('pods', store.resourceVersion);
  assert.deepEqual(seen, ['ADDED 1', 'plain ADDED', 'BOOKMARK 1']);
});
