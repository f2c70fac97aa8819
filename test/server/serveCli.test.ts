// `podtrace serve` as a process: it prints the URL and the kubeconfig path (never the token),
// writes a kubeconfig of mode 0600, merges into an existing one, stops with exit 0 on SIGINT and
// SIGTERM (removing a kubeconfig it made in a temporary folder), and refuses bad options with 2.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { cliPath, startServe } from './serveProcess';

function get(url: string, ca: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = https.get(
      `${url}/api/v1/namespaces`,
      { ca, headers: { Authorization: `Bearer ${token}` }, agent: false },
      (r) => {
        r.resume();
        resolve(r.statusCode ?? 0);
      },
    );
    request.on('error', reject);
  });
}

test('serve prints how to use it but not the token, serves the kubeconfig it wrote, stops on SIGTERM', async () => {
  const serve = await startServe(['--port', '0', '--nodes', '1', '--speed', '10']);
  const config = parse(fs.readFileSync(serve.kubeconfig, 'utf8'));
  const token: string = config.users[0].user.token;
  const ca = Buffer.from(config.clusters[0].cluster['certificate-authority-data'], 'base64').toString();
  assert.equal(config.clusters[0].cluster.server, serve.url);
  assert.equal(fs.statSync(serve.kubeconfig).mode & 0o777, 0o600);
  assert.match(serve.stdout(), /kubectl --kubeconfig \S+ get pods/);
  assert.equal(await get(serve.url, ca, token), 200);
  assert.equal(await get(serve.url, ca, 'wrong'), 401);
  const code = await serve.stop('SIGTERM');
  assert.equal(code, 0, serve.stderr());
  assert.ok(!serve.stdout().includes(token) && !serve.stderr().includes(token), 'the token was printed');
  assert.ok(!fs.existsSync(serve.kubeconfig), 'the temporary kubeconfig is removed at stop');
});

test('serve --kubeconfig merges into an existing file, keeps a backup, and stops on SIGINT with 0', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-serve-cli-'));
  try {
    const file = path.join(dir, 'config');
    const before =
      'apiVersion: v1\nkind: Config\ncurrent-context: prod\nclusters:\n- name: prod\n  cluster: {server: "https://prod"}\n';
    fs.writeFileSync(file, before);
    const serve = await startServe(['--kubeconfig', file, '--nodes', '1']);
    assert.equal(serve.kubeconfig, file);
    assert.match(serve.stdout(), /--context podtrace-sim get pods/);
    assert.equal(fs.readFileSync(`${file}.podtrace-backup`, 'utf8'), before);
    const config = parse(fs.readFileSync(file, 'utf8'));
    assert.equal(config['current-context'], 'prod');
    assert.deepEqual(
      config.clusters.map((c: { name: string }) => c.name),
      ['prod', 'podtrace-sim'],
    );
    assert.equal(await serve.stop('SIGINT'), 0, serve.stderr());
    assert.ok(fs.existsSync(file), 'a kubeconfig the user named stays');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('serve refuses bad options and a port in use with status 2 and a message', async () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, [cliPath, 'serve', ...args], { encoding: 'utf8', timeout: 20_000 });
  const port = run(['--port', '70000']);
  assert.equal(port.status, 2);
  assert.match(port.stderr, /--port: expected an integer from 0 to 65535, got "70000"/);
  const speed = run(['--speed', '0']);
  assert.equal(speed.status, 2);
  assert.match(speed.stderr, /--speed: expected a number above 0/);
  const extra = run(['pods.yaml']);
  assert.equal(extra.status, 2);
  assert.match(extra.stderr, /serve takes no arguments, got "pods.yaml"/);
  assert.match(run(['--help']).stdout, /^Usage: podtrace serve \[options\]/);
  const first = await startServe(['--nodes', '1']);
  try {
    const busy = run(['--port', String(new URL(first.url).port), '--nodes', '1']);
    assert.equal(busy.status, 2);
    assert.match(busy.stderr, /port \d+ on 127\.0\.0\.1 is already in use/);
  } finally {
    await first.stop();
  }
});
