// The resource verbs over HTTPS with the apiserver's codes, reasons and messages: create, get,
// list with selectors and pages, update with optimistic concurrency, delete with propagation and
// preconditions, dryRun, fieldValidation, 404 for unknown resources and objects, 405, and 422
// with causes from the simulator's validation.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { configMap, deployment, eventually, startServer, type Harness } from './serverHarness';

let h: Harness;
before(async () => {
  h = await startServer();
});
after(() => h.stop());

const cms = '/api/v1/namespaces/default/configmaps';

test('create answers 201 with the stored object; a second create is 409 AlreadyExists; get finds it', async () => {
  const created = await h.request('POST', cms, { body: configMap('one') });
  assert.equal(created.status, 201, created.text);
  const meta = created.json.metadata as Record<string, unknown>;
  assert.equal(meta.namespace, 'default');
  assert.match(String(meta.uid), /^[0-9a-f-]{36}$/);
  assert.match(String(meta.resourceVersion), /^\d+$/);
  const again = await h.request('POST', cms, { body: configMap('one') });
  assert.equal(again.status, 409);
  assert.equal(again.json.reason, 'AlreadyExists');
  assert.equal(again.json.message, 'configmaps "one" already exists');
  const got = await h.request('GET', `${cms}/one`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.json.data, { a: '1' });
});

test('a body without apiVersion and kind takes the endpoint ones, as client libraries send it', async () => {
  const bare = await h.request('POST', cms, { body: { metadata: { name: 'bare' }, data: { a: 'b' } } });
  assert.equal(bare.status, 201, bare.text);
  assert.equal(bare.json.kind, 'ConfigMap');
  const wrong = await h.request('POST', cms, { body: { ...configMap('wrong'), apiVersion: 'apps/v1' } });
  assert.equal(wrong.status, 400);
  assert.equal(
    wrong.json.message,
    'the API version in the data (apps/v1) does not match the expected API version (v1)',
  );
  const namespace = await h.request('POST', cms, {
    body: { ...configMap('elsewhere'), metadata: { name: 'elsewhere', namespace: 'kube-system' } },
  });
  assert.equal(namespace.status, 400);
  assert.equal(
    namespace.json.message,
    'the namespace of the provided object does not match the namespace sent on the request',
  );
});

test('unknown resources and objects are 404 NotFound in the apiserver words; a wrong verb is 405', async () => {
  const resource = await h.request('GET', '/api/v1/namespaces/default/widgets');
  assert.equal(resource.status, 404);
  assert.equal(resource.json.reason, 'NotFound');
  assert.equal(resource.json.message, 'the server could not find the requested resource');
  const group = await h.request('GET', '/apis/example.com/v1/widgets');
  assert.equal(group.status, 404);
  const object = await h.request('GET', '/apis/apps/v1/namespaces/default/deployments/nothing');
  assert.equal(object.status, 404);
  assert.equal(object.json.message, 'deployments.apps "nothing" not found');
  assert.deepEqual(object.json.details, { name: 'nothing', group: 'apps', kind: 'deployments' });
  const method = await h.request('POST', `${cms}/one`, { body: configMap('one') });
  assert.equal(method.status, 405);
  assert.equal(method.json.reason, 'MethodNotAllowed');
});

test('an invalid object gets 422 Invalid with a cause per field, from the simulator validation', async () => {
  const bad = deployment('Bad_Name');
  const reply = await h.request('POST', '/apis/apps/v1/namespaces/default/deployments', { body: bad });
  assert.equal(reply.status, 422, reply.text);
  assert.equal(reply.json.reason, 'Invalid');
  assert.match(String(reply.json.message), /^Deployment\.apps "Bad_Name" is invalid: /);
  const details = reply.json.details as { causes: { field: string; reason: string; message: string }[] };
  assert.ok(
    details.causes.some((c) => c.field === 'metadata.name' && c.reason === 'FieldValueInvalid'),
    JSON.stringify(details.causes),
  );
});

test('an update with a stale resourceVersion is 409 Conflict as upstream says it; a current one passes', async () => {
  const current = (await h.request('GET', `${cms}/one`)).json;
  const stale = { ...current, data: { a: '2' } };
  const first = await h.request('PUT', `${cms}/one`, { body: stale });
  assert.equal(first.status, 200, first.text);
  assert.deepEqual(first.json.data, { a: '2' });
  const second = await h.request('PUT', `${cms}/one`, { body: { ...stale, data: { a: '3' } } });
  assert.equal(second.status, 409);
  assert.equal(second.json.reason, 'Conflict');
  assert.equal(
    second.json.message,
    'Operation cannot be fulfilled on configmaps "one": the object has been modified; ' +
      'please apply your changes to the latest version and try again',
  );
  const renamed = await h.request('PUT', `${cms}/one`, { body: configMap('two') });
  assert.equal(renamed.status, 400);
  assert.equal(renamed.json.message, 'the name of the object (two) does not match the name on the URL (one)');
});

test('list filters by label selector (=, ==, !=, in, notin, exists, !) and pages with limit and continue', async () => {
  for (const [name, tier] of [
    ['l1', 'web'],
    ['l2', 'db'],
    ['l3', 'cache'],
    ['l4', undefined],
  ] as const)
    await h.request('POST', cms, { body: configMap(name, {}, tier ? { tier, set: 'lists' } : { set: 'lists' }) });
  const names = async (selector: string) => {
    const reply = await h.request('GET', `${cms}?labelSelector=${encodeURIComponent(selector)}`);
    assert.equal(reply.status, 200, reply.text);
    return (reply.json.items as { metadata: { name: string } }[]).map((i) => i.metadata.name);
  };
  assert.deepEqual(await names('set=lists,tier=web'), ['l1']);
  assert.deepEqual(await names('set==lists,tier!=web'), ['l2', 'l3', 'l4']);
  assert.deepEqual(await names('tier in (web, db)'), ['l1', 'l2']);
  assert.deepEqual(await names('set=lists,tier notin (web)'), ['l2', 'l3', 'l4']);
  assert.deepEqual(await names('set,!tier'), ['l4']);
  assert.deepEqual(await names('set=lists,tier'), ['l1', 'l2', 'l3']);
  const badSelector = await h.request('GET', `${cms}?labelSelector=${encodeURIComponent('a in ()')}`);
  assert.equal(badSelector.status, 400);
  const field = await h.request('GET', `${cms}?fieldSelector=metadata.name%3Dl2`);
  assert.deepEqual(
    (field.json.items as { metadata: { name: string } }[]).map((i) => i.metadata.name),
    ['l2'],
  );
  const badField = await h.request('GET', `${cms}?fieldSelector=spec.foo%3Dx`);
  assert.equal(badField.status, 400);
  assert.match(String(badField.json.message), /"spec\.foo" is not a known field selector/);
  const seen: string[] = [];
  let next = '';
  let pages = 0;
  do {
    const page = await h.request('GET', `${cms}?labelSelector=set%3Dlists&limit=3${next ? `&continue=${next}` : ''}`);
    const meta = page.json.metadata as { continue?: string; remainingItemCount?: number; resourceVersion: string };
    seen.push(...(page.json.items as { metadata: { name: string } }[]).map((i) => i.metadata.name));
    next = meta.continue ?? '';
    if (pages === 0) assert.equal(meta.remainingItemCount, 1);
    pages++;
  } while (next && pages < 5);
  assert.equal(pages, 2);
  assert.deepEqual(seen, ['l1', 'l2', 'l3', 'l4']);
  const badContinue = await h.request('GET', `${cms}?limit=1&continue=garbage`);
  assert.equal(badContinue.status, 400);
});

test('dryRun=All runs admission and validation and stores nothing', async () => {
  const dry = await h.request('POST', `${cms}?dryRun=All`, { body: configMap('dry') });
  assert.equal(dry.status, 201, dry.text);
  assert.equal((await h.request('GET', `${cms}/dry`)).status, 404);
  const invalid = await h.request('POST', `/apis/apps/v1/namespaces/default/deployments?dryRun=All`, {
    body: deployment('Bad_Name'),
  });
  assert.equal(invalid.status, 422);
});

test('fieldValidation: Strict refuses an unknown field, Warn warns and drops it, Ignore drops it', async () => {
  const withFoo = { ...deployment('fv'), spec: { ...deployment('fv').spec, foo: 1 } };
  const deployments = '/apis/apps/v1/namespaces/default/deployments';
  const strict = await h.request('POST', `${deployments}?fieldValidation=Strict`, { body: withFoo });
  assert.equal(strict.status, 400);
  assert.equal(strict.json.reason, 'BadRequest');
  assert.equal(
    strict.json.message,
    'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"',
  );
  const warn = await h.request('POST', `${deployments}?fieldValidation=Warn&dryRun=All`, { body: withFoo });
  assert.equal(warn.status, 201, warn.text);
  assert.equal(warn.headers.warning, '299 - "unknown field \\"spec.foo\\""');
  assert.equal((warn.json.spec as Record<string, unknown>).foo, undefined);
  const ignore = await h.request('POST', `${deployments}?fieldValidation=Ignore`, { body: withFoo });
  assert.equal(ignore.status, 201);
  assert.equal(ignore.headers.warning, undefined);
  const twice = JSON.stringify(deployment('dup')).replace('"replicas":2', '"replicas":2,"replicas":3');
  const duplicate = await h.request('POST', `${deployments}?fieldValidation=Strict`, { body: twice });
  assert.equal(duplicate.status, 400);
  assert.match(String(duplicate.json.message), /strict decoding error: duplicate field "spec\.replicas"$/);
  const warned = await h.request('POST', `${deployments}?dryRun=All`, { body: twice });
  assert.equal(warned.status, 201);
  assert.equal(warned.headers.warning, '299 - "duplicate field \\"spec.replicas\\""');
  assert.equal((warned.json.spec as { replicas: number }).replicas, 3, 'the last value wins, as in Go');
  const wrong = await h.request('POST', `${deployments}?fieldValidation=Loud`, { body: withFoo });
  assert.equal(wrong.status, 400);
});

test('delete: a failed precondition is 409; a graceful pod delete answers the pod being deleted', async () => {
  const stale = await h.request('DELETE', `${cms}/one`, { body: { preconditions: { resourceVersion: '1' } } });
  assert.equal(stale.status, 409);
  assert.match(String(stale.json.message), /^Precondition failed: ResourceVersion in precondition: 1, /);
  const gone = await h.request('DELETE', `${cms}/one`);
  assert.equal(gone.status, 200);
  assert.equal(gone.json.status, 'Success');
  assert.equal((await h.request('GET', `${cms}/one`)).status, 404);

  await h.request('POST', '/apis/apps/v1/namespaces/default/deployments', { body: deployment('del', 1) });
  let pod: { metadata: { name: string } } | undefined;
  await eventually(async () => {
    const pods = await h.request('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Ddel');
    const items = pods.json.items as { metadata: { name: string }; spec: { nodeName?: string } }[];
    pod = items.find((p) => p.spec.nodeName);
    return pod !== undefined;
  }, 'the pod to be scheduled');
  const deleted = await h.request('DELETE', `/api/v1/namespaces/default/pods/${pod!.metadata.name}`, {
    body: { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 5 },
  });
  assert.equal(deleted.status, 200, deleted.text);
  assert.equal(deleted.json.kind, 'Pod');
  const meta = deleted.json.metadata as Record<string, unknown>;
  assert.equal(meta.deletionGracePeriodSeconds, 5);
  assert.ok(meta.deletionTimestamp);
  const orphan = await h.request('DELETE', '/apis/apps/v1/namespaces/default/deployments/del', {
    body: { propagationPolicy: 'Sideways' },
  });
  assert.equal(orphan.status, 400);
  const foreground = await h.request('DELETE', '/apis/apps/v1/namespaces/default/deployments/del', {
    body: { propagationPolicy: 'Foreground' },
  });
  assert.equal(foreground.status, 200);
  assert.deepEqual((foreground.json.metadata as { finalizers: string[] }).finalizers, ['foregroundDeletion']);
});

test('version, health and discovery answer as kube-apiserver does', async () => {
  const version = await h.request('GET', '/version');
  assert.equal(version.json.gitVersion, 'v1.35.0');
  assert.equal(version.json.minor, '35');
  const healthz = await h.request('GET', '/livez?verbose');
  assert.match(healthz.text, /livez check passed/);
  const legacy = await h.request('GET', '/api/v1');
  const resources = legacy.json.resources as { name: string; shortNames?: string[]; verbs: string[] }[];
  assert.deepEqual(resources.find((r) => r.name === 'pods')?.shortNames, ['po']);
  assert.ok(resources.some((r) => r.name === 'pods/log'));
  const aggregated = await h.request('GET', '/apis', {
    accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
  });
  assert.equal(
    aggregated.headers['content-type'],
    'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  );
  const apps = (
    aggregated.json.items as { metadata: { name: string }; versions: { resources: Record<string, unknown>[] }[] }[]
  ).find((g) => g.metadata.name === 'apps');
  const deploy = apps?.versions[0].resources.find((r) => r.resource === 'deployments');
  assert.deepEqual(deploy?.shortNames, ['deploy']);
  assert.deepEqual(deploy?.categories, ['all']);
  assert.ok((deploy?.subresources as { subresource: string }[]).some((s) => s.subresource === 'scale'));
  const beta = await h.request('GET', '/api', {
    accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
  });
  assert.equal(beta.json.apiVersion, 'apidiscovery.k8s.io/v2beta1');
  const plain = await h.request('GET', '/api');
  assert.deepEqual(plain.json.versions, ['v1']);
  const index = await h.request('GET', '/openapi/v3');
  const url = (index.json.paths as Record<string, { serverRelativeURL: string }>)['apis/apps/v1'].serverRelativeURL;
  const document = await h.request('GET', url);
  assert.equal(document.status, 200);
  assert.equal(document.json.openapi, '3.0.0');
  assert.ok(
    (document.json.components as { schemas: Record<string, unknown> }).schemas['io.k8s.api.apps.v1.Deployment'],
  );
});
