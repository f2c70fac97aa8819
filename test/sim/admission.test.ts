import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimCluster } from '../../src/core/sim/cluster';
import { parseAllObjects } from '../../src/core/sim/scenario/scenario';
import type { KubeObject } from '../../src/core/sim/store/objects';
import type { Pod } from '../../src/core/sim/store/kinds';
import { regExpOf } from '../regExpOf';

test("a stored pod carries the apiserver defaults and the admission plugins' changes", () => {
  const cluster = new SimCluster({ seed: 1, version: '1.35', nodeCount: 1 });
  cluster.apply(
    parseAllObjects(`apiVersion: v1
kind: LimitRange
metadata: {name: defaults}
spec:
  limits: [{type: Container, defaultRequest: {cpu: 250m}}]
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: app
      image: nginx
      readinessProbe: {httpGet: {port: 80}}
`) as KubeObject[],
  );
  cluster.run({ untilMs: 100 });
  const pod = cluster.ctx.store.get('pods', 'default', 'p')!;
  const c = pod.spec!.containers[0];
  assert.equal(c.imagePullPolicy, 'Always');
  assert.equal(c.terminationMessagePath, '/dev/termination-log');
  assert.deepEqual(c.readinessProbe, {
    httpGet: { path: '/', scheme: 'HTTP', port: 80 },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.equal(c.resources!.requests!.cpu, '250m');
  assert.equal(
    pod.metadata.annotations?.['kubernetes.io/limit-ranger'],
    'LimitRanger plugin set: cpu request for container app',
  );
  assert.equal(pod.spec!.serviceAccountName, 'default');
  assert.equal(pod.spec!.terminationGracePeriodSeconds, 30);
  assert.equal(pod.spec!.schedulerName, 'default-scheduler');
  const volume = pod.spec!.volumes!.find((v: { name: string }) => v.name.startsWith('kube-api-access-'));
  assert.match(volume!.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(c.volumeMounts, [
    { name: volume!.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
  ]);
  assert.deepEqual(pod.spec!.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
});

test('NamespaceLifecycle rejects a pod in a namespace that does not exist', () => {
  const cluster = new SimCluster({ seed: 1, version: '1.35', nodeCount: 1 });
  cluster.apply(
    parseAllObjects(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: nowhere}\n' +
        'spec: {containers: [{name: c, image: busybox}]}\n',
    ) as KubeObject[],
  );
  cluster.run({ untilMs: 100 });
  const rejected = cluster.ctx.trace.events.find((e) => e.reason === 'Rejected');
  assert.equal(rejected?.message, '404 NotFound: namespaces "nowhere" not found');
});

test('Created and Started texts follow the selected version', () => {
  const texts = (version: '1.35' | '1.32') => {
    const cluster = new SimCluster({ seed: 1, version, nodeCount: 1 });
    cluster.apply(
      parseAllObjects(
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: web, image: busybox:1.36}]}\n',
      ) as KubeObject[],
    );
    cluster.run({});
    return cluster.ctx.trace.events
      .filter((e) => e.reason === 'Created' || e.reason === 'Started')
      .map((e) => e.message);
  };
  assert.deepEqual(texts('1.35'), ['Container created', 'Container started']);
  assert.deepEqual(texts('1.32'), ['Created container: web', 'Started container web']);
});

test('pods made from one template are validated again once admission would change them (a LimitRange arrives)', () => {
  const cluster = new SimCluster({ seed: 1, version: '1.35', nodeCount: 1 });
  // One pod object for several creates, as a controller makes a batch from its template.
  const fromTemplate = parseAllObjects(
    'apiVersion: v1\nkind: Pod\nmetadata: {generateName: web-, namespace: default}\n' +
      'spec: {containers: [{name: web, image: nginx:1.27, resources: {requests: {cpu: 500m}}}]}\n',
  )[0] as Pod;
  const results: string[] = [];
  const create = () =>
    cluster.ctx.api.create(
      'pods',
      { ...fromTemplate, metadata: { ...fromTemplate.metadata, name: '' } },
      'system:serviceaccount:kube-system:replicaset-controller',
      {
        onDone: (created, error) => results.push(created ? 'created' : `${error?.code} ${error?.message}`),
      },
    );
  create();
  cluster.run({ untilMs: 1_000 });
  create();
  cluster.run({ untilMs: 2_000 });
  // A default limit below the request makes the same template invalid from now on.
  cluster.apply(
    parseAllObjects(
      'apiVersion: v1\nkind: LimitRange\nmetadata: {name: small}\n' +
        'spec: {limits: [{type: Container, default: {cpu: 100m}}]}\n',
    ) as KubeObject[],
  );
  cluster.run({ untilMs: 3_000 });
  create();
  cluster.run({ untilMs: 4_000 });
  assert.equal(results.length, 3);
  assert.deepEqual(results.slice(0, 2), ['created', 'created']);
  assert.match(
    results[2],
    regExpOf(
      /^422 Pod "web-[a-z0-9]{5}" is invalid: spec\.containers\[0\]\.resources\.requests: /,
      /Invalid value: "500m": must be less than or equal to cpu limit of 100m$/,
    ),
  );
});

test("Priority: a pod gets its PriorityClass's value and preemption policy (0 and PreemptLowerPriority \
without one, the default class when there is one); a class that does not exist is refused", () => {
  const cluster = new SimCluster({ seed: 1, version: '1.35', nodeCount: 1 });
  const pod = (name: string, extra = '') =>
    `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec: {${extra}containers: [{name: c, image: busybox}]}\n`;
  cluster.apply(
    parseAllObjects(
      [
        pod('plain'),
        pod('node-critical', 'priorityClassName: system-node-critical, '),
        pod('missing', 'priorityClassName: nope, '),
        pod('mismatch', 'priorityClassName: system-cluster-critical, priority: 5, '),
        'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: batch}\n' +
          'value: 100\nglobalDefault: true\npreemptionPolicy: Never\n',
        pod('defaulted'),
      ].join('---\n'),
    ) as KubeObject[],
  );
  cluster.run({ untilMs: 1000 });
  const spec = (name: string) => cluster.ctx.store.get('pods', 'default', name)?.spec;
  assert.deepEqual(
    [spec('plain')!.priority, spec('plain')!.preemptionPolicy, spec('plain')!.priorityClassName],
    [0, 'PreemptLowerPriority', undefined],
  );
  assert.deepEqual(
    [spec('node-critical')!.priority, spec('node-critical')!.preemptionPolicy],
    [2000001000, 'PreemptLowerPriority'],
  );
  assert.deepEqual(
    [spec('defaulted')!.priority, spec('defaulted')!.preemptionPolicy, spec('defaulted')!.priorityClassName],
    [100, 'Never', 'batch'],
  );
  assert.equal(spec('missing'), undefined);
  assert.equal(spec('mismatch'), undefined);
  const rejected = cluster.ctx.trace.events.filter((e) => e.reason === 'Rejected').map((e) => e.message);
  assert.deepEqual(rejected, [
    '403 Forbidden: pods "missing" is forbidden: no PriorityClass with name nope was found',
    '403 Forbidden: pods "mismatch" is forbidden: the integer value of priority (5) must not be provided ' +
      'in pod spec; priority admission controller computed 2000000000 from the given PriorityClass name',
  ]);
  // The apiserver's own classes are there from the start, as on any cluster.
  assert.deepEqual(
    cluster.ctx.store
      .list('priorityclasses')
      .map((c) => [c.metadata.name, (c as { value?: number }).value])
      .sort(),
    [
      ['batch', 100],
      ['system-cluster-critical', 2000000000],
      ['system-node-critical', 2000001000],
    ],
  );
});

test('PriorityClass: a user value above one billion, a system- name \
that is not a system class, and a second default are refused', () => {
  const cluster = new SimCluster({ seed: 1, version: '1.35', nodeCount: 1 });
  const pc = (name: string, body: string) =>
    `apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: ${name}}\n${body}\n`;
  cluster.apply(
    parseAllObjects(
      [
        pc('huge', 'value: 1000000001'),
        pc('system-mine', 'value: 10'),
        pc('first', 'value: 1\nglobalDefault: true'),
        pc('second', 'value: 2\nglobalDefault: true'),
      ].join('---\n'),
    ) as KubeObject[],
  );
  cluster.run({ untilMs: 1000 });
  const rejected = cluster.ctx.trace.events.filter((e) => e.reason === 'Rejected').map((e) => e.message);
  assert.deepEqual(rejected, [
    '422 Invalid: PriorityClass.scheduling.k8s.io "huge" is invalid: value: ' +
      'Forbidden: maximum allowed value of a user defined priority is 1000000000',
    '422 Invalid: PriorityClass.scheduling.k8s.io "system-mine" is invalid: ' +
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved " +
      'for system use only. error: system-mine is not a known system priority class',
    '403 Forbidden: priorityclasses.scheduling.k8s.io "second" is forbidden: ' +
      'PriorityClass first is already marked as default. Only one default can exist',
  ]);
});
