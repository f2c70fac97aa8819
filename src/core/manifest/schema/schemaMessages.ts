// Words schema problems as the apiserver does. Built-in kinds are decoded by Go's
// encoding/json (the kubernetes-sigs/json fork, case-sensitive, strict): unknown fields
// read `unknown field "spec.template.spec.containers[0].imagePullPolicyy"` and type errors
// `json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.
// containers.ports.containerPort of type int32` (Struct is the innermost struct type's
// name; Field lists struct fields only, without list indices or map keys). Custom
// resources are checked by the CRD's structural schema (k8s.io/kube-openapi validate),
// which words type errors as `spec.x: Invalid value: "string": spec.x in body must be of
// type integer: "string"`.
import { fieldErrorMessage } from '../base/fieldError';
import { formatFieldPath, type PathSegment } from '../base/fieldPath';
import type { SchemaProblem } from './compiler';
import type { KindSchema, ObjectNode, SchemaNode } from './snapshot';

/** What the schema says about a path: the decoder's context for it. */
export interface PathDescription {
  /** The strict decoder's path: fields joined by '.', `[i]` for list items, '.key' for map keys. */
  readonly strictPath: string;
  /** The apiserver's field path (`metadata.labels[app]`). */
  readonly fieldPath: string;
  /** Name of the innermost Go struct a field was entered in, and the struct-field stack. */
  readonly goStruct: string;
  readonly goFields: readonly string[];
  /** Positions of segments that are map keys (rendered `[key]` in field paths). */
  readonly mapKeyAt: ReadonlySet<number>;
  /** The object node holding the last segment (for "did you mean" among its fields). */
  readonly parent?: ObjectNode;
}

export function resolveNode(schema: KindSchema, node: SchemaNode | undefined): SchemaNode | undefined {
  let current = node;
  for (let guard = 0; guard < 8 && current !== undefined; guard++) {
    if (typeof current === 'string' && current.startsWith('#')) current = schema.defs[current.slice(1)];
    else if (
      typeof current === 'object' &&
      'alias' in current &&
      current.alias !== undefined &&
      !current.p &&
      !current.enum
    )
      current = current.alias;
    else break;
  }
  return current;
}

function shortName(goType: string | undefined): string {
  if (!goType) return '';
  const dot = goType.lastIndexOf('.');
  return dot < 0 ? goType : goType.slice(dot + 1);
}

export function describePath(schema: KindSchema, segments: readonly PathSegment[]): PathDescription {
  let node: SchemaNode | undefined = `#${schema.root}`;
  let goStruct = '';
  const goFields: string[] = [];
  const mapKeyAt = new Set<number>();
  let strictPath = '';
  let parent: ObjectNode | undefined;
  segments.forEach((segment, i) => {
    const resolved = resolveNode(schema, node);
    parent = undefined;
    if (typeof segment === 'number') {
      strictPath += `[${segment}]`;
      node = resolved && typeof resolved === 'object' && 'a' in resolved ? resolved.a : undefined;
      return;
    }
    strictPath += strictPath ? `.${segment}` : segment;
    if (resolved && typeof resolved === 'object' && 'm' in resolved) {
      mapKeyAt.add(i);
      node = resolved.m;
    } else if (resolved && typeof resolved === 'object' && !('a' in resolved)) {
      parent = resolved as ObjectNode;
      goStruct = shortName(parent.g) || goStruct;
      goFields.push(segment);
      node = parent.p?.[segment];
    } else {
      node = undefined;
    }
  });
  return { strictPath, fieldPath: formatFieldPath(segments, mapKeyAt), goStruct, goFields, mapKeyAt, parent };
}

const goScalarTypes: Record<string, string> = {
  s: 'string',
  b: 'bool',
  i32: 'int32',
  i64: 'int64',
  f64: 'float64',
  ios: 'int32',
  byte: '[]uint8',
  q: 'resource.Quantity',
  '*': 'interface {}',
};

/** The Go type reflect would print for a node (`[]v1.Container`, `map[string]string`). */
export function goTypeOf(schema: KindSchema, node: SchemaNode): string {
  if (typeof node === 'string') {
    if (node.startsWith('#')) return schema.defs[node.slice(1)]?.g ?? 'interface {}';
    return goScalarTypes[node] ?? 'interface {}';
  }
  if ('a' in node) return `[]${goTypeOf(schema, node.a)}`;
  if ('m' in node) return `map[string]${goTypeOf(schema, node.m)}`;
  return node.g ?? 'interface {}';
}

const integerNodes = new Set(['i32', 'i64', 'ios']);

/** How encoding/json names a JSON value in an UnmarshalTypeError. */
function jsonValueWord(value: unknown, node: SchemaNode): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number')
    return typeof node === 'string' && integerNodes.has(node) ? `number ${String(value)}` : 'number';
  if (typeof value === 'string') return 'string';
  return 'object';
}

/** kube-openapi's name for a JSON value's type. */
function openApiTypeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value === 'object' ? 'object' : typeof value;
}

function openApiTypeOfNode(schema: KindSchema, node: SchemaNode): string {
  const resolved = resolveNode(schema, node);
  if (typeof resolved === 'string')
    return (
      (
        { s: 'string', b: 'boolean', i32: 'integer', i64: 'integer', f64: 'number', ios: 'integer,string' } as Record<
          string,
          string
        >
      )[resolved] ?? 'string'
    );
  if (resolved && typeof resolved === 'object') {
    if ('a' in resolved) return 'array';
    if ('m' in resolved) return 'object';
    if (resolved.type) return resolved.type;
  }
  return 'object';
}

/** The apiserver's text for one problem; `custom` selects the custom-resource wording. */
export function problemMessage(schema: KindSchema, problem: SchemaProblem, custom: boolean): string {
  const where = describePath(schema, problem.segments);
  switch (problem.kind) {
    case 'unknownField':
      return `unknown field "${where.strictPath}"`;
    case 'required':
      return fieldErrorMessage({ type: 'FieldValueRequired', segments: problem.segments, mapKeyAt: where.mapKeyAt });
    case 'format':
      return problem.message;
    case 'enum':
      return fieldErrorMessage({
        type: 'FieldValueNotSupported',
        segments: problem.segments,
        mapKeyAt: where.mapKeyAt,
        badValue: problem.value,
        detail: `supported values: ${problem.allowed.map((a) => JSON.stringify(a)).join(', ')}`,
      });
    case 'type': {
      if (custom) {
        const actual = openApiTypeOf(problem.value);
        const expected = openApiTypeOfNode(schema, problem.node);
        return (
          `${where.fieldPath}: Invalid value: "${actual}": ` +
          `${where.fieldPath} in body must be of type ${expected}: "${actual}"`
        );
      }
      const word = jsonValueWord(problem.value, problem.node);
      const type = goTypeOf(schema, problem.node);
      if (where.goFields.length === 0) return `json: cannot unmarshal ${word} into Go value of type ${type}`;
      return (
        `json: cannot unmarshal ${word} into Go struct field ` +
        `${where.goStruct}.${where.goFields.join('.')} of type ${type}`
      );
    }
  }
}
