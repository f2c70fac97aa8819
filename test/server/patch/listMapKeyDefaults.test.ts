// Re-applying a manifest whose list-map items leave out a defaulted key field (a Service port
// without `protocol`) names the same items as the stored object, as structured-merge-diff keys
// them with the schema's default, and changes nothing; the table of such defaults matches the
// OpenAPI documents of both versions.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { JsonObject } from '../../../src/core/server/patch/jsonValue';
import { listMapKeyDefaults } from '../../../src/core/server/patch/listMapKeyDefaults';
import { rootField, schemaForKind } from '../../../src/core/server/patch/patchSchema';
import { serverSideApply } from '../../../src/core/server/patch/serverSideApply';

const shared = path.resolve(__dirname, '../../../../../shared/k8s-openapi');

interface OpenApiSchema {
  readonly properties?: Record<string, OpenApiSchema>;
  readonly items?: { readonly $ref?: string; readonly allOf?: readonly { readonly $ref?: string }[] };
  readonly default?: unknown;
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
}

function openApiFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? openApiFiles(path.join(dir, e.name)) : e.name.endsWith('.json') ? [path.join(dir, e.name)] : [],
    );
}

test('the defaulted list-map key fields are those of the OpenAPI documents with a non-zero default', () => {
  const found: Record<string, Record<string, unknown>> = {};
  for (const version of ['v1.32', 'v1.35']) {
    for (const file of openApiFiles(path.join(shared, version))) {
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        components?: { schemas?: Record<string, OpenApiSchema> };
      };
      const schemas = doc.components?.schemas ?? {};
      for (const schema of Object.values(schemas))
        for (const property of Object.values(schema.properties ?? {})) {
          const keys = property['x-kubernetes-list-map-keys'];
          const ref = property.items?.$ref ?? property.items?.allOf?.[0]?.$ref;
          if (!keys || !ref) continue;
          const item = ref.split('/').pop()!;
          for (const key of keys) {
            const value = schemas[item]?.properties?.[key]?.default;
            if (value !== undefined && value !== '' && value !== 0) (found[item] ??= {})[key] = value;
          }
        }
    }
  }
  assert.deepEqual(found, listMapKeyDefaults);
});

test('re-applying a Service whose port leaves out protocol keeps one port and changes nothing', () => {
  const schema = rootField(schemaForKind('v1', 'Service'));
  const config: JsonObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] },
  };
  const request = { config, manager: 'podtrace', force: false, schema, apiVersion: 'v1' };
  const first = serverSideApply({ ...request, live: undefined, now: '2026-01-01T00:00:00Z' });
  // The apiserver defaults the stored port's protocol.
  const spec = first.spec as JsonObject;
  const stored: JsonObject = { ...first, spec: { ...spec, ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] } };
  const again = serverSideApply({ ...request, live: stored, now: '2026-01-01T00:01:00Z' });
  assert.deepEqual((again.spec as JsonObject).ports, [{ port: 80, targetPort: 80, protocol: 'TCP' }]);
  assert.deepEqual(again, stored, 'an apply that changes nothing keeps the object, managedFields time included');
});
