// Turns a CustomResourceDefinition's openAPIV3Schema into the same compact form as the
// built-in snapshot, so custom resources run through the same compiled validator. What the
// apiserver does with a structural schema: unknown fields are pruned (reported as
// `unknown field` under strict field validation) unless x-kubernetes-preserve-unknown-fields
// is set; types, required and enum are enforced (unlike for built-in kinds, whose enums
// only the Go validation checks); metadata is always the standard ObjectMeta.
import type { KindSchema, ObjectNode, SchemaNode } from './snapshot';

type JsonSchema = Record<string, unknown>;

function asSchema(value: unknown): JsonSchema | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonSchema) : undefined;
}

class CrdSchemaCompiler {
  readonly defs: Record<string, ObjectNode> = {};
  private counter = 0;

  node(schema: JsonSchema | undefined): SchemaNode {
    if (!schema) return '*';
    const scalar = this.scalar(schema);
    const enumValues = Array.isArray(schema.enum) ? (schema.enum as unknown[]) : undefined;
    if (enumValues && typeof scalar === 'string' && scalar !== '*')
      return this.define({ alias: scalar, enum: enumValues, type: String(schema.type ?? '') });
    return scalar;
  }

  private define(node: ObjectNode): SchemaNode {
    const name = `crd${this.counter++}`;
    this.defs[name] = node;
    return `#${name}`;
  }

  private scalar(schema: JsonSchema): SchemaNode {
    if (schema['x-kubernetes-int-or-string'] === true) return 'ios';
    const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
    const embedded = schema['x-kubernetes-embedded-resource'] === true;
    switch (schema.type) {
      case 'string':
        return 's';
      case 'boolean':
        return 'b';
      case 'integer':
        return 'i64';
      case 'number':
        return 'f64';
      case 'array':
        return { a: this.node(asSchema(schema.items)) };
      case 'object':
      case undefined: {
        const properties = asSchema(schema.properties);
        const additional = schema.additionalProperties;
        if (!properties && asSchema(additional)) return { m: this.node(asSchema(additional)) };
        if (!properties && (preserve || additional === true || schema.type === undefined) && !embedded) return '*';
        const p: Record<string, SchemaNode> = {};
        for (const [name, prop] of Object.entries(properties ?? {})) p[name] = this.node(asSchema(prop));
        if (embedded) {
          // An embedded resource carries its own apiVersion, kind and metadata.
          p.apiVersion ??= 's';
          p.kind ??= 's';
          p.metadata ??= '*';
        }
        const required = Array.isArray(schema.required) ? (schema.required as string[]) : undefined;
        return this.define({ p, r: required, preserve: preserve || undefined, type: 'object' });
      }
      default:
        return '*';
    }
  }
}

/**
 * A KindSchema for one served version of a CRD. The root's apiVersion, kind and metadata
 * are the apiserver's (metadata is checked as ObjectMeta by `metadataNode`, from the
 * built-in snapshot, when given).
 */
export function kindSchemaFromCrd(
  openAPIV3Schema: unknown,
  metadataDef?: { name: string; defs: Record<string, ObjectNode> },
): KindSchema {
  const compiler = new CrdSchemaCompiler();
  const rootSchema = asSchema(openAPIV3Schema);
  const rootNode = rootSchema ? compiler.node(rootSchema) : '*';
  const rootDef =
    typeof rootNode === 'string' && rootNode.startsWith('#') ? compiler.defs[rootNode.slice(1)] : undefined;
  const p: Record<string, SchemaNode> = { ...(rootDef?.p ?? {}) };
  p.apiVersion = 's';
  p.kind = 's';
  let defs: Record<string, ObjectNode> = compiler.defs;
  if (metadataDef) {
    defs = { ...metadataDef.defs, ...compiler.defs };
    p.metadata = `#${metadataDef.name}`;
  } else {
    p.metadata = '*';
  }
  // With no schema at all (or preserve-unknown-fields at the root) nothing is pruned.
  const preserve = !rootDef || rootDef.preserve === true;
  defs.crdRoot = { p, r: rootDef?.r, preserve: preserve || undefined, type: 'object' };
  return { root: 'crdRoot', defs };
}
