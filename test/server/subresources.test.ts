// The subresources over HTTPS: scale (autoscaling/v1 Scale), status, binding, eviction (429 when
// a PodDisruptionBudget refuses), pods/log from the application model, and events in both APIs.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { deployment, eventually, startServer, type Harness } from './serverHarness';

let h: Harness;
before(async () => {
  h = await startServer({ speed: 100 });
});
after(() => h.stop());

type PodJson = {
  metadata: { name: string; uid: string };
  spec: { nodeName?: string };
  status: { phase?: string; conditions?: { type: string; status: string }[] };
};

async function readyPods(app: string, count: number): Promise<PodJson[]> {
  let pods: PodJson[] = [];
  await eventually(async () => {
    const reply = await h.request('GET', `/api/v1/namespaces/default/pods?labelSelector=app%3D${app}`);
    pods = (reply.json.items as PodJson[]).filter((p) =>
      p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    return pods.length === count;
  }, `${count} ready pods of ${app}`);
  return pods;
}

test('scale reads and writes an autoscaling/v1 Scale with the selector as text', async () => {
  const deployments = '/apis/apps/v1/namespaces/default/deployments';
  assert.equal((await h.request('POST', deployments, { body: deployment('sc', 1) })).status, 201);
  const scale = await h.request('GET', `${deployments}/sc/scale`);
  assert.equal(scale.status, 200);
  assert.equal(scale.json.kind, 'Scale');
  assert.equal(scale.json.apiVersion, 'autoscaling/v1');
  assert.deepEqual(scale.json.spec, { replicas: 1 });
  assert.equal((scale.json.status as { selector: string }).selector, 'app=sc');
  const put = await h.request('PUT', `${deployments}/sc/scale`, {
    body: { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'sc' }, spec: { replicas: 3 } },
  });
  assert.equal(put.status, 200, put.text);
  assert.deepEqual(put.json.spec, { replicas: 3 });
  await readyPods('sc', 3);
  const negative = await h.request('PUT', `${deployments}/sc/scale`, {
    body: { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'sc' }, spec: { replicas: -1 } },
  });
  assert.equal(negative.status, 422);
  const onPods = await h.request('GET', '/api/v1/namespaces/default/pods/x/scale');
  assert.equal(onPods.status, 404);
});

test('eviction: 429 TooManyRequests while a budget refuses it, allowed once the budget is gone', async () => {
  const budgets = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
  const pdb = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'sc' },
    spec: { minAvailable: 3, selector: { matchLabels: { app: 'sc' } } },
  };
  assert.equal((await h.request('POST', budgets, { body: pdb })).status, 201);
  await eventually(async () => {
    const got = await h.request('GET', `${budgets}/sc`);
    const status = got.json.status as { disruptionsAllowed?: number; currentHealthy?: number } | undefined;
    return status?.currentHealthy === 3 && status.disruptionsAllowed === 0;
  }, 'the budget to count three healthy pods and allow no disruption');
  const pods = await readyPods('sc', 3);
  const evict = (name: string) =>
    h.request('POST', `/api/v1/namespaces/default/pods/${name}/eviction`, {
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } },
    });
  const refused = await evict(pods[0].metadata.name);
  assert.equal(refused.status, 429, refused.text);
  assert.equal(refused.json.reason, 'TooManyRequests');
  assert.equal(refused.json.message, "Cannot evict pod as it would violate the pod's disruption budget.");
  assert.equal((await h.request('DELETE', `${budgets}/sc`)).status, 200);
  const allowed = await evict(pods[0].metadata.name);
  assert.equal(allowed.status, 201, allowed.text);
  assert.equal(allowed.json.status, 'Success');
  const wrongKind = await h.request('POST', `/api/v1/namespaces/default/pods/${pods[1].metadata.name}/eviction`, {
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } },
  });
  assert.equal(wrongKind.status, 400);
});

test('pods/log: the application model lines, tailLines, timestamps, and which container of two', async () => {
  const pods = await readyPods('sc', 3);
  const name = pods[2].metadata.name;
  const log = await h.request('GET', `/api/v1/namespaces/default/pods/${name}/log`);
  assert.equal(log.status, 200);
  assert.equal(log.text, 'starting nginx:1.27\nlistening on :80\n');
  const tail = await h.request('GET', `/api/v1/namespaces/default/pods/${name}/log?tailLines=1&timestamps=true`);
  assert.match(tail.text, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z listening on :80\n$/);
  const stamp = Date.parse(tail.text.split(' ')[0]);
  assert.ok(Math.abs(stamp - Date.now()) < 120_000, `the timestamp ${tail.text.split(' ')[0]} is on the wall clock`);
  const wrong = await h.request('GET', `/api/v1/namespaces/default/pods/${name}/log?container=nope`);
  assert.equal(wrong.status, 400);
  assert.equal(wrong.json.message, `container nope is not valid for pod ${name}`);
  const two = deployment('two', 1);
  two.spec.template.spec.containers.push({ name: 'side', image: 'busybox:1.36', ports: [] });
  await h.request('POST', '/apis/apps/v1/namespaces/default/deployments', { body: two });
  const [pod] = await readyPods('two', 1);
  const unnamed = await h.request('GET', `/api/v1/namespaces/default/pods/${pod.metadata.name}/log`);
  assert.equal(unnamed.status, 400);
  assert.equal(
    unnamed.json.message,
    `a container name must be specified for pod ${pod.metadata.name}, choose one of: [web side]`,
  );
  const side = await h.request('GET', `/api/v1/namespaces/default/pods/${pod.metadata.name}/log?container=side`);
  assert.equal(side.text, 'starting busybox:1.36\nstarted\n');
});

test('events are served as core/v1 and events.k8s.io/v1, selectable by the involved object', async () => {
  const [pod] = await readyPods('two', 1);
  const selector = encodeURIComponent(`involvedObject.name=${pod.metadata.name},involvedObject.namespace=default`);
  const core = await h.request('GET', `/api/v1/namespaces/default/events?fieldSelector=${selector}`);
  const reasons = (core.json.items as { reason: string; involvedObject: { uid: string } }[]).map((e) => e.reason);
  assert.ok(reasons.includes('Scheduled') && reasons.includes('Started'), reasons.join(' '));
  const uid = encodeURIComponent(`involvedObject.uid=${pod.metadata.uid}`);
  const byUid = await h.request('GET', `/api/v1/namespaces/default/events?fieldSelector=${uid}`);
  assert.equal((byUid.json.items as unknown[]).length, reasons.length);
  const v1 = await h.request('GET', '/apis/events.k8s.io/v1/namespaces/default/events');
  assert.equal(v1.json.kind, 'EventList');
  const scheduled = (v1.json.items as Record<string, unknown>[]).find(
    (e) => e.reason === 'Scheduled' && (e.regarding as { name: string }).name === pod.metadata.name,
  );
  assert.ok(scheduled, 'the Scheduled event in events.k8s.io/v1');
  assert.equal(scheduled.apiVersion, 'events.k8s.io/v1');
  assert.equal(scheduled.reportingController, 'default-scheduler');
  assert.match(String(scheduled.note), /^Successfully assigned default\//);
});

test('binding sets the node of an unscheduled pod, and refuses a bound one with 409', async () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'manual' },
    spec: { schedulerName: 'nobody', containers: [{ name: 'c', image: 'nginx:1.27' }] },
  };
  assert.equal((await h.request('POST', '/api/v1/namespaces/default/pods', { body: pod })).status, 201);
  const binding = {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name: 'manual' },
    target: { kind: 'Node', name: 'node-1' },
  };
  const bound = await h.request('POST', '/api/v1/namespaces/default/pods/manual/binding', { body: binding });
  assert.equal(bound.status, 201, bound.text);
  const got = await h.request('GET', '/api/v1/namespaces/default/pods/manual');
  assert.equal((got.json.spec as { nodeName: string }).nodeName, 'node-1');
  const again = await h.request('POST', '/api/v1/namespaces/default/pods/manual/binding', { body: binding });
  assert.equal(again.status, 409);
  const status = await h.request('GET', '/api/v1/namespaces/default/pods/manual/status');
  assert.equal(status.json.kind, 'Pod');
});
