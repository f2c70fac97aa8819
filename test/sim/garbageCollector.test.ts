// The garbage collector against upstream's behaviour: background deletion of dependents,
// `--cascade=orphan` (the orphan finalizer: owner references removed, dependents kept), and
// a graph that follows owner references as they are added or removed on update.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimCluster } from '../../src/core/sim/cluster';
import { parseAllObjects, parseScenario } from '../../src/core/sim/scenario/scenario';
import { scheduleScenario } from '../../src/core/sim/scenario/scenarioRunner';
import type { KubeObject } from '../../src/core/sim/store/objects';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
`;

function cluster(manifest: string, scenario: string) {
  const c = new SimCluster({ seed: 5, version: '1.35', nodeCount: 2 });
  c.apply(parseAllObjects(manifest) as KubeObject[]);
  scheduleScenario(
    c,
    parseScenario(scenario, () => ''),
  );
  c.run({ untilMs: 90_000 });
  return c;
}

test('deleting a Deployment in the background deletes its ReplicaSet and then its pods', () => {
  const c = cluster(deployment, 'actions:\n  - at: 20s\n    delete: {kind: Deployment, name: web}\n');
  assert.equal(c.ctx.store.list('deployments').length, 0);
  assert.equal(c.ctx.store.list('replicasets').length, 0);
  assert.equal(c.ctx.store.list('pods').length, 0);
});

test('deleting a Deployment with propagationPolicy Orphan \
keeps its ReplicaSet and pods, without the owner reference', () => {
  const c = cluster(
    deployment,
    'actions:\n  - at: 20s\n    delete: {kind: Deployment, name: web, propagationPolicy: Orphan}\n',
  );
  assert.equal(c.ctx.store.list('deployments').length, 0);
  const sets = c.ctx.store.list('replicasets');
  assert.equal(sets.length, 1);
  assert.deepEqual(sets[0].metadata.ownerReferences ?? [], []);
  const pods = c.ctx.store.list('pods');
  assert.equal(pods.length, 2);
  for (const pod of pods) assert.equal(pod.metadata.deletionTimestamp, undefined);
});

test('an owner reference added by an update makes the object a dependent: deleting the owner deletes it', () => {
  const c = new SimCluster({ seed: 5, version: '1.35', nodeCount: 1 });
  c.apply(
    parseAllObjects(`apiVersion: v1
kind: Service
metadata: {name: owner}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: adopted}
spec:
  containers: [{name: app, image: nginx:1.27}]
`) as KubeObject[],
  );
  c.run({ untilMs: 20_000 });
  const owner = c.ctx.store.get('services', 'default', 'owner')!;
  c.ctx.store.mutate('pods', 'default', 'adopted', (pod) => ({
    ...pod,
    metadata: {
      ...pod.metadata,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'owner', uid: owner.metadata.uid! }],
    },
  }));
  c.run({ untilMs: 25_000 });
  c.ctx.api.delete('services', 'default', 'owner', 'test');
  c.run({ untilMs: 80_000 });
  assert.equal(c.ctx.store.get('services', 'default', 'owner'), undefined);
  assert.equal(c.ctx.store.get('pods', 'default', 'adopted'), undefined, 'the adopted pod is deleted with its owner');
});
