// LimitRanger's validation against upstream's texts: a container or a pod outside a LimitRange's
// min, max or maxLimitRequestRatio, and a claim outside its storage min and max, are refused at
// create with `… is forbidden: maximum cpu usage per Container is 2, but limit is 4`; values are
// compared as MilliValue() compares them.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCluster } from './runCluster';

const limitRange = (limits: string) => `apiVersion: v1
kind: LimitRange
metadata: {name: bounds}
spec:
  limits: [${limits}]
---
`;

/** A pod applied at 1 s, once the LimitRange is stored. */
function podLater(name: string, containers: string): string {
  const pod = `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers: ${containers}\n`;
  return `actions:\n  - at: 1s\n    apply: |\n${pod.replace(/^/gm, '      ')}`;
}

function rejection(limits: string, containers: string): string | undefined {
  const { events, store } = runCluster(limitRange(limits), {
    seed: 3,
    scenario: podLater('web', containers),
    untilMs: 5_000,
  });
  const rejected = events.find((e) => e.object.name === 'web' && e.reason === 'Rejected');
  if (rejected) assert.equal(store.list('pods').length, 0, 'a refused pod is not stored');
  return rejected?.message;
}

test("a container over the max, under the min or without what a max needs is refused in upstream's words", () => {
  const max = '{type: Container, max: {cpu: "2"}}';
  assert.equal(
    rejection(max, '[{name: c, image: nginx:1.27, resources: {limits: {cpu: "4"}}}]'),
    '403 Forbidden: pods "web" is forbidden: maximum cpu usage per Container is 2, but limit is 4',
  );
  assert.equal(
    rejection(max, '[{name: c, image: nginx:1.27, resources: {requests: {cpu: 3000m}, limits: {cpu: "2"}}}]'),
    // The apiserver's own validation refuses a request over its limit first.
    '422 Invalid: Pod "web" is invalid: spec.containers[0].resources.requests: ' +
      'Invalid value: "3": must be less than or equal to cpu limit of 2',
  );
  assert.equal(
    rejection(max, '[{name: c, image: nginx:1.27}]'),
    '403 Forbidden: pods "web" is forbidden: maximum cpu usage per Container is 2.  No limit is specified',
  );
  assert.equal(rejection(max, '[{name: c, image: nginx:1.27, resources: {limits: {cpu: 2000m}}}]'), undefined);
  const min = '{type: Container, min: {memory: 64Mi}}';
  assert.equal(
    rejection(min, '[{name: c, image: nginx:1.27, resources: {requests: {memory: 32Mi}}}]'),
    '403 Forbidden: pods "web" is forbidden: minimum memory usage per Container is 64Mi, but request is 32Mi',
  );
  assert.equal(
    rejection(min, '[{name: c, image: nginx:1.27}]'),
    '403 Forbidden: pods "web" is forbidden: minimum memory usage per Container is 64Mi.  No request is specified',
  );
});

test('MilliValue() rounds up before comparing: 100n meets a minimum of 1m, 1001u is over a max of 1', () => {
  assert.equal(
    rejection(
      '{type: Container, min: {cpu: 1m}}',
      '[{name: c, image: nginx:1.27, resources: {requests: {cpu: 100n}}}]',
    ),
    undefined,
  );
  assert.equal(
    rejection(
      '{type: Container, max: {cpu: "1"}}',
      '[{name: c, image: nginx:1.27, resources: {limits: {cpu: 1000001u}}}]',
    ),
    '403 Forbidden: pods "web" is forbidden: maximum cpu usage per Container is 1, but limit is 1000001u',
  );
});

test("several breaches are listed together; the ratio is \
printed as Go's %f; a pod-level max sums the containers", () => {
  assert.equal(
    rejection(
      '{type: Container, max: {cpu: "1", memory: 1Gi}}',
      '[{name: c, image: nginx:1.27, resources: {limits: {cpu: "2", memory: 2Gi}}}]',
    ),
    '403 Forbidden: pods "web" is forbidden: [maximum cpu usage per Container is 1, ' +
      'but limit is 2, maximum memory usage per Container is 1Gi, but limit is 2Gi]',
  );
  assert.equal(
    rejection(
      '{type: Container, maxLimitRequestRatio: {cpu: "2"}}',
      '[{name: c, image: nginx:1.27, resources: {requests: {cpu: 300m}, limits: {cpu: "1"}}}]',
    ),
    '403 Forbidden: pods "web" is forbidden: cpu max limit to ' +
      'request ratio per Container is 2, but provided ratio is 3.333333',
  );
  assert.equal(
    rejection(
      '{type: Pod, max: {memory: 1Gi}}',
      '[{name: a, image: nginx:1.27, resources: {limits: {memory: 768Mi}}}, ' +
        '{name: b, image: nginx:1.27, resources: {limits: {memory: 512Mi}}}]',
    ),
    '403 Forbidden: pods "web" is forbidden: maximum memory usage per Pod is 1Gi, but limit is 1280Mi',
  );
});

test("a claim's storage request is held to the PersistentVolumeClaim min and max", () => {
  const claim = (storage: string) =>
    `actions:\n  - at: 1s\n    apply: |\n      apiVersion: v1\n` +
    `      kind: PersistentVolumeClaim\n      metadata: {name: data}\n` +
    `      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: ${storage}}}}\n`;
  const run = (storage: string) =>
    runCluster(limitRange('{type: PersistentVolumeClaim, min: {storage: 1Gi}, max: {storage: 10Gi}}'), {
      seed: 3,
      scenario: claim(storage),
      untilMs: 5_000,
    });
  const refused = (storage: string) =>
    run(storage).events.find((e) => e.object.name === 'data' && e.reason === 'Rejected')?.message;
  assert.equal(
    refused('20Gi'),
    '403 Forbidden: persistentvolumeclaims "data" is forbidden: ' +
      'maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi',
  );
  assert.equal(
    refused('512Mi'),
    '403 Forbidden: persistentvolumeclaims "data" is forbidden: ' +
      'minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 512Mi',
  );
  assert.equal(refused('5Gi'), undefined);
});
