// @kubernetes/client-node 1.4, a client nobody on this project wrote, against `podtrace serve`
// with the kubeconfig serve writes: typed creates (which send no apiVersion or kind), lists with
// selectors, a 404 as its ApiException, a watch, and an informer that lists, then watches.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type * as k8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { startServe, type ServeProcess } from './serveProcess';

let serve: ServeProcess;
let lib: typeof k8s;
let kc: k8s.KubeConfig;

before(async () => {
  lib = (await import('@kubernetes/client-node')) as typeof k8s;
  serve = await startServe(['--nodes', '2', '--speed', '20']);
  kc = new lib.KubeConfig();
  kc.loadFromFile(serve.kubeconfig);
});

after(async () => {
  assert.equal(await serve.stop('SIGTERM'), 0, serve.stderr());
});

test('client-node creates, reads, lists with a label selector, and gets a 404 as an ApiException', async () => {
  assert.equal(kc.getCurrentContext(), 'podtrace-sim');
  const core = kc.makeApiClient(lib.CoreV1Api);
  const created = await core.createNamespacedConfigMap({
    namespace: 'default',
    body: { metadata: { name: 'cn', labels: { from: 'client-node' } }, data: { a: 'b' } },
  });
  assert.equal(created.metadata?.namespace, 'default');
  const listed = await core.listNamespacedConfigMap({ namespace: 'default', labelSelector: 'from=client-node' });
  assert.deepEqual(
    listed.items.map((i) => i.metadata?.name),
    ['cn'],
  );
  const read = await core.readNamespacedConfigMap({ name: 'cn', namespace: 'default' });
  assert.deepEqual(read.data, { a: 'b' });
  await assert.rejects(
    core.readNamespacedPod({ name: 'nope', namespace: 'default' }),
    (error: { code?: number; body?: string }) => {
      assert.equal(error.code, 404);
      assert.equal((JSON.parse(error.body ?? '{}') as { message: string }).message, 'pods "nope" not found');
      return true;
    },
  );
});

test('a client-node informer lists, then watches, and sees the pods of a Deployment run', async () => {
  const core = kc.makeApiClient(lib.CoreV1Api);
  const apps = kc.makeApiClient(lib.AppsV1Api);
  const informer = lib.makeInformer(kc, '/api/v1/namespaces/default/pods', () =>
    core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=cn' }),
  );
  const phases = new Map<string, string>();
  const record = (pod: k8s.V1Pod) => phases.set(pod.metadata!.name!, pod.status?.phase ?? '');
  informer.on('add', record);
  informer.on('update', record);
  await informer.start();
  try {
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'cn' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'cn' } },
          template: {
            metadata: { labels: { app: 'cn' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
          },
        },
      },
    });
    const until = Date.now() + 30_000;
    while ([...phases.values()].filter((p) => p === 'Running').length < 2 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual([...phases.values()], ['Running', 'Running'], `the informer saw ${JSON.stringify([...phases])}`);
  } finally {
    await informer.stop();
  }
});

test('a client-node Watch streams events from the resourceVersion it is given', async () => {
  const core = kc.makeApiClient(lib.CoreV1Api);
  const list = await core.listNamespacedConfigMap({ namespace: 'default' });
  const seen: string[] = [];
  const watch = new lib.Watch(kc);
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const controller = await watch.watch(
    '/api/v1/namespaces/default/configmaps',
    { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
    (type: string, object: k8s.V1ConfigMap) => {
      seen.push(`${type} ${object.metadata?.name}`);
      if (seen.length === 2) done();
    },
    () => done(),
  );
  await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'watched' } } });
  await core.deleteNamespacedConfigMap({ name: 'watched', namespace: 'default' });
  await Promise.race([finished, new Promise((r) => setTimeout(r, 15_000))]);
  controller.abort();
  assert.deepEqual(seen, ['ADDED watched', 'DELETED watched']);
});
