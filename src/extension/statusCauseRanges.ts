// A refusal from a cluster (a metav1.Status with causes) mapped back to the YAML: each cause's
// field path (`spec.template.spec.containers[0].image`, `metadata.labels[app.kubernetes.io/name]`,
// server-side apply's `.spec.containers[name="web"].ports`) to the range of that field in the
// object's document, with the server's message. A field the YAML does not hold (a required one
// that is missing) lands on the key of its deepest ancestor that is there; a cause without a
// field lands on the object's name. No 'vscode' here: tests run it under plain Node.
import type { SourceRange } from '../core/base/finding';
import type { PathSegment } from '../core/manifest/base/fieldPath';
import { rangeOfPath } from '../core/manifest/base/sourceMap';
import type { TargetStatus } from '../core/cluster/clusterTarget';
import type { AppliedObject } from './appliedObjects';

/** One step of a field path: a field or map key, a list index, or a list item picked by a key's value. */
export type CauseSegment = string | number | { readonly key: string; readonly value: string };

/** One cause placed in the YAML. */
export interface PlacedCause {
  readonly range: SourceRange;
  /** As kubectl prints a cause: `spec.replicas: Invalid value: -1: must be greater than or equal to 0`. */
  readonly message: string;
  /** The cause's field path as the server wrote it ('' when none). */
  readonly field: string;
  readonly reason: string;
}

/**
 * Reads a field path as the apiserver writes it (k8s.io/apimachinery field.Path: `.name`,
 * `[0]`, `[key]`) or as server-side apply writes it (sigs.k8s.io/structured-merge-diff:
 * a leading `.`, `[name="web"]` for an item of an associative list). Throws when a bracket
 * is not closed, saying where.
 */
export function parseCauseField(field: string): CauseSegment[] {
  const segments: CauseSegment[] = [];
  let i = 0;
  let name = '';
  const flush = () => {
    if (name !== '') segments.push(name);
    name = '';
  };
  while (i < field.length) {
    const c = field[i];
    if (c === '.') {
      flush();
      i++;
    } else if (c === '[') {
      flush();
      const close = field.indexOf(']', i + 1);
      if (close < 0) throw new Error(`field path "${field}": expected "]" after the "[" at ${i + 1}, found none`);
      segments.push(bracketSegment(field.slice(i + 1, close)));
      i = close + 1;
    } else {
      name += c;
      i++;
    }
  }
  flush();
  return segments;
}

function bracketSegment(inside: string): CauseSegment {
  if (/^\d+$/.test(inside)) return Number(inside);
  const selector = /^([A-Za-z_][\w-]*)=(?:"((?:[^"\\]|\\.)*)"|(.*))$/.exec(inside);
  if (selector) return { key: selector[1], value: selector[2] ?? selector[3] };
  return inside;
}

/** The segments as indices and keys into the object's YAML: a list item picked by a key becomes its index. */
function resolveSegments(value: unknown, segments: readonly CauseSegment[]): PathSegment[] {
  const out: PathSegment[] = [];
  let current = value;
  for (const segment of segments) {
    if (typeof segment === 'object') {
      const list = Array.isArray(current) ? (current as unknown[]) : [];
      const index = list.findIndex(
        (item) =>
          typeof item === 'object' &&
          item !== null &&
          String((item as Record<string, unknown>)[segment.key]) === segment.value,
      );
      // An item the YAML lacks: the list itself is the deepest place there is.
      if (index < 0) return out;
      out.push(index);
      current = list[index];
      continue;
    }
    out.push(segment);
    current =
      typeof current === 'object' && current !== null
        ? (current as Record<string | number, unknown>)[segment]
        : undefined;
  }
  return out;
}

/** Where a path lands in the applied object's document. */
export function rangeOfField(applied: AppliedObject, field: string): SourceRange {
  let segments: CauseSegment[];
  try {
    segments = field === '' || field === '<nil>' ? ['metadata', 'name'] : parseCauseField(field);
  } catch {
    // A path this reader does not follow still belongs to the object: its name is the place.
    segments = ['metadata', 'name'];
  }
  const path = resolveSegments(applied.object, segments);
  return rangeOfPath(applied.document.yaml, applied.parsed.lines, [...applied.prefix, ...path], 'value');
}

/**
 * Unknown fields refused under fieldValidation=Strict come as a message without causes
 * (`strict decoding error: unknown field "spec.foo", unknown field "spec.bar"`), and server-side
 * apply's as `.spec.foo: field not declared in schema`. The server gives no other place for
 * them, so the fields are read from the message.
 */
function fieldsInMessage(message: string): string[] {
  const fields = [...message.matchAll(/unknown field "((?:[^"\\]|\\.)+)"/g)].map((m) => m[1].replace(/\\"/g, '"'));
  const undeclared = [...message.matchAll(/(?:^|[\s:])(\.[^\s:]+): field not declared in schema/g)].map((m) => m[1]);
  return [...fields, ...undeclared];
}

/** The Status's causes placed in the applied object's YAML; a Status without causes is placed as one. */
export function placeStatus(applied: AppliedObject, status: TargetStatus): PlacedCause[] {
  if (status.causes.length > 0) {
    return status.causes.map((cause) => ({
      range: rangeOfField(applied, cause.field),
      message: cause.field ? `${cause.field}: ${cause.message}` : cause.message,
      field: cause.field,
      reason: cause.reason,
    }));
  }
  const fields = fieldsInMessage(status.message);
  if (fields.length > 0) {
    return fields.map((field) => ({
      range: rangeOfField(applied, field),
      message: status.message,
      field,
      reason: status.reason,
    }));
  }
  return [{ range: rangeOfField(applied, ''), message: status.message, field: '', reason: status.reason }];
}
