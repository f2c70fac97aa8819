// Must-show 4 of issue 22, over HTTPS with node:https: 401 without a token or with a wrong one,
// 127.0.0.1 only, the token in no log line or answer, 413 over 3 MiB, 400 for malformed JSON and
// YAML, 415 for an unknown body type, and a hundred watchers that disconnect leave nothing open.
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as os from 'node:os';
import { after, before, test } from 'node:test';
import { configMap, eventually, startServer, type Harness } from './serverHarness';

let h: Harness;
before(async () => {
  h = await startServer();
});
after(() => h.stop());

test('no token, a wrong token, a token of the wrong length and a Basic header get 401 Unauthorized', async () => {
  const wrong = h.server.token.slice(0, -1) + (h.server.token.endsWith('a') ? 'b' : 'a');
  const attempts: Record<string, string>[] = [
    {},
    { Authorization: `Bearer ${wrong}` },
    { Authorization: 'Bearer short' },
    { Authorization: 'Basic YWRtaW46YWRtaW4=' },
  ];
  for (const headers of attempts) {
    const reply = await h.request('GET', '/api/v1/namespaces/default/pods', { token: null, headers });
    assert.equal(reply.status, 401, JSON.stringify(headers));
    assert.deepEqual(reply.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
  }
  const ok = await h.request('GET', '/api/v1/namespaces/default/pods');
  assert.equal(ok.status, 200);
  // Health checks are public, as on a kubeadm cluster.
  assert.equal((await h.request('GET', '/readyz', { token: null })).text, 'ok');
});

test('the server listens on 127.0.0.1 only', async () => {
  assert.match(h.server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const others = Object.values(os.networkInterfaces())
    .flat()
    .filter((i) => i !== undefined && !i.internal && i.family === 'IPv4')
    .map((i) => i!.address);
  for (const address of [...others, '::1']) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: address, port: h.server.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    assert.ok(refused, `a connection to ${address}:${h.server.port} should be refused`);
  }
});

test('a body over 3 MiB gets 413 with the apiserver message, whether or not it declares its length', async () => {
  const big = JSON.stringify(configMap('big', { a: 'x'.repeat(3 * 1024 * 1024) }));
  const reply = await h.request('POST', '/api/v1/namespaces/default/configmaps', { body: big });
  assert.equal(reply.status, 413);
  assert.equal(reply.json.reason, 'RequestEntityTooLarge');
  assert.equal(reply.json.message, 'Request entity too large: limit is 3145728');
  const chunked = await h.request('POST', '/api/v1/namespaces/default/configmaps', {
    body: big,
    headers: { 'Transfer-Encoding': 'chunked' },
  });
  assert.equal(chunked.status, 413);
});

test('malformed JSON and YAML get 400 BadRequest; an unknown body type gets 415', async () => {
  const json = await h.request('POST', '/api/v1/namespaces/default/configmaps', { body: '{"kind": "ConfigMap",' });
  assert.equal(json.status, 400);
  assert.equal(json.json.reason, 'BadRequest');
  assert.match(String(json.json.message), /^couldn't get version\/kind; json parse error: /);
  const yaml = await h.request('POST', '/api/v1/namespaces/default/configmaps', {
    body: 'kind: ConfigMap\nmetadata: {name: [x\n',
    contentType: 'application/yaml',
  });
  assert.equal(yaml.status, 400);
  assert.match(String(yaml.json.message), /^error converting YAML to JSON: /);
  const xml = await h.request('POST', '/api/v1/namespaces/default/configmaps', {
    body: '<ConfigMap/>',
    contentType: 'application/xml',
  });
  assert.equal(xml.status, 415);
  assert.equal(xml.json.reason, 'UnsupportedMediaType');
  const fromYaml = await h.request('POST', '/api/v1/namespaces/default/configmaps', {
    body: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-yaml}\ndata: {a: "1"}\n',
    contentType: 'application/yaml',
  });
  assert.equal(fromYaml.status, 201, fromYaml.text);
});

test('the token appears in no log line, error answer or header', async () => {
  await h.request('GET', '/api/v1/namespaces/default/nothing');
  await h.request('POST', '/api/v1/namespaces/default/configmaps', { body: '{' });
  const wrong = await h.request('GET', `/api/v1/pods?token=${h.server.token}`, { token: `${h.server.token}x` });
  assert.equal(wrong.status, 401);
  assert.ok(!wrong.text.includes(h.server.token));
  assert.ok(h.log.length > 3, 'the server logged the requests');
  for (const line of h.log) assert.ok(!line.includes(h.server.token), `the token leaked into the log: ${line}`);
});

test('a hundred clients that disconnect in the middle of a watch leave no open watch or socket', async () => {
  const before = h.server.stats();
  const opened = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      h.open(`/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true&labelSelector=n%3D${i}`),
    ),
  );
  assert.equal(h.server.stats().watches, before.watches + 100);
  await h.request('POST', '/api/v1/namespaces/default/configmaps', { body: configMap('wake', {}, { n: '7' }) });
  for (const { request, response } of opened) {
    response.destroy();
    request.destroy();
  }
  await eventually(() => h.server.stats().watches === before.watches, 'every watch to end');
  await eventually(() => h.server.stats().sockets === 0, 'every socket to close');
});
