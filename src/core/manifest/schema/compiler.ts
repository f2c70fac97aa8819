// Compiles a kind's compact schema into one closure per schema node, lazily and once per
// kind, so validating a document is a single walk over its decoded value with no lookups
// by name and no allocation unless something is wrong. The closures record problems as
// data (path segments and what went wrong); schemaMessages.ts words them as the apiserver
// does, walking the schema again only for the rare document that has a problem.
import type { PathSegment } from '../base/fieldPath';
import type { KindSchema, ObjectNode, SchemaNode } from './snapshot';
import { quantityError, base64Error } from './scalarFormats';

export type SchemaProblem =
  /** A field the schema does not have; the strict decoder's `unknown field`. */
  | { readonly kind: 'unknownField'; readonly segments: readonly PathSegment[] }
  /** A value of the wrong JSON type for the node at `segments`. */
  | {
      readonly kind: 'type';
      readonly segments: readonly PathSegment[];
      readonly value: unknown;
      readonly node: SchemaNode;
    }
  /** A field listed in the schema's `required` is absent or null. */
  | { readonly kind: 'required'; readonly segments: readonly PathSegment[] }
  /** A scalar whose text the decoder rejects (a quantity, base64 data): `message` is the decoder's own. */
  | {
      readonly kind: 'format';
      readonly segments: readonly PathSegment[];
      readonly value: unknown;
      readonly message: string;
    }
  /** A custom resource's value outside its schema's `enum`. */
  | {
      readonly kind: 'enum';
      readonly segments: readonly PathSegment[];
      readonly value: unknown;
      readonly allowed: readonly unknown[];
    };

export type Check = (value: unknown, segments: PathSegment[], out: SchemaProblem[]) => void;

const int32Min = -2147483648;
const int32Max = 2147483647;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeProblem(value: unknown, segments: PathSegment[], node: SchemaNode, out: SchemaProblem[]): void {
  out.push({ kind: 'type', segments: segments.slice(), value, node });
}

/** Compiles nodes of one kind; definitions are compiled on first use, so recursion is fine. */
export class KindCompiler {
  private readonly defChecks = new Map<string, Check>();

  constructor(readonly schema: KindSchema) {}

  root(): Check {
    return this.compile(`#${this.schema.root}`);
  }

  compile(node: SchemaNode): Check {
    if (typeof node === 'string') return node.startsWith('#') ? this.definition(node.slice(1)) : scalarCheck(node);
    if ('a' in node) return this.list(node.a);
    if ('m' in node) return this.map(node.m);
    return this.object(node);
  }

  private definition(name: string): Check {
    let check = this.defChecks.get(name);
    if (check) return check;
    let impl: Check | undefined;
    // A placeholder that compiles the definition when first called, so that recursive
    // types (JSONSchemaProps in a CustomResourceDefinition) compile to a finite graph.
    check = (value, segments, out) => (impl ??= this.compileDefinition(name))(value, segments, out);
    this.defChecks.set(name, check);
    return check;
  }

  private compileDefinition(name: string): Check {
    const def = this.schema.defs[name];
    if (!def) throw new Error(`schema ${this.schema.root}: no definition ${name}`);
    return this.object(def);
  }

  private list(itemNode: SchemaNode): Check {
    const item = this.compile(itemNode);
    const self: SchemaNode = { a: itemNode };
    return (value, segments, out) => {
      if (value === null || value === undefined) return;
      if (!Array.isArray(value)) return typeProblem(value, segments, self, out);
      for (let i = 0; i < value.length; i++) {
        segments.push(i);
        item(value[i], segments, out);
        segments.pop();
      }
    };
  }

  private map(valueNode: SchemaNode): Check {
    const item = this.compile(valueNode);
    const self: SchemaNode = { m: valueNode };
    return (value, segments, out) => {
      if (value === null || value === undefined) return;
      if (!isPlainObject(value)) return typeProblem(value, segments, self, out);
      for (const key in value) {
        segments.push(key);
        item(value[key], segments, out);
        segments.pop();
      }
    };
  }

  private object(def: ObjectNode): Check {
    if (def.alias !== undefined && !def.p) {
      const inner = this.compile(def.alias);
      if (!def.enum) return inner;
      const allowed = def.enum;
      return (value, segments, out) => {
        if (value === null || value === undefined) return;
        const before = out.length;
        inner(value, segments, out);
        if (out.length === before && !allowed.some((a) => a === value))
          out.push({ kind: 'enum', segments: segments.slice(), value, allowed });
      };
    }
    const props = new Map<string, Check>();
    for (const [name, node] of Object.entries(def.p ?? {})) props.set(name, this.compile(node));
    const required = def.r ?? [];
    const preserve = def.preserve === true;
    return (value, segments, out) => {
      if (value === null || value === undefined) return;
      if (!isPlainObject(value)) return typeProblem(value, segments, def, out);
      for (const key in value) {
        const check = props.get(key);
        segments.push(key);
        if (check) check(value[key], segments, out);
        else if (!preserve) out.push({ kind: 'unknownField', segments: segments.slice() });
        segments.pop();
      }
      for (let i = 0; i < required.length; i++) {
        const field = required[i];
        if (value[field] === undefined || value[field] === null) {
          segments.push(field);
          out.push({ kind: 'required', segments: segments.slice() });
          segments.pop();
        }
      }
    };
  }
}

const anything: Check = () => undefined;

function isInteger(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

const scalarChecks: Record<string, Check> = {
  s: (value, segments, out) => {
    if (value !== null && value !== undefined && typeof value !== 'string') typeProblem(value, segments, 's', out);
  },
  b: (value, segments, out) => {
    if (value !== null && value !== undefined && typeof value !== 'boolean') typeProblem(value, segments, 'b', out);
  },
  i32: (value, segments, out) => {
    if (value !== null && value !== undefined && !isInteger(value, int32Min, int32Max))
      typeProblem(value, segments, 'i32', out);
  },
  i64: (value, segments, out) => {
    if (value !== null && value !== undefined && !isInteger(value, -Number.MAX_VALUE, Number.MAX_VALUE))
      typeProblem(value, segments, 'i64', out);
  },
  f64: (value, segments, out) => {
    if (value !== null && value !== undefined && typeof value !== 'number') typeProblem(value, segments, 'f64', out);
  },
  ios: (value, segments, out) => {
    if (value !== null && value !== undefined && typeof value !== 'string' && !isInteger(value, int32Min, int32Max))
      typeProblem(value, segments, 'ios', out);
  },
  q: (value, segments, out) => {
    if (value === null || value === undefined) return;
    const message = quantityError(value);
    if (message) out.push({ kind: 'format', segments: segments.slice(), value, message });
  },
  byte: (value, segments, out) => {
    if (value === null || value === undefined) return;
    if (typeof value !== 'string') return typeProblem(value, segments, 'byte', out);
    const message = base64Error(value);
    if (message) out.push({ kind: 'format', segments: segments.slice(), value, message });
  },
  '*': anything,
};

function scalarCheck(code: string): Check {
  const check = scalarChecks[code];
  if (!check) throw new Error(`schema snapshot: unknown node code ${JSON.stringify(code)}`);
  return check;
}

const compiledKinds = new WeakMap<KindSchema, Check>();

/** The validator of a kind: compiled on first use and cached with the kind's schema. */
export function validatorFor(schema: KindSchema): Check {
  let check = compiledKinds.get(schema);
  if (!check) {
    check = new KindCompiler(schema).root();
    compiledKinds.set(schema, check);
  }
  return check;
}

/** Runs a kind's validator over a decoded object. */
export function schemaProblems(schema: KindSchema, value: unknown): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  validatorFor(schema)(value, [], out);
  return out;
}
