// Watches over HTTPS: ADDED/MODIFIED/DELETED lines from a resourceVersion, selector transitions,
// bookmarks, timeoutSeconds, and a resourceVersion older than the watch cache's window answered
// with the ERROR event holding 410 Expired, after which a client lists and watches again.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { configMap, readLines, startServer, type Harness } from './serverHarness';

let h: Harness;
before(async () => {
  h = await startServer({ speed: 100 });
});
after(() => h.stop());

const cms = '/api/v1/namespaces/default/configmaps';
type Line = { type: string; object: { metadata: { name: string; resourceVersion: string; annotations?: object } } };

test('a watch from a list resourceVersion sees the later changes in order, and ends after timeoutSeconds', async () => {
  const list = await h.request('GET', `${cms}?labelSelector=w%3D1`);
  const rv = (list.json.metadata as { resourceVersion: string }).resourceVersion;
  const { response } = await h.open(`${cms}?watch=true&labelSelector=w%3D1&resourceVersion=${rv}&timeoutSeconds=3`);
  assert.equal(response.headers['content-type'], 'application/json');
  await h.request('POST', cms, { body: configMap('w1', {}, { w: '1' }) });
  const current = (await h.request('GET', `${cms}/w1`)).json;
  await h.request('PUT', `${cms}/w1`, { body: { ...current, data: { b: '2' } } });
  // Relabelled out of the selection: the watch sees it leave as DELETED.
  const again = (await h.request('GET', `${cms}/w1`)).json;
  await h.request('PUT', `${cms}/w1`, { body: { ...again, metadata: { ...(again.metadata as object), labels: {} } } });
  const lines = (await readLines(response, (l) => l.length >= 3)) as Line[];
  assert.deepEqual(
    lines.map((l) => `${l.type} ${l.object.metadata.name}`),
    ['ADDED w1', 'MODIFIED w1', 'DELETED w1'],
  );
  const rvs = lines.map((l) => Number(l.object.metadata.resourceVersion));
  assert.ok(rvs[0] > Number(rv) && rvs[0] < rvs[1] && rvs[1] < rvs[2], rvs.join(' '));
  const started = Date.now();
  await new Promise((resolve) => response.on('end', resolve));
  assert.ok(Date.now() - started < 5000, 'the watch ended after its timeout');
});

test('a watch without a resourceVersion starts with the current objects as ADDED; field selectors select', async () => {
  await h.request('POST', cms, { body: configMap('f1') });
  await h.request('POST', cms, { body: configMap('f2') });
  const { response, request } = await h.open(`${cms}?watch=1&fieldSelector=metadata.name%3Df2`);
  const lines = (await readLines(response, (l) => l.length >= 1)) as Line[];
  assert.deepEqual(
    lines.map((l) => `${l.type} ${l.object.metadata.name}`),
    ['ADDED f2'],
  );
  request.destroy();
});

test('the legacy /watch/ path and a watch of one object by name work as upstream', async () => {
  const { response, request } = await h.open('/api/v1/watch/namespaces/default/configmaps/f1');
  const lines = (await readLines(response, (l) => l.length >= 1)) as Line[];
  assert.equal(lines[0].type, 'ADDED');
  assert.equal(lines[0].object.metadata.name, 'f1');
  request.destroy();
});

test('sendInitialEvents ends the initial objects with the initial-events-end bookmark', async () => {
  const { response, request } = await h.open(
    `${cms}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true` +
      '&fieldSelector=metadata.name%3Df1',
  );
  const lines = (await readLines(response, (l) => l.some((x) => x.type === 'BOOKMARK'))) as Line[];
  assert.deepEqual(
    lines.map((l) => l.type),
    ['ADDED', 'BOOKMARK'],
  );
  assert.deepEqual(lines[1].object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
  request.destroy();
});

test('a watch from a compacted resourceVersion gets 410 Expired as an ERROR event; the client relists', async () => {
  // More than the window's 100 changes, and more than its 75 s of virtual time (0.75 s at speed 100).
  for (let i = 0; i < 110; i++) await h.request('POST', cms, { body: configMap(`fill-${i}`) });
  await new Promise((r) => setTimeout(r, 1500));
  await h.request('POST', cms, { body: configMap('late') });
  const { response } = await h.open(`${cms}?watch=true&resourceVersion=2`);
  assert.equal(response.statusCode, 200);
  const lines = await readLines(response, (l) => l.length >= 1);
  assert.equal(lines.length, 1);
  const error = lines[0] as { type: string; object: { code: number; reason: string; message: string } };
  assert.equal(error.type, 'ERROR');
  assert.equal(error.object.code, 410);
  assert.equal(error.object.reason, 'Expired');
  assert.match(error.object.message, /^too old resource version: 2 \(\d+\)$/);
  // What a reflector does next: list, and watch from the list's resourceVersion.
  const list = await h.request('GET', cms);
  const rv = (list.json.metadata as { resourceVersion: string }).resourceVersion;
  assert.ok((list.json.items as unknown[]).length > 110);
  const resumed = await h.open(`${cms}?watch=true&resourceVersion=${rv}`);
  await h.request('POST', cms, { body: configMap('after-relist') });
  const next = (await readLines(resumed.response, (l) => l.length >= 1)) as Line[];
  assert.deepEqual(
    next.map((l) => `${l.type} ${l.object.metadata.name}`),
    ['ADDED after-relist'],
  );
  resumed.request.destroy();
});
