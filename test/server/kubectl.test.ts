// The real kubectl (1.32, from $KUBECTL or PATH) against `podtrace serve`, with the kubeconfig it
// writes: version, api-resources, create and apply of a multi-document application, server dry
// run, strict validation, get in its forms, a bounded get -w, wait, rollout status, describe with
// events, logs and a graceful delete. Without kubectl the tests are skipped with a message, and
// fail when CI is set: the real client is the point.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { startServe, type ServeProcess } from './serveProcess';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/server');

function findKubectl(): string | undefined {
  if (process.env.KUBECTL) return process.env.KUBECTL;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'kubectl');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

const kubectlPath = findKubectl();
const missing = kubectlPath
  ? undefined
  : 'kubectl was not found: install kubectl 1.32 on PATH or set KUBECTL to its path to run these tests';
if (missing && process.env.CI) throw new Error(missing);

let serve: ServeProcess;
let cacheDir: string;

before(async () => {
  if (missing) return;
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-kubectl-cache-'));
  serve = await startServe(['--nodes', '2', '--speed', '20', '--kubernetes-version', '1.32']);
});

after(async () => {
  if (missing) return;
  assert.equal(await serve.stop('SIGTERM'), 0, serve.stderr());
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

function kubectl(args: readonly string[], timeoutMs = 60_000): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(kubectlPath!, ['--kubeconfig', serve.kubeconfig, '--cache-dir', cacheDir, ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function ok(args: readonly string[], timeoutMs?: number): string {
  const result = kubectl(args, timeoutMs);
  assert.equal(result.code, 0, `kubectl ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

function kubectlTest(name: string, run: () => void | Promise<void>): void {
  void test(name, missing ? { skip: missing } : {}, run);
}

kubectlTest('kubectl version and api-resources read the server', () => {
  const version = JSON.parse(ok(['version', '-o', 'json'])) as { serverVersion: { gitVersion: string } };
  assert.equal(version.serverVersion.gitVersion, 'v1.32.0');
  const resources = ok(['api-resources']);
  assert.match(resources, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
  assert.match(resources, /^poddisruptionbudgets\s+pdb\s+policy\/v1\s+true\s+PodDisruptionBudget$/m);
  assert.match(ok(['api-resources', '--categories', 'all', '-o', 'name']), /^pods$/m);
});

kubectlTest('kubectl create -f creates every document of a multi-document application', () => {
  const out = ok(['create', '-f', path.join(fixtures, 'app.yaml')]);
  assert.deepEqual(out.trim().split('\n'), [
    'configmap/web-config created',
    'deployment.apps/web created',
    'service/web created',
    'ingress.networking.k8s.io/web created',
  ]);
});

kubectlTest('kubectl apply creates on first apply; --dry-run=server stores nothing; strict validation refuses', () => {
  const dry = ok(['apply', '--dry-run=server', '-f', path.join(fixtures, 'api.yaml')]);
  assert.match(dry, /deployment\.apps\/api created \(server dry run\)/);
  assert.equal(kubectl(['get', 'deployment', 'api']).code, 1, 'a server dry run stored nothing');
  const applied = ok(['apply', '-f', path.join(fixtures, 'api.yaml')]);
  assert.match(applied, /^deployment\.apps\/api created$/m);
  assert.match(applied, /^service\/api created$/m);
  const annotations = JSON.parse(ok(['get', 'deployment', 'api', '-o', 'json'])).metadata.annotations;
  assert.ok(annotations['kubectl.kubernetes.io/last-applied-configuration'], 'apply recorded its configuration');
  const strict = kubectl(['apply', '--validate=strict', '-f', path.join(fixtures, 'unknown-field.yaml')]);
  assert.equal(strict.code, 1);
  assert.match(strict.stderr, /^Error from server \(BadRequest\): error when creating /m);
  assert.ok(
    strict.stderr.includes('strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolicyy"'),
    strict.stderr,
  );
});

kubectlTest('kubectl wait and rollout status succeed once the pods are Ready', () => {
  assert.match(ok(['rollout', 'status', 'deployment/web', '--timeout=90s'], 100_000), /successfully rolled out/);
  const waited = ok(['wait', '--for=condition=Ready', 'pod', '-l', 'app=web', '--timeout=60s'], 70_000);
  assert.equal(waited.trim().split('\n').length, 2, waited);
  assert.match(waited, /condition met/);
});

kubectlTest('kubectl get pods, -o wide, -o yaml, and a bounded get -w', async () => {
  const pods = ok(['get', 'pods', '-l', 'app=web']);
  assert.match(pods, /^NAME\s/);
  assert.equal(pods.trim().split('\n').length, 3, pods);
  ok(['get', 'pods', '-o', 'wide']);
  const yaml = ok(['get', 'pods', '-l', 'app=web', '-o', 'yaml']);
  assert.match(yaml, /^kind: List$/m);
  assert.match(yaml, /nodeName: node-\d/);
  const names = ok(['get', 'deploy,svc,ing,cm', '-o', 'name']).trim().split('\n');
  for (const name of ['deployment.apps/web', 'service/web', 'ingress.networking.k8s.io/web', 'configmap/web-config'])
    assert.ok(names.includes(name), `${name} in ${names.join(' ')}`);
  // get -w for a bounded time: the current pods first, then a change made while it watches.
  const watcher = spawn(kubectlPath!, [
    '--kubeconfig',
    serve.kubeconfig,
    '--cache-dir',
    cacheDir,
    'get',
    'pods',
    '-w',
    '-l',
    'app=api',
  ]);
  let out = '';
  watcher.stdout.on('data', (c: Buffer) => (out += c.toString()));
  await new Promise((r) => setTimeout(r, 1500));
  ok(['delete', 'pod', '-l', 'app=api', '--wait=false']);
  await new Promise((r) => setTimeout(r, 2500));
  watcher.kill('SIGINT');
  await new Promise((r) => watcher.once('exit', r));
  const lines = out.trim().split('\n');
  assert.ok(lines.length >= 3, `get -w printed the pod and its changes:\n${out}`);
  assert.match(lines[1], /^api-/);
});

kubectlTest('kubectl describe pod shows its events, and kubectl logs the application model lines', () => {
  const name = ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']);
  const described = ok(['describe', 'pod', name]);
  assert.match(described, /^Events:/m);
  assert.match(described, /Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\//);
  assert.match(described, /Normal\s+Started\s+\S+\s+kubelet\s+\S/);
  assert.equal(ok(['logs', name]), 'starting nginx:1.27\nlistening on :80\n');
  assert.equal(ok(['logs', name, '--tail=1']), 'listening on :80\n');
});

kubectlTest('kubectl delete is graceful: the pod goes once the kubelet has stopped it', () => {
  const name = ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']);
  assert.equal(ok(['delete', 'pod', name, '--timeout=60s'], 70_000).trim(), `pod "${name}" deleted`);
  assert.equal(kubectl(['get', 'pod', name]).code, 1);
  assert.match(ok(['delete', '-f', path.join(fixtures, 'app.yaml')]), /deployment\.apps "web" deleted/);
});
