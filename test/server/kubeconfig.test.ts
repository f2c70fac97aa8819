// The kubeconfig podtrace serve writes: a new file with the podtrace-sim context, or the
// podtrace-sim entries merged into an existing file that keeps everything else, after a backup.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { writeKubeconfig } from '../../src/core/server/kubeconfig';

const entry = {
  server: 'https://127.0.0.1:6443',
  caPem: '-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n',
  token: 'tok',
};

function inTemp(run: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-kubeconfig-'));
  try {
    run(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a new kubeconfig has the podtrace-sim cluster, user and context, is the current one, and is mode 0600', () =>
  inTemp((dir) => {
    const file = path.join(dir, 'sub', 'config');
    const written = writeKubeconfig(file, entry);
    assert.equal(written.path, file);
    assert.equal(written.backup, undefined);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const config = parse(fs.readFileSync(file, 'utf8'));
    assert.equal(config['current-context'], 'podtrace-sim');
    assert.deepEqual(config.contexts, [
      { name: 'podtrace-sim', context: { cluster: 'podtrace-sim', user: 'podtrace-sim' } },
    ]);
    assert.equal(config.clusters[0].cluster.server, entry.server);
    assert.equal(
      Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString(),
      entry.caPem,
    );
    assert.deepEqual(config.users, [{ name: 'podtrace-sim', user: { token: 'tok' } }]);
  }));

test('merging keeps other entries, the current context and comments, replaces podtrace-sim, and backs up', () =>
  inTemp((dir) => {
    const file = path.join(dir, 'config');
    const before = [
      '# my clusters',
      'apiVersion: v1',
      'kind: Config',
      'current-context: prod',
      'clusters:',
      '- name: prod',
      '  cluster: {server: "https://prod:6443"}',
      '- name: podtrace-sim',
      '  cluster: {server: "https://127.0.0.1:1"}',
      'users:',
      '- name: prod',
      '  user: {token: prod-token}',
      'contexts:',
      '- name: prod',
      '  context: {cluster: prod, user: prod}',
      '',
    ].join('\n');
    fs.writeFileSync(file, before, { mode: 0o644 });
    const written = writeKubeconfig(file, entry);
    assert.equal(written.backup, `${file}.podtrace-backup`);
    assert.equal(fs.readFileSync(written.backup!, 'utf8'), before);
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.startsWith('# my clusters'), text);
    const config = parse(text);
    assert.equal(config['current-context'], 'prod');
    assert.deepEqual(
      config.clusters.map((c: { name: string }) => c.name),
      ['prod', 'podtrace-sim'],
    );
    assert.equal(config.clusters[1].cluster.server, entry.server);
    assert.deepEqual(
      config.users.map((c: { name: string }) => c.name),
      ['prod', 'podtrace-sim'],
    );
    assert.equal(config.users[0].user.token, 'prod-token');
    assert.deepEqual(
      config.contexts.map((c: { name: string }) => c.name),
      ['prod', 'podtrace-sim'],
    );
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  }));

test('a file that is not a kubeconfig is refused with where and why, and left as it was', () =>
  inTemp((dir) => {
    const file = path.join(dir, 'config');
    fs.writeFileSync(file, 'clusters: 5\n');
    assert.throws(() => writeKubeconfig(file, entry), new RegExp(`${file}: expected "clusters" to be a list`));
    assert.equal(fs.readFileSync(file, 'utf8'), 'clusters: 5\n');
    fs.writeFileSync(file, '- a list\n');
    assert.throws(() => writeKubeconfig(file, entry), /expected a kubeconfig \(a YAML mapping\)/);
  }));
