// The patch engine through the real kubectl against `podtrace serve`: client-side apply twice
// (its last-applied annotation and three-way strategic merge patch), server-side apply with a
// conflict and --force-conflicts, server dry run, scale, set image, label, annotate, and
// patch --type json|merge|strategic.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { kubectlPath, missingKubectlMessage, startKubectlSession, type KubectlSession } from './kubectlHarness';

const kubectl = kubectlPath();
let session: KubectlSession;

function application(replicas: number, labels: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
${labels}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.25
          ports:
            - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  mode: production
`;
}

before(async () => {
  if (kubectl) session = await startKubectlSession(kubectl);
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

async function deployment(name = 'web'): Promise<{
  spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
  metadata: Record<string, unknown> & {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    managedFields?: { manager: string; operation: string }[];
  };
}> {
  return JSON.parse(await session.ok(['get', 'deployment', name, '-o', 'json', '--show-managed-fields'])) as never;
}

test('kubectl apply -f twice: the second apply changes replicas and drops a label', async (t) => {
  if (!requireKubectl(t)) return;
  const file = session.file('app.yaml', application(2, '    app: web\n    tier: front'));
  const first = await session.ok(['apply', '-f', file]);
  assert.match(first, /deployment.apps\/web created/);
  assert.match(first, /service\/web created/);
  assert.match(first, /configmap\/web-config created/);
  session.file('app.yaml', application(3, '    app: web'));
  const second = await session.ok(['apply', '-f', file]);
  assert.match(second, /deployment.apps\/web configured/);
  assert.match(second, /service\/web unchanged/);
  const d = await deployment();
  assert.equal(d.spec.replicas, 3);
  assert.deepEqual(d.metadata.labels, { app: 'web' });
  assert.match(d.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '', /"replicas":3/);
  assert.ok(d.metadata.managedFields?.some((m) => m.manager === 'kubectl-client-side-apply'));
});

test('kubectl apply --dry-run=server answers without storing', async (t) => {
  if (!requireKubectl(t)) return;
  const file = session.file(
    'dry.yaml',
    application(7, '    app: web').replace(/name: web\n {2}labels/, 'name: dry\n  labels'),
  );
  const out = await session.ok(['apply', '--dry-run=server', '-f', file]);
  assert.match(out, /deployment.apps\/dry created \(server dry run\)/);
  const get = await session.run(['get', 'deployment', 'dry']);
  assert.notEqual(get.code, 0);
  assert.match(get.stderr, /deployments.apps "dry" not found/);
});

test('kubectl apply --server-side: a conflict with kubectl scale, then --force-conflicts', async (t) => {
  if (!requireKubectl(t)) return;
  const text = application(2, '    app: api')
    .replace(/name: web\n {2}labels/, 'name: api\n  labels')
    .split('---')[0];
  const file = session.file('api.yaml', text);
  assert.match(await session.ok(['apply', '--server-side', '-f', file]), /deployment.apps\/api serverside-applied/);
  assert.match(await session.ok(['scale', 'deployment', 'api', '--replicas=4']), /deployment.apps\/api scaled/);
  const conflict = await session.run(['apply', '--server-side', '-f', file]);
  assert.notEqual(conflict.code, 0);
  assert.match(
    conflict.stderr,
    /Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps\/v1: \.spec\.replicas/,
  );
  assert.match(conflict.stderr, /\.spec\.replicas/);
  assert.match(await session.ok(['apply', '--server-side', '--force-conflicts', '-f', file]), /serverside-applied/);
  const d = await deployment('api');
  assert.equal(d.spec.replicas, 2);
  assert.ok(d.metadata.managedFields?.some((m) => m.manager === 'kubectl' && m.operation === 'Apply'));
});

test('kubectl scale, set image, label and annotate change what they say', async (t) => {
  if (!requireKubectl(t)) return;
  await session.ok(['scale', 'deployment', 'web', '--replicas=5']);
  await session.ok(['set', 'image', 'deployment/web', 'web=nginx:1.27']);
  await session.ok(['label', 'deployment', 'web', 'team=blue']);
  await session.ok(['annotate', 'deployment', 'web', 'note=hello']);
  const d = await deployment();
  assert.equal(d.spec.replicas, 5);
  assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.27');
  assert.equal(d.metadata.labels?.team, 'blue');
  assert.equal(d.metadata.annotations?.note, 'hello');
  await session.ok(['label', 'deployment', 'web', 'team-']);
  assert.equal((await deployment()).metadata.labels?.team, undefined);
});

test('kubectl patch --type json, merge and strategic', async (t) => {
  if (!requireKubectl(t)) return;
  await session.ok([
    'patch',
    'deployment',
    'web',
    '--type',
    'json',
    '-p',
    '[{"op":"replace","path":"/spec/replicas","value":1}]',
  ]);
  assert.equal((await deployment()).spec.replicas, 1);
  await session.ok(['patch', 'deployment', 'web', '--type', 'merge', '-p', '{"metadata":{"labels":{"merged":"yes"}}}']);
  assert.equal((await deployment()).metadata.labels?.merged, 'yes');
  await session.ok([
    'patch',
    'deployment',
    'web',
    '--type',
    'strategic',
    '-p',
    '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.28"}]}}}}',
  ]);
  const d = await deployment();
  assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.28');
  const failed = await session.run([
    'patch',
    'deployment',
    'web',
    '--type',
    'json',
    '-p',
    '[{"op":"test","path":"/spec/replicas","value":9}]',
  ]);
  assert.notEqual(failed.code, 0);
  assert.match(failed.stderr, /The request is invalid: the server rejected our request due to an error in our request/);
});
