// The Kubernetes JSON schema that yaml-language-server is given in the benchmark, built
// from the same OpenAPI v3 documents podtrace compiles (../shared/k8s-openapi), in the
// layout of yannh/kubernetes-json-schema's "standalone-strict" folder that the Red Hat
// YAML extension downloads: all.json is a oneOf of $refs into _definitions.json, one per
// kind, and objects with declared properties allow no others ("strict").
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface KubernetesJsonSchemas {
  /** `{"oneOf":[{"$ref":"_definitions.json#/definitions/io.k8s.api.apps.v1.Deployment"}, …]}` */
  readonly allJson: string;
  /** `{"definitions":{…}}` with every component schema, refs rewritten to `#/definitions/…`. */
  readonly definitionsJson: string;
  readonly kinds: number;
}

function jsonFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) jsonFiles(full, out);
    else if (entry.name.endsWith('.json')) out.push(full);
  }
  return out;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Rewrites OpenAPI refs to JSON-schema definitions and closes objects, as the strict variant does. */
function convert(node: Json): Json {
  if (Array.isArray(node)) return node.map(convert);
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string')
      out[key] = value.replace('#/components/schemas/', '#/definitions/');
    else out[key] = convert(value);
  }
  if (out.properties && typeof out.properties === 'object' && out.additionalProperties === undefined)
    out.additionalProperties = false;
  return out;
}

export function buildKubernetesJsonSchemas(openapiVersionDir: string): KubernetesJsonSchemas {
  const definitions: { [name: string]: Json } = {};
  for (const file of jsonFiles(openapiVersionDir)) {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { components?: { schemas?: { [name: string]: Json } } };
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) definitions[name] ??= convert(schema);
  }
  const kinds = Object.keys(definitions)
    .filter((name) => {
      const d = definitions[name] as { [key: string]: Json };
      const gvks = d['x-kubernetes-group-version-kind'];
      // Top-level kinds only: the ones with an apiVersion and kind of their own, not List or option types.
      return (
        Array.isArray(gvks) &&
        gvks.length === 1 &&
        !name.endsWith('List') &&
        !!(d.properties as { [k: string]: Json } | undefined)?.kind
      );
    })
    .sort();
  return {
    allJson: JSON.stringify({ oneOf: kinds.map((name) => ({ $ref: `_definitions.json#/definitions/${name}` })) }),
    definitionsJson: JSON.stringify({ definitions }),
    kinds: kinds.length,
  };
}
