// The target picker's list of contexts, read without client-node: KUBECONFIG's files merged as
// kubectl merges them (the first file to set a name wins), the default file otherwise, and a
// broken file reported with its name and why, never thrown.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { kubeconfigPaths, listKubeconfigContexts } from '../../src/extension/kubeconfigContexts';

function files(contents: Record<string, string>): (file: string) => string {
  return (file) => {
    if (file in contents) return contents[file];
    throw Object.assign(new Error(`ENOENT: no such file or directory, open '${file}'`), { code: 'ENOENT' });
  };
}

const staging = `
apiVersion: v1
kind: Config
current-context: staging
clusters:
- name: staging-cluster
  cluster: {server: "https://staging.example:6443", certificate-authority-data: Zm9v}
users:
- name: alice
  user: {token: secret-token-1}
contexts:
- name: staging
  context: {cluster: staging-cluster, user: alice, namespace: web}
- name: shared
  context: {cluster: staging-cluster, user: alice}
`;

const local = `
apiVersion: v1
kind: Config
current-context: local
clusters:
- name: local-cluster
  cluster: {server: "https://127.0.0.1:6443"}
- name: staging-cluster
  cluster: {server: "https://elsewhere.example"}
users:
- name: bob
  user: {exec: {command: get-token, apiVersion: client.authentication.k8s.io/v1}}
contexts:
- name: local
  context: {cluster: local-cluster, user: bob}
- name: shared
  context: {cluster: local-cluster, user: bob, namespace: other}
- name: orphan
  context: {cluster: gone, user: bob}
`;

test('KUBECONFIG: several files, the first to set a name wins, and current-context from the first that sets it', () => {
  const listing = listKubeconfigContexts(['/a', '/missing', '/b'], files({ '/a': staging, '/b': local }));
  assert.deepEqual(listing.files, ['/a', '/b']);
  assert.deepEqual(listing.usableFiles, ['/a', '/b']);
  assert.equal(listing.currentContext, 'staging');
  assert.deepEqual(listing.problems, []);
  const byName = new Map(listing.contexts.map((c) => [c.name, c]));
  assert.deepEqual([...byName.keys()], ['staging', 'shared', 'local', 'orphan']);
  assert.deepEqual(byName.get('staging'), {
    name: 'staging',
    file: '/a',
    cluster: 'staging-cluster',
    user: 'alice',
    namespace: 'web',
    server: 'https://staging.example:6443',
    problem: null,
  });
  // `shared` comes from /a (no namespace), and its cluster's server from /a too.
  const shared = byName.get('shared');
  assert.deepEqual([shared?.file, shared?.namespace, shared?.server], ['/a', null, 'https://staging.example:6443']);
  assert.equal(byName.get('local')?.server, 'https://127.0.0.1:6443');
  assert.equal(byName.get('orphan')?.problem, 'cluster "gone" was not found for context "orphan"');
});

test('the paths: KUBECONFIG split on the delimiter, empty and repeated entries skipped; else ~/.kube/config', () => {
  const unix = { homeDirectory: '/home/u/', delimiter: ':', separator: '/' };
  assert.deepEqual(kubeconfigPaths({ ...unix, kubeconfigVariable: '/a::/b:/a' }), ['/a', '/b']);
  assert.deepEqual(kubeconfigPaths({ ...unix, kubeconfigVariable: undefined }), ['/home/u/.kube/config']);
  assert.deepEqual(kubeconfigPaths({ ...unix, kubeconfigVariable: '' }), ['/home/u/.kube/config']);
  const windows = { homeDirectory: 'C:\\Users\\u', delimiter: ';', separator: '\\' };
  assert.deepEqual(kubeconfigPaths({ ...windows, kubeconfigVariable: 'C:\\a;D:\\b' }), ['C:\\a', 'D:\\b']);
  assert.deepEqual(kubeconfigPaths({ ...windows, kubeconfigVariable: undefined }), ['C:\\Users\\u\\.kube\\config']);
});

test('a broken file is a problem naming the file and why; the other files still list their contexts', () => {
  const listing = listKubeconfigContexts(
    ['/broken', '/list', '/entries', '/b'],
    files({
      '/broken': 'clusters: [\n  - name: x\ncontexts: {',
      '/list': '- just\n- a list\n',
      '/entries': 'contexts: nope\nusers:\n- {user: {}}\n',
      '/b': local,
    }),
  );
  assert.deepEqual(
    listing.contexts.map((c) => c.name),
    ['local', 'shared', 'orphan'],
  );
  assert.equal(listing.problems.length, 4, JSON.stringify(listing.problems));
  assert.equal(listing.problems[0].file, '/broken');
  assert.match(listing.problems[0].message, /^\d+:\d+: /);
  assert.equal(listing.problems[0].fatal, true);
  assert.deepEqual(listing.problems.slice(1), [
    {
      file: '/list',
      message: 'expected a kubeconfig (a mapping with clusters, users and contexts), found a list',
      fatal: true,
    },
    { file: '/entries', message: 'users[0]: expected an entry with a name, found {"user":{}}', fatal: false },
    { file: '/entries', message: 'contexts: expected a list, found a string', fatal: false },
  ]);
  // What a target loads: the files that read as kubeconfigs, partly broken ones included.
  assert.deepEqual(listing.usableFiles, ['/entries', '/b']);
});

test('an unreadable file (a directory) is a problem; an empty file lists nothing and is no problem', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-kubeconfig-'));
  try {
    const empty = path.join(dir, 'empty');
    fs.writeFileSync(empty, '');
    const read = (file: string) => fs.readFileSync(file, 'utf8');
    const listing = listKubeconfigContexts([dir, empty, path.join(dir, 'none')], read);
    assert.deepEqual(listing.files, [dir, empty]);
    assert.deepEqual(listing.contexts, []);
    assert.equal(listing.problems.length, 1);
    assert.equal(listing.problems[0].file, dir);
    assert.match(listing.problems[0].message, /^cannot read it: EISDIR/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the listing holds no credential: tokens and exec commands stay in the file', () => {
  const listing = listKubeconfigContexts(['/a', '/b'], files({ '/a': staging, '/b': local }));
  const text = JSON.stringify(listing);
  assert.ok(!text.includes('secret-token-1'), text);
  assert.ok(!text.includes('get-token'), text);
});
