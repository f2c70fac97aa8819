// kubectl get against `podtrace serve` prints the server's Table: upstream's columns, the wide
// ones only with -o wide, and rows whose READY and STATUS follow the simulated pods.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { kubectlPath, missingKubectlMessage, startKubectlSession, type KubectlSession } from '../patch/kubectlHarness';
import { eventually } from '../serverHarness';

const kubectl = kubectlPath();
let session: KubectlSession;

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
        - name: shop
          image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector:
    app: shop
  ports:
    - port: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: shop
data:
  a: "1"
  b: "2"
`;

before(async () => {
  if (!kubectl) return;
  session = await startKubectlSession(kubectl);
  await session.ok(['apply', '-f', session.file('shop.yaml', manifest)]);
});

after(async () => {
  await session?.stop();
});

function requireKubectl(t: { skip: (message: string) => void }): boolean {
  if (kubectl) return true;
  if (process.env.CI) assert.fail(missingKubectlMessage());
  t.skip(missingKubectlMessage());
  return false;
}

/** The header and rows of kubectl's table output, split on its column gaps. */
function rows(output: string): string[][] {
  return output
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));
}

test('kubectl get deployments and -o wide print the server columns', async (t) => {
  if (!requireKubectl(t)) return;
  await eventually(async () => /2\/2/.test(await session.ok(['get', 'deployments'])), 'shop to be 2/2 ready', 20_000);
  const [header, row] = rows(await session.ok(['get', 'deployments']));
  assert.deepEqual(header, ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
  assert.deepEqual(row.slice(0, 4), ['shop', '2/2', '2', '2']);
  assert.match(row[4], /^\d+s$/);
  const [wideHeader, wideRow] = rows(await session.ok(['get', 'deployments', '-o', 'wide']));
  assert.deepEqual(wideHeader, ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
  assert.deepEqual(wideRow.slice(5), ['shop', 'nginx:1.27', 'app=shop']);
});

test('kubectl get pods -o wide shows READY, STATUS, the node and the IP', async (t) => {
  if (!requireKubectl(t)) return;
  const table = rows(await session.ok(['get', 'pods', '-o', 'wide', '-l', 'app=shop']));
  assert.deepEqual(table[0], [
    'NAME',
    'READY',
    'STATUS',
    'RESTARTS',
    'AGE',
    'IP',
    'NODE',
    'NOMINATED NODE',
    'READINESS GATES',
  ]);
  assert.equal(table.length, 3);
  for (const row of table.slice(1)) {
    assert.match(row[0], /^shop-[a-z0-9]+-[a-z0-9]{5}$/);
    assert.deepEqual(row.slice(1, 4), ['1/1', 'Running', '0']);
    assert.match(row[5], /^\d+\.\d+\.\d+\.\d+$/);
    assert.deepEqual(row.slice(7), ['<none>', '<none>']);
  }
});

test('kubectl get services, configmaps, nodes and replicasets', async (t) => {
  if (!requireKubectl(t)) return;
  const services = rows(await session.ok(['get', 'services', 'shop']));
  assert.deepEqual(services[0], ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
  assert.deepEqual(
    [services[1][0], services[1][1], services[1][3], services[1][4]],
    ['shop', 'ClusterIP', '<none>', '80/TCP'],
  );
  const configMaps = rows(await session.ok(['get', 'configmap', 'shop']));
  assert.deepEqual(configMaps[0], ['NAME', 'DATA', 'AGE']);
  assert.deepEqual(configMaps[1].slice(0, 2), ['shop', '2']);
  const nodes = rows(await session.ok(['get', 'nodes']));
  assert.deepEqual(nodes[0], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
  assert.ok(
    nodes.slice(1).every((n) => n[1] === 'Ready'),
    JSON.stringify(nodes),
  );
  const replicaSets = rows(await session.ok(['get', 'replicasets', '-l', 'app=shop']));
  assert.deepEqual(replicaSets[0], ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
  assert.deepEqual(replicaSets[1].slice(1, 4), ['2', '2', '2']);
});
