// The apiserver's field.Error, as data. Validation rules return these for plain objects,
// so the same rules serve the editor (mapped to YAML ranges) and the simulated apiserver
// (rendered into a metav1.Status with causes). Rendering follows
// k8s.io/apimachinery/pkg/util/validation/field/errors.go.
import { minorOf } from '../../base/kubernetesVersion';
import type { PathSegment } from './fieldPath';
import { formatFieldPath } from './fieldPath';

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueNotFound'
  | 'FieldValueTypeInvalid'
  | 'InternalError';

export interface FieldError {
  readonly type: FieldErrorType;
  /** The path as segments, for mapping back to YAML. */
  readonly segments: readonly PathSegment[];
  /** Positions in `segments` that are keys of a map (labels, annotations, data): rendered `[key]`. */
  readonly mapKeyAt?: ReadonlySet<number>;
  readonly badValue?: unknown;
  /**
   * How Kubernetes 1.32 and 1.33 print a composite bad value (Go `%#v`, for example
   * `map[string]string{"app":"web"}`); 1.34 and later print JSON. Only set for maps,
   * lists and structs, where the two differ.
   */
  readonly badValueGo?: string;
  readonly detail?: string;
}

/** The Kubernetes minor versions whose rendering differs; anything else renders as the newest. */
export type RenderVersion = string;

/** 1.32 and 1.33 print composite values with Go's `%#v`; 1.34 switched to json.Marshal. */
export function printsGoSyntax(version: RenderVersion | undefined): boolean {
  if (!version) return false;
  const minor = minorOf(version);
  return Number.isFinite(minor) && minor <= 33;
}

const typeStrings: Record<FieldErrorType, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueNotFound: 'Not found',
  FieldValueTypeInvalid: 'Invalid value',
  InternalError: 'Internal error',
};

const valuePrinted: Record<FieldErrorType, boolean> = {
  FieldValueRequired: false,
  FieldValueInvalid: true,
  FieldValueNotSupported: true,
  FieldValueDuplicate: true,
  FieldValueForbidden: false,
  FieldValueTooLong: false,
  FieldValueTooMany: true,
  FieldValueNotFound: true,
  FieldValueTypeInvalid: true,
  InternalError: false,
};

/** Go's %q for a string: JSON-like quoting with Go's escapes for control characters. */
export function goQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** How the apiserver prints a bad value (1.34+: json.Marshal for composite values). */
export function formatBadValue(value: unknown, goSyntax?: string): string {
  // Before 1.34 a nil prints as the string "null" and a struct (an IntOrString too) in Go syntax.
  if (goSyntax !== undefined) return goSyntax;
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export function fieldErrorPath(error: FieldError): string {
  return formatFieldPath(error.segments, error.mapKeyAt);
}

/** ErrorBody(): the message without the field, as a Status cause carries it. */
export function fieldErrorBody(error: FieldError, version?: RenderVersion): string {
  let body = typeStrings[error.type];
  if (valuePrinted[error.type] && error.badValue !== undefined) {
    const old = printsGoSyntax(version);
    const goSyntax = old ? (error.badValue === null ? '"null"' : error.badValueGo) : undefined;
    body += `: ${formatBadValue(error.badValue, goSyntax)}`;
  }
  if (error.detail) body += `: ${error.detail}`;
  return body;
}

/** Error(): `<field>: <body>`, the text kubectl shows, as the given Kubernetes version renders it. */
export function fieldErrorMessage(error: FieldError, version?: RenderVersion): string {
  // Go prints `<field>: <body>` even for the empty path (a ConfigMap's total size error reads `: Too long: …`).
  return `${fieldErrorPath(error)}: ${fieldErrorBody(error, version)}`;
}
