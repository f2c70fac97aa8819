import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimCluster } from '../../src/core/sim/cluster';
import { parseAllObjects } from '../../src/core/sim/scenario/scenario';
import type { KubeObject } from '../../src/core/sim/store/objects';

test('a stored pod carries the apiserver defaults and the admission plugins\' changes', () => {
  const cluster = new SimCluster({ seed: 1, version: '1.35', nodeCount: 1 });
  cluster.apply(parseAllObjects(`apiVersion: v1
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
`) as KubeObject[]);
  cluster.run({ untilMs: 100 });
  const pod = cluster.ctx.store.get('pods', 'default', 'p')!;
  const c = pod.spec.containers[0];
  assert.equal(c.imagePullPolicy, 'Always');
  assert.equal(c.terminationMessagePath, '/dev/termination-log');
  assert.deepEqual(c.readinessProbe, { httpGet: { path: '/', scheme: 'HTTP', port: 80 }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.equal(c.resources.requests.cpu, '250m');
  assert.equal(pod.metadata.annotations?.['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu request for container app');
  assert.equal(pod.spec.serviceAccountName, 'default');
  assert.equal(pod.spec.terminationGracePeriodSeconds, 30);
  assert.equal(pod.spec.schedulerName, 'default-scheduler');
  const volume = pod.spec.volumes.find((v: { name: string }) => v.name.startsWith('kube-api-access-'));
  assert.match(volume.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(c.volumeMounts, [{ name: volume.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
  assert.deepEqual(pod.spec.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
});

test('NamespaceLifecycle rejects a pod in a namespace that does not exist', () => {
  const cluster = new SimCluster({ seed: 1, version: '1.35', nodeCount: 1 });
  cluster.apply(parseAllObjects('apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: nowhere}\nspec: {containers: [{name: c, image: busybox}]}\n') as KubeObject[]);
  cluster.run({ untilMs: 100 });
  const rejected = cluster.ctx.trace.events.find((e) => e.reason === 'Rejected');
  assert.equal(rejected?.message, '404 NotFound: namespaces "nowhere" not found');
});

test('Created and Started texts follow the selected version', () => {
  const texts = (version: '1.35' | '1.32') => {
    const cluster = new SimCluster({ seed: 1, version, nodeCount: 1 });
    cluster.apply(parseAllObjects('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: web, image: busybox:1.36}]}\n') as KubeObject[]);
    cluster.run({});
    return cluster.ctx.trace.events.filter((e) => e.reason === 'Created' || e.reason === 'Started').map((e) => e.message);
  };
  assert.deepEqual(texts('1.35'), ['Container created', 'Container started']);
  assert.deepEqual(texts('1.32'), ['Created container: web', 'Started container web']);
});

test('pods made from one template are validated again once admission would change them (a LimitRange arrives)', () => {
  const cluster = new SimCluster({ seed: 1, version: '1.35', nodeCount: 1 });
  // One pod object for several creates, as a controller makes a batch from its template.
  const fromTemplate = parseAllObjects('apiVersion: v1\nkind: Pod\nmetadata: {generateName: web-, namespace: default}\nspec: {containers: [{name: web, image: nginx:1.27, resources: {requests: {cpu: 500m}}}]}\n')[0] as KubeObject;
  const results: string[] = [];
  const create = () =>
    cluster.ctx.api.create('pods', { ...fromTemplate, metadata: { ...fromTemplate.metadata, name: '' } }, 'system:serviceaccount:kube-system:replicaset-controller', {
      onDone: (created, error) => results.push(created ? 'created' : `${error?.code} ${error?.message}`),
    });
  create();
  cluster.run({ untilMs: 1_000 });
  create();
  cluster.run({ untilMs: 2_000 });
  // A default limit below the request makes the same template invalid from now on.
  cluster.apply(parseAllObjects('apiVersion: v1\nkind: LimitRange\nmetadata: {name: small}\nspec: {limits: [{type: Container, default: {cpu: 100m}}]}\n') as KubeObject[]);
  cluster.run({ untilMs: 3_000 });
  create();
  cluster.run({ untilMs: 4_000 });
  assert.equal(results.length, 3);
  assert.deepEqual(results.slice(0, 2), ['created', 'created']);
  assert.match(results[2], /^422 Pod "web-[a-z0-9]{5}" is invalid: spec\.containers\[0\]\.resources\.requests: Invalid value: "500m": must be less than or equal to cpu limit of 100m$/);
});
