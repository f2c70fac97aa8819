// One PATCH request end to end through the handler's checks: content types, PatchOptions,
// decoding, field validation, identity and managedFields, with the apiserver's codes and texts.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../../../src/core/server/patch/jsonValue';
import { readManagers } from '../../../src/core/server/patch/managedFields';
import type { PatchRequest } from '../../../src/core/server/patch/patchRequest';
import { applyPatchRequest } from '../../../src/core/server/patch/patchRequest';
import { ApiError } from '../../../src/core/sim/store/apiError';

const live: JsonObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
  },
};

function request(contentType: string, body: string, extra: Partial<PatchRequest> = {}): PatchRequest {
  return {
    contentType,
    body,
    live,
    target: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      qualifiedResource: 'deployments.apps',
      name: 'web',
      namespace: 'default',
    },
    parameters: {},
    now: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

function refusal(r: PatchRequest): ApiError {
  try {
    applyPatchRequest(r);
  } catch (error) {
    assert.ok(error instanceof ApiError, String(error));
    return error;
  }
  assert.fail('expected the request to be refused');
}

test('each patch type applies, and an Update manager from the user agent takes the changed field', () => {
  const types: [string, string][] = [
    ['application/json-patch+json', '[{"op":"replace","path":"/spec/replicas","value":3}]'],
    ['application/merge-patch+json; charset=utf-8', '{"spec":{"replicas":3}}'],
    ['application/strategic-merge-patch+json', '{"spec":{"replicas":3}}'],
  ];
  for (const [type, body] of types) {
    const result = applyPatchRequest(
      request(type, body, { parameters: { userAgent: 'kubectl/v1.32.0 (linux/amd64)' } }),
    );
    assert.equal((result.object.spec as JsonObject).replicas, 3, type);
    assert.equal(result.created, false);
    const [manager] = readManagers(result.object);
    assert.equal(manager.manager, 'kubectl');
    assert.equal(manager.operation, 'Update');
    assert.deepEqual(manager.fields.paths(), [['f:spec', 'f:replicas']]);
  }
});

test('an apply creates a missing object; other patch types answer 404', () => {
  const config = JSON.stringify({ ...live, metadata: { name: 'web' } });
  const created = applyPatchRequest(
    request('application/apply-patch+yaml', config, { live: undefined, parameters: { fieldManager: 'kubectl' } }),
  );
  assert.equal(created.created, true);
  assert.equal((created.object.metadata as JsonObject).namespace, 'default');
  const missing = refusal(request('application/merge-patch+json', '{}', { live: undefined }));
  assert.equal(missing.code, 404);
  assert.equal(missing.message, 'deployments.apps "web" not found');
});

test('an unknown Content-Type is 415 naming the accepted ones', () => {
  const error = refusal(request('application/json', '{}'));
  assert.equal(error.code, 415);
  assert.match(
    error.message,
    /accepted media types include: application\/json-patch\+json, application\/merge-patch\+json/,
  );
});

test('PatchOptions: apply needs a fieldManager, force is for apply only, fieldValidation is an enum', () => {
  const noManager = refusal(request('application/apply-patch+yaml', 'apiVersion: apps/v1\nkind: Deployment\n'));
  assert.equal(noManager.code, 422);
  assert.equal(
    noManager.message,
    'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
  );
  const force = refusal(request('application/merge-patch+json', '{}', { parameters: { force: true } }));
  assert.equal(
    force.message,
    'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
  );
  assert.equal(
    refusal(request('application/merge-patch+json', '{}', { parameters: { fieldValidation: 'Loud' } })).code,
    422,
  );
});

test('malformed bodies are 400 with the decoder text', () => {
  const json = refusal(request('application/merge-patch+json', '{"spec":'));
  assert.equal(json.code, 400);
  assert.match(json.message, /^error decoding patch: /);
  const yaml = refusal(
    request('application/apply-patch+yaml', 'apiVersion: apps/v1\nkind: [Deployment\n', {
      parameters: { fieldManager: 'k' },
    }),
  );
  assert.equal(yaml.code, 400);
  assert.match(yaml.message, /^error decoding YAML: error converting YAML to JSON: yaml: line \d+: /);
  const list = refusal(request('application/apply-patch+yaml', '- a\n', { parameters: { fieldManager: 'k' } }));
  assert.equal(
    list.message,
    'error decoding YAML: json: cannot unmarshal array into Go value of type map[string]interface {}',
  );
});

test('unknown fields: warnings by default, 422 under Strict, ignored under Ignore; apply always refuses them', () => {
  const body = '{"spec":{"replicaz":3}}';
  const warned = applyPatchRequest(request('application/merge-patch+json', body));
  assert.deepEqual(warned.warnings, ['unknown field "spec.replicaz"']);
  assert.deepEqual(
    applyPatchRequest(request('application/merge-patch+json', body, { parameters: { fieldValidation: 'Ignore' } }))
      .warnings,
    [],
  );
  const strict = refusal(request('application/merge-patch+json', body, { parameters: { fieldValidation: 'Strict' } }));
  assert.equal(strict.code, 422);
  assert.match(strict.message, /patch: Invalid value: ".*": strict decoding error: unknown field "spec.replicaz"$/);
  const applied = refusal(
    request(
      'application/apply-patch+yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicaz: 3\n',
      {
        parameters: { fieldManager: 'kubectl' },
      },
    ),
  );
  assert.equal(applied.code, 500);
  assert.equal(
    applied.message,
    'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): ' +
      '.spec.replicaz: field not declared in schema',
  );
});

test('a name or namespace other than the URL is 400; an apply of another version is 400', () => {
  const renamed = refusal(request('application/merge-patch+json', '{"metadata":{"name":"other"}}'));
  assert.equal(renamed.message, 'the name of the object (other) does not match the name on the URL (web)');
  const moved = refusal(request('application/merge-patch+json', '{"metadata":{"namespace":"prod"}}'));
  assert.equal(moved.code, 400);
  const version = refusal(
    request('application/apply-patch+yaml', 'apiVersion: apps/v1beta1\nkind: Deployment\n', {
      parameters: { fieldManager: 'k' },
    }),
  );
  assert.equal(
    version.message,
    'Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1',
  );
});
