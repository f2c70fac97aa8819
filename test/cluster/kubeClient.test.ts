// The kubeconfig bundle: dist/kubeClient.js holds client-node and is loaded on first use; it
// lists a kubeconfig's contexts, opens a target on one, and says which contexts there are
// when asked for one that is not. The other bundles carry none of client-node.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadKubeClient } from '../../src/core/cluster/kubeClientLoader';
import { repoRoot } from '../trace/traceInputs';

const bundle = path.join(repoRoot, 'dist/kubeClient.js');

function kubeconfigFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-kubeconfig-'));
  const file = path.join(dir, 'config');
  fs.writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: sim',
      '  cluster: {server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true}',
      'contexts:',
      '- name: podtrace-sim',
      '  context: {cluster: sim, user: u, namespace: team}',
      '- name: other',
      '  context: {cluster: sim, user: u}',
      'current-context: podtrace-sim',
      'users:',
      '- name: u',
      '  user: {token: not-a-real-token}',
      '',
    ].join('\n'),
  );
  return file;
}

test('the bundle lists the contexts and opens a target on the current one or the one asked for', async () => {
  const client = loadKubeClient(bundle);
  assert.equal(loadKubeClient(bundle), client, 'loaded once');
  const file = kubeconfigFile();
  const contexts = await client.kubeconfigContexts({ file });
  assert.deepEqual(
    contexts.map((c) => `${c.name} ${c.server} ${c.namespace} ${c.current}`),
    ['podtrace-sim https://127.0.0.1:6443 team true', 'other https://127.0.0.1:6443 default false'],
  );
  const current = await client.openKubeconfigTarget({ file });
  assert.deepEqual(current.describe(), {
    name: 'podtrace-sim',
    kind: 'kubeconfig',
    context: 'podtrace-sim',
    server: 'https://127.0.0.1:6443',
    namespace: 'team',
  });
  const other = await client.openKubeconfigTarget({ file, context: 'other' });
  assert.equal(other.describe().namespace, 'default');
  await assert.rejects(
    client.openKubeconfigTarget({ file, context: 'prod' }),
    /expected a context named "prod", found podtrace-sim, other/,
  );
  await current.close();
  await other.close();
});

test('a missing bundle is named in the error', () => {
  assert.throws(
    () => loadKubeClient(path.join(repoRoot, 'dist/nothing-here.js')),
    /expected the kubeconfig bundle at .*nothing-here\.js/,
  );
});

test('only the kubeconfig bundle carries client-node', () => {
  assert.ok(fs.readFileSync(bundle, 'utf8').includes('ObjectSerializer'), 'dist/kubeClient.js bundles client-node');
  for (const other of ['extension.js', 'traceWorker.js', 'cli.js']) {
    const text = fs.readFileSync(path.join(repoRoot, 'dist', other), 'utf8');
    assert.equal(text.includes('ObjectSerializer'), false, `dist/${other} carries client-node`);
  }
});
